"""Copies a built tree into the served folder, writing only files whose bytes changed."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Changes:
    """Site-relative paths written and removed in the served folder."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _files(root: Path) -> set[str]:
    """Every file under `root`, by relative path: one scandir per folder, paths joined as
    strings."""
    found: set[str] = set()
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((f"{prefix}{entry.name}/", entry.path))
            else:
                found.add(prefix + entry.name)
    return found


def _write_if_changed(source: Path, target: Path) -> bool:
    data = source.read_bytes()
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    # A half-written page must never be served: write aside, then rename over.
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)
    return True


def _remove(target: Path, root: Path) -> None:
    target.unlink(missing_ok=True)
    folder = target.parent
    # A full build has no empty folders; neither may the served copy.
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def mirror(
    built: Path,
    served: Path,
    written: Iterable[str] | None = None,
    removed: tuple[str, ...] = (),
) -> Changes:
    """Make `served` equal to `built`.

    With `written` (an incremental step says what it wrote and removed), only those files are
    compared and only `removed` are deleted; without it every file is compared and anything
    `built` lacks is deleted.
    """
    changes = Changes()
    if written is not None:
        for relative in sorted(set(written)):
            if (built / relative).is_file() and _write_if_changed(
                built / relative, served / relative
            ):
                changes.written.append(relative)
        for relative in removed:
            if not (built / relative).exists() and (served / relative).exists():
                _remove(served / relative, served)
                changes.removed.append(relative)
        return changes
    built_files = _files(built)
    for relative in sorted(built_files):
        if _write_if_changed(built / relative, served / relative):
            changes.written.append(relative)
    for relative in sorted(set(_files(served)) - set(built_files)):
        _remove(served / relative, served)
        changes.removed.append(relative)
    return changes
