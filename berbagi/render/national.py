"""The national site's calendar (icalendar), feeds (feedgen) and JSON-LD, from merged events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from feedgen.feed import FeedGenerator
from icalendar import STATUS, Calendar, Event, Timezone, vDuration, vText

from ..national.merge import EPOCH, UNIVERSAL, EventStatus, NationalEvent
from ..national.zones import zone_key
from ..wording import clean_text

PRODID = "-//Berbagi//Kalender Nasional//ID"
ICAL_STATUS = {
    EventStatus.CONFIRMED: STATUS.CONFIRMED,
    EventStatus.TENTATIVE: STATUS.TENTATIVE,
    EventStatus.CANCELLED: STATUS.CANCELLED,
}
EVENT_STATUS = {
    EventStatus.CONFIRMED: "https://schema.org/EventScheduled",
    EventStatus.TENTATIVE: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}
STATUS_WORDS = {
    "id": {EventStatus.CANCELLED: "DIBATALKAN", EventStatus.TENTATIVE: "DITUNDA"},
    "en": {EventStatus.CANCELLED: "CANCELLED", EventStatus.TENTATIVE: "POSTPONED"},
}


@dataclass(frozen=True)
class NationalSite:
    """What the national outputs say about themselves; the chapters supply the events."""

    name: str
    domain: str  # permanent identity of the feed ids, like CHAPTER['domain']
    id_year: int
    home_url: str
    calendar_url: str
    atom_url: str
    rss_url: str
    description: str = ""
    language: str = "id"
    refresh: timedelta = timedelta(hours=12)


def when_text(event: NationalEvent, language: str) -> str:
    """ "Sabtu, 5 Desember 2026, 14.00–16.00 WITA", in the class's own zone."""
    day = format_date(event.start, "EEEE, d MMMM y", locale=language)
    if event.all_day:
        return day
    start = format_time(event.start, "short", locale=language)
    if event.end.date() != event.start.date():
        end_day = format_date(event.end, "EEEE, d MMMM y", locale=language)
        end = format_time(event.end, "short", locale=language)
        return f"{day}, {start} {event.zone_label} – {end_day}, {end} {event.zone_label}"
    if event.end == event.start:
        return f"{day}, {start} {event.zone_label}"
    end = format_time(event.end, "short", locale=language)
    return f"{day}, {start}–{end} {event.zone_label}"


def time_text(event: NationalEvent, language: str) -> str:
    """ "14.00–16.00 WITA" (or the full range when it runs past midnight)."""
    if event.all_day:
        return ""
    start = format_time(event.start, "short", locale=language)
    if event.end.date() != event.start.date() or event.end == event.start:
        return f"{start} {event.zone_label}"
    return f"{start}–{format_time(event.end, 'short', locale=language)} {event.zone_label}"


# A national calendar carries an overview; the class's full text is on the chapter's calendar
# and page. Folding long lines is most of icalendar's cost at forty thousand events.
MAX_DESCRIPTION = 600


def _description(event: NationalEvent) -> str | None:
    text = clean_text(event.description)
    if len(text) > MAX_DESCRIPTION:
        text = text[:MAX_DESCRIPTION].rsplit("\n", 1)[0].rstrip() + "\n…\n" + event.url
    return text or None


@lru_cache(maxsize=65_536)
def event_bytes(event: NationalEvent) -> bytes:
    """The VEVENT of one class, as the national calendar writes it (cached on the event)."""
    start: Any = event.start.date() if event.all_day else event.start
    end: Any = event.end.date() if event.all_day else event.end
    vevent = Event.new(
        uid=event.uid,
        summary=clean_text(event.summary),
        start=start,
        end=end,
        stamp=event.stamp,
        last_modified=event.stamp,
        created=event.created,
        sequence=event.sequence,
        status=ICAL_STATUS[event.status],
        location=clean_text(event.location) or None,
        description=_description(event),
        url=event.url,
        categories=tuple(event.categories),
    )
    return bytes(vevent.to_ical())


@lru_cache(maxsize=32)
def _timezone_bytes(zone: tzinfo) -> bytes:
    return bytes(Timezone.from_tzinfo(zone).to_ical())


END_CALENDAR = b"END:VCALENDAR\r\n"


def _zones(events: Iterable[NationalEvent]) -> list[tzinfo]:
    """Every named zone the events' times are written in (UTC needs no VTIMEZONE)."""
    found: dict[str, tzinfo] = {}
    for event in events:
        if event.all_day:
            continue
        for moment in (event.start, event.end):
            key = zone_key(moment.tzinfo)
            if key and key not in UNIVERSAL and moment.tzinfo is not None:
                found.setdefault(key, moment.tzinfo)
    return [found[key] for key in sorted(found)]


