"""Writes the text of a new class file, the one `invoke new-class` saves."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path

from . import classfile
from .model import (
    FILE_NAME,
    MAX_CLASS_SLUG,
    ValidationError,
    build_class,
    parse_local_datetime,
    slugify,
)


@dataclass(frozen=True)
class NewClass:
    """What an organizer types for a new class, and when the file is written."""

    title: str
    start: str
    venue: str
    address: str
    teacher: str
    end: str = ""
    summary: str = ""
    registration: str = ""
    slug: str = ""
    # The moment of writing, in the chapter's zone: the class's announcement (its `Date:`).
    date: datetime | None = None


FIELD_ORDER = (
    ("Title", "title"),
    ("Date", "date"),
    ("Start", "start"),
    ("End", "end"),
    ("Venue", "venue"),
    ("Venue_Address", "address"),
    ("Teacher", "teacher"),
    ("Summary", "summary"),
    ("Registration", "registration"),
    ("Status", None),
)


def class_slug(title: str) -> str:
    """A page address part from a title, short enough for a class (cut between words)."""
    slug = slugify(title)
    if len(slug) <= MAX_CLASS_SLUG:
        return slug
    head = slug[: MAX_CLASS_SLUG + 1]
    return (head.rsplit("-", 1)[0] if "-" in head else head[:MAX_CLASS_SLUG]).strip("-")


def taken_slugs(folder: Path) -> set[str]:
    """Every slug the class files in `folder` (any year) already use, by file name or Slug."""
    taken = set()
    for path in folder.rglob("*.md"):
        found = FILE_NAME.match(path.name)
        if found:
            taken.add(found["slug"])
        try:
            written = classfile.read(path.read_bytes(), path.name).single("slug")
        except OSError:
            continue
        if written:
            taken.add(written)
    return taken


def with_free_slug(new: NewClass, zone: tzinfo, taken: Collection[str]) -> NewClass:
    """`new` with a slug no other class uses: its title's, else with the year, else numbered.

    A class's address is in every post about it, so a new class never takes an old one's.
    """
    base = new.slug or class_slug(new.title)
    if base not in taken:
        return replace(new, slug=base)
    start = parse_local_datetime(new.start, zone)
    year = f"-{start:%Y}" if start else ""
    stem = base[: MAX_CLASS_SLUG - len(year) - 3].strip("-")
    for number in range(1, 100):
        candidate = f"{stem}{year}" + (f"-{number}" if number > 1 else "")
        if candidate not in taken:
            return replace(new, slug=candidate)
    return replace(new, slug=base)  # validation then says it is taken


def file_name(new: NewClass, zone: tzinfo) -> str:
    """`2026-12-05-fotografi-ponsel.md`, from the start date and the slug (or the title)."""
    start = parse_local_datetime(new.start, zone)
    day = start.date().isoformat() if start else "0000-00-00"
    return f"{day}-{new.slug or class_slug(new.title)}.md"


def _announcement(new: NewClass) -> str:
    """`YYYY-MM-DD HH:MM` of `new.date`, or "" when there is none to write."""
    if new.date is None:
        return ""
    start = parse_local_datetime(new.start, new.date.tzinfo) if new.date.tzinfo else None
    # A class recorded after it took place was never announced from this file: a Date: after
    # its start would be an error, and without one the class counts as announced at its start.
    if start is not None and start <= new.date:
        return ""
    return f"{new.date:%Y-%m-%d %H:%M}"


def class_file_text(new: NewClass) -> str:
    """The Markdown file: a metadata header in the documented order, then a body to fill in."""
    header = []
    for label, attribute in FIELD_ORDER:
        if attribute == "date":
            value = _announcement(new)
        else:
            value = getattr(new, attribute) if attribute else "scheduled"
        if value:
            header.append(f"{label}: {' '.join(value.split())}")
    body = "Tulis di sini apa yang akan dipelajari, untuk siapa, dan susunan acaranya.\n"
    return "\n".join(header) + "\n\n" + body


def validate_new_class(new: NewClass, folder: str, zone: tzinfo) -> list[ValidationError]:
    """The problems `check` would report for this file, before it is written."""
    text = class_file_text(new)
    # Checked at the moment of writing, as `check` will: a class yet to come needs its Date:.
    _, errors = build_class({}, f"{folder}/{file_name(new, zone)}", text, zone, now=new.date)
    return errors
