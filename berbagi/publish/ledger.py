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

from ..model import Chapter

VERSION = 2  # 2: records call the network's id `post_id` (version 1 said `tweet_id`)
# Ledgers written before the kit had other networks knew only X, and every one began with X.
FIRST_NETWORKS = ("twitter",)
READABLE_VERSIONS = (1, 2)
POSTED = "posted"
PENDING = "pending"  # about to be sent: a crash right after leaves this behind on purpose
BASELINE = "baseline"  # already public before the kit posted anything; recorded, never sent
# A pending post that can no longer be of use (its class has started): maybe posted, maybe not,
# and never sent now. Kept, not deleted, so that no later run posts it.
DROPPED = "dropped"
ANNOUNCE_KINDS = ("announcement", "update")
RECAP = "recap"  # the thank-you post with photos after a class
KINDS = (*ANNOUNCE_KINDS, "reminder", RECAP)
STATUSES = (POSTED, PENDING, BASELINE, DROPPED)
CHANGES = ("cancelled", "postponed", "rescheduled")


class LedgerError(Exception):
    """The ledger cannot be used as it is; the message says what to do."""


def atomic_write_json(path: Path, data: Any) -> None:
    """Replace `path` with `data` as JSON so that a crash leaves either the old or the new file."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
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


def describe(kind: str, change: str | None, slug: str) -> str:
    """ "update (cancelled) desain-grafis": how messages and dry runs name a post."""
    return f"{kind} ({change}) {slug}" if change else f"{kind} {slug}"


def chapter_identity(chapter: Chapter) -> dict[str, str]:
    """What ties a ledger to one chapter: its permanent domain and its X account ("" if none)."""
    return {"domain": chapter.domain, "twitter": chapter.twitter}


def identity_name(identity: Mapping[str, str]) -> str:
    """ "@AkberPLB (palembang.akademiberbagi.org)", or the domain alone for a chapter not on X."""
    domain, account = identity["domain"], identity["twitter"]
    return f"@{account} ({domain})" if account else domain


@dataclass
class Record:
    """One post (or baselined item) of one class or page on one network.

    Mutable only while its post is being sent: `settle` marks it posted once the network answers.
    """

    slug: str
    network: str
    kind: str  # announcement | update | reminder | recap
    status: str  # posted | pending | baseline | dropped
    recorded_at: str
    state: dict[str, str]
    change: str | None = None  # cancelled | postponed | rescheduled, for updates
    post_id: str | None = None
    url: str | None = None
    posted_at: str | None = None
    duplicate: bool = False  # the network refused a duplicate: posted earlier, id unknown
    # What a reply to this post needs besides its id (Bluesky: its uri and cid); stored only
    # when there is something, so X's records read as they always did.
    reply: dict[str, str] | None = None
    dropped_at: str | None = None  # when a pending record was dropped as of no use any more

    @classmethod
    def from_json(cls, data: Any, where: str) -> Record:
        """A record as stored; ledgers before networks were generic call the id `tweet_id`."""
        if not isinstance(data, Mapping):
            raise LedgerError(f"{where} is not an object; restore the ledger from git")
        missing = [key for key in RECORD_KEYS if key not in data]
        if missing:
            raise LedgerError(f"{where} has no '{missing[0]}'; restore the ledger from git")
        state = data["state"]
        if not isinstance(state, Mapping):
            raise LedgerError(f"{where}: 'state' is not an object; restore the ledger from git")
        for key, allowed in (("kind", KINDS), ("status", STATUSES)):
            if data[key] not in allowed:
                raise LedgerError(
                    f"{where}: '{key}' is {data[key]!r}, not one of {', '.join(allowed)}"
                )
        if data.get("change") not in (None, *CHANGES):
            raise LedgerError(f"{where}: 'change' is {data['change']!r}, not one of the changes")
        for key in ("slug", "network", "recorded_at"):
            if not isinstance(data[key], str) or not data[key]:
                raise LedgerError(f"{where}: '{key}' must be non-empty text")
        return cls(
            slug=str(data["slug"]),
            network=str(data["network"]),
            kind=str(data["kind"]),
            status=str(data["status"]),
            recorded_at=str(data["recorded_at"]),
            state={str(key): str(value) for key, value in state.items()},
            change=data.get("change"),
            post_id=data.get("post_id") or data.get("tweet_id"),
            url=data.get("url"),
            posted_at=data.get("posted_at"),
            duplicate=bool(data.get("duplicate", False)),
            reply=_reply(data.get("reply"), where),
            dropped_at=data.get("dropped_at"),
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"slug": self.slug, "network": self.network, "kind": self.kind}
        if self.change:
            data["change"] = self.change
        data.update(
            status=self.status,
            post_id=self.post_id,
            url=self.url,
            posted_at=self.posted_at,
            recorded_at=self.recorded_at,
            state=dict(self.state),
        )
        if self.duplicate:
            data["duplicate"] = True
        if self.reply:
            data["reply"] = dict(self.reply)
        if self.dropped_at:
            data["dropped_at"] = self.dropped_at
        return data

    def describe(self) -> str:
        """ "update (cancelled) desain-grafis", as messages show it."""
        return describe(self.kind, self.change, self.slug)


RECORD_KEYS = ("slug", "network", "kind", "status", "recorded_at", "state")


def _reply(value: Any, where: str) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(key, str) and isinstance(text, str) for key, text in value.items()
    ):
        raise LedgerError(f"{where}: 'reply' must be an object of texts; restore it from git")
    return dict(value)


@dataclass
class Ledger:
    """Every post (and baselined item) of one chapter, oldest first."""

    path: Path
    chapter: dict[str, str]
    records: list[Record] = field(default_factory=list)
    updated_by: dict[str, str] | None = None
    # Networks whose history is in the ledger (through a baseline or posts); a network not
    # among them is refused until `invoke announce --baseline --network NAME` records it.
    started: set[str] = field(default_factory=set)
    # Since when the ledger knows recaps: classes that ended before count as recapped, so the
    # first run of a kit that posts recaps floods nobody with old classes. A ledger without it
    # (written before recaps) gets it from the first run that reads it; the file keeps it once
    # that run, or a later one, records something (a run that records nothing writes nothing).
    recaps_since: str | None = None
    # The records as loaded and as last written: a run that changes nothing writes nothing, and
    # one that ends where it began (a post refused) leaves the file as it found it.
    _loaded: tuple[Any, dict[str, str] | None] | None = field(
        default=None, repr=False, compare=False
    )
    _written: Any = field(default=None, repr=False, compare=False)
    # The file's bytes as loaded: a run that ends where it began writes them back, so an older
    # format (no `networks`, version 1) is upgraded only by a run that records something.
    _raw: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def networks(self) -> list[str]:
        """Every network the ledger has started, sorted."""
        return sorted(self.started | {record.network for record in self.records})

    def _content(self) -> tuple[list[dict[str, Any]], list[str]]:
        return [record.to_json() for record in self.records], self.networks

    @classmethod
    def load(cls, path: Path) -> Ledger | None:
        """The ledger at `path`, or None when there is none yet."""
        try:
            raw = path.read_bytes()
            data = json.loads(raw.decode("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise LedgerError(f"{path} is not readable ({error}); restore it from git") from None
        if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
            raise LedgerError(f"{path} is not a version {VERSION} ledger; restore it from git")
        chapter, records = data.get("chapter"), data.get("records")
        if (
            not isinstance(chapter, dict)
            or set(chapter) != {"domain", "twitter"}
            or not all(isinstance(value, str) for value in chapter.values())
            or not chapter["domain"]
        ):
            raise LedgerError(
                f"{path}: 'chapter' must name the domain and the account, like "
                '{"domain": "palembang.akademiberbagi.org", "twitter": "AkberPLB"}'
            )
        if not isinstance(records, list):
            raise LedgerError(f"{path}: 'records' must be a list; restore it from git")
        loaded = [
            Record.from_json(record, f"{path}: record {number}")
            for number, record in enumerate(records, start=1)
        ]
        updated_by = data.get("updated_by")
        if updated_by is not None and (
            not isinstance(updated_by, dict) or set(updated_by) != {"build_id", "built_at"}
        ):
            raise LedgerError(f"{path}: 'updated_by' must hold a build_id and a built_at")
        networks = data.get("networks", list(FIRST_NETWORKS))
        if not isinstance(networks, list) or not all(isinstance(n, str) for n in networks):
            raise LedgerError(f"{path}: 'networks' must list network names; restore it from git")
        recaps_since = data.get("recaps_since")
        if recaps_since is not None:
            try:
                datetime.fromisoformat(recaps_since)
            except (TypeError, ValueError):
                raise LedgerError(
                    f"{path}: 'recaps_since' must be a date and time like "
                    "2026-12-01T09:00:00+07:00; restore it from git"
                ) from None
        ledger = cls(path, dict(chapter), loaded, updated_by, set(networks), recaps_since)
        as_stored = ledger._content()
        ledger._loaded = (as_stored, updated_by)
        ledger._written = as_stored
        ledger._raw = raw
        return ledger

    def save(self, build: Mapping[str, str] | None = None) -> bool:
        """Write the ledger atomically if its records changed; returns whether it wrote.

        `build` is the plan's build that changed it (kept in `updated_by`); None keeps the old
        one, for changes made by hand through `invoke settle`.
        """
        content = self._content()
        if content == self._written:
            return False
        if self._loaded is not None and content == self._loaded[0]:
            self.updated_by = self._loaded[1]  # back where it began: the file as it was
            if self._raw is not None:
                atomic_write_bytes(self.path, self._raw)
                self._written = content
                return True
        elif build is not None:
            self.updated_by = {"build_id": build["build_id"], "built_at": build["built_at"]}
        records, networks = content
        data = {
            "version": VERSION,
            "chapter": self.chapter,
            "updated_by": self.updated_by,
            "networks": networks,
            **({"recaps_since": self.recaps_since} if self.recaps_since else {}),
            "records": records,
        }
        atomic_write_json(self.path, data)
        self._written = content
        return True

    def find(self, slug: str, kind: str, network: str, *, settled: bool = True) -> list[Record]:
        """Records of one item and kind, oldest first; only settled ones unless told."""
        return [
            record
            for record in self.records
            if record.slug == slug
            and record.kind == kind
            and record.network == network
            and (not settled or record.status != PENDING)
        ]

    def announcement(self, slug: str, network: str) -> Record | None:
        found = self.find(slug, "announcement", network)
        return found[-1] if found else None

    def knows_recaps_from(self, now: datetime) -> datetime:
        """Since when recaps are due: the ledger's own moment, set to `now` when it has none."""
        if self.recaps_since is None:
            self.recaps_since = now.isoformat()
        return datetime.fromisoformat(self.recaps_since)

    def known_state(self, slug: str, network: str) -> dict[str, str] | None:
        """The class as followers last heard of it: the newest settled announcement or update."""
        known = [
            record
            for record in self.records
            if record.slug == slug
            and record.network == network
            and record.kind in ANNOUNCE_KINDS
            and record.status != PENDING
        ]
        return known[-1].state if known else None

    def pending(self, kinds: tuple[str, ...] = KINDS) -> list[Record]:
        """Posts that were about to be sent when a run stopped: maybe posted, maybe not."""
        return [r for r in self.records if r.status == PENDING and r.kind in kinds]

    def begin(self, record: Record) -> Record:
        """Add a pending record for a post about to be sent (replacing an older pending one)."""
        self.records = [
            r
            for r in self.records
            if not (
                r.status == PENDING
                and r.slug == record.slug
                and r.kind == record.kind
                and r.network == record.network
            )
        ]
        self.records.append(record)
        return record

    def drop(self, record: Record, at: datetime) -> None:
        """Keep a pending record that can no longer be of use as dropped: never sent, never
        sent again, and still there for whoever wonders whether it went out."""
        record.status = DROPPED
        record.dropped_at = at.isoformat()

    def forget(self, record: Record) -> None:
        """Drop a pending record whose post certainly did not go out."""
        self.records = [r for r in self.records if r is not record]


def new_record(
    slug: str,
    network: str,
    kind: str,
    status: str,
    state: Mapping[str, str],
    at: datetime,
    change: str | None = None,
) -> Record:
    """One ledger record; post id and URL are filled in once the post is confirmed."""
    return Record(
        slug=slug,
        network=network,
        kind=kind,
        status=status,
        recorded_at=at.isoformat(),
        state=dict(state),
        change=change,
    )


def settle(
    record: Record,
    post_id: str | None,
    url: str | None,
    at: datetime,
    duplicate: bool = False,
    reply: Mapping[str, str] | None = None,
) -> None:
    """Mark a pending record as posted."""
    record.status = POSTED
    record.post_id = post_id
    record.url = url
    record.posted_at = at.isoformat()
    record.reply = dict(reply) if reply else None
    # The network refused the text as a duplicate: an earlier attempt went out, id unknown.
    record.duplicate = duplicate
