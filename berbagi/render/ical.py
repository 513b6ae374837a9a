"""iCalendar text for the chapter's classes, built with the icalendar library from the model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

from icalendar import STATUS, TRANSP, Calendar, Event, Timezone, vCalAddress, vDuration, vText

from ..model import ClassEvent, ClassStatus
from ..settings import Settings
from ..wording import clean_text, description_text, headline, location_line, revised_at

PRODID = "-//Berbagi//Kalender Kelas//ID"
ICAL_STATUS = {
    ClassStatus.SCHEDULED: STATUS.CONFIRMED,
    ClassStatus.CANCELLED: STATUS.CANCELLED,
    # The class will happen, on a date not known yet: TENTATIVE keeps it visible (with its old
    # date and "DITUNDA:" in front) where CANCELLED would make Google hide it for good.
    ClassStatus.POSTPONED: STATUS.TENTATIVE,
}
APPLE_MAP_RADIUS = "100"


@dataclass(frozen=True)
class CalendarSite:
    """What the calendar says about the chapter; the classes supply everything else."""

    domain: str
    zone: tzinfo
    # METHOD:PUBLISH needs exactly one ORGANIZER per event (RFC 5546): the chapter, by its
    # name and e-mail address (CHAPTER['email'] is required for that reason).
    organizer_name: str
    organizer_email: str
    language: str = "id"
    name: str = ""
    description: str = ""
    refresh: timedelta = timedelta(hours=12)

    @classmethod
    def of(cls, settings: Settings) -> CalendarSite:
        """The chapter as CHAPTER, TIMEZONE, DEFAULT_LANG and ICAL_FEED describe it."""
        return cls(
            domain=settings.chapter.domain,
            zone=settings.zone,
            organizer_name=settings.chapter.name,
            organizer_email=settings.chapter.email,
            language=settings.language,
            name=settings.calendar.name,
            description=settings.calendar.description,
            refresh=settings.calendar.refresh,
        )


def event_uid(event: ClassEvent, domain: str) -> str:
    """Permanent UID: the class's slug at the chapter's domain, never the title, date or SITEURL."""
    return f"kelas-{event.slug}@{domain}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def organizer(site: CalendarSite) -> vCalAddress:
    """The chapter as ORGANIZER: `CN=<name>:mailto:<email>`, quoted and escaped by icalendar."""
    # One line of text: a parameter value cannot hold a line break.
    name = " ".join(clean_text(site.organizer_name).split())
    return vCalAddress.new(site.organizer_email, cn=name or None)


def _param_text(text: str) -> str:
    # A quote in a parameter needs RFC 6868's ^' escape, which not every reader undoes.
    return " ".join(clean_text(text).replace('"', "'").split())


@lru_cache(maxsize=16_384)
def build_event(event: ClassEvent, site: CalendarSite) -> Event:
    """The VEVENT of one class, in the chapter's time zone, identical in every calendar file.

    Cached on its (immutable) inputs: calendar.ics and the class's own file share one component,
    which nothing mutates after this function returns.
    """
    revised = _utc(revised_at(event))
    vevent = Event.new(
        uid=event_uid(event, site.domain),
        # Outlook and Apple show a CANCELLED event like any other in a subscription: the word
        # in front of the title tells people even where STATUS is ignored.
        summary=clean_text(headline(event, site.language, with_reschedule=False)),
        start=event.start.astimezone(site.zone),
        end=event.end.astimezone(site.zone),
        stamp=revised,
        last_modified=revised,
        created=_utc(event.announced),
        sequence=event.sequence,
        status=ICAL_STATUS[event.status],
        location=clean_text(location_line(event)),
        description=description_text(event, event.url, site.language),
        url=event.url,
        # An empty CATEGORIES: line is invalid (libical refuses it): no tags, no property.
        categories=tuple(filter(None, (clean_text(tag) for tag in event.tags))),
        organizer=organizer(site),
        # A class that will not happen on this date should not block anyone's free/busy time.
        transparency=None if event.status is ClassStatus.SCHEDULED else TRANSP.TRANSPARENT,
    )
    if event.venue.geo:
        latitude, longitude = event.venue.geo
        vevent.add("GEO", (latitude, longitude))
        # Apple Calendar ignores GEO and geocodes LOCATION unless it gets its own property.
        vevent.add(
            "X-APPLE-STRUCTURED-LOCATION",
            f"geo:{latitude},{longitude}",
            parameters={
                "VALUE": "URI",
                "X-ADDRESS": _param_text(event.venue.address),
                "X-APPLE-RADIUS": APPLE_MAP_RADIUS,
                "X-TITLE": _param_text(event.venue.name),
            },
        )
    return vevent


@lru_cache(maxsize=8)
def _timezone_component(zone: tzinfo) -> Timezone:
    # Working out a zone's transitions takes icalendar ~27 ms; one site writes a thousand .ics
    # files in one zone, so the (never mutated) component is shared between them.
    return Timezone.from_tzinfo(zone)


@lru_cache(maxsize=16_384)
def event_bytes(event: ClassEvent, site: CalendarSite) -> bytes:
    """The serialised VEVENT of one class, kept while its inputs stay the same.

    Serialising a thousand events is most of a calendar.ics (0.3 s); a preview re-renders the
    calendar after each edit, where only one event changed.
    """
    return bytes(build_event(event, site).to_ical())


@lru_cache(maxsize=8)
def _timezone_bytes(zone: tzinfo) -> bytes:
    # The same VTIMEZONE text opens every one of a thousand class files.
    return bytes(_timezone_component(zone).to_ical())


def _calendar(site: CalendarSite, uid: str) -> Calendar:
    # The chapter's zone (a VTIMEZONE) is added as text by _with_events; events carry times in
    # that zone or UTC only, so no other VTIMEZONE is ever missing.
    return Calendar.new(prodid=PRODID, calscale="GREGORIAN", method="PUBLISH", uid=uid)


END_CALENDAR = b"END:VCALENDAR\r\n"


def _with_events(calendar: Calendar, zone: tzinfo, events: Iterable[bytes]) -> bytes:
    """The calendar's text with the zone's VTIMEZONE and these VEVENTs as its components.

    icalendar writes a component's properties, then each subcomponent in turn, then its END
    line; the components' own text spliced in before that END is what it would write for them.
    The chapter's zone always travels with the file: times are never floating, and a calendar
    without classes yet still holds one component, as RFC 5545 requires.
    """
    head = bytes(calendar.to_ical())
    assert head.endswith(END_CALENDAR)
    parts = (head[: -len(END_CALENDAR)], _timezone_bytes(zone), *events, END_CALENDAR)
    return b"".join(parts)


def render_calendar(
    events: Iterable[ClassEvent],
    site: CalendarSite,
    event_text: Callable[[ClassEvent, CalendarSite], bytes] = event_bytes,
) -> bytes:
    """The subscription calendar: every class, upcoming and past, cancelled ones as CANCELLED.

    `event_text` serialises one VEVENT (a build may answer from its cache of earlier builds).
    """
    ordered = sorted(events, key=lambda e: (e.start, e.slug))
    calendar = _calendar(site, f"kalender-kelas@{site.domain}")
    name = " ".join(clean_text(site.name).split())
    description = " ".join(clean_text(site.description).split())
    calendar.calendar_name = name
    calendar.description = description
    # icalendar writes the X-WR- twins unescaped, and then vobject cuts them at the first comma.
    # (Outlook shows a "\," literally in a calendar name: the default names have no comma.)
    calendar["X-WR-CALNAME"] = vText(name)
    calendar["X-WR-CALDESC"] = vText(description)
    if ordered:
        calendar.last_modified = max(_utc(revised_at(e)) for e in ordered)
    calendar.add("REFRESH-INTERVAL", vDuration(site.refresh), parameters={"VALUE": "DURATION"})
    # Outlook reads the older X-PUBLISHED-TTL; RFC 7986 clients read REFRESH-INTERVAL.
    calendar.add("X-PUBLISHED-TTL", vDuration(site.refresh))
    calendar.add("X-WR-TIMEZONE", str(site.zone))
    return _with_events(calendar, site.zone, (event_text(event, site) for event in ordered))


@lru_cache(maxsize=8)
def _class_calendar_head(site: CalendarSite) -> bytes:
    """The text of a one-class file up to its UID line: the same for every class of a site.

    icalendar writes VERSION, PRODID, CALSCALE and METHOD first (its canonical order), then the
    others alphabetically: UID, the only other one, is the last line before the components.
    """
    calendar = _calendar(site, f"kalender-kelas@{site.domain}")
    del calendar["UID"]
    head = bytes(calendar.to_ical())
    assert head.endswith(END_CALENDAR)
    return head[: -len(END_CALENDAR)]


def _uid_line(uid: str) -> bytes:
    """A calendar's UID line as icalendar writes it (its type, escaping and folding)."""
    holder = Calendar()
    holder.uid = uid
    return bytes(holder.content_line("UID", holder["UID"]).to_ical()) + b"\r\n"


def render_class_calendar(event: ClassEvent, site: CalendarSite) -> bytes:
    """A one-class file for "add to calendar": the same VEVENT and UID as in the subscription.

    It carries no calendar name or refresh interval: with those, some clients offer to create a
    separate calendar or subscription instead of adding one event to the user's own calendar.
    Only its UID differs from one class's file to the next: the rest of the calendar's head is
    written once per site (a thousand Calendar.new().to_ical() took a cold build 0.1 s).
    """
    uid = _uid_line(f"kalender-kelas-{event.slug}@{site.domain}")
    return b"".join(
        (
            _class_calendar_head(site),
            uid,
            _timezone_bytes(site.zone),
            event_bytes(event, site),
            END_CALENDAR,
        )
    )
