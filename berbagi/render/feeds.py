"""Atom and RSS feeds of the chapter's classes, built with feedgen from the model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from feedgen.feed import FeedGenerator

from ..links import registration_url
from ..model import Chapter, ClassEvent
from ..settings import Settings
from ..wording import (
    clean_text,
    headline,
    location_line,
    revised_at,
    status_line,
    teacher_line,
    when_line,
    words,
)

# Feeds with no classes yet still need a fixed <updated>; the clock would make builds differ.
NO_CLASSES_YET = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedSite:
    """What the feeds say about the chapter; the classes supply the entries."""

    domain: str
    id_year: int
    home_url: str
    title: str
    subtitle: str
    author: str
    atom_url: str
    rss_url: str
    language: str = "id"
    chapter: Chapter | None = None  # for the "register via Twitter" link; None: plain text

    @classmethod
    def of(cls, settings: Settings) -> FeedSite:
        """The chapter as CHAPTER, DEFAULT_LANG and CLASS_FEEDS describe it."""
        return cls(
            domain=settings.chapter.domain,
            id_year=settings.feeds.id_year,
            home_url=settings.absolute_url(),
            title=settings.feeds.title,
            subtitle=settings.feeds.subtitle,
            author=settings.chapter.name,
            atom_url=settings.absolute_url(settings.feeds.atom_path),
            rss_url=settings.absolute_url(settings.feeds.rss_path),
            language=settings.language,
            chapter=settings.chapter,
        )


def feed_id(domain: str, id_year: int) -> str:
    """The feed's own tag: URI; from the chapter's domain, never SITEURL."""
    return f"tag:{domain},{id_year}:kelas"


def entry_id(event: ClassEvent, domain: str, id_year: int) -> str:
    """A class's permanent tag: URI, from the domain and the slug (not its title or date)."""
    return f"tag:{domain},{id_year}:kelas/{event.slug}"


def _registration_html(event: ClassEvent, site: FeedSite) -> str:
    said = words(site.language)
    if event.registration.url:
        link = escape(event.registration.url)
        return f'<a href="{link}">{link}</a>'
    if event.registration.via_twitter and site.chapter:
        intent = escape(registration_url(event, site.chapter, site.language))
        return f'<a href="{intent}">{escape(said["twitter_link"])}</a>'
    if event.registration.via_twitter:
        return escape(said["via_twitter"])
    return escape(said["no_registration"])


def entry_html(event: ClassEvent, site: FeedSite, body: str = "") -> str:
    """The entry's content: status line first, then date, time, venue and registration."""
    said = words(site.language)
    parts = []
    line = status_line(event, site.language)
    if line:
        label, _, reason = line.partition(": ")
        parts.append(f"<p><strong>{escape(label)}:</strong> {escape(reason)}</p>")
    facts = [
        (said["when"], escape(when_line(event, site.language))),
        (said["where"], escape(location_line(event))),
        (said["teacher"], escape(teacher_line(event))),
        (said["registration"], _registration_html(event, site)),
    ]
    parts.append(
        "<p>" + "<br>\n".join(f"<strong>{escape(k)}:</strong> {v}" for k, v in facts) + "</p>"
    )
    if event.summary:
        parts.append(f"<p>{escape(event.summary)}</p>")
    if event.bring:
        parts.append(f"<p><strong>{escape(said['bring'])}:</strong> {escape(event.bring)}</p>")
    if body:
        parts.append(body)
    parts.append(f'<p><a href="{escape(event.url)}">{escape(said["page"])}</a></p>')
    return clean_text("\n".join(parts))


def latest_entries(events: Iterable[ClassEvent], limit: int) -> list[ClassEvent]:
    """The `limit` classes announced or changed most recently: a cancelled class comes back into
    the window when it changes, so subscribers see it go even if it was announced long ago."""
    by_revision = sorted(events, key=lambda e: (revised_at(e), e.slug), reverse=True)
    return by_revision[:limit]


def _feed(
    events: Iterable[ClassEvent],
    site: FeedSite,
    bodies: Mapping[str, str],
    *,
    self_url: str,
    rss: bool,
) -> FeedGenerator:
    feed = FeedGenerator()
    if rss:
        # RSS <author> must be an e-mail address; teachers have none, dc:creator takes a name.
        feed.load_extension("dc", atom=False, rss=True)
    feed.id(feed_id(site.domain, site.id_year))
    feed.title(clean_text(site.title))
    feed.subtitle(clean_text(site.subtitle))
    feed.author(name=clean_text(site.author))
    # The RSS channel <link> is the last one given, so "self" goes first.
    feed.link(href=self_url, rel="self")
    feed.link(href=site.home_url, rel="alternate")
    feed.language(site.language)
    feed.generator("Berbagi")
    ordered = sorted(events, key=lambda e: (e.announced, e.slug), reverse=True)
    revisions = {e.slug: revised_at(e) for e in ordered}
    newest = max(revisions.values(), default=NO_CLASSES_YET)
    feed.updated(newest)
    feed.lastBuildDate(newest)
    for event in ordered:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(event, site.domain, site.id_year))
        entry.title(clean_text(headline(event, site.language)))
        entry.link(href=event.url, rel="alternate")
        entry.published(event.announced)
        entry.updated(revisions[event.slug])
        for teacher in event.teachers:
            entry.author(name=clean_text(teacher.name))
            if rss:
                entry.dc.dc_creator(clean_text(teacher.name))
        for tag in event.tags:
            entry.category(term=clean_text(tag))
        entry.content(entry_html(event, site, bodies.get(event.slug, "")), type="html")
    return feed


def render_atom(
    events: Iterable[ClassEvent], site: FeedSite, bodies: Mapping[str, str] | None = None
) -> bytes:
    """Atom feed: one entry per class, newest announcement first; `bodies` by slug, as HTML."""
    feed = _feed(events, site, bodies or {}, self_url=site.atom_url, rss=False)
    return bytes(feed.atom_str(pretty=True))


def render_rss(
    events: Iterable[ClassEvent], site: FeedSite, bodies: Mapping[str, str] | None = None
) -> bytes:
    """RSS 2.0 feed with the same entries, ids and order as the Atom feed."""
    feed = _feed(events, site, bodies or {}, self_url=site.rss_url, rss=True)
    return bytes(feed.rss_str(pretty=True))
