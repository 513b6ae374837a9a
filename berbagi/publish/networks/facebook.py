"""The Facebook Page adapter: the Graph API's `POST /{page-id}/feed` with a Page access token,
through requests; the link's preview comes from the class page's Open Graph tags."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import requests

from ...model import Chapter
from ..compose import TextRules
from ..media import PhotoLimits
from ..send import (
    Duplicate,
    Message,
    NotAllowed,
    Photo,
    RateLimited,
    Rejected,
    Sent,
    Unavailable,
)
from . import Network

NAME = "facebook"
# A Page post takes 63,206 characters; the kit's texts are far shorter.
LIMIT = 63_206
CREDENTIALS = ("FACEBOOK_PAGE_ID", "FACEBOOK_PAGE_ACCESS_TOKEN")
GRAPH_URL = "FACEBOOK_GRAPH_URL"  # a bare server address, for a self-hosted proxy or a test server
DEFAULT_GRAPH_URL = "https://graph.facebook.com"
TIMEOUT_SECONDS = 30
# Page photos: JPEG up to 4 MB ("under 4 MB" in Facebook's photo guidelines); shown at most
# 2048 pixels a side. Facebook takes more photos in one post; four keep every network alike.
PHOTO_LIMITS = PhotoLimits(count=4, bytes=4_000_000, side=2048)
# Graph API error codes (developers.facebook.com/docs/graph-api/guides/error-handling).
TOKEN_CODES = {102, 190}  # the token expired, was revoked or is not a Page token
PERMISSION_CODES = {3, 10, 200, 210, 220, 230, 270, 299}
THROTTLE_CODES = {4, 17, 32, 341, 368, 613}
TRANSIENT_CODES = {1, 2}
DUPLICATE_CODE = 506
POST_URL = re.compile(
    r"^https://(?:www\.|m\.|web\.)?facebook\.com/(?:(?P<page>\d+)_?(?P<post>\d+)|"
    r"(?:[^/?#]+/posts/|permalink\.php\?story_fbid=)(?P<only>[\w.]+))/?(?:[?#&].*)?$"
)


def length(text: str) -> int:
    """Characters, as Facebook counts a message."""
    return len(text)


def _error(response: requests.Response) -> tuple[int | None, str]:
    try:
        found: Any = response.json().get("error", {})
    except ValueError:
        found = {}
    if not isinstance(found, Mapping):
        found = {}
    code = found.get("code")
    message = str(found.get("message") or response.reason or "").strip()
    return (code if isinstance(code, int) else None), message


class FacebookSender:
    """Posts to the chapter's Facebook Page as the Page."""

    network = NAME

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._page = environ["FACEBOOK_PAGE_ID"].strip()
        self._token = environ["FACEBOOK_PAGE_ACCESS_TOKEN"].strip()
        base = environ.get(GRAPH_URL, "").strip() or DEFAULT_GRAPH_URL
        self._feed = f"{base.rstrip('/')}/{self._page}/feed"
        self._photos = f"{base.rstrip('/')}/{self._page}/photos"
        self._session = requests.Session()

    def post(self, message: Message) -> Sent:
        """Create one Page post (updates are new posts: see `threads` below); a recap's photos
        are uploaded unpublished first, then attached to the one post (`attached_media`)."""
        # The token goes in the form body, never in the URL, so no log or error shows it.
        data = {"message": message.text, "access_token": self._token}
        if message.photos:
            # A post with attached photos shows them, not a link preview; its text has the link.
            for number, photo in enumerate(message.photos[: PHOTO_LIMITS.count]):
                data[f"attached_media[{number}]"] = json.dumps({"media_fbid": self._upload(photo)})
        else:
            data["link"] = message.link
        post_id = self._request(self._feed, data)
        return Sent(post_id, f"https://www.facebook.com/{post_id}")

    def _upload(self, photo: Photo) -> str:
        """One photo on the Page, not published on its own: only the post shows it."""
        data = {"published": "false", "alt_text_custom": photo.alt, "access_token": self._token}
        files = {"source": ("foto.jpg", photo.data, "image/jpeg")}
        return self._request(self._photos, data, files)

    def _request(
        self, url: str, data: Mapping[str, str], files: Mapping[str, Any] | None = None
    ) -> str:
        try:
            response = self._session.post(url, data=data, files=files, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            raise Unavailable(f"no answer from Facebook ({type(error).__name__})") from None
        if response.ok:
            return str(response.json()["id"])
        code, text = _error(response)
        reason = f"{response.status_code} {text}".strip() + (f" (code {code})" if code else "")
        if code in TOKEN_CODES or response.status_code == 401:
            raise NotAllowed(
                f"Facebook refused the Page access token ({reason}): make a new Page token "
                "(README, Facebook Page) and update FACEBOOK_PAGE_ACCESS_TOKEN"
            )
        if code in PERMISSION_CODES or response.status_code == 403:
            raise NotAllowed(
                f"Facebook refused to post ({reason}): the token needs pages_manage_posts and "
                "pages_read_engagement on this Page, and the app must be Live"
            )
        if code in THROTTLE_CODES or response.status_code == 429:
            raise RateLimited(f"Facebook's rate limit was reached ({reason})")
        if code == DUPLICATE_CODE:
            raise Duplicate(f"Facebook already has this post ({reason})")
        if code in TRANSIENT_CODES or response.status_code >= 500:
            raise Unavailable(f"Facebook answered {reason}")
        raise Rejected(f"Facebook refused the post ({reason})")


def _connect(environ: Mapping[str, str], chapter: Chapter) -> FacebookSender:
    return FacebookSender(environ)


def post_id_from_url(url: str) -> str | None:
    """The post's id in its address (https://www.facebook.com/123_456), or None."""
    found = POST_URL.match(url.strip())
    if not found:
        return None
    if found["page"]:
        return f"{found['page']}_{found['post']}"
    return found["only"]


NETWORK = Network(
    name=NAME,
    title="Facebook",
    credentials=CREDENTIALS,
    rules=TextRules(LIMIT, length, NAME),
    connect=_connect,
    post_id_from_url=post_id_from_url,
    optional=(GRAPH_URL,),
    # A comment under the announcement reaches nobody's feed; a change must reach the followers.
    threads=False,
    setup="Facebook Page",
    photos=PHOTO_LIMITS,
)
