"""Fetching one chapter file with a last good copy: a time limit, a size limit, conditional
requests (ETag, Last-Modified), and the copy kept when the chapter is down or sends garbage.

A national build never fails because of a chapter: whatever goes wrong becomes `Copy.problem`,
and the last good copy (with the moment its server last confirmed it) stands in.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")
USER_AGENT = "Berbagi national site (+https://github.com/akademiberbagi)"


class Garbage(ValueError):
    """The server answered, but not with a file the build can read (HTML, a cut calendar)."""


@dataclass(frozen=True)
class Copy(Generic[T]):
    """A chapter file as the build uses it: this build's download, or the last good copy."""

    url: str
    value: T | None  # parsed; None: no good copy at all
    confirmed_at: datetime | None  # when the chapter's server last gave or confirmed this copy
    fresh: bool  # confirmed by this build (a 200 or a 304)
    not_modified: bool = False  # the server said 304: the kept copy is current
    problem: str = ""  # why this build's download was not used ("" when fresh)
    # The copy kept before this build's download replaced it (for SEQUENCE: revisions only go
    # up, even when a mirror serves an older file); None when nothing was replaced.
    previous: T | None = None

    def age(self, now: datetime) -> timedelta | None:
        """How old the copy is: zero when fresh, None when there is none."""
        if self.confirmed_at is None:
            return None
        return max(now - self.confirmed_at, timedelta(0))


@dataclass(frozen=True)
class _Kept:
    body: bytes
    etag: str
    last_modified: str
    confirmed_at: datetime
    url: str


def _read_kept(folder: Path, name: str) -> _Kept | None:
    try:
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        body = (folder / name).read_bytes()
        return _Kept(
            body=body,
            etag=str(meta.get("etag") or ""),
            last_modified=str(meta.get("last_modified") or ""),
            confirmed_at=datetime.fromisoformat(meta["confirmed_at"]),
            url=str(meta.get("url") or ""),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _keep(folder: Path, name: str, kept: _Kept) -> None:
    # The body first: a crash between the two leaves the old metadata, whose ETag then no
    # longer matches, so the next build simply downloads again.
    _write_atomically(folder / name, kept.body)
    meta = {
        "url": kept.url,
        "etag": kept.etag,
        "last_modified": kept.last_modified,
        "confirmed_at": kept.confirmed_at.isoformat(),
    }
    _write_atomically(folder / f"{name}.json", json.dumps(meta, indent=1).encode())


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def _download(
    client: httpx.Client, url: str, headers: dict[str, str], timeout: float, max_bytes: int
) -> tuple[int, bytes, httpx.Headers]:
    """Status, body and headers; stops reading past `max_bytes` or after `timeout` in all."""
    deadline = time.monotonic() + timeout
    with client.stream("GET", url, headers=headers, timeout=httpx.Timeout(timeout)) as answer:
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise _TooLarge
        chunks, size = [], 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise _TooLarge
            if time.monotonic() > deadline:
                raise _TooSlow
            chunks.append(chunk)
        return answer.status_code, b"".join(chunks), answer.headers


def fetch_copy(
    client: httpx.Client,
    url: str,
    folder: Path,
    name: str,
    parse: Callable[[bytes], T],
    *,
    timeout: float,
    max_bytes: int,
    now: datetime | None = None,
) -> Copy[T]:
    """The file at `url`, downloaded (or confirmed with a 304) and kept in `folder/name`, or the
    last good copy kept there, with the reason. `parse` raises Garbage for a file it cannot use.
    """
    moment = now or datetime.now(UTC)
    kept = _read_kept(folder, name)
    headers = {"User-Agent": USER_AGENT}
    if kept is not None and kept.url == url:
        if kept.etag:
            headers["If-None-Match"] = kept.etag
        if kept.last_modified:
            headers["If-Modified-Since"] = kept.last_modified
    problem = ""
    try:
        status, body, answer_headers = _download(client, url, headers, timeout, max_bytes)
    except _TooLarge:
        problem = f"larger than {max_bytes:,} bytes; stopped reading"
    except (_TooSlow, httpx.TimeoutException):
        problem = f"no complete answer within {timeout:g} s"
    except httpx.HTTPError as error:
        problem = f"could not be reached ({type(error).__name__}: {error})"
    else:
        if status == 304 and kept is not None:
            value = _parse_kept(kept, parse)
            if value is not None:
                confirmed = _Kept(kept.body, kept.etag, kept.last_modified, moment, url)
                _keep(folder, name, confirmed)
                return Copy(url, value, moment, fresh=True, not_modified=True)
            problem = "answered 304 but the kept copy is unreadable"
        elif status != 200:
            problem = f"answered HTTP {status}"
        else:
            try:
                value = parse(body)
            except Garbage as garbage:
                problem = str(garbage)
            else:
                last_modified = answer_headers.get("last-modified", "")
                etag = answer_headers.get("etag", "")
                replaced = kept is not None and kept.body != body
                previous = _parse_kept(kept, parse) if replaced and kept is not None else None
                _keep(folder, name, _Kept(body, etag, last_modified, moment, url))
                return Copy(url, value, moment, fresh=True, previous=previous)
    if kept is None:
        return Copy(url, None, None, fresh=False, problem=problem)
    return Copy(url, _parse_kept(kept, parse), kept.confirmed_at, fresh=False, problem=problem)


def _parse_kept(kept: _Kept, parse: Callable[[bytes], T]) -> T | None:
    try:
        return parse(kept.body)
    except Garbage:
        return None
