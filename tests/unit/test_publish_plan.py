"""What is due: new classes, one update per change, reminders, and the baseline."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from berbagi.publish import plan
from berbagi.publish.compose import Composed
from berbagi.publish.ledger import Ledger, new_record, settle

ZONE = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=ZONE)
CHAPTER = {"domain": "palembang.akademiberbagi.example", "twitter": "AkberPLB"}


def item(slug, start="2026-12-05T14:00:00+07:00", venue="Studio", status="scheduled", **extra):
    texts = {name: Composed(f"{name} {slug}", 10) for name in plan.ORDER}
    texts["update"] = Composed(f"update {slug}", 11)
    return plan.PlanItem(
        slug=slug,
        type="class",
        title=slug,
        url=f"https://example.org/kelas/{slug}/",
        state={"start": start, "venue": venue, "status": status},
        texts={"twitter": texts},
        **extra,
    )


def announced(ledger, slug, tweet_id="100", **state):
    base = {"start": "2026-12-05T14:00:00+07:00", "venue": "Studio", "status": "scheduled"}
    record = ledger.begin(
        new_record(slug, "twitter", "announcement", "pending", {**base, **state}, NOW)
    )
    settle(record, tweet_id, f"https://twitter.com/AkberPLB/status/{tweet_id}", NOW)


@pytest.fixture
def ledger(tmp_path):
    return Ledger(tmp_path / "announcements.json", CHAPTER)


@pytest.mark.parametrize(
    ("known", "current", "change"),
    [
        ({"status": "scheduled"}, {"status": "cancelled"}, "cancelled"),
        ({"status": "cancelled"}, {"status": "cancelled", "start": "other"}, None),
        ({"status": "scheduled"}, {"status": "postponed"}, "postponed"),
        ({"status": "postponed", "start": "2027-01-23T09:00:00+07:00"}, {}, "rescheduled"),
        ({"start": "2026-12-05T07:00:00+00:00"}, {}, None),  # same moment, other offset
        ({"start": "2026-12-05T15:00:00+07:00"}, {}, "rescheduled"),
        ({"venue": "Kafe"}, {}, "rescheduled"),
    ],
)
def test_change_between(known, current, change):
    base = {"start": "2026-12-05T14:00:00+07:00", "venue": "Studio", "status": "scheduled"}
    assert plan.change_between({**base, **known}, {**base, **current}) == change


def test_new_scheduled_classes_are_due_changes_first_and_past_ones_never(ledger):
    announced(ledger, "moved", start="2026-12-01T14:00:00+07:00")
    announced(ledger, "same")
    items = [
        item("later", start="2027-01-09T09:00:00+07:00"),
        item("sooner"),
        item("moved"),
        item("same"),
        item("cancelled-before-anyone-heard", status="cancelled"),
        item("over", start="2026-11-27T14:00:00+07:00"),
    ]

    due = plan.due_posts(items, ledger, NOW, ["class"], "twitter")

    assert [(p.kind, p.slug, p.change, p.reply_to) for p in due] == [
        ("update", "moved", "rescheduled", "100"),
        ("announcement", "sooner", None, None),
        ("announcement", "later", None, None),
    ]


def test_a_class_waits_for_its_announcement_date(ledger):
    waiting = item("waiting", announce_from=(NOW + timedelta(days=1)).isoformat())

    assert plan.due_posts([waiting], ledger, NOW, ["class"], "twitter") == []
    tomorrow = NOW + timedelta(days=1)
    assert len(plan.due_posts([waiting], ledger, tomorrow, ["class"], "twitter")) == 1
    assert plan.baseline_records([waiting], ledger, NOW, "twitter") == []


def test_a_pending_record_blocks_its_class_until_resolved(ledger):
    ledger.begin(new_record("a", "twitter", "announcement", "pending", item("a").state, NOW))

    assert plan.due_posts([item("a")], ledger, NOW, ["class"], "twitter") == []
    retried = plan.due_posts([item("a")], ledger, NOW, ["class"], "twitter", retry_pending=True)
    assert [p.slug for p in retried] == ["a"]


def test_reminders_within_the_window_once_per_start(ledger):
    announced(ledger, "soon", tweet_id="7")
    items = [item("soon"), item("next-week", start="2026-12-12T14:00:00+07:00")]
    evening_before = datetime(2026, 12, 4, 19, 0, tzinfo=ZONE)

    due = plan.due_reminders(items, ledger, evening_before, 24, "twitter")

    assert [(p.slug, p.reply_to, p.text) for p in due] == [("soon", "7", "reminder soon")]
    record = ledger.begin(new_record("soon", "twitter", "reminder", "pending", due[0].state, NOW))
    settle(record, "8", "u", NOW)
    assert plan.due_reminders(items, ledger, evening_before, 24, "twitter") == []


def test_baseline_records_current_state_of_upcoming_classes_and_pages(ledger):
    announced(ledger, "moved", start="2026-12-01T14:00:00+07:00")
    items = [
        item("new"),
        item("moved", status="postponed"),
        item("over", start="2026-11-01T14:00:00+07:00"),
        plan.PlanItem("page:tentang", "page", "Tentang", "u", {"title": "Tentang"}, {}),
    ]

    records = plan.baseline_records(items, ledger, NOW, "twitter")

    assert [(r.kind, r.slug, r.status, r.change) for r in records] == [
        ("announcement", "new", "baseline", None),
        ("update", "moved", "baseline", "postponed"),
        ("announcement", "page:tentang", "baseline", None),
    ]


def test_an_item_survives_the_plan_file_unchanged(ledger):
    original = item("a", announce_from=NOW.isoformat())
    assert plan.PlanItem.from_json(original.to_json()) == original


def test_another_networks_pending_record_does_not_block_this_network(ledger):
    ledger.begin(new_record("a", "mastodon", "announcement", "pending", item("a").state, NOW))

    assert [p.slug for p in plan.due_posts([item("a")], ledger, NOW, ["class"], "twitter")] == ["a"]
