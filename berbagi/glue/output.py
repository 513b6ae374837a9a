"""Writing generated files: into a staging folder, reusing the previous build's unchanged files,
then into the output folder, replacing only the files whose bytes changed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Set by the runner while Pelican writes into a staging folder: where the last good site is, so
# files whose inputs did not change are linked from there instead of being made again.
PREVIOUS_OUTPUT = "BERBAGI_PREVIOUS_OUTPUT"


# Set by the runner too: where the site ends up once the build succeeds, for paths that must
# outlive the staging folder (the announce plan's share images).
FINAL_OUTPUT = "BERBAGI_FINAL_OUTPUT"


def final_output_of(settings: Mapping[str, Any]) -> Path:
    """Where this build's site ends up: the output folder, not the staging one."""
    return Path(settings.get(FINAL_OUTPUT) or settings["OUTPUT_PATH"])


def previous_output_of(settings: Mapping[str, Any]) -> Path | None:
    """The last good site's folder during a staged build, or None."""
    value = settings.get(PREVIOUS_OUTPUT)
    return Path(value) if value else None


def carry_over(previous_output: Path | None, output_path: str | Path, relative_path: str) -> bool:
    """Put the previous build's copy of a file into this build's folder; False if it has none.

    A hard link costs nothing and lets the final sync see at once that the file is unchanged;
    a copy stands in where links are not possible.
    """
    if previous_output is None:
        return False
    source = os.path.join(previous_output, relative_path)
    target = os.path.join(output_path, relative_path)
    try:
        try:
            os.link(source, target)
        except FileNotFoundError:
            if not os.path.isfile(source):
                return False
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(source, target)
    except OSError:
        try:
            if not os.path.isfile(source):
                return False
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)
        except OSError:
            return False
    return True


# Sets that `recording_writes` is filling: every path `write_output` writes goes into each.
_RECORDERS: list[set[str]] = []


@contextlib.contextmanager
def recording_writes() -> Iterator[set[str]]:
    """The absolute paths of the files `write_output` writes while this is open."""
    written: set[str] = set()
    _RECORDERS.append(written)
    try:
        yield written
    finally:
        _RECORDERS.remove(written)


def write_output(output_path: str | Path, relative_path: str, data: bytes) -> None:
    """Write a generated file into the output folder, making its folders."""
    target = Path(output_path, relative_path)
    for recorder in _RECORDERS:
        recorder.add(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    # Never write through a hard link into the previous build's copy of the file.
    target.unlink(missing_ok=True)
    target.write_bytes(data)


# Cache files as last read or written by this process, by path, with the (mtime, size) they had
# then: a long-lived preview reads each one once instead of once per step (the VEVENT texts of
# 5,000 classes are some 7 MB of JSON).
_LOADED: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _part_text(part: object) -> str:
    # A class's fingerprint stands for its repr (cached on the object); anything else by repr.
    fingerprint = getattr(part, "fingerprint", None)
    return f"#{fingerprint}" if isinstance(fingerprint, str) else repr(part)


class _CacheFile:
    """A JSON object in the cache folder, keyed by hashes of a renderer's inputs (immutable model
    objects and settings, by `repr` or their fingerprint) and of a version string that changes
    with its code. Only what this build used is saved again, and only when it differs; a lost
    or unreadable file only costs redoing the work."""

    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        stamp = _stamp(path)
        remembered = _LOADED.get(path)
        if stamp is not None and remembered is not None and remembered[0] == stamp:
            loaded: object = remembered[1]
        else:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = {}
        self.previous: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
        if stamp is not None:
            _LOADED[path] = (stamp, self.previous)
        self.current: dict[str, Any] = {}
        # The repr of each input object seen in this build (the same site settings object is
        # part of thousands of keys), by id; the objects are held, so no id is reused meanwhile.
        self._texts: dict[int, tuple[object, str]] = {}

    def _digest(self, inputs: object) -> str:
        parts = inputs if isinstance(inputs, tuple) else (inputs,)
        texts = []
        for part in parts:
            known = self._texts.get(id(part))
            if known is None:
                known = self._texts[id(part)] = (part, _part_text(part))
            texts.append(known[1])
        return hashlib.sha256(repr((self.version, texts)).encode()).hexdigest()

    def save(self) -> None:
        """Keep what this build used for the next one (unless it is what the file holds)."""
        if self.current == self.previous and _stamp(self.path) is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.current, sort_keys=True), encoding="utf-8")
        except OSError as error:  # only a missed speed-up, never a wrong file
            logger.warning("berbagi: could not save %s: %s", self.path, error)
            return
        stamp = _stamp(self.path)
        if stamp is not None:
            _LOADED[self.path] = (stamp, self.current)


