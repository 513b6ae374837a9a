"""The schedule: upcoming and past split at "now", the next class, and the monthly promise."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from berbagi.model import build_class
from berbagi.schedule import DAILY_BUILD_UTC, Schedule, first_daily_build_after

JAKARTA = ZoneInfo("Asia/Jakarta")


def event(slug, start, status="scheduled", venue="Kafe Kopi Contoh", teacher="Guru A"):
    metadata = {
        "title": slug.replace("-", " ").title(),
        "start": start,
        "venue": venue,
        "venue_address": "Jl. Contoh 1",
        "teacher": teacher,
        "status": status,
    }
    made, errors = build_class(metadata, f"content/classes/{start[:10]}-{slug}.md", "", JAKARTA)
    assert errors == []
    return made


NOW = datetime(2026, 11, 28, 9, 0, tzinfo=JAKARTA)
CLASSES = [
    event("lama", "2025-03-01 10:00", teacher="Guru B"),
    event("kemarin", "2026-11-27 10:00", venue="Aula RS Azzahra"),
    event("sedang-berlangsung", "2026-11-28 08:30"),
    event("batal", "2026-12-01 10:00", status="cancelled"),
    event("berikutnya", "2026-12-05 14:00", teacher="Guru B"),
    event("nanti", "2027-01-09 09:00"),
]


def test_split_at_now_sorted_by_start():
    schedule = Schedule(reversed(CLASSES), NOW)
    assert [c.slug for c in schedule.upcoming] == ["batal", "berikutnya", "nanti"]
    # A class that has started counts as past; the past list is newest first.
    assert [c.slug for c in schedule.past] == ["sedang-berlangsung", "kemarin", "lama"]


def test_next_class_skips_cancelled_ones():
    schedule = Schedule(CLASSES, NOW)
    assert schedule.next_class.slug == "berikutnya"
    assert [c.slug for c in schedule.later] == ["batal", "nanti"]


def test_past_grouped_by_year_newest_first():
    years = Schedule(CLASSES, NOW).past_by_year()
    assert [(year, [c.slug for c in group]) for year, group in years] == [
        (2026, ["sedang-berlangsung", "kemarin"]),
        (2025, ["lama"]),
    ]


def test_teachers_and_venues_list_their_classes():
    schedule = Schedule(CLASSES, NOW)
    teachers = {t.teacher.name: [c.slug for c in t.classes] for t in schedule.teachers()}
    assert teachers["Guru B"] == ["berikutnya", "lama"]
    venues = {v.venue.name: len(v.classes) for v in schedule.venues()}
    assert venues == {"Aula RS Azzahra": 1, "Kafe Kopi Contoh": 5}


def test_monthly_promise_warns_only_without_a_real_class_in_30_days():
    assert Schedule(CLASSES, NOW).monthly_promise_gap(30) is None
    only_cancelled = [c for c in CLASSES if c.slug in {"lama", "batal", "nanti"}]
    gap = Schedule(only_cancelled, NOW).monthly_promise_gap(30)
    assert gap == (
        "no class is scheduled between 2026-11-28 and 2026-12-28; "
        "the chapter promises at least one class a month"
    )


def test_the_daily_build_is_the_one_deploy_yml_schedules():
    workflow = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "deploy.yml"
    minute, hour = re.search(r'cron: "(\d+) (\d+) \* \* \*"', workflow.read_text()).groups()
    assert (int(hour), int(minute)) == (DAILY_BUILD_UTC.hour, DAILY_BUILD_UTC.minute)


@pytest.mark.parametrize(
    ("moment", "build"),
    [
        ("2026-12-10T10:00+07:00", "2026-12-10T19:00+07:00"),
        ("2026-12-10T19:00+07:00", "2026-12-10T19:00+07:00"),
        ("2026-12-10T20:00+07:00", "2026-12-11T19:00+07:00"),
        ("2026-12-10T06:00+07:00", "2026-12-10T19:00+07:00"),
    ],
)
def test_a_date_to_come_is_published_by_the_next_daily_build(moment, build):
    assert first_daily_build_after(datetime.fromisoformat(moment)) == datetime.fromisoformat(build)
