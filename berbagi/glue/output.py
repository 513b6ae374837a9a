"""Writing generated files into the output folder; skipping those whose inputs are unchanged."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

logger = logging.getLogger(__name__)


def write_output(output_path: str | Path, relative_path: str, data: bytes) -> None:
    """Write a generated file into the output folder, making its folders."""
    target = Path(output_path, relative_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


class Fingerprints:
    """Remembers what each output file was made from, so a rebuild rewrites only changed ones.

    A fingerprint is a hash of the renderer's inputs (immutable model objects and settings, by
    `repr`) and of a version string that changes with the renderer's code. Kept in the cache
    folder; a lost or unreadable file only costs a full rewrite.
    """

    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        try:
            self.previous = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.previous = {}
        self.current: dict[str, str] = {}

    def _digest(self, inputs: object) -> str:
        return hashlib.sha256(repr((self.version, inputs)).encode()).hexdigest()

    def unchanged(self, relative_path: str, inputs: object, output_path: str | Path) -> bool:
        """True when the file exists and was made from the same inputs last time."""
        digest = self._digest(inputs)
        if self.previous.get(relative_path) == digest and Path(output_path, relative_path).exists():
            self.current[relative_path] = digest
            return True
        return False

    def record(self, relative_path: str, inputs: object) -> None:
        self.current[relative_path] = self._digest(inputs)

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.current, sort_keys=True), encoding="utf-8")
        except OSError as error:  # only a missed speed-up, never a wrong file
            logger.warning("berbagi: could not save %s: %s", self.path, error)


def source_version(*files: Path, extra: str = "") -> str:
    """A hash of some source files and a library version: changes when the renderer changes."""
    digest = hashlib.sha256(extra.encode())
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()
