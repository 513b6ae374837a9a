"""The CLASS_SCHEDULE setting: defaults, merging and start-up validation."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULTS: dict[str, Any] = {
    "path": "classes",  # folder under content/ holding one Markdown file per class
    "now": None,  # ISO date-time string; None means the real clock (BERBAGI_NOW overrides)
    "default_duration_minutes": 120,
    "monthly_promise_days": 30,
}
NOW_ENVIRONMENT_VARIABLE = "BERBAGI_NOW"
SUPPORTED_LANGUAGES = ("id", "en")
CHAPTER_KEYS = ("name", "short_name", "city", "twitter", "hashtag", "domain", "site_url")


class SettingsError(Exception):
    """A setting the kit cannot work with; the message names the plugin and the key."""

    exitcode = 2


def merged(plugin: str, setting: str, defaults: Mapping[str, Any], raw: Any) -> dict[str, Any]:
    """`raw` over `defaults`, refusing a non-dict and any key the plugin does not know.

    Every plugin of the kit reads its settings dict through this, so a typo in any key is
    reported the same way: `plugin: unknown key SETTING['key']`.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise SettingsError(f"{plugin}: {setting} must be a dict like {setting} = {{...}}")
    unknown = sorted(set(raw) - set(defaults))
    if unknown:
        raise SettingsError(f"{plugin}: unknown key {setting}['{unknown[0]}']")
    return {**defaults, **raw}


@dataclass(frozen=True)
class ScheduleSettings:
    content_folder: str
    zone: ZoneInfo
    now: datetime
    default_duration: timedelta
    monthly_promise_days: int
    language: str
    chapter: Mapping[str, str]


def _now(raw: Any, zone: ZoneInfo) -> datetime:
    raw = os.environ.get(NOW_ENVIRONMENT_VARIABLE) or raw
    if raw is None:
        return datetime.now(zone)
    if isinstance(raw, datetime):
        value = raw
    else:
        try:
            value = datetime.fromisoformat(str(raw))
        except ValueError:
            raise SettingsError(
                f"class_schedule: CLASS_SCHEDULE['now'] (or {NOW_ENVIRONMENT_VARIABLE}) "
                f"'{raw}' is not an ISO date-time like 2026-12-01T09:00"
            ) from None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def load(settings: Mapping[str, Any]) -> ScheduleSettings:
    """Merge CLASS_SCHEDULE over the defaults and check every value the plugin depends on."""
    values = merged("class_schedule", "CLASS_SCHEDULE", DEFAULTS, settings.get("CLASS_SCHEDULE"))
    try:
        zone = ZoneInfo(settings.get("TIMEZONE") or "Asia/Jakarta")
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"class_schedule: TIMEZONE '{settings.get('TIMEZONE')}' is not an IANA zone "
            "like Asia/Jakarta"
        ) from None
    language = settings.get("DEFAULT_LANG", "id")
    if language not in SUPPORTED_LANGUAGES:
        raise SettingsError(
            f"class_schedule: DEFAULT_LANG '{language}' is not one of "
            + ", ".join(SUPPORTED_LANGUAGES)
        )
    for key in ("default_duration_minutes", "monthly_promise_days"):
        if not isinstance(values[key], int) or values[key] <= 0:
            raise SettingsError(
                f"class_schedule: CLASS_SCHEDULE['{key}'] must be a positive integer"
            )
    chapter = settings.get("CHAPTER") or {}
    missing = [key for key in CHAPTER_KEYS if not chapter.get(key)]
    if missing:
        raise SettingsError(f"class_schedule: CHAPTER['{missing[0]}'] is missing in the settings")
    return ScheduleSettings(
        content_folder=values["path"],
        zone=zone,
        now=_now(values["now"], zone),
        default_duration=timedelta(minutes=values["default_duration_minutes"]),
        monthly_promise_days=values["monthly_promise_days"],
        language=language,
        chapter=chapter,
    )
