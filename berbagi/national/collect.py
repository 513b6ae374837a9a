"""Every chapter's calendar and feed, fetched at once (threads), each with its last good copy."""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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


# A calendar this big is read in another process: icalendar's parsing is most of a cold national
# build, and threads share one CPU. Small ones (every test's) are read in the thread.
BIG_CALENDAR = 256 * 1024


class _Readers:
    """Reads big calendars in a pool of processes, started on first need."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def read(self, body: bytes, chapter: ChapterSource) -> tuple[NationalEvent, ...]:
        processors = os.cpu_count() or 1
        if len(body) < BIG_CALENDAR or processors < 2:
            return read_calendar(body, chapter)
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the fetching threads are running.
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=processors, mp_context=context)
        return self._pool.submit(read_calendar, body, chapter).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def _reading_cache(
    folder: Path, chapter: ChapterSource, readers: _Readers
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
        events = readers.read(body, chapter)
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
    readers: _Readers,
) -> Copy[tuple[NationalEvent, ...]]:
    return fetch_copy(
        client,
        chapter.calendar_url,
        national.cache_folder / chapter.id,
        CALENDAR_FILE,
        _reading_cache(national.cache_folder / chapter.id, chapter, readers),
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
    readers: _Readers,
    chapter: ChapterSource,
) -> ChapterState:
    calendar = _calendar(client, national, chapter, now, readers)
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
    readers = _Readers()
    try:
        with httpx.Client(follow_redirects=True, transport=transport) as client:
            state = partial(_state, client, national, now, readers)
            if national.workers == 1 or len(listed) <= 1:
                return [state(chapter) for chapter in listed]
            with ThreadPoolExecutor(max_workers=national.workers) as pool:
                return list(pool.map(state, listed))
    finally:
        readers.close()
