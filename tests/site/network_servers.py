"""Every network's server answers, for tests: `responses` for the requests-based clients (tweepy,
Facebook, Telegram, Mastodon.py), `respx` for atproto's httpx, and a real SMTP server (aiosmtpd)
on the loopback address. The clients themselves run for real; nothing leaves this machine."""

from __future__ import annotations

import base64
import contextlib
import email
import email.policy
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import httpx
import responses
import respx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOCAL = "127.0.0.1"
TWEETS = "https://api.twitter.com/2/tweets"
X_MEDIA = "https://api.x.com/2/media/upload"
X_METADATA = "https://api.x.com/2/media/metadata"
GRAPH = "http://127.0.0.1:9101/graph"
TELEGRAM = "http://127.0.0.1:9102/telegram"
MASTODON = "http://127.0.0.1:9103"
BLUESKY = "http://127.0.0.1:9104"
PAGE_ID = "1000"
BOT_TOKEN = "1234:fake-telegram-token"
BLUESKY_DID = "did:plc:akberplbfake"
BLOB_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
SMTP_USER, SMTP_PASSWORD = "list-sender", "fake-smtp-password"
# Every secret's value: none of them may appear in any output or log.
SECRETS = {
    "TWITTER_API_KEY": "fake-twitter-api-key",
    "TWITTER_API_SECRET": "fake-twitter-api-secret",
    "TWITTER_ACCESS_TOKEN": "fake-twitter-access-token",
    "TWITTER_ACCESS_TOKEN_SECRET": "fake-twitter-access-token-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fake-facebook-page-token",
    "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
    "MASTODON_ACCESS_TOKEN": "fake-mastodon-token",
    "BLUESKY_APP_PASSWORD": "fake-bluesky-app-password",
    "SMTP_PASSWORD": SMTP_PASSWORD,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL, 0))
        return int(probe.getsockname()[1])


