"""The ICAL_FEED setting: defaults, merging and start-up validation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from class_schedule.model import is_web_url
from class_schedule.settings import SettingsError, merged

DEFAULTS: dict[str, Any] = {
    "path": "calendar.ics",  # the subscription calendar, relative to the site root
    "refresh_hours": 12,  # REFRESH-INTERVAL and X-PUBLISHED-TTL: how often clients re-fetch
    "name": None,  # calendar name shown in calendar apps; None: "Kelas <chapter name>"
    "description": None,  # None: a sentence naming the chapter
}
# A bare host name: the UID and feed ids are built from it, so a scheme or path would leak in.
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class CalendarSettings:
    path: str
    refresh: timedelta
    name: str | None
    description: str | None


def output_path(plugin: str, setting: str, key: str, value: Any, suffix: str) -> str:
    """A relative path inside the output folder that ends with `suffix`."""
    if not isinstance(value, str) or not value.endswith(suffix) or len(value) <= len(suffix):
        raise SettingsError(f"{plugin}: {setting}['{key}'] must be a file name ending in {suffix}")
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or any(part in {"", ".", ".."} for part in parts):
        raise SettingsError(
            f"{plugin}: {setting}['{key}'] '{value}' must be a path inside the site, "
            "like feeds/classes.atom.xml"
        )
    return value


def optional_text(plugin: str, setting: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{plugin}: {setting}['{key}'] must be a non-empty string or None")
    return value.strip()


def chapter_identity(plugin: str, settings: Mapping[str, Any]) -> tuple[str, str]:
    """CHAPTER's permanent domain and production URL, checked because ids and links use them."""
    chapter = settings.get("CHAPTER") or {}
    domain = chapter.get("domain")
    if not isinstance(domain, str) or not DOMAIN.match(domain):
        raise SettingsError(
            f"{plugin}: CHAPTER['domain'] '{domain}' must be a bare lower-case host name like "
            "palembang.akademiberbagi.org (no https://, no path)"
        )
    site_url = chapter.get("site_url")
    if not isinstance(site_url, str) or not is_web_url(site_url):
        raise SettingsError(
            f"{plugin}: CHAPTER['site_url'] '{site_url}' must be an absolute address like "
            "https://palembang.akademiberbagi.org"
        )
    return domain, site_url.rstrip("/")


def load(settings: Mapping[str, Any]) -> CalendarSettings:
    """Merge ICAL_FEED over the defaults and check every value."""
    values = merged("ical_feed", "ICAL_FEED", DEFAULTS, settings.get("ICAL_FEED"))
    chapter_identity("ical_feed", settings)
    hours = values["refresh_hours"]
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 24 * 7:
        raise SettingsError(
            "ical_feed: ICAL_FEED['refresh_hours'] must be a whole number of hours from 1 to 168"
        )
    return CalendarSettings(
        path=output_path("ical_feed", "ICAL_FEED", "path", values["path"], ".ics"),
        refresh=timedelta(hours=hours),
        name=optional_text("ical_feed", "ICAL_FEED", "name", values["name"]),
        description=optional_text("ical_feed", "ICAL_FEED", "description", values["description"]),
    )
