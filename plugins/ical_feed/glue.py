"""Pelican glue: writes calendar.ics, each class's .ics and the Subscribe page; gives templates
the calendar links."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import icalendar
from pelican import signals
from pelican.generators import Generator

import berbagi.render.ical
import berbagi.wording
from berbagi import links
from berbagi.glue import classes, side_work
from berbagi.glue.output import (
    Fingerprints,
    TextCache,
    previous_output_of,
    source_version,
    write_output,
)
from berbagi.glue.state import schedule_of, site_settings
from berbagi.model import ClassEvent
from berbagi.render.ical import (
    CalendarSite,
    event_bytes,
    render_calendar,
    render_class_calendar,
)
from berbagi.urls import class_calendar_path, url_for

logger = logging.getLogger(__name__)

FINGERPRINTS_FILE = "ical_feed-fingerprints.json"
EVENTS_FILE = "ical_feed-events.json"


def _renderer_version() -> str:
    """Changes when the code or library that writes .ics files changes, so old files are redone."""
    return source_version(
        Path(berbagi.render.ical.__file__),
        Path(berbagi.wording.__file__),
        extra=icalendar.__version__,
    )


class CalendarGenerator(Generator):  # type: ignore[misc]
    """Writes the subscription calendar, one .ics per class, and the Subscribe page."""

    def generate_output(self, writer: Any) -> None:
        if not side_work.runs_elsewhere(self):
            self.write_files()
        url = url_for("subscribe")
        writer.write_file(
            url + "index.html",
            self.get_template("subscribe"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            page_name="subscribe",
        )

    def write_files(self) -> None:
        """calendar.ics and each class's .ics (only those whose inputs changed)."""
        settings = site_settings(self.settings)
        schedule = schedule_of(self.context)
        site = CalendarSite.of(settings)
        published = schedule.all if schedule else ()
        version = _renderer_version()
        written = Fingerprints(
            Path(self.settings["CACHE_PATH"]) / FINGERPRINTS_FILE,
            version,
            self.output_path,
            previous_output_of(self.settings),
        )
        # The subscription calendar is made from its classes and the site alone: when neither
        # changed (a preview step that edited a description), the file is kept as it is.
        calendar_inputs = ("calendar", site, *published)
        if not written.unchanged(settings.calendar.path, calendar_inputs):
            # A VEVENT's text is most of its cost; unchanged events come from earlier builds.
            events = TextCache(Path(self.settings["CACHE_PATH"]) / EVENTS_FILE, version)

            def event_text(event: ClassEvent, site: CalendarSite) -> bytes:
                text = events.get((event, site), lambda: event_bytes(event, site).decode("utf-8"))
                return text.encode("utf-8")

            calendar = render_calendar(published, site, event_text)
            events.save()
            write_output(self.output_path, settings.calendar.path, calendar)
            written.record(settings.calendar.path, calendar_inputs)
        # Hidden classes have an add-to-calendar file too; only published ones are subscribed.
        for event in schedule.with_pages if schedule else ():
            path = class_calendar_path(event.page_path, event.slug)
            inputs = (event, site)
            if written.unchanged(path, inputs):
                continue
            write_output(self.output_path, path, render_class_calendar(event, site))
            written.record(path, inputs)
        written.save()
        logger.info("ical_feed: %s with %d classes", settings.calendar.path, len(published))


def add_calendar_generator(pelican_object: Any) -> type[Generator]:
    """Hand Pelican the generator that writes the calendar files and the Subscribe page."""
    return CalendarGenerator


def setup_templates(generator: Any) -> None:
    """Give templates the subscription links and each class's add-to-calendar links."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    settings = site_settings(generator.settings)
    calendar_url = settings.absolute_url(settings.calendar.path)
    language = settings.language

    def class_calendar_links(event: ClassEvent) -> dict[str, str]:
        return {
            "ics": class_calendar_path(event.page_path, event.slug),
            "google": links.google_calendar_url(event, language),
            "outlook": links.outlook_calendar_url(event, language),
        }

    env.globals.update(
        calendar_feed={
            "name": settings.calendar.name,
            "path": settings.calendar.path,
            "url": calendar_url,
            "webcal": links.webcal_url(calendar_url),
            "google": links.google_subscribe_url(calendar_url),
        },
        class_calendar_links=class_calendar_links,
    )


def register() -> None:
    classes.register()
    signals.generator_init.connect(setup_templates)
    signals.get_generators.connect(add_calendar_generator)
