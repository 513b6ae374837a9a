"""The CLASS_FEEDS setting: defaults, merging and start-up validation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from class_schedule.settings import SettingsError, merged
from ical_feed.settings import optional_text, output_path

DEFAULTS: dict[str, Any] = {
    "atom_path": "feeds/classes.atom.xml",
    "rss_path": "feeds/classes.rss.xml",
    # Year the chapter first used CHAPTER['domain']: part of every entry's tag: id, so it must
    # never change once the feeds are published. No default: each chapter states its own.
    "id_year": None,
    "title": None,  # None: "Kelas <chapter name>"
    # Entries per feed: the classes most recently announced or changed. Readers poll feeds on
    # phones; a thousand full entries weigh 4 MB, and the archive and calendar keep every class.
    "max_entries": 50,
}


@dataclass(frozen=True)
class FeedSettings:
    atom_path: str
    rss_path: str
    id_year: int
    title: str | None
    max_entries: int


def load(settings: Mapping[str, Any]) -> FeedSettings:
    """Merge CLASS_FEEDS over the defaults and check every value."""
    values = merged("class_feeds", "CLASS_FEEDS", DEFAULTS, settings.get("CLASS_FEEDS"))
    year = values["id_year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise SettingsError(
            "class_feeds: CLASS_FEEDS['id_year'] must be the year the chapter first used "
            "CHAPTER['domain'], like 2011; it is part of every feed entry's id"
        )
    limit = values["max_entries"]
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise SettingsError("class_feeds: CLASS_FEEDS['max_entries'] must be a positive integer")
    atom = output_path("class_feeds", "CLASS_FEEDS", "atom_path", values["atom_path"], ".xml")
    rss = output_path("class_feeds", "CLASS_FEEDS", "rss_path", values["rss_path"], ".xml")
    if atom == rss:
        raise SettingsError("class_feeds: CLASS_FEEDS['rss_path'] is the same file as atom_path")
    return FeedSettings(
        atom_path=atom,
        rss_path=rss,
        id_year=year,
        title=optional_text("class_feeds", "CLASS_FEEDS", "title", values["title"]),
        max_entries=limit,
    )
