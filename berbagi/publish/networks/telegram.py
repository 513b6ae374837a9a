"""The Telegram adapter: the Bot API's sendMessage to the chapter's channel (a recap's photos:
sendMediaGroup, or sendPhoto for one), through requests.

The bot's token is part of every request's address (`/bot<token>/sendMessage`), so no message
or log line here ever includes an address or a requests exception's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from ...model import Chapter
from ..compose import TextRules
from ..media import PhotoLimits
from ..send import Message, NotAllowed, RateLimited, Rejected, Sent, Unavailable
from . import Network

NAME = "telegram"
LIMIT = 4096  # characters as Telegram counts them: UTF-16 code units
CREDENTIALS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_CHAT_ID")
API_URL = "TELEGRAM_API_URL"  # a bare server address; the kit appends /bot<token>/<method>
DEFAULT_API_URL = "https://api.telegram.org"
TIMEOUT_SECONDS = 30
CAPTION_LIMIT = 1024  # a photo's caption, in UTF-16 units like a message
# sendPhoto: 10 MB a photo, width and height together at most 10,000; Telegram shows photos at
# most 2560 pixels a side, so larger ones only cost the channel's readers data.
PHOTO_LIMITS = PhotoLimits(count=4, bytes=10_000_000, side=2560)
POST_URL = re.compile(
    r"^https://t\.me/(?:c/(?P<private>\d+)|(?P<name>[A-Za-z]\w{3,31}))/(?P<id>\d+)/?$"
)


def length(text: str) -> int:
    """Telegram's length: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


class TelegramSender:
    """Posts messages to the chapter's channel as its bot (an admin of the channel)."""

    network = NAME

    def __init__(self, environ: Mapping[str, str]) -> None:
        token = environ["TELEGRAM_BOT_TOKEN"].strip()
        self._chat = environ["TELEGRAM_CHAT_ID"].strip()
        base = environ.get(API_URL, "").strip() or DEFAULT_API_URL
        self._api = f"{base.rstrip('/')}/bot{token}"
        self._session = requests.Session()

    def post(self, message: Message) -> Sent:
        """Send one message; an update answers the announcement (reply_parameters); a recap's
        photos go as one album (sendMediaGroup, the caption on the first) or one sendPhoto."""
        reply = None
        if message.reply_to is not None:
            reply = {
                "message_id": int(message.reply_to.post_id),
                # A deleted announcement must not stop the update from going out.
                "allow_sending_without_reply": True,
            }
        if message.photos:
            return self._photos(message, reply)
        data: dict[str, Any] = {
            "chat_id": self._chat,
            "text": message.text,
            # The class page is the preview, whatever other address the text may hold.
            "link_preview_options": {"url": message.link, "prefer_large_media": True},
        }
        if reply is not None:
            data["reply_parameters"] = reply
        return self._call("sendMessage", json=data)

    def _photos(self, message: Message, reply: Mapping[str, Any] | None) -> Sent:
        caption = caption_of(message.text)
        photos = message.photos[: PHOTO_LIMITS.count]
        files = {
            f"photo{number}": (f"foto-{number}.jpg", photo.data, "image/jpeg")
            for number, photo in enumerate(photos, start=1)
        }
        data: dict[str, str] = {"chat_id": self._chat}
        if reply is not None:
            data["reply_parameters"] = json.dumps(reply)
        if len(photos) == 1:  # an album takes 2 to 10 photos
            data.update(photo="attach://photo1", caption=caption)
            return self._call("sendPhoto", data=data, files=files)
        # Telegram has no alt text; the caption (on the first photo) carries the words.
        media: list[dict[str, str]] = [
            {"type": "photo", "media": f"attach://{name}"} for name in files
        ]
        media[0]["caption"] = caption
        data["media"] = json.dumps(media, ensure_ascii=False)
        return self._call("sendMediaGroup", data=data, files=files)

    def _call(self, method: str, **request: Any) -> Sent:
        try:
            response = self._session.post(
                f"{self._api}/{method}", timeout=TIMEOUT_SECONDS, **request
            )
        except requests.RequestException as error:
            # str(error) would hold the address, and with it the token.
            raise Unavailable(f"no answer from Telegram ({type(error).__name__})") from None
        try:
            answer: Any = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, Mapping):
            answer = {}
        if response.ok and answer.get("ok"):
            result = answer["result"]
            # An album answers with its messages: the first one holds the caption.
            return _sent(result[0] if isinstance(result, list) else result)
        reason = f"{response.status_code} {answer.get('description', '')}".strip()
        status = response.status_code
        if status == 429:
            parameters = answer.get("parameters") or {}
            after = parameters.get("retry_after") if isinstance(parameters, Mapping) else None
            reset_at = (
                datetime.now(UTC) + timedelta(seconds=after) if isinstance(after, int) else None
            )
            raise RateLimited(f"Telegram's rate limit was reached ({reason})", reset_at)
        if status in (401, 404):  # a wrong token is "404 Not Found" as often as 401
            raise NotAllowed(
                f"Telegram refused the bot's token ({reason}): copy it again from @BotFather "
                "into TELEGRAM_BOT_TOKEN"
            )
        if status == 403 or "chat not found" in reason.lower():
            raise NotAllowed(
                f"Telegram refused to post ({reason}): add the bot to the channel as an admin "
                "allowed to post messages, and check TELEGRAM_CHAT_ID (@channelname or -100…)"
            )
        if status >= 500:
            raise Unavailable(f"Telegram answered {reason}")
        raise Rejected(f"Telegram refused the message ({reason})")


def caption_of(text: str) -> str:
    """A photo's caption: the text, cut to Telegram's 1,024 (UTF-16 units) with "…" if longer."""
    if length(text) <= CAPTION_LIMIT:
        return text
    kept = text
    while length(kept) > CAPTION_LIMIT - 1:
        kept = kept[:-1]
    return kept.rstrip() + "…"


def _sent(result: Mapping[str, Any]) -> Sent:
    message_id = str(result["message_id"])
    chat = result.get("chat") or {}
    if chat.get("username"):
        url = f"https://t.me/{chat['username']}/{message_id}"
    else:  # a private channel: t.me/c/<id without -100>/<message>
        url = f"https://t.me/c/{str(chat.get('id', '')).removeprefix('-100')}/{message_id}"
    return Sent(message_id, url)


def _connect(environ: Mapping[str, str], chapter: Chapter) -> TelegramSender:
    return TelegramSender(environ)


def post_id_from_url(url: str) -> str | None:
    """The message's id in its address (https://t.me/akberplb/42), or None."""
    found = POST_URL.match(url.strip())
    return found["id"] if found else None


NETWORK = Network(
    name=NAME,
    title="Telegram",
    credentials=CREDENTIALS,
    rules=TextRules(LIMIT, length, NAME),
    connect=_connect,
    post_id_from_url=post_id_from_url,
    optional=(API_URL,),
    setup="Telegram channel",
    photos=PHOTO_LIMITS,
    recap_limit=CAPTION_LIMIT,
)
