"""Which source files changed since the last look: content, theme, plugins, settings, the kit."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# A file modified this soon before a snapshot may change again within the file system's clock
# tick, keeping its size and time; such files are compared by content next time (as git does).
RACY_NS = 2_000_000_000
SKIPPED_FOLDERS = frozenset({"__pycache__", ".git", ".mypy_cache", ".ruff_cache"})


@dataclass(frozen=True)
class Stamp:
    mtime_ns: int
    size: int
    digest: str


@dataclass(frozen=True)
class Diff:
    """Paths modified, added and removed between two snapshots."""

    modified: frozenset[Path]
    added: frozenset[Path]
    removed: frozenset[Path]

    def __bool__(self) -> bool:
        return bool(self.modified or self.added or self.removed)


def _digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes(), usedforsecurity=False).hexdigest()


def _walk(roots: Iterable[Path]) -> dict[str, os.stat_result]:
    """Every source file's status, by path (as a string: 5,000 Path objects per look cost more
    than the stat calls)."""
    found: dict[str, os.stat_result] = {}
    for root in roots:
        if root.is_file():
            found[str(root)] = root.stat()
            continue
        pending = [str(root)]
        while pending:
            try:
                entries = list(os.scandir(pending.pop()))
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                name = entry.name
                # Editors' swap and lock files start with a dot; caches are not sources.
                if name.startswith("."):
                    continue
                if entry.is_dir():
                    # As os.walk: a link to a folder is not followed.
                    if name not in SKIPPED_FOLDERS and not entry.is_symlink():
                        pending.append(entry.path)
                    continue
                if name.endswith((".pyc", "~")):
                    continue
                try:
                    found[entry.path] = entry.stat()
                except FileNotFoundError:
                    continue
    return found


class Sources:
    """A snapshot of every watched file; `changes()` compares the disk with it and moves on."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = [Path(root).resolve() for root in roots]
        self.taken_ns = 0
        self.stamps: dict[str, Stamp] = {}

    def take(self) -> None:
        """Remember the current state of every file."""
        self.taken_ns = time.time_ns()
        self.stamps = {
            path: self._stamp(path, status, None) for path, status in _walk(self.roots).items()
        }

    def _stamp(self, path: str, status: os.stat_result, earlier: Stamp | None) -> Stamp:
        if earlier and (earlier.mtime_ns, earlier.size) == (status.st_mtime_ns, status.st_size):
            return earlier
        try:
            digest = _digest(Path(path))
        except OSError:
            digest = ""
        return Stamp(status.st_mtime_ns, status.st_size, digest)

    def changes(self) -> Diff:
        """Files changed since the last snapshot, which this call replaces."""
        taken = time.time_ns()
        current = _walk(self.roots)
        modified: set[str] = set()
        stamps: dict[str, Stamp] = {}
        for path, status in current.items():
            earlier = self.stamps.get(path)
            same_stamp = earlier is not None and (earlier.mtime_ns, earlier.size) == (
                status.st_mtime_ns,
                status.st_size,
            )
            racy = earlier is not None and self.taken_ns - earlier.mtime_ns < RACY_NS
            if same_stamp and not racy:
                stamps[path] = earlier  # type: ignore[assignment]
                continue
            stamp = self._stamp(path, status, None)
            stamps[path] = stamp
            # Saved without a change (same bytes): nothing to rebuild.
            if earlier is not None and stamp.digest != earlier.digest:
                modified.add(path)
        added = set(current) - set(self.stamps)
        removed = set(self.stamps) - set(current)
        self.stamps, self.taken_ns = stamps, taken
        return Diff(
            frozenset(map(Path, modified)),
            frozenset(map(Path, added)),
            frozenset(map(Path, removed)),
        )


class ChangeAlarm:
    """Says when a look at the sources is worth its cost: soon after the file system reports a
    change under a root (watchfiles: inotify on Linux), and every `SAFETY_SECONDS` in any case.

    Walking 5,000 class files takes some 50 ms, so a loop that walked every tenth of a second
    kept half a core busy while nobody typed. The alarm only decides when to look; the look
    itself (`Sources.changes`) stays the exact comparison of every file. Where the roots cannot
    be watched, every check is due, as before.
    """

    SAFETY_SECONDS = 10.0
    # watchfiles may start watching a moment after its thread does: look as before meanwhile.
    WARM_UP_SECONDS = 1.0
    QUIET_MS = 20  # a burst of writes (a save is several events) is reported once it pauses

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = [Path(root) for root in roots]
        self._changed = threading.Event()
        self._changed.set()  # the first check looks
        self._stop = threading.Event()
        self._watching = True
        self._started = time.monotonic()
        self._looked = self._started
        self._thread = threading.Thread(target=self._watch, name="berbagi-alarm", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        try:
            import watchfiles

            for _ in watchfiles.watch(
                *self.roots,
                watch_filter=None,
                debounce=1000,
                step=self.QUIET_MS,
                stop_event=self._stop,
                raise_interrupt=False,
            ):
                self._changed.set()
        except Exception:  # no inotify, too many watches, a root gone: look every time
            self._watching = False
            self._changed.set()

    def _due(self) -> bool:
        now = time.monotonic()
        if (
            not self._watching
            or self._changed.is_set()
            or now - self._started < self.WARM_UP_SECONDS
            or now - self._looked >= self.SAFETY_SECONDS
        ):
            # Cleared before the look: a change made while it runs rings again.
            self._changed.clear()
            self._looked = now
            return True
        return False

    def due(self) -> bool:
        """Whether to look now (for a caller that polls on its own clock)."""
        return self._due()

    def wait(self, timeout: float) -> bool:
        """Wait as a poll would (at most `timeout` seconds, less when a change is reported);
        whether to look now."""
        if self._watching and time.monotonic() - self._started >= self.WARM_UP_SECONDS:
            self._changed.wait(timeout)
        else:
            time.sleep(timeout)
        return self._due()

    def close(self) -> None:
        """Stop watching."""
        self._stop.set()
        self._thread.join(timeout=2)
