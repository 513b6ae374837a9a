"""`invoke announce` end to end: real production builds, tweepy's real requests, `responses`."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from berbagi.glue import runner
from berbagi.publish import cli
from berbagi.publish import ledger as ledger_module
from berbagi.publish.networks.x import CREDENTIALS
from berbagi.settings import load as kit_settings

TWEETS = "https://api.twitter.com/2/tweets"
SITE = "https://palembang.akademiberbagi.example"
DUPLICATE = {
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}
SAMPLE_UPCOMING = [
    "jurnalistik-foto",
    "desain-grafis-komunitas",
    "kewirausahaan-sosial",
    "hidup-sehat-pekerja-kantoran",
]


def plan_path(settings: dict) -> Path:
    return Path(settings["CACHE_PATH"]) / "announce-plan.json"


def ledger_path(settings: dict) -> Path:
    return Path(settings["SOCIAL_PUBLISH"]["ledger"])


def empty_ledger(settings: dict, records: list | None = None) -> None:
    chapter = {"domain": "palembang.akademiberbagi.example", "twitter": "AkberPLB"}
    ledger_path(settings).write_text(
        json.dumps({"version": 1, "chapter": chapter, "records": records or []})
    )


def records(settings: dict) -> list[dict]:
    return json.loads(ledger_path(settings).read_text(encoding="utf-8"))["records"]


def summary(settings: dict) -> list[tuple]:
    return [(r["kind"], r["slug"], r["status"], r["post_id"]) for r in records(settings)]


def texts(settings: dict) -> dict[str, dict]:
    plan = json.loads(plan_path(settings).read_text(encoding="utf-8"))
    return {item["slug"]: item["texts"]["twitter"] for item in plan["items"]}


def posted(twitter) -> list[dict]:
    return [json.loads(call.request.body) for call in twitter.calls]


def created(twitter, *ids: str) -> None:
    for tweet_id in ids:
        twitter.post(TWEETS, status=201, json={"data": {"id": tweet_id, "text": "..."}})


def announce(settings, baseline=False, **flags) -> list[str]:
    """`invoke announce` with these flags; retries do not wait."""
    lines: list[str] = []
    flags.setdefault("sleep", lambda seconds: None)
    options = cli.Options(**flags)
    cli.announce(kit_settings(settings), options, baseline=baseline, out=lines.append)
    return lines


def test_posts_new_classes_only_and_a_second_run_posts_nothing(site, twitter, credentials):
    settings = site()
    empty_ledger(settings)
    created(twitter, "101", "102")

    announce(settings)
    announce(settings)

    # Cancelled and postponed classes that nobody heard of are not news; past classes never are.
    expected = texts(settings)
    assert posted(twitter) == [
        {"text": expected["jurnalistik-foto"]["announcement"]["text"]},
        {"text": expected["kewirausahaan-sosial"]["announcement"]["text"]},
    ]
    assert posted(twitter)[0]["text"] == (
        "Kelas baru #AkberPLB: Jurnalistik Foto: Bercerita dengan Gambar\n"
        "Sabtu, 5 Desember 2026, 14.00 WIB\n"
        "Tempat: Studio Radio Suara Contoh FM\n"
        "Bersama @rina_foto_fiksi\n"
        f"Info & daftar: {SITE}/kelas/jurnalistik-foto/"
    )
    assert records(settings)[0] == {
        "slug": "jurnalistik-foto",
        "network": "twitter",
        "kind": "announcement",
        "status": "posted",
        "post_id": "101",
        "url": "https://twitter.com/AkberPLB/status/101",
        "posted_at": "2026-11-28T09:00:00+07:00",
        "recorded_at": "2026-11-28T09:00:00+07:00",
        "state": {
            "start": "2026-12-05T14:00:00+07:00",
            "venue": "Studio Radio Suara Contoh FM",
            "status": "scheduled",
        },
    }
    assert summary(settings)[1] == ("announcement", "kewirausahaan-sosial", "posted", "102")
    assert len(twitter.calls) == 2
    # OAuth 1.0a user context, as create_tweet needs, with our fake token.
    authorization = twitter.calls[0].request.headers["Authorization"]
    assert authorization.startswith("OAuth ")
    assert 'oauth_token="fake-twitter_access_token"' in authorization


def test_dry_run_prints_exactly_the_posts_with_their_lengths(site, twitter, credentials):
    settings = site()
    empty_ledger(settings)
    expected = texts(settings)

    lines = announce(settings, dry_run=True)

    first = expected["jurnalistik-foto"]["announcement"]
    second = expected["kewirausahaan-sosial"]["announcement"]
    assert lines == [
        "announce: dry run on X (Twitter): 2 post(s) would be sent, about 0.40 USD "
        "(0.20 a post with a link); nothing is posted or recorded",
        f"\n[1/2] announcement jurnalistik-foto ({first['weighted_length']}/280)\n{first['text']}",
        f"\n[2/2] announcement kewirausahaan-sosial ({second['weighted_length']}/280)\n"
        f"{second['text']}",
        "",
    ]
    # The sample's .example domain is no real TLD, so Twitter counts its URL letter by letter.
    assert (first["weighted_length"], second["weighted_length"]) == (239, 245)
    assert len(twitter.calls) == 0
    assert records(settings) == []


def test_missing_credentials_skip_the_network_with_one_line(site, twitter, monkeypatch):
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    settings = site()
    empty_ledger(settings)

    lines = announce(settings)

    assert lines == [
        "announce: TWITTER_API_KEY, TWITTER_API_SECRET, TWITTER_ACCESS_TOKEN, "
        "TWITTER_ACCESS_TOKEN_SECRET not set, so X (Twitter) is skipped: nothing is posted or "
        'recorded there (setting up the secrets: README, "X (Twitter): what it costs, and the '
        'credentials step by step")'
    ]
    assert len(twitter.calls) == 0
    assert records(settings) == []


def test_rate_limit_after_the_first_post_stops_and_keeps_what_was_sent(site, twitter, credentials):
    settings = site()
    empty_ledger(settings)
    created(twitter, "101")
    twitter.post(
        TWEETS,
        status=429,
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
        headers={"x-rate-limit-reset": "1796439600"},
    )

    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings)

    assert failure.value.code == cli.EXIT_FAILED
    assert "rate limit" in str(failure.value)
    assert "1 of 2 post(s) went out and are recorded; the other 1 wait" in str(failure.value)
    assert "wait for a run after Sabtu, 5 Desember 2026 · 10.00 WIB" in str(failure.value)
    assert summary(settings) == [("announcement", "jurnalistik-foto", "posted", "101")]
    assert len(twitter.calls) == 2

    created(twitter, "102")
    announce(settings)
    assert summary(settings)[1] == ("announcement", "kewirausahaan-sosial", "posted", "102")
    assert len(twitter.calls) == 3


def test_server_error_is_retried_with_backoff(site, twitter, credentials):
    settings = site(max_posts=1)
    empty_ledger(settings)
    twitter.post(TWEETS, status=503, json={"title": "Service Unavailable", "status": 503})
    created(twitter, "101")
    waits: list[float] = []

    lines = announce(settings, sleep=waits.append)

    assert waits == [2.0]
    assert "trying again in 2 s" in lines[0]
    assert summary(settings) == [("announcement", "jurnalistik-foto", "posted", "101")]
    assert len(twitter.calls) == 2


def test_server_errors_that_persist_stop_the_run_with_nothing_recorded(site, twitter, credentials):
    settings = site(max_posts=1)
    empty_ledger(settings)
    twitter.post(TWEETS, status=503, json={"title": "Service Unavailable", "status": 503})
    waits: list[float] = []

    with pytest.raises(cli.PublishFailed, match="3 attempts") as failure:
        announce(settings, sleep=waits.append)

    assert failure.value.code == cli.EXIT_FAILED
    assert waits == [2.0, 8.0]
    assert records(settings) == []
    assert len(twitter.calls) == 3


def test_bad_credentials_name_what_to_fix_and_record_nothing(
    site, twitter, credentials, capsys, caplog
):
    caplog.set_level(logging.DEBUG)
    settings = site()
    empty_ledger(settings)
    twitter.post(TWEETS, status=401, json={"title": "Unauthorized", "status": 401})

    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings)

    assert failure.value.code == cli.EXIT_SETUP
    assert "check the four TWITTER_* secrets" in str(failure.value)
    printed = capsys.readouterr()
    # Secrets are never shown: not in the message, the output or any log record (even DEBUG).
    for shown in (str(failure.value), printed.out, printed.err, caplog.text):
        assert "fake-" not in shown
    assert records(settings) == []
    assert len(twitter.calls) == 1


def test_read_only_app_is_told_to_get_write_permission(site, twitter, credentials):
    settings = site()
    empty_ledger(settings)
    twitter.post(
        TWEETS,
        status=403,
        json={"detail": "You are not permitted to perform this action.", "status": 403},
    )

    with pytest.raises(cli.PublishFailed, match="'Read and Write' permission") as failure:
        announce(settings)

    assert failure.value.code == cli.EXIT_SETUP
    assert records(settings) == []
    assert len(twitter.calls) == 1


def test_duplicate_content_means_it_was_posted(site, twitter, credentials):
    settings = site()
    empty_ledger(settings)
    twitter.post(TWEETS, status=403, json=DUPLICATE)
    created(twitter, "102")

    announce(settings)

    assert summary(settings) == [
        ("announcement", "jurnalistik-foto", "posted", None),
        ("announcement", "kewirausahaan-sosial", "posted", "102"),
    ]
    assert records(settings)[0]["duplicate"] is True
    assert len(twitter.calls) == 2


def test_crash_between_post_and_ledger_write_is_reported_not_reposted(
    site, twitter, credentials, monkeypatch
):
    settings = site()
    empty_ledger(settings)
    created(twitter, "101")
    real_write = ledger_module.atomic_write_json
    writes = []

    def crash_after_the_post(path, data):
        writes.append(path)
        if len(writes) == 2:  # 1: the pending intent, 2: the posted record
            raise OSError("No space left on device")
        real_write(path, data)

    monkeypatch.setattr(ledger_module, "atomic_write_json", crash_after_the_post)
    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings)
    monkeypatch.setattr(ledger_module, "atomic_write_json", real_write)

    assert failure.value.code == cli.EXIT_ATTENTION
    assert "https://twitter.com/AkberPLB/status/101 but could not record it" in str(failure.value)
    assert (
        "run `invoke settle jurnalistik-foto --posted https://twitter.com/AkberPLB/status/101`"
        in str(failure.value)
    )
    assert summary(settings) == [("announcement", "jurnalistik-foto", "pending", None)]

    created(twitter, "102")
    with pytest.raises(cli.PublishFailed) as restart:
        lines = []
        cli.announce(
            kit_settings(settings), cli.Options(sleep=lambda seconds: None), out=lines.append
        )

    assert restart.value.code == cli.EXIT_ATTENTION
    assert lines[0].startswith(
        "announce: announcement jurnalistik-foto on twitter may have been posted at "
        "2026-11-28T09:00:00+07:00 just before a run stopped; it is not posted again until you "
        "settle it: `invoke settle jurnalistik-foto --posted URL` if it is on the account"
    )
    assert [body["text"].splitlines()[0] for body in posted(twitter)] == [
        "Kelas baru #AkberPLB: Jurnalistik Foto: Bercerita dengan Gambar",
        "Kelas baru #AkberPLB: Kewirausahaan Sosial: Usaha yang Menolong Sesama",
    ]
    assert summary(settings) == [
        ("announcement", "jurnalistik-foto", "pending", None),
        ("announcement", "kewirausahaan-sosial", "posted", "102"),
    ]

    # The operator checks: retrying sends it again, and Twitter's duplicate answer settles it.
    twitter.post(TWEETS, status=403, json=DUPLICATE)
    announce(settings, retry_pending=True)
    assert summary(settings)[-1] == ("announcement", "jurnalistik-foto", "posted", None)
    assert len(twitter.calls) == 3


def test_baseline_records_the_current_site_and_nothing_is_posted(site, twitter, credentials):
    settings = site()

    with pytest.raises(cli.PublishFailed, match="invoke announce --baseline") as refused:
        announce(settings)
    assert refused.value.code == cli.EXIT_SETUP

    lines = announce(settings, baseline=True)
    announce(settings)

    assert lines[-1].startswith("announce: recorded 10 item(s) as already public")
    assert summary(settings) == [
        ("announcement", slug, "baseline", None)
        for slug in [*SAMPLE_UPCOMING, *(f"page:{p}" for p in ("aturan", "jadi-guru"))]
        + ["page:kontak", "page:mitra", "page:privasi", "page:tentang"]
    ]
    assert records(settings)[1]["state"]["status"] == "cancelled"
    assert len(twitter.calls) == 0


def test_at_most_max_posts_per_run_and_the_rest_wait(site, twitter, credentials):
    settings = site(kinds=["class", "page"])
    empty_ledger(settings)
    created(twitter, *(str(n) for n in range(101, 109)))

    first = announce(settings)
    second = announce(settings)
    announce(settings)

    assert first[-1] == "announce: 5 more post(s) wait for the next run (at most 3 per run)"
    assert second[-1] == "announce: 2 more post(s) wait for the next run (at most 3 per run)"
    assert [r["slug"] for r in records(settings)] == [
        "jurnalistik-foto",
        "kewirausahaan-sosial",
        "page:aturan",
        "page:jadi-guru",
        "page:kontak",
        "page:mitra",
        "page:privasi",
        "page:tentang",
    ]
    assert posted(twitter)[2] == {"text": f"Halaman baru: Aturan Kelas\n{SITE}/aturan/ #AkberPLB"}
    assert len(twitter.calls) == 8


def test_cancellation_is_posted_once_as_a_reply_to_the_announcement(site, twitter, credentials):
    announced_state = {
        "start": "2026-12-19T13:00:00+07:00",
        "venue": "Gedung Serbaguna Kampus Contoh",
        "status": "scheduled",
    }
    settings = site()
    announce(settings, baseline=True)
    ledger = json.loads(ledger_path(settings).read_text())
    for record in ledger["records"]:
        if record["slug"] == "desain-grafis-komunitas":  # as it was when announced
            record.update(status="posted", post_id="1500", state=announced_state)
    ledger_path(settings).write_text(json.dumps(ledger))
    created(twitter, "1501")

    announce(settings)
    announce(settings)

    assert posted(twitter) == [
        {
            "text": texts(settings)["desain-grafis-komunitas"]["update"]["text"],
            "reply": {"in_reply_to_tweet_id": "1500"},
        }
    ]
    assert posted(twitter)[0]["text"].startswith(
        "DIBATALKAN: Desain Grafis untuk Poster Komunitas (Sabtu, 19 Desember 2026, 13.00 WIB)"
    )
    update = records(settings)[-1]
    assert (update["kind"], update["change"], update["post_id"]) == ("update", "cancelled", "1501")
    assert update["state"] == {**announced_state, "status": "cancelled"}
    assert len(twitter.calls) == 1


def test_a_moved_class_gets_one_new_date_post(site, twitter, credentials, content_dir):
    content = content_dir()
    settings = site(content)
    announce(settings, baseline=True)
    source = content / "classes" / "2027-01-09-kewirausahaan-sosial.md"
    source.write_text(
        source.read_text().replace("Venue: Aula Kantor Graha Contoh", "Venue: Kafe Kopi Contoh")
    )
    settings = site(content)
    created(twitter, "1600")

    announce(settings)
    announce(settings)

    assert [body["text"].splitlines()[:3] for body in posted(twitter)] == [
        [
            "JADWAL BARU: Kewirausahaan Sosial: Usaha yang Menolong Sesama",
            "Sabtu, 9 Januari 2027, 09.00 WIB",
            "Tempat: Kafe Kopi Contoh",
        ]
    ]
    assert "reply" not in posted(twitter)[0]  # the baseline has no tweet to reply to
    assert summary(settings)[-1] == ("update", "kewirausahaan-sosial", "posted", "1600")


def test_a_local_build_writes_no_plan_and_nothing_posts(
    site_settings, tmp_path, twitter, credentials
):
    settings = site_settings(SOCIAL_PUBLISH={"ledger": str(tmp_path / "announcements.json")})
    runner.build(settings)

    assert not plan_path(settings).exists()
    with pytest.raises(cli.PublishFailed, match="no announce plan") as failure:
        announce(settings)
    assert failure.value.code == cli.EXIT_SETUP
    assert len(twitter.calls) == 0


def test_a_failed_build_removes_the_previous_plan(site, content_dir, twitter, credentials):
    content = content_dir()
    settings = site(content)
    assert plan_path(settings).exists()
    (content / "classes" / "2026-12-12-broken.md").write_text("Title: Tanpa jadwal\n\nIsi.\n")

    with pytest.raises(runner.BuildFailed):
        site(content)

    assert not plan_path(settings).exists()
    assert not list(plan_path(settings).parent.glob("announce-plan*"))


def test_an_error_logged_after_the_plan_was_composed_leaves_no_plan(
    site, site_settings, tmp_path, monkeypatch
):
    from pelican import Pelican
    from pelican.generators import StaticGenerator

    settings = site()
    assert plan_path(settings).exists()
    copy_static = StaticGenerator.generate_output

    def copy_and_fail(self, writer):
        copy_static(self, writer)
        logging.getLogger("pelican.generators").error("could not copy images/kelas.jpg")

    monkeypatch.setattr(StaticGenerator, "generate_output", copy_and_fail)
    # Pelican itself carries on after a logged error (the runner fails the build afterwards).
    Pelican(
        site_settings(
            SOCIAL_PUBLISH={"write_plan": True, "ledger": str(tmp_path / "announcements.json")}
        )
    ).run()

    assert not list(plan_path(settings).parent.glob("announce-plan*"))


def test_content_changed_after_the_build_is_refused(site, content_dir, twitter, credentials):
    content = content_dir()
    settings = site(content)
    empty_ledger(settings)
    source = content / "classes" / "2026-12-05-jurnalistik-foto.md"
    source.write_text(source.read_text().replace("Status: scheduled", "Status: cancelled"))

    with pytest.raises(cli.PublishFailed, match="content changed since the plan") as failure:
        announce(settings)

    assert failure.value.code == cli.EXIT_SETUP
    assert len(twitter.calls) == 0


def test_a_ledger_of_another_chapter_is_refused(site, twitter, credentials):
    settings = site()
    ledger_path(settings).write_text(
        json.dumps(
            {"version": 1, "chapter": {"domain": "x.example", "twitter": "AkberJKT"}, "records": []}
        )
    )

    with pytest.raises(cli.PublishFailed, match="belongs to @AkberJKT") as failure:
        announce(settings)

    assert failure.value.code == cli.EXIT_SETUP
    assert len(twitter.calls) == 0


def test_a_second_run_at_the_same_time_is_refused(site, twitter, credentials):
    settings = site()
    empty_ledger(settings)

    lock = ledger_path(settings).parent / ".announce.lock"
    held = pytest.raises(cli.PublishFailed, match="another announce or remind run")
    with ledger_module.exclusive(lock), held:
        announce(settings)

    assert len(twitter.calls) == 0
