"""The ledger: atomic writes, the announce lock, and pending records left by a crash."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from berbagi.publish import ledger as ledger_module
from berbagi.publish.ledger import Ledger, LedgerError, exclusive, new_record, settle

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
CHAPTER = {"domain": "palembang.akademiberbagi.example", "twitter": "AkberPLB"}
BUILD = {"build_id": "b1", "built_at": "2026-11-28T02:00:00+00:00"}
STATE = {"start": "2026-12-05T14:00:00+07:00", "venue": "Studio", "status": "scheduled"}


def test_atomic_write_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "announcements.json"
    path.write_text("old")

    ledger_module.atomic_write_json(path, {"records": ["é"]})

    assert json.loads(path.read_text(encoding="utf-8")) == {"records": ["é"]}
    assert os.listdir(tmp_path) == ["announcements.json"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "announcements.json"
    path.write_text('{"old": true}')

    def power_cut(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(ledger_module.os, "replace", power_cut)
    with pytest.raises(OSError, match="disk full"):
        ledger_module.atomic_write_json(path, {"new": True})

    assert json.loads(path.read_text()) == {"old": True}
    assert os.listdir(tmp_path) == ["announcements.json"]


def test_a_second_run_cannot_take_the_lock(tmp_path):
    lock = tmp_path / ".announce.lock"
    refused = pytest.raises(LedgerError, match="another announce or remind run holds")
    with exclusive(lock), refused, exclusive(lock):
        pass
    with exclusive(lock):  # released once the first run is done
        pass


def test_round_trip_keeps_records_in_order_and_notes_the_build(tmp_path):
    ledger = Ledger(tmp_path / "announcements.json", CHAPTER)
    first = ledger.begin(new_record("a", "twitter", "announcement", "pending", STATE, NOW))
    settle(first, "100", "https://twitter.com/AkberPLB/status/100", NOW)
    ledger.begin(new_record("a", "twitter", "update", "pending", STATE, NOW, "cancelled"))
    ledger.save(BUILD)

    loaded = Ledger.load(tmp_path / "announcements.json")

    assert loaded.updated_by == BUILD
    assert loaded.chapter == CHAPTER
    stored = json.loads((tmp_path / "announcements.json").read_text(encoding="utf-8"))
    assert stored["version"] == 2
    assert stored["records"] == [
        {
            "slug": "a",
            "network": "twitter",
            "kind": "announcement",
            "status": "posted",
            "post_id": "100",
            "url": "https://twitter.com/AkberPLB/status/100",
            "posted_at": "2026-11-28T09:00:00+07:00",
            "recorded_at": "2026-11-28T09:00:00+07:00",
            "state": STATE,
        },
        {
            "slug": "a",
            "network": "twitter",
            "kind": "update",
            "change": "cancelled",
            "status": "pending",
            "post_id": None,
            "url": None,
            "posted_at": None,
            "recorded_at": "2026-11-28T09:00:00+07:00",
            "state": STATE,
        },
    ]
    # A pending update is not what followers know yet, and it is reported.
    assert loaded.known_state("a", "twitter") == STATE
    assert [r.kind for r in loaded.pending()] == ["update"]
    assert loaded.announcement("a", "twitter").post_id == "100"
    assert [record.to_json() for record in loaded.records] == stored["records"]


def test_a_version_1_ledger_is_read_with_its_tweet_ids(tmp_path):
    path = tmp_path / "announcements.json"
    record = {
        "slug": "a",
        "network": "twitter",
        "kind": "announcement",
        "status": "posted",
        "tweet_id": "1864",
        "url": "https://twitter.com/AkberPLB/status/1864",
        "posted_at": "2026-11-28T09:00:00+07:00",
        "recorded_at": "2026-11-28T09:00:00+07:00",
        "state": STATE,
    }
    path.write_text(json.dumps({"version": 1, "chapter": CHAPTER, "records": [record]}))

    loaded = Ledger.load(path)

    assert loaded.announcement("a", "twitter").post_id == "1864"
    assert loaded.save(BUILD) is False  # nothing changed: the file stays as it is
    loaded.begin(new_record("b", "twitter", "announcement", "pending", STATE, NOW))
    assert loaded.save(BUILD) is True
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["version"] == 2
    assert stored["records"][0]["post_id"] == "1864" and "tweet_id" not in stored["records"][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"version": 2, "chapter": CHAPTER, "records": None}, "'records' must be a list"),
        ({"version": 2, "chapter": {"domain": "x"}, "records": []}, "'chapter' must name"),
        ({"version": 2, "chapter": CHAPTER, "records": [{"slug": "a"}]}, "record 1 has no"),
        ({"version": 2, "chapter": CHAPTER, "records": [3]}, "record 1 is not an object"),
    ],
)
def test_a_ledger_of_the_wrong_shape_is_refused_saying_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "announcements.json"
    path.write_text(json.dumps(content))
    with pytest.raises(LedgerError, match=message):
        Ledger.load(path)


def test_a_new_attempt_replaces_an_old_pending_record_and_forget_drops_it(tmp_path):
    ledger = Ledger(tmp_path / "announcements.json", CHAPTER)
    ledger.begin(new_record("a", "twitter", "announcement", "pending", STATE, NOW))
    second = ledger.begin(new_record("a", "twitter", "announcement", "pending", STATE, NOW))

    assert ledger.records == [second]
    ledger.forget(second)
    assert ledger.records == []


def test_missing_ledger_is_none_and_a_broken_one_is_refused(tmp_path):
    path = tmp_path / "announcements.json"
    assert Ledger.load(path) is None

    path.write_text('{"version": 99}')
    with pytest.raises(LedgerError, match="restore it from git"):
        Ledger.load(path)
    path.write_text("{not json")
    with pytest.raises(LedgerError, match="not readable"):
        Ledger.load(path)


def test_a_chapter_not_on_x_has_a_ledger_named_by_its_domain(tmp_path):
    path = tmp_path / "announcements.json"
    chapter = {"domain": "jayapura.akademiberbagi.example", "twitter": ""}
    Ledger(path, chapter, started={"mastodon"}).save()
    loaded = Ledger.load(path)
    assert (loaded.chapter, loaded.records, loaded.networks) == (chapter, [], ["mastodon"])
    assert ledger_module.identity_name(chapter) == "jayapura.akademiberbagi.example"
    assert ledger_module.identity_name(CHAPTER) == "@AkberPLB (palembang.akademiberbagi.example)"
    path.write_text(json.dumps({"version": 2, "chapter": {**chapter, "domain": ""}, "records": []}))
    with pytest.raises(LedgerError, match="'chapter' must name"):
        Ledger.load(path)


def test_a_ledger_without_recaps_since_reads_and_keeps_it_only_once_it_writes(tmp_path):
    path = tmp_path / "announcements.json"
    data = {"version": 2, "chapter": CHAPTER, "networks": ["twitter"], "records": []}
    path.write_text(json.dumps(data))
    ledger = Ledger.load(path)

    assert ledger.recaps_since is None
    assert ledger.knows_recaps_from(NOW) == NOW  # from now on: every class over is recapped
    assert ledger.save(BUILD) is False  # nothing recorded, nothing written
    assert "recaps_since" not in json.loads(path.read_text())

    ledger.begin(new_record("kelas", "twitter", "announcement", "pending", STATE, NOW))
    ledger.save(BUILD)

    assert json.loads(path.read_text())["recaps_since"] == "2026-11-28T09:00:00+07:00"
    assert Ledger.load(path).knows_recaps_from(datetime(2027, 1, 1, tzinfo=NOW.tzinfo)) == NOW


def test_a_recap_record_reads_back(tmp_path):
    path = tmp_path / "announcements.json"
    ledger = Ledger(path, CHAPTER, recaps_since=NOW.isoformat())
    record = ledger.begin(new_record("kelas", "mastodon", "recap", "pending", STATE, NOW))
    settle(record, "113", "https://mastodon.social/@akberplb/113", NOW)
    ledger.save(BUILD)

    (loaded,) = Ledger.load(path).find("kelas", "recap", "mastodon")

    assert (loaded.kind, loaded.status, loaded.post_id) == ("recap", "posted", "113")


def test_a_damaged_recaps_since_is_refused(tmp_path):
    path = tmp_path / "announcements.json"
    data = {"version": 2, "chapter": CHAPTER, "recaps_since": "kemarin", "records": []}
    path.write_text(json.dumps(data))

    with pytest.raises(LedgerError, match="'recaps_since' must be a date and time"):
        Ledger.load(path)
