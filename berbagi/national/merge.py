"""Chapter calendars and feeds into one national list: read with icalendar and feedparser,
one version per UID (the highest SEQUENCE), UIDs made unique per chapter, never merged.

Pure: bytes in, frozen records out; no Pelican, no I/O.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import feedparser  # type: ignore[import-untyped]
import nh3
from icalendar import Calendar

from ..model import is_web_url
from .config import ChapterSource
from .fetch import Garbage
from .zones import zone_key, zone_label

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# A time in UTC (…Z) says nothing about where the class is: it is shown in the chapter's zone.
UNIVERSAL = frozenset({"", "UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"})
# What the kit's own calendars put in front of a title (berbagi.wording), in either language:
# the national pages show a badge instead, so the word is not said twice.
STATUS_PREFIXES = ("DIBATALKAN: ", "DITUNDA: ", "CANCELLED: ", "POSTPONED: ")


class EventStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class NationalEvent:
    """One class of one chapter, as its calendar says, with the chapter it belongs to."""

    chapter_id: str
    chapter_name: str
    city: str
    uid: str  # unique in the national calendar: the chapter's UID and the chapter's id
    chapter_uid: str  # the UID as the chapter published it
    title: str  # without the kit's status word in front
    summary: str  # SUMMARY as published (the status word kept, for calendars)
    start: datetime  # aware, in the class's own zone
    end: datetime
    all_day: bool
    status: EventStatus
    sequence: int
    url: str  # the class's page on the chapter's site (or the chapter's home page)
    location: str = ""
    description: str = ""
    stamp: datetime = EPOCH  # LAST-MODIFIED (or DTSTAMP), UTC
    created: datetime | None = None
    categories: tuple[str, ...] = ()
    announced: datetime | None = None  # the chapter feed's <published>, when it has the class
    teaser: str = ""  # the chapter feed's summary as plain text

    @property
    def zone_label(self) -> str:
        """WIB, WITA, WIT (or the zone's own abbreviation elsewhere)."""
        return zone_label(self.start)

    @property
    def zone_name(self) -> str:
        return zone_key(self.start.tzinfo)

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @property
    def is_tentative(self) -> bool:
        return self.status is EventStatus.TENTATIVE

    @property
    def local_date(self) -> date:
        """The class's date where it takes place."""
        return self.start.date()

    def has_ended(self, now: datetime) -> bool:
        return max(self.end, self.start) <= now


@dataclass(frozen=True)
class FeedEntry:
    """What a chapter's feed adds to a class: when it was announced, and its summary."""

    link: str
    title: str
    published: datetime | None
    updated: datetime | None
    summary: str  # plain text


def national_uid(chapter_id: str, chapter_uid: str) -> str:
    """Always the chapter's id and its UID: two chapters with one UID stay two events, and an
    event keeps its national UID whether or not another chapter ever clashes with it."""
    return f"{chapter_id}/{chapter_uid}"


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return " ".join(str(value).split()) if name != "DESCRIPTION" else str(value).strip()


def _utc(value: Any) -> datetime | None:
    moment = getattr(value, "dt", None)
    if not isinstance(moment, datetime):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _in_zone(moment: datetime | date, zone: tzinfo) -> tuple[datetime, bool]:
    """An aware datetime in the class's own zone, and whether it was a whole day."""
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time(0), tzinfo=zone), True
    if moment.tzinfo is None:  # floating time: the chapter's local time
        return moment.replace(tzinfo=zone), False
    if zone_key(moment.tzinfo) not in UNIVERSAL:  # a named zone (TZID=Asia/Makassar): its own
        return moment, False
    return moment.astimezone(zone), False  # UTC or a fixed offset: shown in the chapter's zone


def _categories(component: Any) -> tuple[str, ...]:
    found: list[str] = []
    values = component.get("CATEGORIES")
    for value in values if isinstance(values, list) else [values] if values else []:
        for category in getattr(value, "cats", [value]):
            text = " ".join(str(category).split())
            if text and text not in found:
                found.append(text)
    return tuple(found)


def _status(component: Any) -> EventStatus:
    text = _text(component, "STATUS").upper()
    return EventStatus(text) if text in EventStatus.__members__ else EventStatus.CONFIRMED


def _sequence(component: Any) -> int:
    try:
        return max(int(str(component.get("SEQUENCE", 0))), 0)
    except ValueError:
        return 0


