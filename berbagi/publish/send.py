"""What a network adapter promises the publisher, and the retry policy they all share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Sent:
    """A confirmed post: its id on the network and its public address."""

    post_id: str
    url: str


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
    """One network: posts a text, optionally as a reply, and returns what it got back."""

    network: str

    def post(self, text: str, reply_to: str | None) -> Sent: ...


def post_with_retries(
    sender: Sender,
    text: str,
    reply_to: str | None,
    delays: Sequence[float],
    sleep: Callable[[float], None],
    on_retry: Callable[[Unavailable, float], None] = lambda error, delay: None,
) -> Sent:
    """Post, retrying after server and network errors; every other error is final at once."""
    for delay in (*delays, None):
        try:
            return sender.post(text, reply_to)
        except Unavailable as error:
            if delay is None:
                raise
            on_retry(error, delay)
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
