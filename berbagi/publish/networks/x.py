"""The X (Twitter) adapter: tweepy's v2 create_tweet, OAuth 1.0a user tokens from the environment,
texts measured with twitter-text's weighting."""

from __future__ import annotations

import functools
import logging
import re
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import requests
import tweepy

from ...model import Chapter
from ..compose import TextRules
from ..media import PhotoLimits
from ..send import (
    Duplicate,
    Message,
    NotAllowed,
    PaymentRequired,
    Photo,
    RateLimited,
    Rejected,
    Sent,
    Unavailable,
)
from . import Network

NAME = "twitter"  # the ledger's key for X since the first post; never renamed
LIMIT = 280
# requests-oauthlib and oauthlib log the API key and access token when signing a request at DEBUG
# level; credentials must not reach any log, whatever level a run is debugged at (networks/
# quiets every client library; this module may be imported on its own).
for _chatty in ("requests_oauthlib", "oauthlib"):
    logging.getLogger(_chatty).setLevel(logging.WARNING)
# Environment variables (GitHub secrets in CI); their values are never printed or logged.
CREDENTIALS = (
    "TWITTER_API_KEY",
    "TWITTER_API_SECRET",
    "TWITTER_ACCESS_TOKEN",
    "TWITTER_ACCESS_TOKEN_SECRET",
)
POST_URL = re.compile(
    r"^https://(?:www\.|mobile\.)?(?:twitter|x)\.com/[A-Za-z0-9_]{1,15}/status/(?P<id>\d{1,25})/?(?:[?#].*)?$"
)
TIMEOUT_SECONDS = 30  # tweepy sets none, and a hung request would hold the announce lock
# X's v2 media endpoints (docs.x.com, "Media upload"): one request per image, then its alt text.
MEDIA_UPLOAD = "https://api.x.com/2/media/upload"
MEDIA_METADATA = "https://api.x.com/2/media/metadata"
ALT_LIMIT = 1000  # characters of alt text X keeps
# Images up to 5 MB; X shows them at most 4096 pixels a side.
PHOTO_LIMITS = PhotoLimits(count=4, bytes=5_000_000, side=4096)


def weighted_length(text: str) -> int:
    """X's weighted length of `text` (a URL counts 23, CJK and emoji 2)."""
    # twitter_text compiles its emoji pattern on import (0.2 s); only composing needs it. It
    # reads its data through pkg_resources, whose deprecation notice is not the organizer's to fix.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
        from twitter_text import parse_tweet

    return int(parse_tweet(text).weightedLength)


def _reason(error: tweepy.HTTPException) -> str:
    messages = "; ".join(str(m) for m in error.api_messages)
    return f"{error.response.status_code} {messages}".strip()


