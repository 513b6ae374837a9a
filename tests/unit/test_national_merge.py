"""Reading and merging chapter calendars (pure): zones, revisions, cancellations, clashes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from berbagi.national.config import ChapterSource
from berbagi.national.fetch import Garbage
from berbagi.national.merge import (
    EventStatus,
    by_city,
    by_date,
    calendar_window,
    clashing_uids,
    keep_higher_sequences,
    merge,
    read_calendar,
    read_feed,
    upcoming,
    with_feed,
)
from berbagi.national.zones import zone_label
from berbagi.render.national import (
    NationalSite,
    entry_id,
    national_event_jsonld,
    render_national_calendar,
    when_text,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "national"
SAMPLE = Path(__file__).resolve().parents[2] / "national" / "sample"


def source(
    chapter_id: str = "bandung", zone: str = "Asia/Jakarta", city: str = ""
) -> ChapterSource:
    return ChapterSource(
        id=chapter_id,
        name=f"Akber {chapter_id.title()}",
        city=city or chapter_id.title(),
        zone=ZoneInfo(zone),
        site_url=f"https://{chapter_id}.example",
        calendar_url=f"https://{chapter_id}.example/calendar.ics",
        feed_url=None,
    )


def calendar(*events: str) -> bytes:
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//ID", *events])
    return (body + "\r\nEND:VCALENDAR\r\n").encode()


def vevent(uid: str = "a@x", start: str = "DTSTART:20261205T070000Z", **extra: str) -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "SUMMARY:Kelas", start, "DTSTAMP:20261101T000000Z"]
    lines += [f"{key.replace('_', '-')}:{value}" for key, value in extra.items()]
    return "\r\n".join([*lines, "END:VEVENT"])


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Asia/Jakarta", "WIB"),
        ("Asia/Pontianak", "WIB"),
        ("Asia/Makassar", "WITA"),
        ("Asia/Jayapura", "WIT"),
        ("Europe/Amsterdam", "CET"),
        ("Asia/Singapore", "UTC+8"),
    ],
)
def test_zone_labels_are_what_people_in_indonesia_write(zone, label):
    assert zone_label(datetime(2026, 12, 5, 14, tzinfo=ZoneInfo(zone))) == label


def test_the_kits_own_calendar_is_read_in_the_chapters_own_zone():
    events = read_calendar((SAMPLE / "makassar/site/calendar.ics").read_bytes(), source("makassar"))
    kuliner = next(e for e in events if e.title == "Fotografi Kuliner dengan Ponsel")
    assert kuliner.start == datetime(2026, 12, 12, 10, tzinfo=ZoneInfo("Asia/Makassar"))
    assert kuliner.zone_label == "WITA"
    assert kuliner.url == "https://makassar.akademiberbagi.example/kelas/fotografi-kuliner/"
    assert kuliner.uid == "makassar/kelas-fotografi-kuliner@makassar.akademiberbagi.example"
    assert when_text(kuliner, "id") == "Sabtu, 12 Desember 2026, 10.00–12.00 WITA"
    # The kit writes "DIBATALKAN: " in front of a cancelled title; the national pages use a badge.
    isyarat = next(e for e in events if "Isyarat" in e.title)
    assert isyarat.status is EventStatus.CANCELLED
    assert isyarat.title == "Dasar Bahasa Isyarat"
    assert isyarat.summary.startswith("DIBATALKAN: ")


def test_utc_floating_and_whole_day_times_are_placed_in_the_chapters_zone():
    body = calendar(
        vevent("utc@x", "DTSTART:20261205T070000Z"),
        vevent("floating@x", "DTSTART:20261205T140000"),
        vevent("day@x", "DTSTART;VALUE=DATE:20261206"),
    )
    events = {e.chapter_uid: e for e in read_calendar(body, source("makassar", "Asia/Makassar"))}
    assert events["utc@x"].start.isoformat() == "2026-12-05T15:00:00+08:00"
    assert events["floating@x"].start.isoformat() == "2026-12-05T14:00:00+08:00"
    assert events["day@x"].all_day and events["day@x"].local_date == date(2026, 12, 6)
    assert events["day@x"].end - events["day@x"].start == timedelta(days=1)
    assert events["utc@x"].end == events["utc@x"].start  # no DTEND, no DURATION: an instant


def test_the_highest_sequence_of_a_uid_wins_within_one_calendar():
    events = read_calendar((FIXTURES / "makassar_with_revisions.ics").read_bytes(), source())
    kuliner = [e for e in events if e.chapter_uid == "kelas-kuliner@makassar.example"]
    assert len(kuliner) == 1 and kuliner[0].sequence == 1
    assert kuliner[0].local_date == date(2026, 12, 12)
    # Whatever the order in the file.
    flipped = calendar(
        vevent("m@x", "DTSTART:20261212T020000Z", SEQUENCE="3"),
        vevent("m@x", "DTSTART:20261210T020000Z", SEQUENCE="2"),
    )
    (only,) = read_calendar(flipped, source())
    assert only.sequence == 3 and only.start.day == 12


def test_a_newer_revision_from_the_previous_copy_is_kept_over_an_older_fresh_one():
    old_file = calendar(vevent("m@x", "DTSTART:20261212T020000Z", SEQUENCE="2", STATUS="CANCELLED"))
    stale_mirror = calendar(vevent("m@x", "DTSTART:20261210T020000Z", SEQUENCE="1"), vevent("n@x"))
    previous = read_calendar(old_file, source())
    fresh = read_calendar(stale_mirror, source())
    kept = {e.chapter_uid: e for e in keep_higher_sequences(fresh, previous)}
    assert kept["m@x"].sequence == 2 and kept["m@x"].is_cancelled
    assert "n@x" in kept


def test_two_chapters_with_one_uid_stay_two_events_with_their_own_uids():
    bandung = read_calendar((FIXTURES / "jakarta_chapter.ics").read_bytes(), source("bandung"))
    medan = read_calendar((FIXTURES / "clashing_uid.ics").read_bytes(), source("medan"))
    merged = merge([bandung, medan])
    shared = [e for e in merged if e.chapter_uid == "kelas-bersama@akademiberbagi.example"]
    assert {e.uid for e in shared} == {
        "bandung/kelas-bersama@akademiberbagi.example",
        "medan/kelas-bersama@akademiberbagi.example",
    }
    assert clashing_uids(merged) == {"kelas-bersama@akademiberbagi.example": ["bandung", "medan"]}
    assert [e.start.astimezone(UTC) for e in merged] == sorted(
        e.start.astimezone(UTC) for e in merged
    )


def test_only_web_addresses_become_links():
    events = read_calendar((FIXTURES / "jakarta_chapter.ics").read_bytes(), source("bandung"))
    hostile = next(e for e in events if e.chapter_uid == "kelas-jahat@bandung.example")
    assert hostile.url == "https://bandung.example/"


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("not_a_calendar.html", "is not a calendar (it looks like a web page)"),
        ("cut_short.ics", "is not a readable calendar"),
        ("makassar.atom.xml", "is not a calendar (it looks like a web page)"),
    ],
)
def test_garbage_is_refused_with_a_reason(fixture, message):
    with pytest.raises(Garbage, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_calendar((FIXTURES / fixture).read_bytes(), source())


def test_the_feed_adds_announcement_dates_and_plain_summaries_by_link():
    entries = read_feed((FIXTURES / "makassar.atom.xml").read_bytes())
    entry = entries["https://makassar.example/kelas/kuliner/"]
    assert entry.published == datetime(2026, 10, 20, 2, tzinfo=UTC)
    assert entry.summary == "Memotret makanan & minuman dengan cahaya jendela."
    events = read_calendar((FIXTURES / "makassar_with_revisions.ics").read_bytes(), source())
    joined = {e.chapter_uid: e for e in with_feed(events, entries)}
    assert joined["kelas-kuliner@makassar.example"].announced == entry.published
    assert joined["kelas-isyarat@makassar.example"].announced is None
    with pytest.raises(Garbage, match="not an Atom or RSS feed"):
        read_feed((FIXTURES / "not_a_calendar.html").read_bytes())


def test_upcoming_window_and_groupings():
    now = datetime(2026, 12, 11, 9, tzinfo=ZoneInfo("Asia/Jakarta"))
    makassar = read_calendar(
        (FIXTURES / "makassar_with_revisions.ics").read_bytes(),
        source("makassar", "Asia/Makassar"),
    )
    bandung = read_calendar((FIXTURES / "jakarta_chapter.ics").read_bytes(), source("bandung"))
    merged = merge([makassar, bandung])
    soon = upcoming(merged, now, days=5)
    assert {e.title for e in soon} == {"Fotografi Kuliner", "Kelas Bersama (Bandung)",
                                       "<script>alert(1)</script> Judul Nakal"}  # fmt: skip
    assert all(e.start >= now for e in soon)  # 5 December has passed
    assert [city for city, _ in by_city(merged)] == ["Bandung", "Makassar"]
    days = [day for day, _ in by_date(merged)]
    assert days == sorted(days)
    assert calendar_window(merged, now, days_past=3) == [e for e in merged if e.start.day >= 8]


def test_the_national_calendar_reads_back_with_icalendar_and_vobject():
    events = merge(
        [
            read_calendar((FIXTURES / "jakarta_chapter.ics").read_bytes(), source("bandung")),
            read_calendar(
                (FIXTURES / "makassar_with_revisions.ics").read_bytes(),
                source("makassar", "Asia/Makassar"),
            ),
            read_calendar((FIXTURES / "clashing_uid.ics").read_bytes(), source("medan")),
        ]
    )
    site = NationalSite(
        name="Kelas Akademi Berbagi se-Indonesia",
        domain="akademiberbagi.example",
        id_year=2010,
        home_url="https://akademiberbagi.example/",
        calendar_url="https://akademiberbagi.example/calendar.ics",
        atom_url="https://akademiberbagi.example/feeds/classes.atom.xml",
        rss_url="https://akademiberbagi.example/feeds/classes.rss.xml",
    )
    data = render_national_calendar(events, site)
    assert data == render_national_calendar(reversed(events), site)  # reproducible
    parsed = icalendar.Calendar.from_ical(data)
    uids = [str(e["UID"]) for e in parsed.walk("VEVENT")]
    assert sorted(uids) == sorted(e.uid for e in events)
    assert {str(z["TZID"]) for z in parsed.walk("VTIMEZONE")} == {"Asia/Jakarta", "Asia/Makassar"}
    cal = vobject.readOne(data.decode())
    assert len(cal.vevent_list) == len(events)
    cancelled = [e for e in cal.vevent_list if e.status.value == "CANCELLED"]
    assert [e.summary.value for e in cancelled] == ["DIBATALKAN: Bahasa Isyarat"]
    assert entry_id(events[0], site).startswith("tag:akademiberbagi.example,2010:kelas/")
    ld = national_event_jsonld(next(e for e in events if e.is_cancelled))
    assert ld["eventStatus"] == "https://schema.org/EventCancelled"
    assert ld["location"]["address"]["addressLocality"] == "Makassar"


@given(
    st.lists(
        st.tuples(st.sampled_from(["a@x", "b@x", "c@x"]), st.integers(0, 5), st.integers(1, 28)),
        min_size=1,
        max_size=12,
    )
)
def test_whatever_the_order_one_event_per_uid_with_its_highest_sequence(revisions):
    body = calendar(
        *(
            vevent(uid, f"DTSTART:202612{day:02d}T020000Z", SEQUENCE=str(seq))
            for uid, seq, day in revisions
        )  # fmt: skip
    )
    events = read_calendar(body, source())
    assert sorted(e.chapter_uid for e in events) == sorted({uid for uid, _, _ in revisions})
    for event in events:
        best = max(seq for uid, seq, _ in revisions if uid == event.chapter_uid)
        assert event.sequence == best


def test_a_kept_reading_gives_back_the_same_events():
    from berbagi.national.merge import event_from_record, event_record

    for fixture, zone in (("makassar_with_revisions.ics", "Asia/Makassar"),
                          ("jakarta_chapter.ics", "Asia/Jakarta")):  # fmt: skip
        events = read_calendar((FIXTURES / fixture).read_bytes(), source("x", zone))
        assert tuple(event_from_record(event_record(event)) for event in events) == events
    day = read_calendar(calendar(vevent("d@x", "DTSTART;VALUE=DATE:20261206")), source())
    assert tuple(event_from_record(event_record(event)) for event in day) == day
