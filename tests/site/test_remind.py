"""`invoke remind`: one reminder per class starting within 24 hours, as a reply when possible."""

from __future__ import annotations

import json
from pathlib import Path

import responses

from berbagi.glue import runner
from berbagi.publish import cli
from berbagi.settings import load as kit_settings

NO_WAITING = cli.Options(sleep=lambda seconds: None)

TWEETS = "https://api.twitter.com/2/tweets"
EVENING_BEFORE = "2026-12-04T19:00:00+07:00"  # the sample's Jurnalistik Foto starts 5 Dec 14.00


def production_build(site_settings, tmp_path: Path, now: str) -> dict:
    ledger = tmp_path / "announcements.json"
    social = {"write_plan": True, "ledger": str(ledger), "networks": ["twitter"]}
    settings = site_settings(now=now, SOCIAL_PUBLISH=social)
    runner.build(settings)
    return settings


def test_reminder_is_posted_once_as_a_reply_to_the_announcement(
    site_settings, tmp_path, credentials
):
    settings = production_build(site_settings, tmp_path, "2026-11-28T09:00:00+07:00")
    cli.announce(kit_settings(settings), baseline=True, out=lambda line: None)
    ledger_file = Path(settings["SOCIAL_PUBLISH"]["ledger"])
    ledger = json.loads(ledger_file.read_text())
    ledger["records"][0].update(status="posted", post_id="1400")  # Jurnalistik Foto
    ledger_file.write_text(json.dumps(ledger))
    settings = production_build(site_settings, tmp_path, EVENING_BEFORE)
    lines: list[str] = []

    with responses.RequestsMock() as twitter:
        twitter.post(TWEETS, status=201, json={"data": {"id": "1401", "text": "..."}})
        cli.remind(kit_settings(settings), NO_WAITING, out=lines.append)
        cli.remind(kit_settings(settings), NO_WAITING, out=lines.append)

        assert len(twitter.calls) == 1
        body = json.loads(twitter.calls[0].request.body)

    assert body == {
        "text": "Pengingat: Jurnalistik Foto: Bercerita dengan Gambar\n"
        "Sabtu, 5 Desember 2026, 14.00 WIB\n"
        "Tempat: Studio Radio Suara Contoh FM\n"
        "Bersama @rina_foto_fiksi\n"
        "https://palembang.akademiberbagi.example/kelas/jurnalistik-foto/ #AkberPLB",
        "reply": {"in_reply_to_tweet_id": "1400"},
    }
    assert lines == [
        "remind: posted reminder jurnalistik-foto: https://twitter.com/AkberPLB/status/1401",
        "remind: nothing to post on X (Twitter)",
    ]
    reminder = json.loads(ledger_file.read_text())["records"][-1]
    assert {k: reminder[k] for k in ("slug", "kind", "status", "post_id")} == {
        "slug": "jurnalistik-foto",
        "kind": "reminder",
        "status": "posted",
        "post_id": "1401",
    }
    assert reminder["state"]["start"] == "2026-12-05T14:00:00+07:00"


def test_no_reminder_a_week_ahead_and_none_for_cancelled_classes(
    site_settings, tmp_path, credentials
):
    # 18 Dec: the cancelled Desain Grafis class would start within 24 hours.
    settings = production_build(site_settings, tmp_path, "2026-12-18T19:00:00+07:00")
    cli.announce(kit_settings(settings), baseline=True, out=lambda line: None)
    lines: list[str] = []

    with responses.RequestsMock() as twitter:
        cli.remind(kit_settings(settings), out=lines.append)
        assert len(twitter.calls) == 0

    assert lines == ["remind: nothing to post on X (Twitter)"]