def _file_identity(path: Path) -> list[int] | None:
    # Which file is at `path`: anything that replaced it since (a preview step, a build that
    # failed half-way, a person) gives another inode or mtime.
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_ino, status.st_mtime_ns, status.st_size]


# Fingerprints saved while `holding_fingerprints` is open, waiting for the runner to commit them.
_HELD: list[list[Fingerprints]] = []


@contextlib.contextmanager
def holding_fingerprints() -> Iterator[list[Fingerprints]]:
    """While open, Fingerprints saved by generators wait here instead of being written.

    A build stages its files first: fingerprints written then would name files that a failed
    build never moves into place, and the next build would link an older file under a newer
    fingerprint. The runner calls `commit_fingerprints` once the files are where they stay.
    """
    held: list[Fingerprints] = []
    _HELD.append(held)
    try:
        yield held
    finally:
        _HELD.remove(held)


def holding() -> bool:
    """Whether the runner holds fingerprints now (a full build it moves into place)."""
    return bool(_HELD)


def commit_fingerprints(held: Iterable[Fingerprints], folder: Path) -> None:
    """Write the fingerprints of a finished build, naming the files as `folder` now holds them.

    Fingerprints of one file made in two processes (the build and its side worker) are one.
    """
    merged: dict[Path, Fingerprints] = {}
    for fingerprints in held:
        first = merged.setdefault(fingerprints.path, fingerprints)
        if first is not fingerprints:
            first.current.update(fingerprints.current)
    for fingerprints in merged.values():
        fingerprints.commit(folder)


class Fingerprints(_CacheFile):
    """Remembers what each output file was made from, so a rebuild rewrites only changed ones.

    By output path: the digest of its inputs and the identity (inode, mtime, size) of the file
    that was made from them, once it is in its final folder. A file is kept only while it is
    still that file: one rewritten by anything else since is made again.
    """

    def __init__(
        self,
        path: Path,
        version: str,
        output_path: str | Path,
        previous_output: Path | None = None,
    ) -> None:
        super().__init__(path, version)
        self.output_path = Path(output_path)
        self.previous_output = previous_output

    def unchanged(self, relative_path: str, inputs: object) -> bool:
        """True when the file exists (or is carried over) as it was made from these inputs."""
        digest = self._digest(inputs)
        entry = self.previous.get(relative_path)
        if not isinstance(entry, list) or not entry or entry[0] != digest:
            return False
        here = _file_identity(self.output_path / relative_path)
        if here is None:
            if self.previous_output is None:
                return False
            if _file_identity(self.previous_output / relative_path) != entry[1:]:
                return False
            if not carry_over(self.previous_output, self.output_path, relative_path):
                return False
        elif here != entry[1:]:
            return False
        self.current[relative_path] = digest
        return True

    def record(self, relative_path: str, inputs: object) -> None:
        """Remember that the file at this path was made from these inputs in this build."""
        self.current[relative_path] = self._digest(inputs)

    def save(self) -> None:
        """Commit now, naming the files in the output folder, unless the runner holds saves."""
        if _HELD:
            _HELD[-1].append(self)
            return
        self.commit(self.output_path)

    def commit(self, folder: Path) -> None:
        """Write the fingerprints with the identity of each file as `folder` holds it."""
        stamped: dict[str, Any] = {}
        for relative_path, digest in self.current.items():
            identity = _file_identity(folder / relative_path)
            if identity is not None:
                stamped[relative_path] = [digest, *identity]
        self.current = stamped
        super().save()


