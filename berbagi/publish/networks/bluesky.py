"""The Bluesky adapter: atproto's client with an app password; links, hashtags and teachers'
handles as facets (atproto's TextBuilder counts their UTF-8 byte offsets), a link card with the
class's share image, updates as replies (the announcement's uri and cid), and a recap's photos
as app.bsky.embed.images (uploaded blobs, alt texts, aspect ratios)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...model import Chapter
from ..compose import TextRules
from ..media import PhotoLimits
from ..send import Message, NotAllowed, RateLimited, Rejected, Sent, Unavailable
from . import Network

NAME = "bluesky"
LIMIT = 300  # graphemes
CREDENTIALS = ("BLUESKY_HANDLE", "BLUESKY_APP_PASSWORD")
SERVICE = "BLUESKY_SERVICE"  # a bare server address: the account's PDS, or a test server
DEFAULT_SERVICE = "https://bsky.social"
# A blob larger than this is refused (the lexicon's maxSize for a link card's thumbnail).
THUMB_LIMIT = 1_000_000
# app.bsky.embed.images: at most 4, each blob at most 1,000,000 bytes; the app shows at most
# 2000 pixels a side, so larger ones only cost bytes.
PHOTO_LIMITS = PhotoLimits(count=4, bytes=THUMB_LIMIT, side=2000)
# What becomes a facet: links, #hashtags, and @handles (handles are domain names).
FACETS = re.compile(
    r"(?P<link>https?://\S+)|(?<![\w#])#(?P<tag>\w+)|(?<![\w@])@(?P<handle>[a-z0-9-]+(?:\.[a-z0-9-]+)+)",
    re.IGNORECASE,
)
POST_URL = re.compile(
    r"^https://bsky\.app/profile/(?P<who>[\w.:-]+)/post/(?P<rkey>[a-z0-9]{3,20})/?$", re.IGNORECASE
)

logger = logging.getLogger(__name__)


def length(text: str) -> int:
    """Bluesky's length: grapheme clusters (an emoji family is one)."""
    import grapheme

    return int(grapheme.length(text))


class BlueskySender:
    """Posts as the chapter's Bluesky account; logs in at the first post."""

    network = NAME

    def __init__(self, environ: Mapping[str, str]) -> None:
        from atproto import Client

        self._handle = environ["BLUESKY_HANDLE"].strip().removeprefix("@")
        self._password = environ["BLUESKY_APP_PASSWORD"].strip()
        service = environ.get(SERVICE, "").strip() or DEFAULT_SERVICE
        self._client = Client(base_url=service.rstrip("/"))
        self._logged_in = False

    def post(self, message: Message) -> Sent:
        """Post once, translating atproto's errors into the publisher's."""
        from atproto import exceptions

        try:
            return self._post(message)
        except exceptions.RateLimitExceededError as error:
            said = f"Bluesky's rate limit was reached ({error})"
            raise RateLimited(said, error.reset_at) from None
        except exceptions.UnauthorizedError as error:
            raise NotAllowed(
                f"Bluesky refused the login ({error}): check BLUESKY_HANDLE and make a new app "
                "password (Settings, Privacy and security, App passwords) for BLUESKY_APP_PASSWORD"
            ) from None
        except exceptions.NetworkError as error:
            raise Unavailable(f"no answer from Bluesky ({type(error).__name__} {error})") from None
        except exceptions.RequestErrorBase as error:
            status = error.response.status_code if error.response is not None else 0
            if status >= 500:
                raise Unavailable(f"Bluesky answered {error}") from None
            raise Rejected(f"Bluesky refused the post ({error})") from None

    def _post(self, message: Message) -> Sent:
        from atproto import models

        if not self._logged_in:
            # No profile lookup: one request less, and a self-hosted PDS may not serve it.
            self._client.login(self._handle, self._password, fetch_bsky_profile=False)
            self._logged_in = True
        builder = self._rich_text(message.text)
        reply = None
        if message.reply_to is not None and {"uri", "cid"} <= set(message.reply_to.extra):
            parent = models.ComAtprotoRepoStrongRef.Main(
                uri=message.reply_to.extra["uri"], cid=message.reply_to.extra["cid"]
            )
            # Updates answer the announcement, which starts the thread: root and parent.
            reply = models.AppBskyFeedPost.ReplyRef(root=parent, parent=parent)
        created = self._client.send_post(
            builder,
            profile_identify=self._handle,
            reply_to=reply,
            embed=self._images(message) if message.photos else self._card(message),
            langs=[message.language] if message.language else None,
        )
        rkey = created.uri.rsplit("/", 1)[-1]
        return Sent(
            created.uri,
            f"https://bsky.app/profile/{self._handle}/post/{rkey}",
            {"uri": created.uri, "cid": created.cid},
        )

    def _rich_text(self, text: str) -> Any:
        from atproto import client_utils

        builder = client_utils.TextBuilder()
        at = 0
        for found in FACETS.finditer(text):
            builder.text(text[at : found.start()])
            if found["link"]:
                builder.link(found[0], found["link"])
            elif found["tag"]:
                builder.tag(found[0], found["tag"])
            else:
                did = self._did(found["handle"])
                if did:
                    builder.mention(found[0], did)
                else:
                    builder.text(found[0])
            at = found.end()
        builder.text(text[at:])
        return builder

    def _did(self, handle: str) -> str | None:
        """The account's DID for a mention facet; None leaves the handle as plain text."""
        from atproto import exceptions

        try:
            return str(self._client.resolve_handle(handle.lower()).did)
        except exceptions.AtProtocolError:
            logger.warning("social_publish: Bluesky does not know @%s; not a mention", handle)
            return None

    def _images(self, message: Message) -> Any:
        """A recap's photos: each uploaded as a blob, then embedded with its alt text and its
        aspect ratio (without one, the app shows every photo square until it loads)."""
        from atproto import models

        images = []
        for photo in message.photos[: PHOTO_LIMITS.count]:
            blob = self._client.upload_blob(photo.data).blob
            images.append(
                models.AppBskyEmbedImages.Image(
                    alt=photo.alt,
                    image=blob,
                    aspect_ratio=models.AppBskyEmbedDefs.AspectRatio(
                        width=photo.width, height=photo.height
                    ),
                )
            )
        return models.AppBskyEmbedImages.Main(images=images)

    def _card(self, message: Message) -> Any:
        from atproto import models

        thumb = None
        image = Path(message.image_path) if message.image_path else None
        if image is not None and image.is_file() and image.stat().st_size <= THUMB_LIMIT:
            thumb = self._client.upload_blob(image.read_bytes()).blob
        return models.AppBskyEmbedExternal.Main(
            external=models.AppBskyEmbedExternal.External(
                uri=message.link,
                title=message.title or message.link,
                description=message.description,
                thumb=thumb,
            )
        )


def _connect(environ: Mapping[str, str], chapter: Chapter) -> BlueskySender:
    return BlueskySender(environ)


def post_id_from_url(url: str) -> str | None:
    """The post's at:// address from its bsky.app address, or None."""
    found = POST_URL.match(url.strip())
    if not found:
        return None
    return f"at://{found['who']}/app.bsky.feed.post/{found['rkey']}"


NETWORK = Network(
    name=NAME,
    title="Bluesky",
    credentials=CREDENTIALS,
    rules=TextRules(LIMIT, length, NAME),
    connect=_connect,
    post_id_from_url=post_id_from_url,
    optional=(SERVICE,),
    setup="Bluesky",
    photos=PHOTO_LIMITS,
)
