"""Announcing on every network at once: X, Facebook, Telegram, Mastodon, Bluesky and the
mailing list, each through its real client against local or intercepted servers."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import network_servers as servers
import pytest
import requests

from berbagi.publish import cli
from berbagi.settings import load as kit_settings

ALL = ["twitter", "facebook", "telegram", "mastodon", "bluesky", "email"]
SITE = "https://palembang.akademiberbagi.example"
FOTO = f"{SITE}/kelas/jurnalistik-foto/"


def ledger_path(settings: dict) -> Path:
    return Path(settings["SOCIAL_PUBLISH"]["ledger"])


def started_ledger(settings: dict, networks: list[str] = ALL) -> None:
    """A ledger that knows these networks and has no records yet: every class is new there."""
    chapter = {"domain": "palembang.akademiberbagi.example", "twitter": "AkberPLB"}
    ledger_path(settings).write_text(
        json.dumps({"version": 2, "chapter": chapter, "networks": networks, "records": []})
    )


def records(settings: dict) -> list[dict]:
    return json.loads(ledger_path(settings).read_text(encoding="utf-8"))["records"]


def announce(settings: dict, baseline: bool = False, **flags) -> list[str]:
    lines: list[str] = []
    flags.setdefault("sleep", lambda seconds: None)
    cli.announce(kit_settings(settings), cli.Options(**flags), baseline=baseline, out=lines.append)
    return lines


def cancel(content: Path, name: str = "2026-12-05-jurnalistik-foto.md") -> None:
    source = content / "classes" / name
    source.write_text(
        source.read_text().replace(
            "Status: scheduled", "Status: cancelled\nStatus_Note: Studio sedang direnovasi."
        )
    )


def test_each_new_class_once_everywhere_a_cancellation_as_a_reply_and_a_rerun_posts_nothing(
    site, networks, content_dir
):
    content = content_dir()
    settings = site(content, networks=None)
    started_ledger(settings)
    networks.answer_all()

    announce(settings)
    announce(settings)

    posted = {(r["network"], r["slug"]) for r in records(settings)}
    assert posted == {
        (network, slug) for network in ALL for slug in ("jurnalistik-foto", "kewirausahaan-sosial")
    }
    assert len(networks.bodies("twitter")) == 2
    facebook = networks.bodies("facebook")
    assert [body["link"] for body in facebook] == [FOTO, f"{SITE}/kelas/kewirausahaan-sosial/"]
    assert facebook[0]["message"].startswith("Kelas baru: Jurnalistik Foto: Bercerita dengan")
    telegram = networks.bodies("telegram")[0]
    assert telegram["chat_id"] == "@akberplb"
    assert telegram["link_preview_options"] == {"url": FOTO, "prefer_large_media": True}
    assert "Bersama Rina Fotografer" in telegram["text"]  # a Twitter handle means nothing there
    mastodon = networks.bodies("mastodon")[0]
    assert mastodon["status"].endswith(FOTO)
    bluesky = networks.bodies("bluesky")[0]["record"]
    assert bluesky["langs"] == ["id"]
    link = next(f for f in bluesky["facets"] if f["features"][0]["$type"].endswith("#link"))
    start, end = link["index"]["byteStart"], link["index"]["byteEnd"]
    assert bluesky["text"].encode()[start:end].decode() == FOTO
    assert bluesky["embed"]["external"]["uri"] == FOTO
    assert bluesky["embed"]["external"]["thumb"]["ref"]["$link"] == servers.BLOB_CID
    mail = networks.mailbox.messages[0]
    assert mail["Subject"].startswith("Kelas baru: Jurnalistik Foto: Bercerita dengan Gambar")
    assert mail["To"] == "akber-palembang@googlegroups.example"
    parts = {part.get_content_type(): part for part in mail.walk()}
    assert FOTO in parts["text/plain"].get_content()
    assert f'<a href="{FOTO}">' in parts["text/html"].get_content()
    assert "BEGIN:VCALENDAR" in parts["text/calendar"].get_content()
    assert len(networks.mailbox.messages) == 2

    cancel(content)
    settings = site(content, networks=None)
    announce(settings)
    announce(settings)

    updates = {r["network"]: r for r in records(settings) if r["kind"] == "update"}
    assert set(updates) == set(ALL)
    announced = {
        r["network"]: r
        for r in records(settings)
        if r["kind"] == "announcement" and r["slug"] == "jurnalistik-foto"
    }
    assert networks.bodies("twitter")[-1]["reply"] == {
        "in_reply_to_tweet_id": announced["twitter"]["post_id"]
    }
    assert networks.bodies("telegram")[-1]["reply_parameters"] == {
        "message_id": int(announced["telegram"]["post_id"]),
        "allow_sending_without_reply": True,
    }
    assert networks.bodies("mastodon")[-1]["in_reply_to_id"] == announced["mastodon"]["post_id"]
    reply = networks.bodies("bluesky")[-1]["record"]["reply"]
    root = {
        "uri": announced["bluesky"]["reply"]["uri"],
        "cid": announced["bluesky"]["reply"]["cid"],
    }
    assert (reply["root"], reply["parent"]) == (
        {**root, "$type": "com.atproto.repo.strongRef"},
        {**root, "$type": "com.atproto.repo.strongRef"},
    )
    assert "DIBATALKAN" in networks.bodies("facebook")[-1]["message"]  # a new post
    mail = networks.mailbox.messages[-1]
    assert mail["In-Reply-To"].strip() == announced["email"]["post_id"]
    assert mail["Subject"].startswith("DIBATALKAN: Jurnalistik Foto")
    assert "Studio sedang direnovasi." in mail.get_body(("plain",)).get_content()
    assert len(networks.mailbox.messages) == 3
    assert len(networks.bodies("twitter")) == 3


def test_one_failing_network_stops_alone_and_the_run_names_it(site, networks):
    settings = site(networks=None)
    started_ledger(settings)
    networks.answer_all()
    networks.http.replace(
        "POST",
        f"{servers.MASTODON}/api/v1/statuses",
        status=401,
        json={"error": "The access token is invalid"},
    )

    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings)

    assert failure.value.code == cli.EXIT_SETUP
    message = str(failure.value)
    assert "Mastodon refused the access token" in message
    assert "MASTODON_ACCESS_TOKEN" in message
    networks_posted = {r["network"] for r in records(settings)}
    assert networks_posted == set(ALL) - {"mastodon"}
    assert len(records(settings)) == 10


def test_two_failures_are_named_one_line_each(site, networks):
    settings = site(networks=None)
    started_ledger(settings)
    networks.answer_all()
    networks.http.replace(
        "POST",
        f"{servers.TELEGRAM}/bot{servers.BOT_TOKEN}/sendMessage",
        status=429,
        json={
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 30",
            "parameters": {"retry_after": 30},
        },
    )
    networks.http.replace(
        "POST", servers.TWEETS, status=402, json={"title": "CreditsDepleted", "status": 402}
    )

    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings)

    lines = str(failure.value).splitlines()
    assert lines[0] == "announce: 2 networks failed; the others posted:"
    assert lines[1].startswith("- X answered 402")
    assert lines[2].startswith("- Telegram's rate limit was reached (429 Too Many Requests")
    assert failure.value.code == cli.EXIT_SETUP
    assert {r["network"] for r in records(settings)} == {"facebook", "mastodon", "bluesky", "email"}


def test_a_network_without_records_is_refused_until_its_baseline(site, networks):
    settings = site(networks=None)
    started_ledger(settings, ["twitter"])
    networks.answer_all()

    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings, network="mastodon")
    assert failure.value.code == cli.EXIT_SETUP
    assert "`invoke announce --baseline --network mastodon`" in str(failure.value)
    assert networks.bodies("mastodon") == []

    lines = announce(settings, baseline=True, network="mastodon")
    announce(settings, network="mastodon")

    assert lines[-1].endswith("for Mastodon; nothing was posted")
    assert {r["network"] for r in records(settings)} == {"mastodon"}
    assert {r["status"] for r in records(settings)} == {"baseline"}
    assert networks.bodies("mastodon") == []
    assert json.loads(ledger_path(settings).read_text())["networks"] == ["mastodon", "twitter"]


def test_a_pending_record_on_one_network_does_not_hold_back_another(site, networks):
    settings = site(networks=["twitter", "mastodon"])
    started_ledger(settings, ["twitter", "mastodon"])
    networks.answer_all()
    chapter = {"domain": "palembang.akademiberbagi.example", "twitter": "AkberPLB"}
    pending = {
        "slug": "jurnalistik-foto",
        "network": "twitter",
        "kind": "announcement",
        "status": "pending",
        "recorded_at": "2026-11-28T08:00:00+07:00",
        "state": {},
    }
    ledger_path(settings).write_text(
        json.dumps(
            {
                "version": 2,
                "chapter": chapter,
                "networks": ["twitter", "mastodon"],
                "records": [pending],
            }
        )
    )

    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings)

    assert failure.value.code == cli.EXIT_ATTENTION
    assert [r["slug"] for r in records(settings) if r["network"] == "mastodon"] == [
        "jurnalistik-foto",
        "kewirausahaan-sosial",
    ]
    assert [body["text"].split("\n")[0] for body in networks.bodies("twitter")] == [
        "Kelas baru #AkberPLB: Kewirausahaan Sosial: Usaha yang Menolong Sesama"
    ]


def test_no_secret_reaches_the_output_or_any_log(site, networks, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    settings = site(networks=None)
    started_ledger(settings)
    networks.answer_all()
    networks.http.replace(
        "POST",
        f"{servers.TELEGRAM}/bot{servers.BOT_TOKEN}/sendMessage",
        # requests' own error names the address, and with it the bot's token.
        body=requests.ConnectionError(
            f"Max retries exceeded with url: /telegram/bot{servers.BOT_TOKEN}/sendMessage"
        ),
    )
    networks.http.replace(
        "POST",
        f"{servers.GRAPH}/{servers.PAGE_ID}/feed",
        status=400,
        json={"error": {"message": "Invalid OAuth access token.", "type": "OAuthException",
                        "code": 190, "fbtrace_id": "AbC"}},
    )  # fmt: skip

    lines = []
    with pytest.raises(cli.PublishFailed) as failure:
        cli.announce(
            kit_settings(settings), cli.Options(sleep=lambda seconds: None), out=lines.append
        )
    lines += announce(settings, dry_run=True)

    printed = capsys.readouterr()
    shown = "\n".join([str(failure.value), *lines, printed.out, printed.err, caplog.text])
    assert "no answer from Telegram" in shown
    assert "Facebook refused the Page access token" in shown
    for secret in servers.SECRETS.values():
        assert secret not in shown
    assert "1234:" not in shown


def test_dry_run_shows_every_network_with_lengths_limits_and_cost(site, networks, monkeypatch):
    for name in ("TELEGRAM_BOT_TOKEN", "SMTP_HOST"):
        monkeypatch.delenv(name)
    settings = site(networks=None)
    started_ledger(settings)

    lines = announce(settings, dry_run=True)

    text = "\n".join(lines)
    for title, limit in [
        ("X (Twitter)", 280),
        ("Facebook", 63206),
        ("Telegram", 4096),
        ("Mastodon", 500),
        ("Bluesky", 300),
        ("Mailing list", 10000),
    ]:
        assert f"dry run on {title}: 2 post(s) would be sent" in text
        assert f"/{limit})\n" in text
    assert "about 0.40 USD (0.20 a post with a link)" in text
    assert "TELEGRAM_BOT_TOKEN not set: a real run would skip Telegram" in text
    assert "SMTP_HOST not set: a real run would skip Mailing list" in text
    assert records(settings) == []
    assert networks.http.calls == [] or len(networks.http.calls) == 0


def test_smtp_security_none_is_refused_for_a_host_that_is_not_local(site, networks, monkeypatch):
    monkeypatch.setenv("SMTP_HOST", "smtp.example.org")
    settings = site(networks=["email"])
    started_ledger(settings)

    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings)

    assert "SMTP_SECURITY=none is allowed only for a relay on this machine" in str(failure.value)
    assert failure.value.code == cli.EXIT_SETUP
    assert records(settings) == []


def test_the_workflow_passes_every_network_secret_to_announce_and_remind():
    import yaml

    from berbagi.publish.networks import NETWORKS

    root = Path(__file__).resolve().parents[2]
    workflow = yaml.safe_load((root / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["publish"]["steps"]
    wanted = {name for n in NETWORKS.values() for name in (*n.credentials, *n.optional)}
    for step in steps:
        if step.get("run", "").endswith(("invoke announce", "invoke remind")):
            assert set(step["env"]) == wanted
            assert all(value == f"${{{{ secrets.{key} }}}}" for key, value in step["env"].items())


def test_a_chapter_on_x_alone_sees_one_line_per_other_network_and_no_failure(
    site, twitter, credentials
):
    settings = site(networks=None)
    started_ledger(settings, ["twitter"])

    lines = announce(settings, dry_run=True)

    skipped = [line for line in lines if "is skipped" in line]
    assert [line.split(" is skipped")[0].rsplit(" ", 1)[-1] for line in skipped] == [
        "Facebook",
        "Telegram",
        "Mastodon",
        "Bluesky",
        "list",
    ]
    assert lines[0].startswith("announce: dry run on X (Twitter): 2 post(s) would be sent")


def test_a_dry_run_shows_what_a_real_run_would_refuse_without_failing(site, networks):
    settings = site(networks=["twitter", "telegram"])
    started_ledger(settings, ["twitter"])

    lines = announce(settings, dry_run=True)

    assert any("`invoke announce --baseline --network telegram`" in line for line in lines)
    assert not any(line.startswith("announce: dry run on Telegram") for line in lines)


def test_reminders_go_to_every_network_the_class_was_announced_on_as_replies(site, networks):
    settings = site(networks=None)
    started_ledger(settings)
    networks.answer_all()
    announce(settings)
    ledger = json.loads(ledger_path(settings).read_text())
    # Not announced on Bluesky after all: no reminder there either.
    ledger["records"] = [r for r in ledger["records"] if r["network"] != "bluesky"]
    ledger_path(settings).write_text(json.dumps(ledger))
    announced = {
        r["network"]: r["post_id"] for r in ledger["records"] if r["slug"] == "jurnalistik-foto"
    }
    evening = site(networks=None, now="2026-12-04T19:00:00+07:00")
    lines: list[str] = []

    cli.remind(kit_settings(evening), cli.Options(sleep=lambda s: None), out=lines.append)

    reminders = {r["network"]: r for r in records(evening) if r["kind"] == "reminder"}
    assert set(reminders) == set(ALL) - {"bluesky"}
    assert networks.bodies("mastodon")[-1]["in_reply_to_id"] == announced["mastodon"]
    assert networks.bodies("telegram")[-1]["text"].startswith("Pengingat: Jurnalistik Foto")
    assert networks.mailbox.messages[-1]["In-Reply-To"].strip() == announced["email"]
    assert "nothing to post on Bluesky" in "\n".join(lines)


def test_a_retried_mastodon_post_carries_the_same_idempotency_key(site, networks, monkeypatch):
    from berbagi.publish import ledger as ledger_module

    settings = site(networks=["mastodon"], max_posts=1)
    started_ledger(settings, ["mastodon"])
    networks.answer_all()
    real_write = ledger_module.atomic_write_json
    writes = []

    def crash_after_the_post(path, data):
        writes.append(path)
        if len(writes) == 2:
            raise OSError("No space left on device")
        real_write(path, data)

    monkeypatch.setattr(ledger_module, "atomic_write_json", crash_after_the_post)
    with pytest.raises(cli.PublishFailed):
        announce(settings)
    monkeypatch.setattr(ledger_module, "atomic_write_json", real_write)
    announce(settings, retry_pending=True)

    keys = [headers["Idempotency-Key"] for headers in networks.headers("mastodon")]
    assert len(keys) == 2 and keys[0] == keys[1]  # the server answers with the first status


def add_photos(content: Path, name: str = "2026-12-05-jurnalistik-foto.md") -> None:
    """The day after the class: two photos (from the sample's own), the count, a few words."""
    source = content / "classes" / name
    source.write_text(
        source.read_text().replace(
            "Status: scheduled\n",
            "Status: scheduled\n"
            "Photo: images/kelas/fotografi-ponsel-kopi.jpg | Peserta memotret secangkir kopi\n"
            "Photo: images/kelas/fotografi-ponsel-sepertiga.jpg | Rina menunjuk garis sepertiga\n"
            "Participants: 21\nRecap: Terima kasih Radio Suara Contoh FM atas studionya!\n",
        )
    )


def test_after_the_class_one_recap_everywhere_with_its_photos_and_a_rerun_posts_nothing(
    site, networks, content_dir
):
    content = content_dir()
    settings = site(content, networks=None)
    started_ledger(settings)
    networks.answer_all()
    networks.answer_uploads()
    announce(settings)
    add_photos(content)
    settings = site(content, now="2026-12-06T10:00:00+07:00", networks=None)

    announce(settings)
    announce(settings)

    recaps = {r["network"]: r for r in records(settings) if r["kind"] == "recap"}
    assert set(recaps) == set(ALL)
    assert all(r["status"] == "posted" and r["slug"] == "jurnalistik-foto" for r in recaps.values())
    announced = {
        r["network"]: r
        for r in records(settings)
        if r["kind"] == "announcement" and r["slug"] == "jurnalistik-foto"
    }
    alts = ["Peserta memotret secangkir kopi", "Rina menunjuk garis sepertiga"]
    tweet = networks.bodies("twitter")[-1]
    assert tweet["reply"] == {"in_reply_to_tweet_id": announced["twitter"]["post_id"]}
    assert len(tweet["media"]["media_ids"]) == 2
    facebook = networks.bodies("facebook")[-1]
    assert {"attached_media[0]", "attached_media[1]"} <= set(facebook)
    (album,) = [r for n, r in networks.calls("telegram") if n == "sendMediaGroup"]
    assert len(json.loads(servers.form_parts(album)["media"])) == 2
    media = [r for n, r in networks.calls("mastodon") if n == "media"]
    assert [servers.form_parts(r)["description"] for r in media] == alts
    assert networks.bodies("mastodon")[-1]["in_reply_to_id"] == announced["mastodon"]["post_id"]
    bluesky = networks.bodies("bluesky")[-1]["record"]
    assert [image["alt"] for image in bluesky["embed"]["images"]] == alts
    assert bluesky["reply"]["parent"]["uri"] == announced["bluesky"]["reply"]["uri"]
    mail = networks.mailbox.messages[-1]
    assert mail["In-Reply-To"].strip() == announced["email"]["post_id"]
    assert f"{SITE}/foto/jurnalistik-foto/" in mail.get_body(("plain",)).get_content()
    assert len(networks.mailbox.messages) == 3  # two announcements, one recap: no repeat
    assert len(networks.bodies("twitter")) == 3
