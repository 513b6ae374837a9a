"""Pelican glue: writes the Atom and RSS feeds of classes and gives templates their URLs."""

from __future__ import annotations

import logging

from class_schedule import settings as schedule_settings
from ical_feed.details import words
from ical_feed.glue import modified_dates, write_output
from ical_feed.settings import chapter_identity
from pelican import signals
from pelican.generators import Generator

from . import settings
from .render import FeedSite, latest_entries, render_atom, render_rss

logger = logging.getLogger(__name__)


def feed_site(pelican_settings: dict) -> tuple[FeedSite, settings.FeedSettings]:
    """The renderer's view of the chapter, from CHAPTER, DEFAULT_LANG and CLASS_FEEDS."""
    own = settings.load(pelican_settings)
    shared = schedule_settings.load(pelican_settings)
    domain, site_url = chapter_identity("class_feeds", pelican_settings)
    said = words(shared.language)
    name = shared.chapter["name"]
    site = FeedSite(
        domain=domain,
        id_year=own.id_year,
        site_url=site_url,
        article_url=pelican_settings["ARTICLE_URL"],
        title=own.title or said["feed_title"].format(name=name),
        subtitle=said["feed_subtitle"].format(name=name),
        author=name,
        atom_url=f"{site_url}/{own.atom_path}",
        rss_url=f"{site_url}/{own.rss_path}",
        language=shared.language,
        chapter=dict(shared.chapter),
    )
    return site, own


class ClassFeedsGenerator(Generator):
    """Writes feeds/classes.atom.xml and feeds/classes.rss.xml."""

    def generate_output(self, writer) -> None:
        site, own = feed_site(self.settings)
        schedule = self.context.get("schedule")
        articles = [a for a in self.context.get("articles", ()) if hasattr(a, "event")]
        modified = modified_dates(articles)
        events = latest_entries(schedule.all if schedule else (), modified, own.max_entries)
        in_feed = {event.slug for event in events}
        # Bodies with links made absolute against the production URL, as a feed reader needs.
        bodies = {
            a.event.slug: a.get_content(site.site_url) for a in articles if a.event.slug in in_feed
        }
        for path, data in (
            (own.atom_path, render_atom(events, site, modified, bodies)),
            (own.rss_path, render_rss(events, site, modified, bodies)),
        ):
            write_output(self.output_path, path, data)
        logger.info(
            "class_feeds: %s and %s with %d classes", own.atom_path, own.rss_path, len(events)
        )


def add_feeds_generator(pelican_object):
    """Hand Pelican the generator that writes the feeds."""
    return ClassFeedsGenerator


def check_settings(pelican_object) -> None:
    """Fail at start-up, naming the key, rather than after every page was written."""
    feed_site(pelican_object.settings)


def setup_templates(generator) -> None:
    """Give templates the feed URLs for autodiscovery and the Subscribe page."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    site, _ = feed_site(generator.settings)
    env.globals["class_feeds"] = {"title": site.title, "atom": site.atom_url, "rss": site.rss_url}


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(setup_templates)
    signals.get_generators.connect(add_feeds_generator)
