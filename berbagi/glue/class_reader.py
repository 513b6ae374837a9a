"""Pelican's reader for class files: the kit's own header parser, Pelican's Markdown for the body.

Every other Markdown file (the chapter's pages) is read by Pelican's MarkdownReader as before.
A class file never makes the reader raise: a file that cannot be read (UTF-16, Windows-1252,
empty) still becomes an article carrying its problems, so `check` reports it with the others
instead of Pelican logging "Could not process" and dropping the file.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from markdown import Markdown
from pelican.readers import MarkdownReader

from .. import classfile
from ..model import CLASS_SLUG, VISIBILITY_STATUSES, parse_moment
from .state import site_settings

# The parsed file (its body left out), kept in the article's metadata for the model and
# Pelican's content cache.
CLASS_FILE_KEY = "class_file"


def site_relative_path(source_path: str | os.PathLike[str], content_path: str | Path) -> str:
    """`content/classes/x.md`: relative to the site folder, as an organizer sees it in git."""
    return os.path.relpath(source_path, os.path.dirname(os.path.abspath(content_path)))


class ClassFileReader(MarkdownReader):  # type: ignore[misc]
    """Reads class files with the kit's header rules; other Markdown files as Pelican does."""

    _class_markdown: Markdown | None = None
    _classes: Path | None = None

    def _classes_folder(self) -> Path:
        if self._classes is None:
            settings = site_settings(self.settings)
            self._classes = (settings.content_path / settings.schedule.content_folder).resolve()
        return self._classes

    def _markdown(self) -> Markdown:
        """One Markdown converter for every class body, reset between files: making one per
        file (as Pelican does) costs more than converting a typical description."""
        if self._class_markdown is None:
            self._class_markdown = Markdown(**self.settings["MARKDOWN"])
        else:
            self._class_markdown.reset()
        return self._class_markdown

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """The body's HTML and the metadata Pelican needs; the parsed file under CLASS_FILE_KEY."""
        if not Path(source_path).resolve().is_relative_to(self._classes_folder()):
            content: str
            metadata: dict[str, Any]
            content, metadata = super().read(source_path)
            return content, metadata
        settings = site_settings(self.settings)
        shown = site_relative_path(source_path, settings.content_path)
        parsed = classfile.read(Path(source_path).read_bytes(), shown)
        # A blank first line keeps Markdown's meta extension from reading the body's first lines
        # as fields ("Catatan: bawa laptop" is description here).
        content = self._markdown().convert("\n" + parsed.body) if parsed.body.strip() else ""
        return content, self._metadata(parsed)

    def _metadata(self, parsed: classfile.ClassFile) -> dict[str, Any]:
        """What Pelican itself reads: title, date, slug, tags, visibility, template."""
        zone = site_settings(self.settings).zone
        status = parsed.single("status").lower()
        metadata: dict[str, Any] = {
            # Without its Markdown body, which is `content` now: Pelican's content cache would
            # otherwise pickle and gzip every description twice on each build.
            CLASS_FILE_KEY: dataclasses.replace(parsed, body=""),
            "title": parsed.single("title"),
            "template": "class",
            # A class's own state (cancelled, postponed) is not Pelican's business; only a
            # draft or a hidden class changes where Pelican lists it.
            "status": status if status in VISIBILITY_STATUSES else "published",
        }
        # Unreadable or missing values are the model's to report; Pelican gets them only when
        # they are good (prepare_class_metadata fills in a date otherwise).
        for key in ("date", "modified"):
            value = parse_moment(parsed.single(key), zone)
            if value is not None:
                metadata[key] = value
        slug = parsed.single("slug")
        if CLASS_SLUG.match(slug):
            metadata["slug"] = slug
        tags = parsed.single("tags")
        if tags:
            processed = self.process_metadata("tags", tags)
            if isinstance(processed, list):
                metadata["tags"] = processed
        return metadata


def use_class_reader(readers: Any) -> None:
    """Read `.md` files with ClassFileReader (it hands non-class files to Pelican's reader)."""
    readers.reader_classes["md"] = ClassFileReader
