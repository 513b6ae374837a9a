"""Compiled templates shared by every generator and every build in one process.

Pelican gives each generator its own Jinja environment, so a build compiled `base.html` and its
macros some eight times, and a preview or test process again on every build: a third of a small
site's build. Jinja's bytecode cache is keyed by the template's name and checked against a hash
of its source, so an edited template is compiled again; environments configured differently
(delimiters, extensions, autoescape) keep separate caches, since the code depends on them.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BaseLoader, Environment
from jinja2.bccache import Bucket, BytecodeCache

# Enough for a theme's templates under a few configurations; the oldest entries go first.
MAX_ENTRIES = 512


class MemoryBytecodeCache(BytecodeCache):
    """Jinja bytecode kept in a dict for the life of the process."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if len(self.code) >= MAX_ENTRIES:
            self.code.pop(next(iter(self.code)))
        self.code[bucket.key] = bucket.bytecode_to_string()


_caches: dict[tuple[Any, ...], MemoryBytecodeCache] = {}


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


def share_compiled_templates(env: Environment) -> None:
    """Give this environment the process's bytecode cache for its configuration."""
    loader: BaseLoader | None = env.loader
    if loader is None or env.bytecode_cache is not None:
        return  # a theme that set its own cache keeps it
    env.bytecode_cache = _caches.setdefault(_configuration(env), MemoryBytecodeCache())