class TwitterSender:
    """Posts tweets as the chapter's account."""

    network = NAME

    def __init__(self, environ: Mapping[str, str], account: str) -> None:
        key, secret, token, token_secret = (environ[name].strip() for name in CREDENTIALS)
        self._client = tweepy.Client(
            consumer_key=key,
            consumer_secret=secret,
            access_token=token,
            access_token_secret=token_secret,
        )
        session = self._client.session
        session.request = functools.partial(session.request, timeout=TIMEOUT_SECONDS)
        # tweepy 4.17 has no v2 media upload: the same OAuth 1.0a user signature, by
        # requests-oauthlib (tweepy's own dependency), on tweepy's session.
        from requests_oauthlib import OAuth1  # type: ignore[import-untyped]

        self._oauth = OAuth1(key, secret, token, token_secret)
        self._account = account

    def post(self, message: Message) -> Sent:
        """Create one tweet (a recap: its photos uploaded first, each with its alt text);
        translate tweepy's errors and the upload's into the publisher's."""
        reply_to = message.reply_to.post_id if message.reply_to else None
        media_ids = [self._upload(photo) for photo in message.photos[: PHOTO_LIMITS.count]]
        try:
            response = self._client.create_tweet(
                text=message.text, in_reply_to_tweet_id=reply_to, media_ids=media_ids or None
            )
        except tweepy.TooManyRequests as error:
            reset = getattr(error, "reset_time", None)
            reset_at = datetime.fromtimestamp(reset, UTC) if reset else None
            said = f"Twitter's rate limit was reached ({_reason(error)})"
            raise RateLimited(said, reset_at) from None
        except tweepy.TwitterServerError as error:
            raise Unavailable(f"Twitter answered {_reason(error)}") from None
        except tweepy.Unauthorized as error:
            raise NotAllowed(
                f"Twitter refused the credentials ({_reason(error)}): check the four TWITTER_* "
                "secrets; regenerate the access token and secret if in doubt"
            ) from None
        except tweepy.Forbidden as error:
            if any("duplicate" in str(m).lower() for m in error.api_messages):
                raise Duplicate(f"Twitter already has this text ({_reason(error)})") from None
            raise NotAllowed(
                f"Twitter refused to post ({_reason(error)}): give the app 'Read and Write' "
                "permission, then regenerate the access token and secret and update the secrets"
            ) from None
        except tweepy.HTTPException as error:
            if error.response.status_code == 402:
                # tweepy has no class of its own for 402: X sells posts as prepaid credits.
                raise PaymentRequired(
                    f"X answered 402 ({_reason(error)}): the account's prepaid credits are used "
                    "up. Buy credits in the X developer console (Billing), then run again"
                ) from None
            raise Rejected(f"Twitter refused the post ({_reason(error)})") from None
        except requests.RequestException as error:
            raise Unavailable(f"no answer from Twitter ({type(error).__name__})") from None
        tweet_id = str(response.data["id"])
        # X answers /i/status/<id> for any account: the settings may not name the chapter's.
        return Sent(tweet_id, f"https://twitter.com/{self._account or 'i'}/status/{tweet_id}")

    def _upload(self, photo: Photo) -> str:
        """One photo through X's v2 media upload, then its alt text; returns its media id."""
        answer = self._call(
            MEDIA_UPLOAD,
            data={"media_category": "tweet_image", "media_type": "image/jpeg"},
            files={"media": ("foto.jpg", photo.data, "image/jpeg")},
        )
        media_id = str((answer.get("data") or {}).get("id") or answer.get("media_id_string"))
        if photo.alt:
            alt = {"text": photo.alt[:ALT_LIMIT]}
            self._call(MEDIA_METADATA, json={"id": media_id, "metadata": {"alt_text": alt}})
        return media_id

    def _call(self, url: str, **request: Any) -> Mapping[str, Any]:
        try:
            response = self._client.session.post(url, auth=self._oauth, **request)
        except requests.RequestException as error:
            raise Unavailable(f"no answer from X's media upload ({type(error).__name__})") from None
        try:
            answer: Any = response.json()
        except ValueError:
            answer = {}
        answer = answer if isinstance(answer, Mapping) else {}
        if response.ok:
            return dict(answer)
        detail = answer.get("detail") or answer.get("title") or response.reason or ""
        reason = f"{response.status_code} {detail}".strip()
        status = response.status_code
        if status == 429:
            reset = response.headers.get("x-rate-limit-reset", "")
            reset_at = datetime.fromtimestamp(int(reset), UTC) if reset.isdigit() else None
            said = f"X's rate limit was reached during a photo upload ({reason})"
            raise RateLimited(said, reset_at)
        if status >= 500:
            raise Unavailable(f"X's media upload answered {reason}")
        if status == 402:
            raise PaymentRequired(
                f"X answered 402 to a photo upload ({reason}): the account's prepaid credits are "
                "used up. Buy credits in the X developer console (Billing), then run again"
            )
        if status in (401, 403):
            raise NotAllowed(
                f"X refused the photo upload ({reason}): the app needs 'Read and Write' "
                "permission (media.write); regenerate the access token and secret if in doubt"
            )
        raise Rejected(f"X refused the photo ({reason})")


def _connect(environ: Mapping[str, str], chapter: Chapter) -> TwitterSender:
    return TwitterSender(environ, chapter.twitter)


def post_id_from_url(url: str) -> str | None:
    """The post's id in its address (https://x.com/AkberPLB/status/1864…), or None."""
    found = POST_URL.match(url.strip())
    return found["id"] if found else None


NETWORK = Network(
    name=NAME,
    title="X (Twitter)",
    credentials=CREDENTIALS,
    rules=TextRules(LIMIT, weighted_length, NAME),
    connect=_connect,
    post_id_from_url=post_id_from_url,
    setup="X (Twitter): what it costs, and the credentials step by step",
    photos=PHOTO_LIMITS,
)