def render_national_calendar(
    events: Iterable[NationalEvent],
    site: NationalSite,
    event_text: Callable[[NationalEvent], bytes] = event_bytes,
) -> bytes:
    """Every chapter's classes in one calendar; each keeps its own zone (a VTIMEZONE each).

    The calendar's own lines come from icalendar; each zone's VTIMEZONE and each VEVENT are
    icalendar's text for that component, spliced in before END:VCALENDAR as icalendar itself
    would write them (`event_text` may answer from a cache of earlier builds).
    """
    ordered = sorted(events, key=lambda e: (e.start.astimezone(UTC), e.uid))
    uid = f"kalender-nasional@{site.domain}"
    calendar = Calendar.new(prodid=PRODID, calscale="GREGORIAN", method="PUBLISH", uid=uid)
    name = " ".join(clean_text(site.name).split())
    description = " ".join(clean_text(site.description).split())
    calendar.calendar_name = name
    calendar["X-WR-CALNAME"] = vText(name)
    if description:
        calendar.description = description
        calendar["X-WR-CALDESC"] = vText(description)
    calendar.add("REFRESH-INTERVAL", vDuration(site.refresh), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(site.refresh))
    if ordered:
        calendar.last_modified = max(event.stamp for event in ordered)
    head = bytes(calendar.to_ical())
    assert head.endswith(END_CALENDAR)
    zones = [_timezone_bytes(zone) for zone in _zones(ordered)]
    if not ordered and not zones:
        # RFC 5545 wants at least one component: the site's own zone stands in.
        zones = [_timezone_bytes(ZoneInfo("Asia/Jakarta"))]
    parts = [head[: -len(END_CALENDAR)], *zones, *(event_text(e) for e in ordered), END_CALENDAR]
    return b"".join(parts)


def entry_id(event: NationalEvent, site: NationalSite) -> str:
    """The entry's permanent tag: URI, from the national domain and the event's national UID."""
    return f"tag:{site.domain},{site.id_year}:kelas/{quote(event.uid, safe='@:-._~!$&()*+,;=/')}"


def entry_html(event: NationalEvent, language: str) -> str:
    """The entry's content: status, when (in the class's zone), where, who, summary, link."""
    words = {"id": ("Waktu", "Tempat", "Chapter", "Halaman kelas")}.get(
        language, ("When", "Where", "Chapter", "Class page")
    )
    parts = []
    status = STATUS_WORDS.get(language, STATUS_WORDS["id"]).get(event.status)
    if status:
        parts.append(f"<p><strong>{escape(status)}</strong></p>")
    facts = [
        (words[0], when_text(event, language)),
        (words[1], event.location),
        (words[2], f"{event.chapter_name} ({event.city})"),
    ]
    parts.append(
        "<p>"
        + "<br>\n".join(f"<strong>{escape(k)}:</strong> {escape(v)}" for k, v in facts if v)
        + "</p>"
    )
    if event.teaser:
        parts.append(f"<p>{escape(event.teaser)}</p>")
    parts.append(f'<p><a href="{escape(event.url)}">{escape(words[3])}</a></p>')
    return clean_text("\n".join(parts))


def _announced(event: NationalEvent) -> datetime:
    return event.announced or event.created or event.stamp or EPOCH


def feed_entries(events: Iterable[NationalEvent], limit: int) -> list[NationalEvent]:
    """The `limit` classes announced or changed most recently, newest first."""
    return sorted(events, key=lambda e: (max(_announced(e), e.stamp), e.uid), reverse=True)[:limit]


def _feed(events: Sequence[NationalEvent], site: NationalSite, *, rss: bool) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(f"tag:{site.domain},{site.id_year}:kelas-nasional")
    feed.title(clean_text(site.name))
    feed.subtitle(clean_text(site.description or site.name))
    feed.author(name=clean_text(site.name))
    feed.link(href=site.rss_url if rss else site.atom_url, rel="self")
    feed.link(href=site.home_url, rel="alternate")
    feed.language(site.language)
    feed.generator("Berbagi")
    newest = max((max(_announced(e), e.stamp) for e in events), default=EPOCH)
    feed.updated(newest)
    feed.lastBuildDate(newest)
    for event in events:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(event, site))
        status = STATUS_WORDS.get(site.language, STATUS_WORDS["id"]).get(event.status)
        title = f"{event.city}: {event.title}"
        entry.title(clean_text(f"{status}: {title}" if status else title))
        entry.link(href=event.url, rel="alternate")
        entry.published(_announced(event))
        entry.updated(max(_announced(event), event.stamp))
        entry.author(name=clean_text(event.chapter_name))
        for category in event.categories:
            entry.category(term=clean_text(category))
        entry.content(entry_html(event, site.language), type="html")
    return feed


def render_national_atom(events: Sequence[NationalEvent], site: NationalSite) -> bytes:
    """Atom feed of the given entries (see feed_entries), in that order."""
    return bytes(_feed(events, site, rss=False).atom_str(pretty=True))


def render_national_rss(events: Sequence[NationalEvent], site: NationalSite) -> bytes:
    """RSS 2.0 with the same entries and ids as the Atom feed."""
    return bytes(_feed(events, site, rss=True).rss_str(pretty=True))


def national_event_jsonld(event: NationalEvent) -> dict[str, Any]:
    """schema.org Event for one class, ready for Jinja's `tojson` (which escapes <, >, &, ')."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": event.start.date().isoformat() if event.all_day else event.start.isoformat(),
        "endDate": event.end.date().isoformat() if event.all_day else event.end.isoformat(),
        "eventStatus": EVENT_STATUS[event.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": event.location or event.city,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.location or event.city,
                "addressLocality": event.city,
                "addressCountry": "ID",
            },
        },
        "organizer": {"@type": "Organization", "name": event.chapter_name},
        "isAccessibleForFree": True,
        "url": event.url,
    }
    if event.teaser:
        data["description"] = event.teaser
    return data
