"""Pelican glue: writes calendar.ics, each class's .ics and the Subscribe page; gives templates
the calendar links."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path

import icalendar
from class_schedule import settings as schedule_settings
from class_schedule.model import ClassEvent
from class_schedule.pages import url_for
from pelican import signals
from pelican.generators import Generator

from . import settings
from .details import words
from .links import google_calendar_url, google_subscribe_url, outlook_calendar_url, webcal_url
from .render import CalendarSite, class_calendar_path, render_calendar, render_class_calendar

logger = logging.getLogger(__name__)


def calendar_site(pelican_settings: dict) -> tuple[CalendarSite, settings.CalendarSettings]:
    """The renderer's view of the chapter, from CHAPTER, TIMEZONE, DEFAULT_LANG and ICAL_FEED."""
    own = settings.load(pelican_settings)
    shared = schedule_settings.load(pelican_settings)
    domain, site_url = settings.chapter_identity("ical_feed", pelican_settings)
    said = words(shared.language)
    name = shared.chapter["name"]
    site = CalendarSite(
        domain=domain,
        site_url=site_url,
        article_url=pelican_settings["ARTICLE_URL"],
        zone=shared.zone,
        language=shared.language,
        name=own.name or said["calendar_name"].format(name=name),
        description=own.description or said["calendar_description"].format(name=name),
        refresh=own.refresh,
    )
    return site, own


def modified_dates(articles: Iterable) -> dict[str, datetime]:
    """Each class's `Modified:` date, for the files that have one (Pelican made it tz-aware)."""
    return {
        article.event.slug: article.modified
        for article in articles
        if getattr(article, "event", None) is not None and "modified" in article.metadata
    }


def _class_articles(context: dict) -> list:
    # Hidden class pages have an add-to-calendar link too; only published ones are in the feed.
    return [
        article
        for article in (*context.get("articles", ()), *context.get("hidden_articles", ()))
        if getattr(article, "event", None) is not None
    ]


def write_output(output_path: str, relative_path: str, data: bytes) -> None:
    """Write a generated file into the output folder, making its folders."""
    target = Path(output_path, relative_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


FINGERPRINTS_FILE = "ical_feed-fingerprints.json"


@cache
def _renderer_version() -> str:
    """Changes when the code or library that writes .ics files changes, so old files are redone."""
    here = Path(__file__).parent
    sources = b"".join((here / name).read_bytes() for name in ("render.py", "details.py"))
    return hashlib.sha256(sources + icalendar.__version__.encode()).hexdigest()


class _Fingerprints:
    """Remembers what each class's .ics was made from, so a rebuild rewrites only changed ones.

    A thousand per-class files take most of a warm rebuild otherwise; the fingerprint is a hash of
    the renderer's inputs (the immutable model, the calendar settings) and its own code.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.previous = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.previous = {}
        self.current: dict[str, str] = {}

    @staticmethod
    def _digest(inputs: tuple) -> str:
        return hashlib.sha256(repr((_renderer_version(), inputs)).encode()).hexdigest()

    def unchanged(self, path: str, inputs: tuple) -> bool:
        digest = self._digest(inputs)
        if self.previous.get(path) == digest:
            self.current[path] = digest
            return True
        return False

    def record(self, path: str, inputs: tuple) -> None:
        self.current[path] = self._digest(inputs)

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.current, sort_keys=True), encoding="utf-8")
        except OSError as error:  # only a missed speed-up, never a wrong file
            logger.warning("ical_feed: could not save %s: %s", self.path, error)


class CalendarGenerator(Generator):
    """Writes the subscription calendar, one .ics per class, and the Subscribe page."""

    def generate_output(self, writer) -> None:
        site, own = calendar_site(self.settings)
        schedule = self.context.get("schedule")
        published: tuple[ClassEvent, ...] = schedule.all if schedule else ()
        articles = _class_articles(self.context)
        modified = modified_dates(articles)
        write_output(self.output_path, own.path, render_calendar(published, site, modified))
        written = _Fingerprints(Path(self.settings["CACHE_PATH"]) / FINGERPRINTS_FILE)
        for article in articles:
            event = article.event
            path = class_calendar_path(site.article_url, event.slug)
            inputs = (event, site, modified.get(event.slug))
            if written.unchanged(path, inputs) and Path(self.output_path, path).exists():
                continue
            write_output(self.output_path, path, render_class_calendar(*inputs))
            written.record(path, inputs)
        written.save()
        logger.info("ical_feed: %s with %d classes", own.path, len(published))
        url = url_for("subscribe")
        writer.write_file(
            url + "index.html",
            self.get_template("subscribe"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            page_name="subscribe",
        )


def add_calendar_generator(pelican_object):
    """Hand Pelican the generator that writes the calendar files and the Subscribe page."""
    return CalendarGenerator


def check_settings(pelican_object) -> None:
    """Fail at start-up, naming the key, rather than after every page was written."""
    calendar_site(pelican_object.settings)


def setup_templates(generator) -> None:
    """Give templates the subscription links and each class's add-to-calendar links."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    site, own = calendar_site(generator.settings)
    calendar_url = f"{site.site_url}/{own.path}"

    def class_calendar_links(event: ClassEvent) -> dict[str, str]:
        page = site.page_url(event)
        return {
            "ics": class_calendar_path(site.article_url, event.slug),
            "google": google_calendar_url(event, page, site.language),
            "outlook": outlook_calendar_url(event, page, site.language),
        }

    env.globals.update(
        calendar_feed={
            "name": site.name,
            "path": own.path,
            "url": calendar_url,
            "webcal": webcal_url(calendar_url),
            "google": google_subscribe_url(calendar_url),
        },
        class_calendar_links=class_calendar_links,
    )


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(setup_templates)
    signals.get_generators.connect(add_calendar_generator)
