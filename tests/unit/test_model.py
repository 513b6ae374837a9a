"""The class model: fields parse into typed values, and every problem becomes a message."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from berbagi.model import (
    ClassStatus,
    ValidationError,
    build_class,
    parse_duration,
    parse_local_datetime,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
PATH = "content/classes/2026-12-05-fotografi.md"
VALID = {
    "title": "Fotografi Ponsel",
    "start": "2026-12-05 14:00",
    "end": "16:00",
    "venue": "Kafe Kopi Contoh",
    "venue_address": "Jl. Kapten A. Rivai No. 27, Palembang",
    "venue_geo": "-2.9761, 104.7554",
    "teacher": "Rina (tokoh fiktif) | @guru_foto | Fotografer lepas",
    "registration": "https://example.org/daftar",
}


def source_of(metadata: dict) -> str:
    """The file text a metadata dict stands for, so line numbers can be checked."""
    lines = []
    for key, value in metadata.items():
        for item in value if isinstance(value, list) else [value]:
            lines.append(f"{key.title()}: {item}")
    return "\n".join(lines) + "\n\nUraian.\n"


def build(**changes):
    metadata = {key: value for key, value in {**VALID, **changes}.items() if value is not None}
    return build_class(metadata, PATH, source_of(metadata), JAKARTA)


def test_a_valid_class_becomes_a_typed_event():
    event, errors = build()
    assert errors == []
    assert event.slug == "fotografi"
    assert event.start == datetime(2026, 12, 5, 14, 0, tzinfo=JAKARTA)
    assert event.end == datetime(2026, 12, 5, 16, 0, tzinfo=JAKARTA)
    assert event.venue.geo == (-2.9761, 104.7554)
    assert event.teachers[0].twitter == "guru_foto"
    assert event.teachers[0].bio == "Fotografer lepas"
    assert event.registration.url == "https://example.org/daftar"
    assert event.status is ClassStatus.SCHEDULED
    assert event.sequence == 0


def test_start_keeps_an_explicit_offset():
    event, errors = build(start="2026-12-05 14:00+08:00", end=None)
    assert errors == []
    assert event.start.utcoffset() == timedelta(hours=8)


def test_without_end_or_duration_a_class_lasts_two_hours():
    event, _ = build(end=None)
    assert event.end - event.start == timedelta(hours=2)


def test_durations_in_indonesian_and_clock_form():
    assert parse_duration("2 jam") == timedelta(hours=2)
    assert parse_duration("90 menit") == timedelta(minutes=90)
    assert parse_duration("1 jam 30 menit") == timedelta(minutes=90)
    assert parse_duration("1:30") == timedelta(minutes=90)
    assert parse_duration("sebentar") is None
    assert parse_duration("1 jam dan 30 menit") == timedelta(minutes=90)
    assert parse_duration("1 jam, 30 menit") == timedelta(minutes=90)


@pytest.mark.parametrize("text", ["2 jam nada", "2 jam lagi", "dan 2 jam kira", "2 hari"])
def test_a_duration_with_other_words_is_not_understood(text):
    assert parse_duration(text) is None


def test_several_teachers_in_order():
    event, errors = build(teacher=["Guru Satu | @satu", "Guru Dua | | Penulis"])
    assert errors == []
    assert [t.name for t in event.teachers] == ["Guru Satu", "Guru Dua"]
    assert event.teachers[1].twitter is None
    assert event.teachers[1].bio == "Penulis"


def test_sequence_counts_moves_and_cancellation():
    moved, _ = build(previous_start=["2026-11-21 14:00", "2026-11-28 14:00"])
    cancelled, _ = build(previous_start="2026-11-21 14:00", status="cancelled")
    assert moved.is_rescheduled and moved.sequence == 2
    assert cancelled.is_cancelled and cancelled.sequence == 2


def test_every_problem_in_a_file_is_reported_with_its_line():
    _, errors = build(end="13:00", capacity="banyak", registration="daftar di kafe")
    assert [str(e) for e in errors] == [
        f"{PATH}:3: end: '13:00' is not after start 2026-12-05 14:00",
        f"{PATH}:8: registration: 'daftar di kafe' is neither a web address (https://...) "
        "nor 'via Twitter'",
        f"{PATH}:9: capacity: 'banyak' is not a whole number like 40",
    ]
    assert all(isinstance(e, ValidationError) for e in errors)


def test_the_issue_example_message():
    _, errors = build(start="2026-13-05 14:00")
    assert str(errors[0]) == (
        f"{PATH}:2: start: '2026-13-05 14:00' is not a date-time like 2026-12-05 14:00"
    )


@given(st.text(max_size=40))
def test_parsing_a_date_time_never_raises(text):
    value = parse_local_datetime(text, JAKARTA)
    assert value is None or value.tzinfo is not None


@given(
    st.dictionaries(
        st.sampled_from(sorted(VALID) + ["duration", "capacity", "photo", "partner", "status"]),
        st.text(max_size=30),
    )
)
def test_any_metadata_gives_an_event_or_errors_never_an_exception(metadata):
    event, errors = build_class(metadata, PATH, source_of(metadata), JAKARTA)
    assert (event is None) == bool(errors)
    assert all(str(error).startswith(PATH + ":") for error in errors)


@pytest.mark.parametrize("text", ["¹", "٤٠", "4²", "-3", "3.5"])
def test_a_count_must_be_written_in_ascii_digits(text):
    metadata = {**VALID, "capacity": text}
    event, errors = build_class(metadata, PATH, source_of(metadata), JAKARTA)
    assert event is None
    assert [error.field for error in errors] == ["capacity"]


NOW = datetime(2026, 11, 28, 9, 0, tzinfo=JAKARTA)


def build_at(now, **changes):
    metadata = {key: value for key, value in {**VALID, **changes}.items() if value is not None}
    return build_class(metadata, PATH, source_of(metadata), JAKARTA, now=now)


def test_an_upcoming_class_without_date_gets_the_exact_line_to_add():
    event, errors = build_at(NOW)
    assert event is None
    assert [str(e) for e in errors] == [
        f"{PATH}:1: date: missing; add the line 'Date: 2026-11-28 09:00' "
        "(when the class is announced) under the title"
    ]


def test_the_suggested_date_is_the_builds_now_in_the_chapters_zone():
    _, errors = build_at(datetime.fromisoformat("2026-11-28T03:15:00+00:00"))
    assert "'Date: 2026-11-28 10:15'" in errors[0].message


def test_a_date_the_build_filled_in_is_not_one_the_organizer_wrote():
    # Pelican's glue sets `date` to the start when the file has no Date: line.
    metadata = {**VALID, "date": datetime(2026, 12, 5, 14, 0, tzinfo=JAKARTA)}
    source = source_of(VALID)
    event, errors = build_class(metadata, PATH, source, JAKARTA, now=NOW)
    assert event is None
    assert [(e.line, e.field) for e in errors] == [(1, "date")]


def test_an_upcoming_class_with_date_is_announced_then():
    event, errors = build_at(NOW, date="2026-11-20 10:00")
    assert errors == []
    assert event.announced == datetime(2026, 11, 20, 10, 0, tzinfo=JAKARTA)
    day_only, errors = build_at(NOW, date="2026-11-20")  # Pelican accepts a date alone too
    assert errors == [] and day_only.announced == datetime(2026, 11, 20, tzinfo=JAKARTA)


@pytest.mark.parametrize("status", ["cancelled", "postponed", "draft"])
def test_every_upcoming_class_needs_its_date_whatever_its_status(status):
    _, errors = build_at(NOW, status=status)
    assert [e.field for e in errors] == ["date"]


def test_a_past_class_needs_no_date_and_counts_as_announced_at_its_start():
    event, errors = build_at(datetime(2026, 12, 5, 14, 0, tzinfo=JAKARTA))
    assert errors == []
    assert event.announced == event.start


def test_without_now_a_missing_date_is_not_checked():
    event, errors = build()
    assert errors == []
    assert event.announced == event.start


def test_a_date_after_start_is_refused_at_its_line():
    _, errors = build_at(None, date="2026-12-06 10:00")
    assert [str(e) for e in errors] == [
        f"{PATH}:9: date: 2026-12-06 10:00 is after start 2026-12-05 14:00; "
        "the announcement cannot come after the class"
    ]
    event, errors = build_at(None, date="2026-12-04 14:00")  # before start: without a clock
    assert errors == [] and event.announced < event.start


def test_a_date_that_is_not_a_date_time_is_reported():
    _, errors = build_at(NOW, date="minggu lalu")
    assert [str(e) for e in errors] == [
        f"{PATH}:9: date: 'minggu lalu' is not a date-time like 2026-11-20 10:00"
    ]


@given(st.text(max_size=30), st.sampled_from([None, NOW]))
def test_any_date_gives_an_event_or_errors_never_an_exception(text, now):
    event, errors = build_at(now, date=text)
    assert (event is None) == bool(errors)


# The Date trap: an organizer who reads `Date` as the class's own date.


def test_a_date_equal_to_start_is_the_class_date_misread_and_says_what_date_means():
    event, errors = build_at(NOW, date="2026-12-05 14:00")
    assert event is None
    assert [(e.line, e.field) for e in errors] == [(9, "date")]  # its own line
    assert "is the class's start" in errors[0].message
    assert "Date is when the class is announced" in errors[0].message
    assert "'Date: 2026-11-28 09:00'" in errors[0].message


@pytest.mark.parametrize(
    "written", ["2026-12-05 10:00", "2026-12-04 14:01", "2026-12-05", "2026-12-03 15:00"]
)
def test_a_date_to_come_within_48_hours_of_start_is_an_error(written):
    event, errors = build_at(NOW, date=written)
    assert event is None
    assert [e.field for e in errors] == ["date"]
    assert "hours before start 2026-12-05 14:00, and still to come" in errors[0].message
    assert "at least 48 hours before start" in errors[0].message


def test_a_date_to_come_48_hours_or_more_before_start_is_accepted():
    event, errors = build_at(NOW, date="2026-12-03 14:00")
    assert errors == [] and event.announced == datetime(2026, 12, 3, 14, 0, tzinfo=JAKARTA)


def test_a_late_announcement_already_made_is_accepted():
    # Announced yesterday evening for today: late, but public already; nothing is lost.
    now = datetime(2026, 12, 5, 9, 0, tzinfo=JAKARTA)
    event, errors = build_at(now, date="2026-12-04 19:00")
    assert errors == [] and event.announced == datetime(2026, 12, 4, 19, 0, tzinfo=JAKARTA)


def test_the_notice_is_a_setting():
    metadata = {**VALID, "date": "2026-12-05 10:00"}
    event, errors = build_class(
        metadata, PATH, source_of(metadata), JAKARTA, now=NOW, min_notice=timedelta(hours=2)
    )
    assert errors == [] and event is not None


def test_a_past_class_with_its_start_as_date_is_still_refused():
    now = datetime(2027, 1, 1, 9, 0, tzinfo=JAKARTA)
    _, errors = build_at(now, date="2026-12-05 14:00")
    assert [e.field for e in errors] == ["date"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("images/a.jpg | Peserta di kelas", ("Peserta di kelas", None)),
        ("images/a.jpg | Peserta di kelas | focus 30% 40%", ("Peserta di kelas", (0.3, 0.4))),
        ("images/a.jpg | Kiri | kanan | FOCUS 12,5%  100 %", ("Kiri | kanan", (0.125, 1.0))),
        ("images/a.jpg | Kiri | kanan", ("Kiri | kanan", None)),
        ("images/a.jpg | Fokus kamera | lensa", ("Fokus kamera | lensa", None)),
    ],
)
def test_a_photo_line_may_end_with_a_focus_point(line, expected):
    event, errors = build(photo=line)

    assert errors == []
    (photo,) = event.photos
    assert (photo.path, photo.alt, photo.focus) == ("images/a.jpg", *expected)


@pytest.mark.parametrize(
    ("focus", "says"),
    [
        ("focus 30%", "'focus 30%' is not a focus point like 'focus 50% 30%'"),
        ("focus 30 40", "'focus 30 40' is not a focus point"),
        ("focus 50% 101%", "'focus 50% 101%': a focus point lies between 0% and 100%"),
        ("focus tengah", "'focus tengah' is not a focus point"),
    ],
)
def test_a_focus_point_that_cannot_be_read_names_its_line(focus, says):
    _, errors = build(photo=f"images/a.jpg | Peserta | {focus}")

    (error,) = errors
    assert (error.field, error.line) == ("photo", list(VALID).index("registration") + 2)
    assert error.message.startswith(says)


def test_a_photo_line_with_only_a_focus_point_has_no_alt_text():
    _, errors = build(photo="images/a.jpg | focus 50% 50%")

    (error,) = errors
    assert error.message.startswith("'images/a.jpg' has no alt text")


def test_after_the_class_registered_participants_and_recap_are_read():
    event, errors = build(
        registered="52", participants="21", recap="Terima kasih, Kak Rina, dan 21 peserta!"
    )
    assert errors == []
    assert (event.registered, event.participants) == (52, 21)
    assert event.recap == "Terima kasih, Kak Rina, dan 21 peserta!"


def test_a_recap_longer_than_a_post_is_refused_with_its_length():
    _, errors = build(registered="lima puluh", recap="Terima kasih! " * 25)
    assert [(error.field, error.line) for error in errors] == [("registered", 9), ("recap", 10)]
    assert "'lima puluh' is not a whole number" in errors[0].message
    assert errors[1].message.startswith("is 349 characters; keep it to 280")
