"""What a network adapter promises the publisher, and the retry policy they all share."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Reference:
    """An earlier post a new one answers: its id, and whatever else the network needs to reply
    (Bluesky: the post's uri and cid)."""

    post_id: str
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Photo:
    """One photo of a recap: its alt text, its copy on the site, and the bytes made for this
    network (empty where photos are linked, not uploaded: e-mail)."""

    alt: str
    url: str
    data: bytes = b""
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class Message:
    """Everything an adapter may use for one post; each network takes what it can show."""

    text: str  # composed and measured for this network; for e-mail the first line is the subject
    link: str  # the page the post is about; never cut from the text
    title: str = ""
    description: str = ""
    image_path: str | None = None  # the class's share image in the built site, when there is one
    image_url: str | None = None
    ics: bytes | None = None  # the class's calendar file, attached to e-mails
    reply_to: Reference | None = None  # the announcement an update or reminder answers
    key: str = ""  # the same for every attempt at one record's post (Mastodon's Idempotency-Key)
    language: str = ""  # the site's language ("id"), for networks that tag posts with one
    domain: str = ""  # the chapter's domain, for e-mail Message-IDs
    # A recap's photos, at most the network's count, already fitted to its limits; a message
    # with photos is a recap (uploads first, then one post with them).
    photos: tuple[Photo, ...] = ()

    @property
    def subject(self) -> str:
        """An e-mail's subject: the text's first line."""
        return self.text.split("\n", 1)[0]

    @property
    def body(self) -> str:
        """An e-mail's body: the text after its first line."""
        return self.text.split("\n", 1)[1] if "\n" in self.text else self.text


@dataclass(frozen=True)
class Sent:
    """A confirmed post: its id on the network, its public address, and what a reply needs."""

    post_id: str
    url: str
    reply: Mapping[str, str] = field(default_factory=dict)


class SendError(Exception):
    """A post that did not go out; the message tells the organizer what to do."""


class RateLimited(SendError):
    """The network wants us to stop for a while (HTTP 429)."""

    def __init__(self, message: str, reset_at: datetime | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class Unavailable(SendError):
    """A server error or a network failure: worth a few retries."""


class NotAllowed(SendError):
    """Credentials or app permissions are wrong (HTTP 401/403); retrying cannot help."""


class PaymentRequired(SendError):
    """The network wants paying first (HTTP 402: prepaid credits used up); retrying cannot help."""


class Rejected(SendError):
    """The network refused this particular text (HTTP 400 and the like)."""


class Duplicate(SendError):
    """The network already has this exact text from us: an earlier attempt went out."""


class Sender(Protocol):
    """One network: posts a message, optionally as a reply, and returns what it got back."""

    network: str

    def post(self, message: Message) -> Sent: ...


def post_with_retries(
    sender: Sender,
    message: Message,
    delays: Sequence[float],
    sleep: Callable[[float], None],
    on_retry: Callable[[Unavailable, float], None] = lambda error, delay: None,
) -> Sent:
    """Post, retrying after server and network errors; every other error is final at once."""
    for delay in (*delays, None):
        try:
            return sender.post(message)
        except Unavailable as error:
            if delay is None:
                raise
            on_retry(error, delay)
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
