"""The ledger (announcements.json): what was posted where; atomic writes, one run at a time."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

VERSION = 1
POSTED = "posted"
PENDING = "pending"  # about to be sent: a crash right after leaves this behind on purpose
BASELINE = "baseline"  # already public before the kit posted anything; recorded, never sent
ANNOUNCE_KINDS = ("announcement", "update")


class LedgerError(Exception):
    """The ledger cannot be used as it is; the message says what to do."""


def atomic_write_json(path: Path, data: Any) -> None:
    """Replace `path` with `data` as JSON so that a crash leaves either the old or the new file."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; the ledger is an ordinary repo file
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    # The rename itself lives in the directory; without this a power cut can undo it.
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    """Hold the announce lock, or fail at once if another run holds it."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LedgerError(
                f"another announce or remind run holds {lock_path}; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def chapter_identity(chapter: Mapping[str, str]) -> dict[str, str]:
    """What ties a ledger to one chapter: its permanent domain and its account."""
    return {"domain": chapter["domain"], "twitter": chapter["twitter"]}


@dataclass
class Ledger:
    """Every post (and baselined item) of one chapter, oldest first."""

    path: Path
    chapter: dict[str, str]
    records: list[dict[str, Any]] = field(default_factory=list)
    updated_by: dict[str, str] | None = None

    @classmethod
    def load(cls, path: Path) -> Ledger | None:
        """The ledger at `path`, or None when there is none yet."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise LedgerError(f"{path} is not readable ({error}); restore it from git") from None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise LedgerError(f"{path} is not a version {VERSION} ledger; restore it from git")
        return cls(path, data["chapter"], list(data["records"]), data.get("updated_by"))

    def save(self, build: Mapping[str, str]) -> None:
        """Write the ledger atomically, noting which build's plan changed it last."""
        self.updated_by = {"build_id": build["build_id"], "built_at": build["built_at"]}
        data = {
            "version": VERSION,
            "chapter": self.chapter,
            "updated_by": self.updated_by,
            "records": self.records,
        }
        atomic_write_json(self.path, data)

    def find(self, slug: str, kind: str, network: str, *, settled: bool = True) -> list[dict]:
        """Records of one item and kind, oldest first; only settled ones unless told."""
        return [
            record
            for record in self.records
            if record["slug"] == slug
            and record["kind"] == kind
            and record["network"] == network
            and (not settled or record["status"] != PENDING)
        ]

    def announcement(self, slug: str, network: str) -> dict | None:
        found = self.find(slug, "announcement", network)
        return found[-1] if found else None

    def known_state(self, slug: str, network: str) -> dict | None:
        """The class as followers last heard of it: the newest settled announcement or update."""
        known = [
            record
            for record in self.records
            if record["slug"] == slug
            and record["network"] == network
            and record["kind"] in ANNOUNCE_KINDS
            and record["status"] != PENDING
        ]
        return known[-1]["state"] if known else None

    def pending(self, kinds: tuple[str, ...] = ANNOUNCE_KINDS) -> list[dict]:
        """Posts that were about to be sent when a run stopped: maybe posted, maybe not."""
        return [r for r in self.records if r["status"] == PENDING and r["kind"] in kinds]

    def begin(self, record: dict) -> dict:
        """Add a pending record for a post about to be sent (replacing an older pending one)."""
        self.records = [
            r
            for r in self.records
            if not (
                r["status"] == PENDING
                and r["slug"] == record["slug"]
                and r["kind"] == record["kind"]
                and r["network"] == record["network"]
            )
        ]
        self.records.append(record)
        return record

    def forget(self, record: dict) -> None:
        """Drop a pending record whose post certainly did not go out."""
        self.records = [r for r in self.records if r is not record]


def new_record(
    slug: str,
    network: str,
    kind: str,
    status: str,
    state: Mapping[str, Any],
    at: datetime,
    change: str | None = None,
) -> dict[str, Any]:
    """One ledger record; tweet id and URL are filled in once the post is confirmed."""
    record: dict[str, Any] = {"slug": slug, "network": network, "kind": kind}
    if change:
        record["change"] = change
    record.update(
        status=status,
        tweet_id=None,
        url=None,
        posted_at=None,
        recorded_at=at.isoformat(),
        state=dict(state),
    )
    return record


def settle(
    record: dict, tweet_id: str | None, url: str | None, at: datetime, duplicate: bool = False
) -> None:
    """Mark a pending record as posted."""
    record.update(status=POSTED, tweet_id=tweet_id, url=url, posted_at=at.isoformat())
    if duplicate:
        # Twitter refused the text as a duplicate: an earlier attempt went out, id unknown.
        record["duplicate"] = True
