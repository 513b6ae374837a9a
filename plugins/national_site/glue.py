"""Pelican glue of the national site: fetch every chapter at the start of the build, then write
the home page, the by-city page, a page per chapter, the Subscribe page, the national calendar
and feeds. Everything it decides lives in berbagi.national and berbagi.render.national."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from babel.dates import format_date, format_datetime, format_timedelta
from pelican import signals
from pelican.generators import Generator

from berbagi import links
from berbagi.glue import share_images, theme
from berbagi.glue.output import write_output
from berbagi.glue.state import site_settings
from berbagi.national import merge
from berbagi.national.collect import ChapterState, collect
from berbagi.national.merge import NationalEvent
from berbagi.national.zones import zone_label
from berbagi.render.national import (
    NationalSite,
    feed_entries,
    national_event_jsonld,
    render_national_atom,
    render_national_calendar,
    render_national_rss,
    time_text,
    when_text,
)
from berbagi.settings import Settings, SettingsError
from berbagi.urls import url_for

logger = logging.getLogger(__name__)

NATIONAL_KEY = "berbagi_national"
CITIES_URL = "kota/"


@dataclass(frozen=True)
class NationalView:
    """What the national templates read."""

    now: datetime
    chapters: list[ChapterState]
    events: list[NationalEvent]  # every class of every chapter
    upcoming: list[NationalEvent]  # not ended, starting within days_ahead
    home: list[NationalEvent]  # the first of those, for the home page
    stale_after: timedelta

    def upcoming_of(self, chapter_id: str) -> list[NationalEvent]:
        return [e for e in self.events if e.chapter_id == chapter_id and not e.has_ended(self.now)]

    def by_date(self, events: list[NationalEvent]) -> list[tuple[Any, list[NationalEvent]]]:
        return merge.by_date(events)

    def by_city(self, events: list[NationalEvent]) -> list[tuple[str, list[NationalEvent]]]:
        return merge.by_city(events)


def _site(settings: Settings) -> NationalSite:
    national = settings.national
    return NationalSite(
        name=settings.calendar.name,
        domain=settings.chapter.domain,
        id_year=settings.feeds.id_year,
        home_url=settings.absolute_url(),
        calendar_url=settings.absolute_url(national.calendar_path),
        atom_url=settings.absolute_url(national.atom_path),
        rss_url=settings.absolute_url(national.rss_path),
        description=settings.calendar.description,
        language=settings.language,
        refresh=settings.calendar.refresh,
    )


def check_settings(pelican_object: Any) -> None:
    """Refuse, at start, a national site with no chapter (the rest is checked with every
    setting, in berbagi.settings)."""
    settings = site_settings(pelican_object.settings)
    if not settings.national.chapters:
        raise SettingsError(
            [
                "national_site: NATIONAL_SITE['chapters'] lists no chapter; add one like "
                "{'id': 'palembang', 'name': ..., 'city': ..., 'timezone': 'Asia/Jakarta', "
                "'site_url': 'https://...'}"
            ]
        )


def _age_text(age: timedelta | None, language: str) -> str:
    if age is None:
        return ""
    return str(format_timedelta(age, threshold=1.5, locale=language))


def install_helpers(generator: Any) -> None:
    """The theme's own helpers, and what the national templates need besides."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    theme.install_helpers(generator)
    share_images.install_helpers(generator)
    settings = site_settings(generator.settings)
    language, national = settings.language, settings.national
    calendar_url = settings.absolute_url(national.calendar_path)
    env.globals.update(
        calendar_feed={
            "name": settings.calendar.name,
            "path": national.calendar_path,
            "url": calendar_url,
            "webcal": links.webcal_url(calendar_url),
            "google": links.google_subscribe_url(calendar_url),
        },
        class_feeds={
            "title": settings.calendar.name,
            "atom": settings.absolute_url(national.atom_path),
            "rss": settings.absolute_url(national.rss_path),
        },
        national_when=lambda event: when_text(event, language),
        national_time=lambda event: time_text(event, language),
        national_day=lambda day: format_date(day, "EEEE, d MMMM y", locale=language),
        national_moment=lambda moment: (
            format_datetime(moment.astimezone(settings.zone), "d MMMM y, HH.mm", locale=language)
            + " "
            + zone_label(moment.astimezone(settings.zone))
        ),
        national_age=lambda age: _age_text(age, language),
        national_jsonld=lambda events: [national_event_jsonld(event) for event in events],
        cities_url=CITIES_URL,
    )


