"""Dates and times as visitors read them, formatted by Babel."""

from datetime import datetime
from zoneinfo import ZoneInfo

from berbagi import formatting

START = datetime(2026, 12, 5, 14, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_indonesian_date_and_time_with_wib():
    assert formatting.when(START, "id") == "Sabtu, 5 Desember 2026 · 14.00 WIB"


def test_english_when_the_chapter_chooses_it():
    assert formatting.long_date(START, "en") == "Saturday, 5 December 2026"


def test_time_range_on_one_day():
    end = START.replace(hour=16, minute=30)
    assert formatting.time_range(START, end, "id") == "14.00–16.30 WIB"


def test_equal_instants_in_other_zones_are_written_in_their_own_zone():
    makassar = START.astimezone(ZoneInfo("Asia/Makassar"))
    assert makassar == START
    assert formatting.clock(START, "id") == "14.00 WIB"
    assert formatting.clock(makassar, "id") == "15.00 WITA"


def test_english_names_indonesias_zones_as_people_there_do():
    makassar = START.astimezone(ZoneInfo("Asia/Makassar"))
    # CLDR puts a narrow no-break space (U+202F) before AM and PM.
    assert formatting.clock(START, "en") == "2:00\u202fPM WIB"
    assert formatting.clock(makassar, "en") == "3:00\u202fPM WITA"
    assert formatting.time_range(START, START.replace(hour=16), "en") == (
        "2:00\u202fPM–4:00\u202fPM WIB"
    )
    # A zone without such a name keeps its offset rather than a made-up one.
    berlin = START.astimezone(ZoneInfo("Europe/Berlin"))
    assert formatting.clock(berlin, "en") == "8:00\u202fAM +0100"
