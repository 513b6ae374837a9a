"""Pelican glue: writes the Atom and RSS feeds of classes and gives templates their URLs."""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals
from pelican.generators import Generator

from berbagi.glue import classes
from berbagi.glue.output import write_output
from berbagi.glue.state import class_articles, schedule_of, site_settings
from berbagi.render.feeds import FeedSite, latest_entries, render_atom, render_rss

logger = logging.getLogger(__name__)


class ClassFeedsGenerator(Generator):  # type: ignore[misc]
    """Writes feeds/classes.atom.xml and feeds/classes.rss.xml."""

    def generate_output(self, writer: Any) -> None:
        settings = site_settings(self.settings)
        schedule = schedule_of(self.context)
        site = FeedSite.of(settings)
        events = latest_entries(schedule.all if schedule else (), settings.feeds.max_entries)
        articles = class_articles(self.context)
        # Bodies with links made absolute, as a feed reader needs them.
        bodies = {
            event.slug: articles[event.slug].get_content(settings.absolute_base)
            for event in events
            if event.slug in articles
        }
        for path, data in (
            (settings.feeds.atom_path, render_atom(events, site, bodies)),
            (settings.feeds.rss_path, render_rss(events, site, bodies)),
        ):
            write_output(self.output_path, path, data)
        logger.info(
            "class_feeds: %s and %s with %d classes",
            settings.feeds.atom_path,
            settings.feeds.rss_path,
            len(events),
        )


def add_feeds_generator(pelican_object: Any) -> type[Generator]:
    """Hand Pelican the generator that writes the feeds."""
    return ClassFeedsGenerator


def setup_templates(generator: Any) -> None:
    """Give templates the feed URLs for autodiscovery and the Subscribe page."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    site = FeedSite.of(site_settings(generator.settings))
    env.globals["class_feeds"] = {"title": site.title, "atom": site.atom_url, "rss": site.rss_url}


def register() -> None:
    classes.register()
    signals.generator_init.connect(setup_templates)
    signals.get_generators.connect(add_feeds_generator)