def _age_for_log(age: timedelta | None) -> str:
    seconds = age.total_seconds() if age else 0.0
    if seconds < 3600:
        return f"{int(seconds // 60)} minutes"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{int(seconds // 86400)} days"


def _log(state: ChapterState, now: datetime, stale_after: timedelta) -> None:
    """One warning per file that this build could not use; never an error: the national site
    is built from what it has."""
    name = state.chapter.name
    for copy, kind in ((state.calendar, "calendar"), (state.feed, "feed")):
        if copy is None or not copy.problem:
            continue
        if copy.value is None:
            kept = "no good copy kept yet; the chapter shows no classes"
        else:
            age = copy.age(now)
            kept = f"using the last good copy, {_age_for_log(age)} old"
            if age is not None and age > stale_after:
                kept += "; older than NATIONAL_SITE['stale_hours']: ask the chapter about its site"
        logger.warning("national_site: %s: %s %s %s; %s", name, kind, copy.url, copy.problem, kept)


class NationalGenerator(Generator):  # type: ignore[misc]
    """Fetches every chapter (context), then writes the national pages and files (output)."""

    def generate_context(self) -> None:
        settings = site_settings(self.settings)
        national = settings.national
        now = settings.now()
        states = collect(national, now)
        stale_after = timedelta(hours=national.stale_hours)
        for state in states:
            _log(state, now, stale_after)
        events = merge.merge(state.events for state in states)
        for uid, owners in merge.clashing_uids(events).items():
            logger.warning(
                "national_site: chapters %s publish the same UID %s; kept apart as %s",
                ", ".join(owners),
                uid,
                ", ".join(merge.national_uid(owner, uid) for owner in owners),
            )
        upcoming = merge.upcoming(events, now, national.days_ahead)
        self.context[NATIONAL_KEY] = NationalView(
            now=now,
            chapters=states,
            events=events,
            upcoming=upcoming,
            home=upcoming[: national.home_entries],
            stale_after=stale_after,
        )
        old = [state.chapter.id for state in states if not state.calendar.fresh]
        # A summary worth reading in a build log only when something was not fetched.
        log = logger.warning if old else logger.info
        log(
            "national_site: %d classes from %d chapters; %d fetched now, %d from the last good "
            "copy or none%s; the national site is built",
            len(events),
            len(states),
            len(states) - len(old),
            len(old),
            f" ({', '.join(old)})" if old else "",
        )

    def _page(self, writer: Any, url: str, template: str, page_name: str, **extra: Any) -> None:
        writer.write_file(
            url + "index.html",
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            page_name=page_name,
            national=self.context[NATIONAL_KEY],
            **extra,
        )

    def generate_output(self, writer: Any) -> None:
        settings = site_settings(self.settings)
        national = settings.national
        view: NationalView = self.context[NATIONAL_KEY]
        site = _site(settings)
        in_calendar = merge.calendar_window(view.events, view.now, national.days_past)
        write_output(
            self.output_path, national.calendar_path, render_national_calendar(in_calendar, site)
        )
        entries = feed_entries(view.upcoming, national.max_feed_entries)
        write_output(self.output_path, national.atom_path, render_national_atom(entries, site))
        write_output(self.output_path, national.rss_path, render_national_rss(entries, site))
        self._page(writer, "", "national_index", "index")
        self._page(writer, CITIES_URL, "national_cities", "cities")
        for state in view.chapters:
            self._page(
                writer,
                state.chapter.page_path,
                "national_chapter",
                "chapter",
                state=state,
                chapter_events=view.upcoming_of(state.chapter.id),
            )
        self._page(writer, url_for("subscribe"), "subscribe", "subscribe")
        lines = ["User-agent: *", "Allow: /", f"Sitemap: {settings.absolute_url('sitemap.xml')}"]
        write_output(self.output_path, "robots.txt", ("\n".join(lines) + "\n").encode())


def add_generators(pelican_object: Any) -> list[type[Generator]]:
    """Hand Pelican the national generator, and the share image and icons of the site."""
    return [NationalGenerator, share_images.ShareImagesGenerator]


def register() -> None:
    """Connect the national site (it needs no other plugin; the class schedule stays off)."""
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(install_helpers)
    signals.get_generators.connect(add_generators)
