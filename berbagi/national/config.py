"""NATIONAL_SITE, checked: the chapters a national site merges, and how it fetches them.

`validate(raw, cache_path)` returns the settings and every problem as a line naming the plugin
and the key; `berbagi.settings.load` adds those lines to the rest, so a mistake here stops a
task with exit 2 like any other setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import is_web_url

PLUGIN = "national_site"
SETTING = "NATIONAL_SITE"
CHAPTER_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CHAPTER_REQUIRED = ("id", "name", "city", "timezone", "site_url")
CHAPTER_OPTIONAL = ("calendar_url", "feed_url")
# Where the kit's own chapter sites publish them (ICAL_FEED, CLASS_FEEDS defaults).
KIT_CALENDAR = "calendar.ics"
KIT_ATOM = "feeds/classes.atom.xml"

DEFAULTS: dict[str, Any] = {
    "chapters": [],
    # Per chapter and file: a server slower than this, or bigger than max_bytes, is given up on
    # and its last good copy is used.
    "timeout_seconds": 10,
    "max_bytes": 5_000_000,
    # Fetches at once: one slow chapter must not hold up the other 39.
    "workers": 8,
    # Last good copies of every chapter's files; None: a "national" folder in CACHE_PATH.
    # Keep it between builds (CI: actions/cache), or a chapter that is down has no copy to show.
    "cache": None,
    "calendar_path": "calendar.ics",  # the national calendar, relative to the site root
    "atom_path": "feeds/classes.atom.xml",  # the national Atom feed
    "rss_path": "feeds/classes.rss.xml",  # and the same entries in RSS
    # Classes on the home page, by date; every chapter's page lists all of its own. A cheap
    # phone on a slow network should not download forty cities' worth of classes.
    "home_entries": 150,
    "days_ahead": 90,  # the home page and the feed list classes starting this soon
    # The national calendar keeps classes that started at most this many days ago, so that a
    # subscriber sees a cancellation, without carrying every chapter's whole archive.
    "days_past": 30,
    "max_feed_entries": 100,
    # A last good copy older than this gets a louder warning in the build log.
    "stale_hours": 24,
}


@dataclass(frozen=True)
class ChapterSource:
    """One chapter as the national site knows it: who, where, and where its files are."""

    id: str  # the chapter's part of every page address and calendar UID; never change it
    name: str
    city: str
    zone: ZoneInfo
    site_url: str
    calendar_url: str
    feed_url: str | None  # None: the chapter publishes a calendar only

    @property
    def page_path(self) -> str:
        return f"kota/{self.id}/"


@dataclass(frozen=True)
class NationalSettings:
    chapters: tuple[ChapterSource, ...] = ()
    timeout: float = 10.0
    max_bytes: int = 5_000_000
    workers: int = 8
    cache_folder: Path = Path("cache/national")
    calendar_path: str = "calendar.ics"
    atom_path: str = "feeds/classes.atom.xml"
    rss_path: str = "feeds/classes.rss.xml"
    home_entries: int = 150
    days_ahead: int = 90
    days_past: int = 30
    max_feed_entries: int = 100
    stale_hours: int = 24


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _site_path(value: Any, suffix: str) -> bool:
    if not isinstance(value, str) or not value.endswith(suffix) or value.startswith("/"):
        return False
    return not any(part in {"", ".", ".."} for part in value.split("/"))


def _chapter(raw: Any, index: int, problems: list[str]) -> ChapterSource | None:
    where = f"{SETTING}['chapters'][{index}]"

    def problem(message: str) -> None:
        problems.append(f"{PLUGIN}: {message}")

    if not isinstance(raw, Mapping):
        problem(f"{where} must be a dict like {{'id': 'makassar', 'name': ..., ...}}")
        return None
    for unknown in sorted(set(raw) - set(CHAPTER_REQUIRED) - set(CHAPTER_OPTIONAL), key=str):
        known = ", ".join((*CHAPTER_REQUIRED, *CHAPTER_OPTIONAL))
        problem(f"unknown key {where}['{unknown}']; the keys are {known}")
    values: dict[str, str] = {}
    for key in CHAPTER_REQUIRED:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problem(f"{where}['{key}'] is missing (text)")
            value = ""
        values[key] = value.strip()
    ok = all(values.values())
    if values["id"] and not CHAPTER_ID.match(values["id"]):
        problem(f"{where}['id'] '{values['id']}' must be lower-case letters, digits and hyphens")
        ok = False
    zone = ZoneInfo("Asia/Jakarta")
    if values["timezone"]:
        try:
            zone = ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            problem(
                f"{where}['timezone'] '{values['timezone']}' is not an IANA zone like Asia/Makassar"
            )
            ok = False
    site_url = values["site_url"].rstrip("/")
    if site_url and not is_web_url(site_url):
        problem(f"{where}['site_url'] '{site_url}' must be an address like https://host")
        ok = False
    addresses: dict[str, str | None] = {
        "calendar_url": f"{site_url}/{KIT_CALENDAR}",
        "feed_url": f"{site_url}/{KIT_ATOM}",
    }
    for key in CHAPTER_OPTIONAL:
        if key not in raw:
            continue
        value = raw[key]
        if value is None and key == "feed_url":
            addresses[key] = None
        elif isinstance(value, str) and is_web_url(value):
            addresses[key] = value
        else:
            also = " (or None: no feed)" if key == "feed_url" else ""
            problem(f"{where}['{key}'] {value!r} must be an address like https://host/file{also}")
            ok = False
    if not ok:
        return None
    return ChapterSource(
        id=values["id"],
        name=values["name"],
        city=values["city"],
        zone=zone,
        site_url=site_url,
        calendar_url=str(addresses["calendar_url"]),
        feed_url=addresses["feed_url"],
    )


def validate(raw: Any, cache_path: str | Path) -> tuple[NationalSettings, list[str]]:
    """NATIONAL_SITE over its defaults, and every problem found in it (empty when valid)."""
    problems: list[str] = []
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        return NationalSettings(), [f"{PLUGIN}: {SETTING} must be a dict like {SETTING} = {{...}}"]
    for unknown in sorted(set(raw) - set(DEFAULTS), key=str):
        known = ", ".join(sorted(DEFAULTS))
        problems.append(f"{PLUGIN}: unknown key {SETTING}['{unknown}']; the keys are {known}")
    values = {**DEFAULTS, **{key: value for key, value in raw.items() if key in DEFAULTS}}
    chapters: list[ChapterSource] = []
    listed = values["chapters"]
    if not isinstance(listed, list | tuple):
        problems.append(f"{PLUGIN}: {SETTING}['chapters'] must be a list of dicts")
        listed = []
    for index, entry in enumerate(listed):
        chapter = _chapter(entry, index, problems)
        if chapter is not None:
            chapters.append(chapter)
    seen: set[str] = set()
    for chapter in chapters:
        if chapter.id in seen:
            problems.append(
                f"{PLUGIN}: {SETTING}['chapters'] lists the id '{chapter.id}' twice; each "
                "chapter needs its own (it is part of its page address and calendar UIDs)"
            )
        seen.add(chapter.id)
    bounds = {
        "max_bytes": (1_000, 100_000_000),
        "workers": (1, 64),
        "days_ahead": (1, 3660),
        "days_past": (0, 36_600),
        "max_feed_entries": (1, 10_000),
        "home_entries": (1, 10_000),
        "stale_hours": (1, 24 * 365),
    }
    for key, (low, high) in bounds.items():
        if not _whole(values[key], low, high):
            problems.append(
                f"{PLUGIN}: {SETTING}['{key}'] must be a whole number from {low} to {high}"
            )
            values[key] = DEFAULTS[key]
    timeout = values["timeout_seconds"]
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 120:
        problems.append(
            f"{PLUGIN}: {SETTING}['timeout_seconds'] must be seconds, above 0 up to 120"
        )
        values["timeout_seconds"] = DEFAULTS["timeout_seconds"]
    for key, suffix in (("calendar_path", ".ics"), ("atom_path", ".xml"), ("rss_path", ".xml")):
        if not _site_path(values[key], suffix):
            problems.append(
                f"{PLUGIN}: {SETTING}['{key}'] must be a path inside the site ending in {suffix}"
            )
            values[key] = DEFAULTS[key]
    cache = values["cache"]
    if cache is None:
        cache_folder = Path(cache_path or "cache").resolve() / "national"
    elif isinstance(cache, str) and cache.strip():
        cache_folder = Path(cache).resolve()
    else:
        problems.append(f"{PLUGIN}: {SETTING}['cache'] must be a folder path, or None")
        cache_folder = Path(cache_path or "cache").resolve() / "national"
    return (
        NationalSettings(
            chapters=tuple(chapters),
            timeout=float(values["timeout_seconds"]),
            max_bytes=values["max_bytes"],
            workers=values["workers"],
            cache_folder=cache_folder,
            calendar_path=values["calendar_path"],
            atom_path=values["atom_path"],
            rss_path=values["rss_path"],
            home_entries=values["home_entries"],
            days_ahead=values["days_ahead"],
            days_past=values["days_past"],
            max_feed_entries=values["max_feed_entries"],
            stale_hours=values["stale_hours"],
        ),
        problems,
    )
