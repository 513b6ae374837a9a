"""What one build shares between the plugins: the validated settings and the schedule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schedule import Schedule
from ..settings import Settings, load

# Where the validated settings of one Pelican settings dict are kept, so they are read once.
SETTINGS_KEY = "berbagi_settings"
SCHEDULE_KEY = "schedule"  # the templates read it under this name
ARTICLES_KEY = "berbagi_class_articles"
# The class_photos plugin's catalog of resized copies, when that plugin is on: the share glue
# takes a class's first photo as the picture of its shared link.
PHOTOS_KEY = "class_photos_catalog"


def site_settings(pelican_settings: dict[str, Any]) -> Settings:
    """The kit's settings for this Pelican settings dict, validated on first use only."""
    found = pelican_settings.get(SETTINGS_KEY)
    if not isinstance(found, Settings):
        found = pelican_settings[SETTINGS_KEY] = load(pelican_settings)
    return found


def schedule_of(context: Mapping[str, Any]) -> Schedule | None:
    """This build's schedule, once the articles are read (None before that)."""
    found = context.get(SCHEDULE_KEY)
    return found if isinstance(found, Schedule) else None


def class_articles(context: Mapping[str, Any]) -> Mapping[str, Any]:
    """Pelican's article of each class that has a page, by slug (for its rendered body)."""
    found = context.get(ARTICLES_KEY)
    return found if isinstance(found, Mapping) else {}
