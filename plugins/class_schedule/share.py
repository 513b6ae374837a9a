"""Twitter web-intent links: sharing a class and registering "via Twitter" without any paid API."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from .model import ClassEvent

INTENT_URL = "https://twitter.com/intent/tweet"


def share_url(event: ClassEvent, page_url: str, chapter: Mapping[str, str]) -> str:
    """A prefilled tweet that tells followers about the class."""
    text = f"{event.title} bersama @{chapter['twitter']}"
    return (
        f"{INTENT_URL}?{urlencode({'text': text, 'url': page_url, 'hashtags': chapter['hashtag']})}"
    )


def registration_url(event: ClassEvent, page_url: str, chapter: Mapping[str, str]) -> str:
    """The registration tweet: the organizer's own text, or one naming the chapter and the class."""
    text = event.registration.tweet_text or (
        f'Saya daftar kelas "{event.title}" @{chapter["twitter"]} #{chapter["hashtag"]}'
    )
    return f"{INTENT_URL}?{urlencode({'text': text, 'url': page_url})}"