def _title(summary: str, status: EventStatus) -> str:
    if status is not EventStatus.CONFIRMED:
        for prefix in STATUS_PREFIXES:
            if summary.upper().startswith(prefix):
                return summary[len(prefix) :].strip()
    return summary


def _event(component: Any, chapter: ChapterSource) -> NationalEvent | None:
    uid = _text(component, "UID")
    start_value = component.get("DTSTART")
    if not uid or start_value is None or component.get("RECURRENCE-ID") is not None:
        # No identity or no time: nothing to show. RECURRENCE-ID: an override of one
        # occurrence of a repeating event, which the national site does not expand.
        return None
    start, all_day = _in_zone(start_value.dt, chapter.zone)
    end_value = component.get("DTEND")
    if end_value is not None:
        end, _ = _in_zone(end_value.dt, start.tzinfo or chapter.zone)
    elif component.get("DURATION") is not None:
        end = start + component["DURATION"].dt
    else:
        end = start + timedelta(days=1) if all_day else start
    if end < start:
        end = start
    status = _status(component)
    summary = _text(component, "SUMMARY") or uid
    url = _text(component, "URL")
    return NationalEvent(
        chapter_id=chapter.id,
        chapter_name=chapter.name,
        city=chapter.city,
        uid=national_uid(chapter.id, uid),
        chapter_uid=uid,
        title=_title(summary, status),
        summary=summary,
        start=start,
        end=end,
        all_day=all_day,
        status=status,
        sequence=_sequence(component),
        # Only a web address becomes a link: a javascript: URL in a calendar must not.
        url=url if is_web_url(url) else chapter.site_url + "/",
        location=_text(component, "LOCATION"),
        description=_text(component, "DESCRIPTION"),
        stamp=_utc(component.get("LAST-MODIFIED")) or _utc(component.get("DTSTAMP")) or EPOCH,
        created=_utc(component.get("CREATED")),
        categories=_categories(component),
    )


def _newer(one: NationalEvent, other: NationalEvent) -> NationalEvent:
    """RFC 5545: the higher SEQUENCE is the later revision; at equal ones the later stamp."""
    return max(one, other, key=lambda event: (event.sequence, event.stamp))


def read_calendar(body: bytes, chapter: ChapterSource) -> tuple[NationalEvent, ...]:
    """Every event of a chapter's calendar, one version per UID; Garbage for a non-calendar."""
    try:
        calendar = Calendar.from_ical(body)
    except (ValueError, TypeError, KeyError, IndexError) as error:
        head = body[:200].lstrip().lower()
        if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
            raise Garbage("is not a calendar (it looks like a web page)") from None
        raise Garbage(f"is not a readable calendar ({str(error)[:120]})") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise Garbage("is not a calendar (no VCALENDAR)")
    by_uid: dict[str, NationalEvent] = {}
    for component in calendar.walk("VEVENT"):
        try:
            event = _event(component, chapter)
        except (ValueError, TypeError, AttributeError, KeyError):
            event = None  # one unreadable event does not cost the chapter its calendar
        if event is None:
            continue
        found = by_uid.get(event.uid)
        by_uid[event.uid] = event if found is None else _newer(found, event)
    return tuple(sorted(by_uid.values(), key=_order))


def _order(event: NationalEvent) -> tuple[datetime, str, str]:
    return (event.start.astimezone(UTC), event.city, event.uid)


def keep_higher_sequences(
    fresh: Iterable[NationalEvent], previous: Iterable[NationalEvent]
) -> tuple[NationalEvent, ...]:
    """The fresh copy's events, except where the previous copy has a later revision of the same
    UID (a cache or mirror serving an older file): SEQUENCE only goes up."""
    earlier = {event.uid: event for event in previous}
    kept = [_newer(event, earlier[event.uid]) if event.uid in earlier else event for event in fresh]
    return tuple(sorted(kept, key=_order))


