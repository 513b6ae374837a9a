"""The Mastodon adapter: Mastodon.py's status_post with an application token, texts measured
as Mastodon counts them (500 characters, every link 23, a remote mention by its user name)."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...model import Chapter
from ..compose import TextRules
from ..media import PhotoLimits
from ..send import Message, NotAllowed, RateLimited, Rejected, Sent, Unavailable
from . import Network

NAME = "mastodon"
LIMIT = 500  # the default of every Mastodon server; some allow more
CREDENTIALS = ("MASTODON_API_BASE_URL", "MASTODON_ACCESS_TOKEN")
TIMEOUT_SECONDS = 30
# How long to wait for a photo the server is still processing, before posting all the same.
PROCESSING_CHECKS = 10
PROCESSING_WAIT_SECONDS = 1.0
ALT_LIMIT = 1500  # characters of a media description Mastodon takes
MEDIA_VERSION = "3.1.4"  # the first Mastodon with /api/v2/media, which the kit uploads to
POST_URL = re.compile(
    r"^https?://[^/\s]+/(?:@[\w.]+(?:@[^/\s]+)?|web/statuses|users/\w+/statuses)/(?P<id>\d+)/?$"
)


def length(text: str) -> int:
    """Mastodon's length: graphemes, with a link as 23 and @user@server as @user."""
    from mastodon import Mastodon

    return int(Mastodon.get_status_length(text))


class MastodonSender:
    """Posts statuses as the chapter's Mastodon account."""

    network = NAME

    def __init__(self, environ: Mapping[str, str]) -> None:
        from mastodon import Mastodon

        self._client = Mastodon(
            access_token=environ["MASTODON_ACCESS_TOKEN"].strip(),
            api_base_url=environ["MASTODON_API_BASE_URL"].strip().rstrip("/"),
            # "wait" (the default) would sleep through a rate limit inside the call, holding the
            # announce lock; the publisher stops the network and says when to run again.
            ratelimit_method="throw",
            request_timeout=TIMEOUT_SECONDS,
            version_check_mode="none",
            # Without a known version, media_post asks the server for it on every upload (and
            # Mastodon.py 2 recurses when that fails); the kit needs 3.1.4's /api/v2/media.
            mastodon_version=MEDIA_VERSION,
        )
        # With version checks off Mastodon.py does not read the version it is given, and its
        # default, 1.0.0, would send photos to the old /api/v1/media.
        major, minor, patch = (int(part) for part in MEDIA_VERSION.split("."))
        self._client.mastodon_major, self._client.mastodon_minor = major, minor
        self._client.mastodon_patch = patch

    def post(self, message: Message) -> Sent:
        """Post one status; an update is a reply to the announcement (a thread); a recap uploads
        its photos (media_post, alt text as description) and posts them with its status."""
        import mastodon

        reply_to = message.reply_to.post_id if message.reply_to else None
        try:
            # A recap's photos first, each with its alt text; then one status with them all.
            media = [
                self._processed(
                    self._client.media_post(
                        photo.data,
                        mime_type="image/jpeg",
                        description=photo.alt[:ALT_LIMIT],
                        file_name=f"foto-{number}.jpg",
                    )
                )
                for number, photo in enumerate(message.photos, start=1)
            ]
            status = self._client.status_post(
                message.text,
                in_reply_to_id=reply_to,
                media_ids=[attachment["id"] for attachment in media] or None,
                language=message.language or None,
                # The server answers a repeated key with the status it already made (for an
                # hour), so a retry after a lost answer posts nothing twice.
                idempotency_key=message.key or None,
            )
        except mastodon.MastodonRatelimitError:
            reset = self._client.ratelimit_reset
            reset_at = datetime.fromtimestamp(reset, UTC) if reset else None
            raise RateLimited("Mastodon's rate limit was reached (429)", reset_at) from None
        except mastodon.MastodonServerError as error:
            raise Unavailable(f"Mastodon answered {_reason(error)}") from None
        except mastodon.MastodonUnauthorizedError as error:
            raise NotAllowed(
                f"Mastodon refused the access token ({_reason(error)}): make a new application "
                "token with write:statuses and update MASTODON_ACCESS_TOKEN"
            ) from None
        except mastodon.MastodonNotFoundError as error:
            raise NotAllowed(
                f"Mastodon has no such address ({_reason(error)}): MASTODON_API_BASE_URL must be "
                "the server's address, like https://mastodon.social"
            ) from None
        except mastodon.MastodonAPIError as error:
            if _status(error) == 403:
                raise NotAllowed(
                    f"Mastodon refused to post ({_reason(error)}): the token needs the "
                    "write:statuses scope"
                ) from None
            if _status(error) == 429:
                raise RateLimited(f"Mastodon's rate limit was reached ({_reason(error)})") from None
            raise Rejected(f"Mastodon refused the post ({_reason(error)})") from None
        except mastodon.MastodonNetworkError as error:
            raise Unavailable(f"no answer from Mastodon ({type(error).__name__})") from None
        return Sent(str(status["id"]), str(status.get("url") or status.get("uri") or ""))

    def _processed(self, attachment: Any) -> Any:
        """The attachment once the server has processed it: /api/v2/media may answer 202
        (no `url` yet), and a status with an unprocessed photo is refused."""
        for _ in range(PROCESSING_CHECKS):
            if attachment.get("url"):
                break
            time.sleep(PROCESSING_WAIT_SECONDS)
            attachment = self._client.media(attachment)
        return attachment


def _status(error: Exception) -> int | None:
    # Mastodon.py's API errors carry (message, status code, reason, server's error text).
    code = error.args[1] if len(error.args) > 1 else None
    return code if isinstance(code, int) else None


def _reason(error: Exception) -> str:
    details = [str(part) for part in error.args[1:4] if part]
    return " ".join(details) or type(error).__name__


def _connect(environ: Mapping[str, str], chapter: Chapter) -> MastodonSender:
    return MastodonSender(environ)


def post_id_from_url(url: str) -> str | None:
    """The status's id in its address (https://mastodon.social/@akberplb/1134…), or None."""
    found = POST_URL.match(url.strip())
    return found["id"] if found else None


NETWORK = Network(
    name=NAME,
    title="Mastodon",
    credentials=CREDENTIALS,
    rules=TextRules(LIMIT, length, NAME),
    connect=_connect,
    post_id_from_url=post_id_from_url,
    setup="Mastodon",
    # Mastodon 4 takes 16 MB and 8.3 million pixels (3840×2160) an image; older servers 10 MB.
    photos=PhotoLimits(count=4, bytes=10_000_000, side=3840, pixels=8_294_400),
)
