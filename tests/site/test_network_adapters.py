"""Each network's adapter through its real client: a first post, a reply, a rate limit, a server
error then success, a bad token, and a crash between the post and its record."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import network_servers as servers
import pytest

from berbagi.model import Chapter
from berbagi.publish import cli, send
from berbagi.publish import ledger as ledger_module
from berbagi.publish.networks import NETWORKS
from berbagi.settings import load as kit_settings

CHAPTER = Chapter(
    name="Akademi Berbagi Palembang",
    short_name="Akber Palembang",
    city="Palembang",
    twitter="AkberPLB",
    hashtag="AkberPLB",
    domain="palembang.akademiberbagi.example",
    site_url="https://palembang.akademiberbagi.example",
)
LINK = "https://palembang.akademiberbagi.example/kelas/jurnalistik-foto/"
TEXT = f"Kelas baru #AkberPLB: Jurnalistik Foto\nBersama @rina.bsky.social\nInfo & daftar: {LINK}"
NEW = ["facebook", "telegram", "mastodon", "bluesky", "email"]
# What each network's server answers, as (HTTP status or SMTP code, JSON body[, headers]).
RATE_LIMITED = {
    "facebook": (400, {"error": {"message": "Application request limit reached", "code": 4}}),
    "telegram": (
        429,
        {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 30",
         "parameters": {"retry_after": 30}},
    ),
    "mastodon": (429, {"error": "Too many requests"}, {"X-RateLimit-Reset": "2026-12-05T03:00:00Z",
                                                       "X-RateLimit-Remaining": "0",
                                                       "X-RateLimit-Limit": "300"}),
    "bluesky": (429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                {"ratelimit-reset": "1796439600"}),
    "email": 421,
}  # fmt: skip
SERVER_ERROR = {
    "facebook": (500, {"error": {"message": "An unknown error occurred", "code": 1}}),
    "telegram": (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}),
    "mastodon": (503, {"error": "Service Unavailable"}),
    "bluesky": (500, {"error": "InternalServerError", "message": "Internal Server Error"}),
    "email": 451,
}
BAD_TOKEN = {
    "facebook": ("FACEBOOK_PAGE_ACCESS_TOKEN", "make a new Page token"),
    "telegram": ("TELEGRAM_BOT_TOKEN", "copy it again from @BotFather"),
    "mastodon": ("MASTODON_ACCESS_TOKEN", "make a new application token with write:statuses"),
    "bluesky": ("BLUESKY_APP_PASSWORD", "make a new app password"),
    "email": ("SMTP_PASSWORD", "check SMTP_USERNAME and SMTP_PASSWORD"),
}


def sender(network: str) -> send.Sender:
    return NETWORKS[network].connect(os.environ, CHAPTER)


def message(reply_to: send.Reference | None = None) -> send.Message:
    return send.Message(
        text=TEXT,
        link=LINK,
        title="Jurnalistik Foto",
        description="Belajar bercerita dengan foto.",
        ics=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        reply_to=reply_to,
        key="0123456789abcdef0123456789abcdef",
        language="id",
        domain="palembang.akademiberbagi.example",
    )


def received(networks, network: str) -> list:
    if network == "email":
        return networks.mailbox.messages
    return networks.bodies(network)


@pytest.mark.parametrize("network", NEW)
def test_a_first_post_and_a_reply_to_it(networks, network):
    networks.answer_all()
    adapter = sender(network)

    first = adapter.post(message())
    adapter.post(message(send.Reference(first.post_id, dict(first.reply))))

    from_url = NETWORKS[network].post_id_from_url(first.url)
    # Bluesky's address names the account by handle, its record by DID: the same post.
    assert from_url and from_url.rsplit("/", 1)[-1] == first.post_id.rsplit("/", 1)[-1]
    bodies = received(networks, network)
    assert len(bodies) == 2
    if network == "facebook":
        assert bodies[0] == {
            "message": TEXT,
            "link": LINK,
            "access_token": "fake-facebook-page-token",
        }
        assert first.post_id == "1000_101"
        assert bodies[1]["message"] == TEXT  # Facebook's updates are new posts
    elif network == "telegram":
        assert first.url == "https://t.me/akberplb/101"
        assert bodies[1]["reply_parameters"]["message_id"] == 101
    elif network == "mastodon":
        assert bodies[0]["status"] == TEXT
        assert bodies[1]["in_reply_to_id"] == "101"
        keys = [headers["Idempotency-Key"] for headers in networks.headers("mastodon")]
        assert keys == ["0123456789abcdef0123456789abcdef"] * 2
    elif network == "bluesky":
        record = bodies[0]["record"]
        tag = next(f for f in record["facets"] if f["features"][0]["$type"].endswith("#tag"))
        assert tag["features"][0]["tag"] == "AkberPLB"
        mention = next(f for f in record["facets"] if f["features"][0]["$type"].endswith("mention"))
        start, end = mention["index"]["byteStart"], mention["index"]["byteEnd"]
        assert record["text"].encode()[start:end] == b"@rina.bsky.social"
        assert record["embed"]["external"]["title"] == "Jurnalistik Foto"
        assert first.reply == {"uri": first.post_id, "cid": "bafyreicid101"}
        parent = bodies[1]["record"]["reply"]["parent"]
        assert (parent["uri"], parent["cid"]) == (first.post_id, "bafyreicid101")
    else:
        mail = bodies[0]
        assert mail["Message-ID"].strip() == first.post_id
        assert mail["Subject"] == "Kelas baru #AkberPLB: Jurnalistik Foto"
        assert bodies[1]["References"].strip() == first.post_id


@pytest.mark.parametrize("network", NEW)
def test_a_rate_limit_stops_the_network(networks, network):
    networks.answer_all()
    networks.answer_first(network, RATE_LIMITED[network])

    with pytest.raises(send.RateLimited) as limited:
        sender(network).post(message())

    if network in ("mastodon", "bluesky", "telegram"):
        assert limited.value.reset_at is not None
        assert limited.value.reset_at > datetime(2026, 1, 1, tzinfo=UTC)
    assert networks.accepted(network) == 0


@pytest.mark.parametrize("network", NEW)
def test_a_server_error_then_success_posts_once(networks, network):
    networks.answer_all()
    networks.answer_first(network, SERVER_ERROR[network])
    waits: list[float] = []

    sent = send.post_with_retries(sender(network), message(), [2.0, 8.0], waits.append)

    assert waits == [2.0]
    assert sent.post_id
    assert networks.accepted(network) == 1


@pytest.mark.parametrize("network", NEW)
def test_a_bad_token_names_the_secret_to_fix(networks, network, monkeypatch):
    networks.answer_all()
    secret, advice = BAD_TOKEN[network]
    monkeypatch.setenv(secret, "wrong-" + os.environ[secret])
    refusals = {
        "facebook": (400, {"error": {"message": "Invalid OAuth access token.", "code": 190}}),
        "telegram": (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}),
        "mastodon": (401, {"error": "The access token is invalid"}),
    }
    if network in refusals:
        networks.answer_first(network, refusals[network])
    if network == "telegram":  # the token is in the address
        status, body = refusals["telegram"]
        networks.http.post(
            f"{servers.TELEGRAM}/botwrong-{servers.BOT_TOKEN}/sendMessage", status=status, json=body
        )
    if network == "bluesky":
        networks.bluesky.routes["createSession"].return_value = servers.httpx.Response(
            401,
            json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        )

    with pytest.raises(send.NotAllowed) as refused:
        sender(network).post(message())

    assert secret in str(refused.value) or advice in str(refused.value)
    assert advice in str(refused.value)
    assert "wrong-" not in str(refused.value)


@pytest.mark.parametrize("network", NEW)
def test_a_crash_between_post_and_record_is_reported_not_reposted(
    site, networks, network, monkeypatch
):
    settings = site(networks=[network], max_posts=1)
    chapter = {"domain": "palembang.akademiberbagi.example", "twitter": "AkberPLB"}
    ledger_file = Path(settings["SOCIAL_PUBLISH"]["ledger"])
    ledger_file.write_text(
        json.dumps({"version": 2, "chapter": chapter, "networks": [network], "records": []})
    )
    networks.answer_all()
    real_write = ledger_module.atomic_write_json
    writes = []

    def crash_after_the_post(path, data):
        writes.append(path)
        if len(writes) == 2:  # 1: the pending intent, 2: the posted record
            raise OSError("No space left on device")
        real_write(path, data)

    monkeypatch.setattr(ledger_module, "atomic_write_json", crash_after_the_post)
    options = cli.Options(sleep=lambda seconds: None)
    with pytest.raises(cli.PublishFailed) as crash:
        cli.announce(kit_settings(settings), options, out=lambda line: None)
    monkeypatch.setattr(ledger_module, "atomic_write_json", real_write)

    assert crash.value.code == cli.EXIT_ATTENTION
    url = str(crash.value).split(" as ", 1)[1].split(" but could not record it")[0]
    lines: list[str] = []
    with pytest.raises(cli.PublishFailed) as again:
        cli.announce(kit_settings(settings), options, out=lines.append)
    assert again.value.code == cli.EXIT_ATTENTION
    assert f"announcement jurnalistik-foto on {network} may have been posted" in lines[0]
    assert networks.about(network, "jurnalistik-foto") == 1  # never sent twice

    cli.settle(kit_settings(settings), "jurnalistik-foto", posted_url=url, out=lambda line: None)
    record = json.loads(ledger_file.read_text())["records"][0]
    assert record["slug"] == "jurnalistik-foto"
    assert (record["status"], record["url"]) == ("posted", url)
    assert record["post_id"] == NETWORKS[network].post_id_from_url(url)


def test_telegram_token_reaches_no_log_over_a_real_connection(monkeypatch, caplog):
    """urllib3 logs each request line at DEBUG, and Telegram's token is in it: kept quiet."""
    import http.server
    import logging
    import threading

    class BotApi(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps(
                {"ok": True, "result": {"message_id": 7, "chat": {"id": -1001, "username": "x"}}}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((servers.LOCAL, 0), BotApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", servers.BOT_TOKEN)
    monkeypatch.setenv("TELEGRAM_CHAT_ID", "@akberplb")
    try:
        monkeypatch.setenv("TELEGRAM_API_URL", f"http://{servers.LOCAL}:{server.server_port}")
        sent = sender("telegram").post(message())
    finally:
        server.shutdown()
        server.server_close()
    monkeypatch.setenv("TELEGRAM_API_URL", f"http://{servers.LOCAL}:{servers.free_port()}")
    with pytest.raises(send.Unavailable) as refused:
        sender("telegram").post(message())

    assert sent.post_id == "7"
    assert str(refused.value) == "no answer from Telegram (ConnectionError)"
    assert servers.BOT_TOKEN not in caplog.text