def _moment(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def read_feed(body: bytes) -> dict[str, FeedEntry]:
    """A chapter's Atom (or RSS) feed, by each entry's link; Garbage for anything else."""
    parsed = feedparser.parse(body)
    if not parsed.get("version"):
        raise Garbage("is not an Atom or RSS feed")
    entries: dict[str, FeedEntry] = {}
    for entry in parsed.entries:
        link = str(entry.get("link") or "")
        if not is_web_url(link):
            continue
        # Text only: tags (and a script's content) removed, entities turned back into text.
        summary = html.unescape(nh3.clean(str(entry.get("summary") or ""), tags=set()))
        entries[link] = FeedEntry(
            link=link,
            title=" ".join(str(entry.get("title") or "").split()),
            published=_moment(entry.get("published_parsed")),
            updated=_moment(entry.get("updated_parsed")),
            summary=" ".join(summary.split())[:300],
        )
    return entries


def with_feed(
    events: Iterable[NationalEvent], entries: Mapping[str, FeedEntry]
) -> tuple[NationalEvent, ...]:
    """Each event with its feed entry's announcement date and summary, matched by link."""
    found = []
    for event in events:
        entry = entries.get(event.url)
        if entry is not None:
            event = replace(event, announced=entry.published, teaser=entry.summary)
        found.append(event)
    return tuple(found)


def merge(chapters: Iterable[Iterable[NationalEvent]]) -> list[NationalEvent]:
    """Every chapter's events in one list, by start (UTC), then city."""
    merged = [event for events in chapters for event in events]
    merged.sort(key=_order)
    return merged


def clashing_uids(events: Iterable[NationalEvent]) -> dict[str, list[str]]:
    """Chapter UIDs that more than one chapter publishes, with those chapters' ids."""
    owners: dict[str, set[str]] = defaultdict(set)
    for event in events:
        owners[event.chapter_uid].add(event.chapter_id)
    return {uid: sorted(ids) for uid, ids in sorted(owners.items()) if len(ids) > 1}


def upcoming(events: Iterable[NationalEvent], now: datetime, days: int) -> list[NationalEvent]:
    """Classes that have not ended and start within `days` (cancelled ones included)."""
    until = now + timedelta(days=days)
    return [event for event in events if not event.has_ended(now) and event.start <= until]


def calendar_window(
    events: Iterable[NationalEvent], now: datetime, days_past: int
) -> list[NationalEvent]:
    """What the national calendar carries: classes from `days_past` days ago on."""
    since = now - timedelta(days=days_past)
    return [event for event in events if event.start >= since]


def by_date(events: Iterable[NationalEvent]) -> list[tuple[date, list[NationalEvent]]]:
    """Grouped by each class's own local date, in order."""
    groups: dict[date, list[NationalEvent]] = defaultdict(list)
    for event in events:
        groups[event.local_date].append(event)
    return sorted(groups.items())


def by_city(events: Iterable[NationalEvent]) -> list[tuple[str, list[NationalEvent]]]:
    """Grouped by city (alphabetically), each in order of start."""
    groups: dict[str, list[NationalEvent]] = defaultdict(list)
    for event in events:
        groups[event.city].append(event)
    return sorted(groups.items(), key=lambda item: item[0].casefold())


def _moment_text(moment: datetime) -> list[str]:
    return [moment.replace(tzinfo=None).isoformat(), zone_key(moment.tzinfo) or "UTC"]


def _moment_of(value: list[str]) -> datetime:
    return datetime.fromisoformat(value[0]).replace(tzinfo=ZoneInfo(value[1]))


def event_record(event: NationalEvent) -> dict[str, Any]:
    """The event as JSON-ready data (the cache of read calendars), zones by name."""
    return {
        "chapter": [event.chapter_id, event.chapter_name, event.city],
        "uid": [event.uid, event.chapter_uid],
        "text": [event.title, event.summary, event.location, event.description, event.url],
        "start": _moment_text(event.start),
        "end": _moment_text(event.end),
        "all_day": event.all_day,
        "status": event.status.value,
        "sequence": event.sequence,
        "stamp": event.stamp.isoformat(),
        "created": event.created.isoformat() if event.created else None,
        "categories": list(event.categories),
    }


def event_from_record(record: Mapping[str, Any]) -> NationalEvent:
    """The event `event_record` wrote."""
    chapter_id, chapter_name, city = record["chapter"]
    uid, chapter_uid = record["uid"]
    title, summary, location, description, url = record["text"]
    created = record["created"]
    return NationalEvent(
        chapter_id=chapter_id,
        chapter_name=chapter_name,
        city=city,
        uid=uid,
        chapter_uid=chapter_uid,
        title=title,
        summary=summary,
        start=_moment_of(record["start"]),
        end=_moment_of(record["end"]),
        all_day=bool(record["all_day"]),
        status=EventStatus(record["status"]),
        sequence=int(record["sequence"]),
        url=url,
        location=location,
        description=description,
        stamp=datetime.fromisoformat(record["stamp"]),
        created=datetime.fromisoformat(created) if created else None,
        categories=tuple(record["categories"]),
    )
