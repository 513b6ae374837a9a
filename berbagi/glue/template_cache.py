"""Compiled templates shared by every generator and every build in one process, and kept in
the cache folder for the next process.

Pelican gives each generator its own Jinja environment, so a build compiled `base.html` and its
macros some eight times, and a preview or test process again on every build: a third of a small
site's build; a new `invoke build` compiled the theme's templates again (0.25 s). Jinja's bytecode
cache is keyed by the template's name and checked against a hash of its source (and the Python
version), so an edited template is compiled again; environments configured differently
(delimiters, extensions, autoescape) keep separate caches, since the code depends on them.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

# Enough for a theme's templates under a few configurations; the oldest entries go first.
MAX_ENTRIES = 512


class MemoryBytecodeCache(BytecodeCache):
    """Jinja bytecode kept in a dict for the life of the process, over files in `folder`."""

    def __init__(self, code: dict[str, bytes], folder: Path | None = None) -> None:
        self.code = code  # shared by every cache of the same configuration
        self.files = FileSystemBytecodeCache(str(folder)) if folder is not None else None

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)  # Jinja resets it if the source changed since
        if bucket.code is None and self.files is not None:
            self.files.load_bytecode(bucket)
            if _has_code(bucket):
                self.code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if len(self.code) >= MAX_ENTRIES:
            self.code.pop(next(iter(self.code)))
        self.code[bucket.key] = bucket.bytecode_to_string()
        if self.files is not None:
            with contextlib.suppress(OSError):  # only a missed speed-up for the next process
                self.files.dump_bytecode(bucket)


def _has_code(bucket: Bucket) -> bool:
    return bucket.code is not None


_compiled: dict[tuple[Any, ...], dict[str, bytes]] = {}


def _configuration(env: Environment) -> tuple[Any, ...]:
    """Everything besides the source that the compiled code of a template depends on."""
    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        repr(env.autoescape),
        env.optimized,
        repr(env.finalize),
        env.is_async,
        type(env).__qualname__,
    )


def share_compiled_templates(env: Environment, cache_path: str | None = None) -> None:
    """Give this environment the process's bytecode cache for its configuration, kept in
    `cache_path` (Pelican's CACHE_PATH) between processes."""
    loader: BaseLoader | None = env.loader
    if loader is None or env.bytecode_cache is not None:
        return  # a theme that set its own cache keeps it
    configuration = _configuration(env)
    folder = None
    if cache_path:
        name = hashlib.sha256(repr(configuration).encode()).hexdigest()[:16]
        folder = Path(cache_path, "templates", name)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            folder = None
    env.bytecode_cache = MemoryBytecodeCache(_compiled.setdefault(configuration, {}), folder)