class TextCache(_CacheFile):
    """Generated pieces of text kept between builds (by the digest of their inputs: the text)."""

    def get(self, inputs: object, make: Callable[[], str]) -> str:
        """The text made from `inputs` by an earlier build, or `make()` now."""
        key = self._digest(inputs)
        found = self.previous.get(key)
        text = found if isinstance(found, str) else make()
        self.current[key] = text
        return text


def source_version(*files: Path, extra: str = "") -> str:
    """A hash of some source files and a library version: changes when the renderer changes."""
    digest = hashlib.sha256(extra.encode())
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _same_bytes(first: str, second: str) -> bool:
    try:
        with open(first, "rb") as one, open(second, "rb") as other:
            while True:
                block = one.read(1 << 16)
                if block != other.read(1 << 16):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def _unchanged_file(source: str, target: str) -> bool:
    """Whether `target` is a file with the bytes of `source` (the same file when linked)."""
    try:
        there = os.stat(target)
    except OSError:
        return False
    if not stat.S_ISREG(there.st_mode):
        return False
    here = os.stat(source)
    if (here.st_ino, here.st_dev) == (there.st_ino, there.st_dev):
        return True
    return here.st_size == there.st_size and _same_bytes(source, target)


def remove(path: Path) -> None:
    """Delete a file or a whole folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def empty_files(folder: Path) -> None:
    """Delete every file under `folder` but keep its folders, which are slow to make again."""
    for parent, _, files in os.walk(folder):
        for name in files:
            Path(parent, name).unlink(missing_ok=True)


def sync_tree(staging: Path, output: Path, keep: Iterable[str] = ()) -> int:
    """Make `output` hold exactly the files `staging` holds; returns how many were replaced.

    A file with the same bytes is left alone, mtime and all, so a reloading browser, rsync and
    git see only real changes; the others are moved in one by one with an atomic rename.
    Folders follow the files (an empty folder left in the staging tree is not copied).
    Top-level names in `keep` (Pelican's OUTPUT_RETENTION, such as .git) are never removed.
    """
    output.mkdir(parents=True, exist_ok=True)
    # Relative paths as strings: a thousand pages make pathlib's parsing a good part of the sync.
    staged, served = str(staging), str(output)
    wanted: set[str] = set()
    replaced = 0
    for folder, _, files in os.walk(staged):
        relative_folder = os.path.relpath(folder, staged)
        inside = "" if relative_folder == "." else relative_folder + os.sep
        if files and inside:
            parts = relative_folder.split(os.sep)
            wanted.update(os.sep.join(parts[: index + 1]) for index in range(len(parts)))
            target_folder = os.path.join(served, relative_folder)
            if not os.path.isdir(target_folder):
                for index in range(len(parts)):
                    parent = os.path.join(served, *parts[: index + 1])
                    if os.path.lexists(parent) and not os.path.isdir(parent):
                        os.unlink(parent)  # a file where a folder now is
                os.makedirs(target_folder, exist_ok=True)
        for name in files:
            relative = inside + name
            wanted.add(relative)
            source, target = os.path.join(staged, relative), os.path.join(served, relative)
            if _unchanged_file(source, target):
                continue
            if os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target)
            os.replace(source, target)
            replaced += 1
    kept = set(keep)
    for folder, subfolders, files in os.walk(served, topdown=True):
        relative_folder = os.path.relpath(folder, served)
        inside = "" if relative_folder == "." else relative_folder + os.sep
        for name in [*subfolders, *files]:
            relative = inside + name
            if not inside and name in kept:
                if name in subfolders:
                    subfolders.remove(name)  # not the build's: not looked into either
                continue
            if relative in wanted:
                continue
            remove(Path(served, relative))
            if name in subfolders:
                subfolders.remove(name)
    return replaced
