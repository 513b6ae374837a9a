"""Every chapter's calendar and feed, fetched at once (threads), each with its last good copy."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import httpx
import icalendar

from . import merge
from .config import ChapterSource, NationalSettings
from .fetch import Copy, fetch_copy
from .merge import (
    FeedEntry,
    NationalEvent,
    event_from_record,
    event_record,
    keep_higher_sequences,
    read_calendar,
    read_feed,
    with_feed,
)

CALENDAR_FILE = "calendar.ics"
FEED_FILE = "feed.atom.xml"
READ_FILE = "calendar.events.json"
# Changes when the reading code or icalendar changes, so that a kept reading is redone.
READER_VERSION = hashlib.sha256(
    Path(merge.__file__).read_bytes() + icalendar.__version__.encode()
).hexdigest()


def _reading_cache(
    folder: Path, chapter: ChapterSource
) -> Callable[[bytes], tuple[NationalEvent, ...]]:
    """read_calendar, answered from the last reading of the same bytes when there is one: an
    unchanged calendar (a 304) costs no parsing, which is most of a national build."""

    def read(body: bytes) -> tuple[NationalEvent, ...]:
        digest = hashlib.sha256(READER_VERSION.encode() + repr(chapter).encode() + body).hexdigest()
        path = folder / READ_FILE
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            kept = json.loads(path.read_text(encoding="utf-8"))
            if kept.get("digest") == digest:
                return tuple(event_from_record(record) for record in kept["events"])
        events = read_calendar(body, chapter)
        with contextlib.suppress(OSError):  # only a missed speed-up next time
            folder.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{READ_FILE}.{threading.get_ident()}")
            data = {"digest": digest, "events": [event_record(event) for event in events]}
            temporary.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temporary, path)
        return events

    return read


@dataclass(frozen=True)
class ChapterState:
    """One chapter in this build: its files as used, and its classes."""

    chapter: ChapterSource
    calendar: Copy[tuple[NationalEvent, ...]]
    feed: Copy[dict[str, FeedEntry]] | None
    events: tuple[NationalEvent, ...] = field(default=())

    @property
    def has_copy(self) -> bool:
        return self.calendar.value is not None

    @property
    def uses_old_copy(self) -> bool:
        """The calendar shown is not this build's: the chapter was down or sent garbage."""
        return not self.calendar.fresh

    def age(self, now: datetime) -> timedelta | None:
        return self.calendar.age(now)

    def problems(self) -> list[str]:
        """What went wrong this build, per file ("calendar <url> <why>")."""
        copies = (("calendar", self.calendar), ("feed", self.feed))
        return [
            f"{kind} {copy.url} {copy.problem}" for kind, copy in copies if copy and copy.problem
        ]


def _calendar(
    client: httpx.Client,
    national: NationalSettings,
    chapter: ChapterSource,
    now: datetime,
) -> Copy[tuple[NationalEvent, ...]]:
    return fetch_copy(
        client,
        chapter.calendar_url,
        national.cache_folder / chapter.id,
        CALENDAR_FILE,
        _reading_cache(national.cache_folder / chapter.id, chapter),
        timeout=national.timeout,
        max_bytes=national.max_bytes,
        now=now,
    )


def _feed(
    client: httpx.Client, national: NationalSettings, chapter: ChapterSource, now: datetime
) -> Copy[dict[str, FeedEntry]] | None:
    if chapter.feed_url is None:
        return None
    return fetch_copy(
        client,
        chapter.feed_url,
        national.cache_folder / chapter.id,
        FEED_FILE,
        read_feed,
        timeout=national.timeout,
        max_bytes=national.max_bytes,
        now=now,
    )


def _state(
    client: httpx.Client,
    national: NationalSettings,
    now: datetime,
    chapter: ChapterSource,
) -> ChapterState:
    calendar = _calendar(client, national, chapter, now)
    feed = _feed(client, national, chapter, now)
    events = calendar.value or ()
    if calendar.previous is not None:
        events = keep_higher_sequences(events, calendar.previous)
    if feed is not None and feed.value:
        events = with_feed(events, feed.value)
    return ChapterState(chapter, calendar, feed, tuple(events))


def collect(
    national: NationalSettings,
    now: datetime,
    chapters: Iterable[ChapterSource] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> list[ChapterState]:
    """Each chapter's state, in the settings' order; never raises for a chapter's failure."""
    listed = list(national.chapters if chapters is None else chapters)
    # Redirects are followed (a chapter moving to https); the limits apply per request.
    with httpx.Client(follow_redirects=True, transport=transport) as client:
        state = partial(_state, client, national, now)
        if national.workers == 1 or len(listed) <= 1:
            return [state(chapter) for chapter in listed]
        # Threads: downloads overlap; reading calendars takes the one CPU Python gives them.
        with ThreadPoolExecutor(max_workers=national.workers) as pool:
            return list(pool.map(state, listed))
