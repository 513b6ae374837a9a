"""A Pelican plugin that keeps what one build made in memory: generators, order, written pages.

The preview adds this module to PLUGINS for its own full builds; it writes nothing, so the site
comes out exactly as without it. Receivers are module functions (Pelican's signals hold weak
references) that fill the one `Capture` the preview opened with `begin()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pelican import signals


@dataclass
class Capture:
    """Pelican's own objects after one successful build."""

    generators: list[Any] = field(default_factory=list)
    pelican: Any = None
    # Pelican's order of published articles before the kit re-sorts them by start: a full build
    # sorts this order (stable) by start, so an incremental update can redo exactly that sort.
    pelican_order: list[Any] = field(default_factory=list)
    # Every page written through Pelican's writer, by absolute path, with its article or page:
    # the sitemap lists exactly these.
    written: dict[str, Any] = field(default_factory=dict)

    def relative_written(self) -> dict[str, Any]:
        """`written` keyed by path relative to the build's output folder."""
        root = self.pelican.output_path
        return {os.path.relpath(path, root): obj for path, obj in self.written.items()}


_current: Capture | None = None


def begin() -> Capture:
    """Start recording the next build."""
    global _current
    _current = Capture()
    return _current


def end() -> None:
    """Stop recording (later signals, such as the preview's own renders, are not recorded)."""
    global _current
    _current = None


def keep_order(generator: Any) -> None:
    """Remember Pelican's order of the published articles (before any re-sort)."""
    if _current is not None:
        _current.pelican_order = list(generator.articles)


def keep_generators(generators: list[Any]) -> None:
    """Remember every generator of the build."""
    if _current is not None:
        _current.generators = list(generators)


def keep_written(path: str, context: dict[str, Any]) -> None:
    """Remember each page Pelican wrote, as the sitemap plugin queues it."""
    if _current is not None:
        _current.written[path] = context.get("article") or context.get("page")


def keep_pelican(pelican_object: Any) -> None:
    """Remember the Pelican object once the build is done."""
    if _current is not None:
        _current.pelican = pelican_object


def register() -> None:
    """Connect the recorders."""
    signals.article_generator_pretaxonomy.connect(keep_order)
    signals.all_generators_finalized.connect(keep_generators)
    signals.content_written.connect(keep_written)
    signals.finalized.connect(keep_pelican)
