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


def ended(slug, end="2026-12-05T16:30:00+07:00", status="scheduled"):
    return item(slug, start="2026-12-05T14:00:00+07:00", status=status, end=end)


NEXT_MORNING = datetime(2026, 12, 6, 10, 0, tzinfo=ZONE)


def test_a_recap_is_due_once_the_class_has_ended_as_a_reply(ledger):
    ledger.recaps_since = NOW.isoformat()
    announced(ledger, "foto", "100")

    during = plan.due_recaps(
        [ended("foto")], ledger, datetime(2026, 12, 5, 15, tzinfo=ZONE), 30, "twitter"
    )
    (post,) = plan.due_recaps([ended("foto")], ledger, NEXT_MORNING, 30, "twitter")

    assert during == []
    assert (post.kind, post.reply_to, post.text) == ("recap", "100", "recap foto")


@pytest.mark.parametrize(
    ("now", "window", "due"),
    [
        (datetime(2027, 1, 4, 16, 30, tzinfo=ZONE), 30, True),  # exactly 30 days after the end
        (datetime(2027, 1, 4, 16, 31, tzinfo=ZONE), 30, False),
        (datetime(2027, 1, 4, 16, 31, tzinfo=ZONE), 45, True),
    ],
)
def test_no_recap_after_the_window(ledger, now, window, due):
    ledger.recaps_since = NOW.isoformat()
    announced(ledger, "foto", "100")

    posts = plan.due_recaps([ended("foto")], ledger, now, window, "twitter")

    assert bool(posts) is due


@pytest.mark.parametrize("status", ["cancelled", "postponed"])
def test_no_recap_for_a_class_that_did_not_take_place(ledger, status):
    ledger.recaps_since = NOW.isoformat()

    assert (
        plan.due_recaps([ended("foto", status=status)], ledger, NEXT_MORNING, 30, "twitter") == []
    )


def test_a_class_over_before_the_ledger_knew_recaps_counts_as_recapped(ledger):
    ledger.recaps_since = "2026-12-05T17:00:00+07:00"  # after the class ended

    assert plan.due_recaps([ended("foto")], ledger, NEXT_MORNING, 30, "twitter") == []


def test_a_ledger_without_recaps_since_posts_no_recap_in_its_first_run(ledger):
    assert plan.due_recaps([ended("foto")], ledger, NEXT_MORNING, 30, "twitter") == []
    assert ledger.recaps_since == NEXT_MORNING.isoformat()


def test_a_pending_recap_waits_for_settle_unless_retried(ledger):
    ledger.recaps_since = NOW.isoformat()
    announced(ledger, "foto", "100")
    ledger.begin(new_record("foto", "twitter", "recap", "pending", {}, NEXT_MORNING))

    assert plan.due_recaps([ended("foto")], ledger, NEXT_MORNING, 30, "twitter") == []
    retried = plan.due_recaps(
        [ended("foto")], ledger, NEXT_MORNING, 30, "twitter", retry_pending=True
    )
    assert [post.kind for post in retried] == ["recap"]


def test_a_network_that_never_announced_the_class_gets_no_recap(ledger):
    # Mastodon set up (and baselined) the morning after: its followers never heard of the class.
    ledger.recaps_since = NOW.isoformat()
    announced(ledger, "foto", "100")

    assert plan.due_recaps([ended("foto")], ledger, NEXT_MORNING, 30, "mastodon") == []
    assert [
        p.network for p in plan.due_recaps([ended("foto")], ledger, NEXT_MORNING, 30, "twitter")
    ] == ["twitter"]


def test_one_recap_per_class_and_network(ledger):
    ledger.recaps_since = NOW.isoformat()
    record = ledger.begin(new_record("foto", "twitter", "recap", "pending", {}, NEXT_MORNING))
    settle(record, "200", "https://twitter.com/AkberPLB/status/200", NEXT_MORNING)

    assert plan.due_recaps([ended("foto")], ledger, NEXT_MORNING, 30, "twitter") == []


def test_a_class_without_a_recap_text_gets_no_recap(ledger):
    ledger.recaps_since = NOW.isoformat()
    without = ended("foto")
    texts = {name: text for name, text in without.texts["twitter"].items() if name != "recap"}
    without = plan.PlanItem(**{**without.__dict__, "texts": {"twitter": texts}})

    assert plan.due_recaps([without], ledger, NEXT_MORNING, 30, "twitter") == []


def test_recap_photos_and_end_survive_the_plan_file():
    photos = (
        {"path": "/site/foto/x/a-1440.jpg", "url": "https://e.org/foto/x/a-1440.jpg", "alt": "A"},
    )
    original = item("foto", end="2026-12-05T16:30:00+07:00", photos=photos)

    again = plan.PlanItem.from_json(original.to_json())

    assert (again.end, again.photos) == (original.end, original.photos)
