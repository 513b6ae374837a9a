"""Which source files changed since the last look: content, theme, plugins, settings, the kit."""

from __future__ import annotations

import hashlib
import os
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


def _walk(roots: Iterable[Path]) -> dict[Path, os.stat_result]:
    found: dict[Path, os.stat_result] = {}
    for root in roots:
        if root.is_file():
            found[root] = root.stat()
            continue
        for folder, folders, files in os.walk(root):
            # Editors' swap and lock files start with a dot; caches are not sources.
            folders[:] = [f for f in folders if f not in SKIPPED_FOLDERS and not f.startswith(".")]
            for name in files:
                if name.startswith(".") or name.endswith((".pyc", "~")):
                    continue
                path = Path(folder, name)
                try:
                    found[path] = path.stat()
                except FileNotFoundError:
                    continue
    return found


class Sources:
    """A snapshot of every watched file; `changes()` compares the disk with it and moves on."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = [Path(root).resolve() for root in roots]
        self.taken_ns = 0
        self.stamps: dict[Path, Stamp] = {}

    def take(self) -> None:
        """Remember the current state of every file."""
        self.taken_ns = time.time_ns()
        self.stamps = {
            path: self._stamp(path, status, None) for path, status in _walk(self.roots).items()
        }

    def _stamp(self, path: Path, status: os.stat_result, earlier: Stamp | None) -> Stamp:
        if earlier and (earlier.mtime_ns, earlier.size) == (status.st_mtime_ns, status.st_size):
            return earlier
        try:
            digest = _digest(path)
        except OSError:
            digest = ""
        return Stamp(status.st_mtime_ns, status.st_size, digest)

    def changes(self) -> Diff:
        """Files changed since the last snapshot, which this call replaces."""
        taken = time.time_ns()
        current = _walk(self.roots)
        modified: set[Path] = set()
        stamps: dict[Path, Stamp] = {}
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
        return Diff(frozenset(modified), frozenset(added), frozenset(removed))
