"""calendar.ics from cached VEVENT text is byte for byte what icalendar writes for the whole."""

from dataclasses import replace
from datetime import UTC, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, vDuration, vText
from test_ical_render import SITE, make_event

from berbagi.model import ClassStatus, Venue
from berbagi.render.ical import (
    PRODID,
    _timezone_component,
    build_event,
    event_bytes,
    render_calendar,
    render_class_calendar,
)
from berbagi.wording import clean_text, revised_at


def _whole(events, uid, site=SITE, subscription=True) -> bytes:
    """The calendar as icalendar serialises it in one piece (how it was written before)."""
    calendar = Calendar.new(prodid=PRODID, calscale="GREGORIAN", method="PUBLISH", uid=uid)
    calendar.add_component(_timezone_component(site.zone))
    for event in events:
        calendar.add_component(build_event(event, site))
    calendar.add_missing_timezones()
    if subscription:
        name = " ".join(clean_text(site.name).split())
        description = " ".join(clean_text(site.description).split())
        calendar.calendar_name = name
        calendar.description = description
        calendar["X-WR-CALNAME"] = vText(name)
        calendar["X-WR-CALDESC"] = vText(description)
        if events:
            calendar.last_modified = max(revised_at(e).astimezone(UTC) for e in events)
        calendar.add("REFRESH-INTERVAL", vDuration(site.refresh), parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(site.refresh))
        calendar.add("X-WR-TIMEZONE", str(site.zone))
    return bytes(calendar.to_ical())


@settings(max_examples=30, deadline=None)
@given(
    count=st.integers(0, 6),
    title=st.text(min_size=1, max_size=90),
    cancelled=st.booleans(),
    geo=st.booleans(),
)
def test_calendar_from_cached_events_equals_one_piece(count, title, cancelled, geo):
    venue = Venue("Kafe", "Jl. Satu, Palembang", geo=(-2.97, 104.75) if geo else None)
    events = [
        make_event(
            slug=f"kelas-{index}",
            title=f"{title} {index}",
            start=make_event().start + timedelta(days=7 * index),
            end=make_event().start + timedelta(days=7 * index, hours=2),
            venue=venue,
            status=ClassStatus.CANCELLED if cancelled and index % 2 else ClassStatus.SCHEDULED,
        )
        for index in range(count)
    ]
    ordered = sorted(events, key=lambda e: (e.start, e.slug))
    assert render_calendar(events, SITE) == _whole(ordered, f"kalender-kelas@{SITE.domain}")
    for event in events:
        uid = f"kalender-kelas-{event.slug}@{SITE.domain}"
        assert render_class_calendar(event, SITE) == _whole([event], uid, subscription=False)


def test_an_edited_class_gets_new_event_text_and_the_others_keep_theirs():
    event = make_event()
    other = make_event(slug="lain", title="Lain")
    first = event_bytes(event, SITE)
    edited = replace(event, title="Judul baru")
    assert event_bytes(edited, SITE) != first
    assert b"Judul baru" in render_calendar([edited, other], SITE)
    assert event_bytes(other, SITE) is event_bytes(replace(other), SITE)