def fake_jwt() -> str:
    """A token atproto can read the expiry of (it refreshes sessions about to expire)."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    payload = {"sub": BLUESKY_DID, "exp": 4102444800, "iat": 1700000000, "scope": "com.atproto"}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


@dataclass
class Mailbox:
    """What the local SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: list[int] = field(default_factory=list)  # answer these codes to the next DATA

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            code = self.refuse.pop(0)
            return f"{code} Try again later" if code < 500 else f"{code} Refused"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    good = isinstance(data, LoginPassword) and (data.login, data.password) == (
        SMTP_USER.encode(),
        SMTP_PASSWORD.encode(),
    )
    return AuthResult(success=good, handled=False)


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on 127.0.0.1 that wants a login (over plain text: it is local)."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox,
        hostname=LOCAL,
        port=port,
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@dataclass
class Networks:
    """The mocked servers of every network and what each received."""

    http: responses.RequestsMock
    bluesky: respx.MockRouter
    mailbox: Mailbox
    environ: dict[str, str]
    _ids: dict[str, int] = field(default_factory=dict)

    def accepted(self, network: str) -> int:
        """How many posts the network took (refused attempts not counted)."""
        if network == "email":
            return len(self.mailbox.messages)
        return self._ids.get(network, 100) - 100

    def about(self, network: str, slug: str) -> int:
        """How many accepted posts link to this class."""
        if network == "email":
            return sum(slug in mail.as_string() for mail in self.mailbox.messages)
        return sum(slug in json.dumps(body) for body in self.accepted_bodies(network))

    def accepted_bodies(self, network: str) -> list[dict[str, Any]]:
        return [body for body in self.bodies(network) if body.get("_accepted", True)]

    def next_id(self, network: str) -> int:
        self._ids[network] = self._ids.get(network, 100) + 1
        return self._ids[network]

    def bodies(self, network: str) -> list[dict[str, Any]]:
        """The JSON or form bodies each network's posting endpoint received, in order."""
        if network == "bluesky":
            return [
                json.loads(call.request.content)
                for call in self.bluesky.calls
                if call.request.url.path.endswith("com.atproto.repo.createRecord")
            ]
        urls = {
            "twitter": TWEETS,
            "facebook": f"{GRAPH}/{PAGE_ID}/feed",
            "telegram": f"{TELEGRAM}/bot{BOT_TOKEN}/sendMessage",
            "mastodon": f"{MASTODON}/api/v1/statuses",
        }
        found = []
        for call in self.http.calls:
            if call.request.url != urls[network]:
                continue
            body = call.request.body or b""
            text = body.decode() if isinstance(body, bytes) else body
            if network == "facebook" or network == "mastodon" and not text.startswith("{"):
                from urllib.parse import parse_qs

                found.append({key: values[0] for key, values in parse_qs(text).items()})
            else:
                found.append(json.loads(text))
        return found

    def headers(self, network: str) -> list[Any]:
        urls = {"mastodon": f"{MASTODON}/api/v1/statuses"}
        return [
            call.request.headers for call in self.http.calls if call.request.url == urls[network]
        ]

    def answer_all(self) -> None:
        """Every network accepts every post, with ids counting up from 101."""
        self.http.add_callback(responses.POST, TWEETS, callback=self._tweet)
        self.http.add_callback(responses.POST, f"{GRAPH}/{PAGE_ID}/feed", callback=self._facebook)
        self.http.add_callback(
            responses.POST, f"{TELEGRAM}/bot{BOT_TOKEN}/sendMessage", callback=self._telegram
        )
        self.http.add_callback(
            responses.POST, f"{MASTODON}/api/v1/statuses", callback=self._mastodon
        )
        self.bluesky.post("/xrpc/com.atproto.server.createSession", name="createSession").mock(
            return_value=httpx.Response(
                200,
                json={
                    "accessJwt": fake_jwt(),
                    "refreshJwt": fake_jwt(),
                    "handle": "akberplb.bsky.social",
                    "did": BLUESKY_DID,
                },
            )
        )
        self.bluesky.post("/xrpc/com.atproto.repo.uploadBlob").mock(
            return_value=httpx.Response(
                200,
                json={
                    "blob": {
                        "$type": "blob",
                        "ref": {
                            "$link": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
                        },
                        "mimeType": "image/png",
                        "size": 1000,
                    }
                },
            )
        )
        self.bluesky.get("/xrpc/com.atproto.identity.resolveHandle").mock(
            return_value=httpx.Response(200, json={"did": "did:plc:teacherfake"})
        )
        self.bluesky.post("/xrpc/com.atproto.repo.createRecord", name="createRecord").mock(
            side_effect=self._bluesky
        )

    def answer_uploads(self) -> None:
        """Every network takes photos: X's media upload and alt text, Facebook's unpublished
        Page photos, Telegram's albums and single photos, Mastodon's media (Bluesky's blobs are
        in answer_all)."""
        self.http.add_callback(responses.POST, X_MEDIA, callback=self._x_media)
        self.http.add_callback(responses.POST, X_METADATA, callback=lambda request: (200, {}, ""))
        self.http.add_callback(
            responses.POST, f"{GRAPH}/{PAGE_ID}/photos", callback=self._facebook_photo
        )
        for method in ("sendMediaGroup", "sendPhoto"):
            self.http.add_callback(
                responses.POST, f"{TELEGRAM}/bot{BOT_TOKEN}/{method}", callback=self._album
            )
        for version in ("v1", "v2"):
            self.http.add_callback(
                responses.POST, f"{MASTODON}/api/{version}/media", callback=self._media
            )

    def calls(self, network: str) -> list[tuple[str, Any]]:
        """Every request to the network, in order, as (its endpoint's last part, the request)."""
        if network == "bluesky":
            return [(c.request.url.path.rsplit("/", 1)[-1], c.request) for c in self.bluesky.calls]
        hosts = {
            "twitter": ("https://api.twitter.com/", "https://api.x.com/"),
            "facebook": (GRAPH,),
            "telegram": (TELEGRAM,),
            "mastodon": (MASTODON,),
        }[network]
        return [
            (call.request.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0], call.request)
            for call in self.http.calls
            if call.request.url.startswith(hosts)
        ]

    def _x_media(self, request: Any) -> tuple[int, dict[str, str], str]:
        number = self.next_id("x-media")
        return 200, {}, json.dumps({"data": {"id": f"77{number}", "media_key": f"3_77{number}"}})

    def _facebook_photo(self, request: Any) -> tuple[int, dict[str, str], str]:
        return 200, {}, json.dumps({"id": f"55{self.next_id('facebook-photo')}"})

    def _media(self, request: Any) -> tuple[int, dict[str, str], str]:
        number = self.next_id("mastodon-media")
        fields = form_parts(request)
        media = {"id": f"m{number}", "type": "image", "url": f"{MASTODON}/media/m{number}.jpg",
                 "description": fields.get("description"), "preview_url": None}  # fmt: skip
        return 200, {}, json.dumps(media)

    def _album(self, request: Any) -> tuple[int, dict[str, str], str]:
        fields = form_parts(request)
        count = len(json.loads(fields["media"])) if "media" in fields else 1
        chat = {"id": -1001234567890, "title": "Akber Palembang", "type": "channel",
                "username": "akberplb"}  # fmt: skip
        messages = [
            {"message_id": self.next_id("telegram"), "date": 1796439600, "chat": chat,
             "media_group_id": "1300", "photo": [{"file_id": "f", "width": 1, "height": 1}]}
            for _ in range(count)
        ]  # fmt: skip
        result: Any = messages if "media" in fields else messages[0]
        return 200, {}, json.dumps({"ok": True, "result": result})

    def answer_first(self, network: str, *answers: Any) -> None:
        """The network's next posts get these answers (status, JSON body[, headers]) in order;
        the ones after them succeed again."""
        if network == "email":
            self.mailbox.refuse.extend(answers)
            return
        if network == "bluesky":
            route = self.bluesky.routes["createRecord"]
            queue = [
                httpx.Response(a[0], json=a[1], headers=a[2] if len(a) > 2 else {}) for a in answers
            ]

            def bluesky(request: httpx.Request) -> httpx.Response:
                return queue.pop(0) if queue else self._bluesky(request)

            route.side_effect = bluesky
            return
        url, callback = {
            "twitter": (TWEETS, self._tweet),
            "facebook": (f"{GRAPH}/{PAGE_ID}/feed", self._facebook),
            "telegram": (f"{TELEGRAM}/bot{BOT_TOKEN}/sendMessage", self._telegram),
            "mastodon": (f"{MASTODON}/api/v1/statuses", self._mastodon),
        }[network]
        waiting = list(answers)

        def answer(request: Any) -> tuple[int, dict[str, str], str]:
            if waiting:
                status, body, *headers = waiting.pop(0)
                return status, (headers[0] if headers else {}), json.dumps(body)
            return callback(request)

        self.http.remove(responses.POST, url)
        self.http.add_callback(responses.POST, url, callback=answer)

    def _tweet(self, request: Any) -> tuple[int, dict[str, str], str]:
        number = self.next_id("twitter")
        return 201, {}, json.dumps({"data": {"id": str(number), "text": "..."}})

    def _facebook(self, request: Any) -> tuple[int, dict[str, str], str]:
        return 200, {}, json.dumps({"id": f"{PAGE_ID}_{self.next_id('facebook')}"})

    def _telegram(self, request: Any) -> tuple[int, dict[str, str], str]:
        result = {
            "message_id": self.next_id("telegram"),
            "date": 1796439600,
            "chat": {"id": -1001234567890, "title": "Akber Palembang", "type": "channel",
                     "username": "akberplb"},
            "text": json.loads(request.body)["text"],
        }  # fmt: skip
        return 200, {}, json.dumps({"ok": True, "result": result})

    def _mastodon(self, request: Any) -> tuple[int, dict[str, str], str]:
        number = self.next_id("mastodon")
        status = {
            "id": str(number),
            "uri": f"{MASTODON}/users/akberplb/statuses/{number}",
            "url": f"{MASTODON}/@akberplb/{number}",
            "content": "<p>...</p>",
            "created_at": "2026-11-28T02:00:00.000Z",
            "visibility": "public",
        }
        return 200, {}, json.dumps(status)

    def _bluesky(self, request: httpx.Request) -> httpx.Response:
        number = self.next_id("bluesky")
        uri = f"at://{BLUESKY_DID}/app.bsky.feed.post/3kpost{number}"
        return httpx.Response(200, json={"uri": uri, "cid": f"bafyreicid{number}"})


