"""The SOCIAL_PUBLISH setting: defaults, merging and start-up validation."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from class_schedule import settings as schedule_settings

from . import compose

DEFAULTS: dict[str, Any] = {
    # Only production builds (publishconf.py) write the plan that `invoke announce` reads, so a
    # local build can never lead to a post.
    "write_plan": False,
    # Where the plan goes; None: announce-plan.json in CACHE_PATH (kept out of the deployed site).
    "plan": None,
    # The ledger of what was posted; committed with the site. Relative to the site folder.
    "ledger": "announcements.json",
    # What gets announced: "class" (new classes and their changes), "page" (new pages).
    "kinds": ["class"],
    "max_posts": 3,  # per run; the rest wait for the next run
    "reminder_hours": 24,  # `invoke remind` posts for classes starting this soon
    "retry_delays": [2, 8],  # seconds to wait before each retry after a 5xx or network error
    "templates": {},  # overrides of the default texts by name; see compose.TEMPLATES
}
KINDS = ("class", "page")
PLAN_FILE = "announce-plan.json"


class SettingsError(schedule_settings.SettingsError):
    """A SOCIAL_PUBLISH value the plugin cannot work with; the message names the key."""


@dataclass(frozen=True)
class PublishSettings:
    write_plan: bool
    plan_path: Path
    ledger_path: Path
    kinds: tuple[str, ...]
    max_posts: int
    reminder_hours: int
    retry_delays: tuple[float, ...]
    templates: Mapping[str, str]
    chapter: Mapping[str, str]
    language: str

    @property
    def lock_path(self) -> Path:
        return self.ledger_path.parent / ".announce.lock"


def _fail(key: str, message: str) -> SettingsError:
    return SettingsError(f"social_publish: SOCIAL_PUBLISH['{key}'] {message}")


def site_folder(settings: Mapping[str, Any]) -> Path:
    """The folder holding content/ and the settings files; relative paths start there."""
    return Path(os.path.abspath(settings["PATH"])).parent


def _path(settings: Mapping[str, Any], value: Any, key: str) -> Path:
    if not isinstance(value, str | os.PathLike) or not str(value):
        raise _fail(key, "must be a file path")
    path = Path(value)
    return path if path.is_absolute() else site_folder(settings) / path


def _check_numbers(values: Mapping[str, Any]) -> None:
    for key in ("max_posts", "reminder_hours"):
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _fail(key, f"must be a whole number of at least 1, not {value!r}")
    delays = values["retry_delays"]
    if not isinstance(delays, list | tuple) or not all(
        isinstance(d, int | float) and not isinstance(d, bool) and 0 <= d <= 300 for d in delays
    ):
        raise _fail("retry_delays", "must be a list of seconds between 0 and 300, like [2, 8]")


def _templates(raw: Any, language: str, chapter: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise _fail("templates", "must be a dict like {'announcement': '... {url}'}")
    unknown = set(raw) - set(compose.KINDS)
    if unknown:
        raise _fail(
            "templates",
            f"has an unknown template '{sorted(unknown)[0]}'; the names are "
            + ", ".join(compose.KINDS),
        )
    templates = {**compose.TEMPLATES[language], **raw}
    for name, template in templates.items():
        key = f"templates']['{name}"
        if not isinstance(template, str):
            raise _fail(key, "must be a string")
        problem = compose.template_problem(template)
        if problem:
            raise _fail(key, problem)
        length = compose.worst_case_length(template, chapter)
        if length > compose.LIMIT - 20:
            raise _fail(
                key,
                f"leaves no room for the title: its fixed text weighs {length} of "
                f"{compose.LIMIT}; shorten it",
            )
    return templates


def load(settings: Mapping[str, Any]) -> PublishSettings:
    """Merge SOCIAL_PUBLISH over the defaults and check every value the plugin depends on."""
    values = schedule_settings.merged(
        "social_publish", "SOCIAL_PUBLISH", DEFAULTS, settings.get("SOCIAL_PUBLISH")
    )
    # The chapter block, zone and language are class_schedule's; it reports their problems.
    schedule = schedule_settings.load(settings)
    if not isinstance(values["write_plan"], bool):
        raise _fail("write_plan", "must be True or False")
    kinds = values["kinds"]
    if not isinstance(kinds, list | tuple) or not set(kinds) <= set(KINDS):
        raise _fail("kinds", f"must list some of {', '.join(KINDS)}, not {kinds!r}")
    _check_numbers(values)
    plan = values["plan"]
    if plan is None:
        plan_path = Path(os.path.abspath(settings.get("CACHE_PATH") or "cache")) / PLAN_FILE
    else:
        plan_path = _path(settings, plan, "plan")
    return PublishSettings(
        write_plan=values["write_plan"],
        plan_path=plan_path,
        ledger_path=_path(settings, values["ledger"], "ledger"),
        kinds=tuple(kinds),
        max_posts=values["max_posts"],
        reminder_hours=values["reminder_hours"],
        retry_delays=tuple(float(d) for d in values["retry_delays"]),
        templates=_templates(values["templates"], schedule.language, schedule.chapter),
        chapter=schedule.chapter,
        language=schedule.language,
    )