def environment(smtp_port: int) -> dict[str, str]:
    """Every network's variables, pointing at the local servers above."""
    return {
        **SECRETS,
        "FACEBOOK_PAGE_ID": PAGE_ID,
        "FACEBOOK_GRAPH_URL": GRAPH,
        "TELEGRAM_CHAT_ID": "@akberplb",
        "TELEGRAM_API_URL": TELEGRAM,
        "MASTODON_API_BASE_URL": MASTODON,
        "BLUESKY_HANDLE": "akberplb.bsky.social",
        "BLUESKY_SERVICE": BLUESKY,
        "SMTP_HOST": LOCAL,
        "SMTP_PORT": str(smtp_port),
        "SMTP_USERNAME": SMTP_USER,
        "SMTP_SECURITY": "none",
        "ANNOUNCE_EMAIL_FROM": "Akber Palembang <kelas@palembang.akademiberbagi.example>",
        "ANNOUNCE_EMAIL_TO": "akber-palembang@googlegroups.example",
    }


def form_parts(request: Any) -> dict[str, Any]:
    """A multipart/form-data request's fields: text for plain fields, bytes for files."""
    kind = request.headers.get("Content-Type", "")
    kind = kind.decode() if isinstance(kind, bytes) else kind  # requests-oauthlib sets bytes
    body = request.body if isinstance(request.body, bytes) else request.body.encode()
    if not kind.startswith("multipart/"):
        from urllib.parse import parse_qs

        return {key: values[0] for key, values in parse_qs(body.decode()).items()}
    parsed = email.message_from_bytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + body,
        policy=email.policy.default,
    )
    fields: dict[str, Any] = {}
    for part in parsed.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        fields[name] = data if part.get_filename() else data.decode()
    return fields
