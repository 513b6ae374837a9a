"""Writes the text of a new class file, the one `invoke new-class` saves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from .model import ValidationError, build_class, parse_local_datetime, slugify


@dataclass(frozen=True)
class NewClass:
    """What an organizer types for a new class."""

    title: str
    start: str
    venue: str
    address: str
    teacher: str
    end: str = ""
    summary: str = ""
    registration: str = ""
    slug: str = ""


FIELD_ORDER = (
    ("Title", "title"),
    ("Start", "start"),
    ("End", "end"),
    ("Venue", "venue"),
    ("Venue_Address", "address"),
    ("Teacher", "teacher"),
    ("Summary", "summary"),
    ("Registration", "registration"),
    ("Status", None),
)


def file_name(new: NewClass, zone: tzinfo) -> str:
    """`2026-12-05-fotografi-ponsel.md`, from the start date and the slug (or the title)."""
    start = parse_local_datetime(new.start, zone)
    day = start.date().isoformat() if start else "0000-00-00"
    return f"{day}-{slugify(new.slug or new.title)}.md"


def class_file_text(new: NewClass) -> str:
    """The Markdown file: a metadata header in the documented order, then a body to fill in."""
    header = []
    for label, attribute in FIELD_ORDER:
        value = getattr(new, attribute) if attribute else "scheduled"
        if value:
            header.append(f"{label}: {' '.join(value.split())}")
    body = "Tulis di sini apa yang akan dipelajari, untuk siapa, dan susunan acaranya.\n"
    return "\n".join(header) + "\n\n" + body


def validate_new_class(new: NewClass, folder: str, zone: tzinfo) -> list[ValidationError]:
    """The problems `check` would report for this file, before it is written."""
    text = class_file_text(new)
    metadata: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(":")
        metadata[key.strip().lower()] = value.strip()
    _, errors = build_class(metadata, f"{folder}/{file_name(new, zone)}", text, zone)
    return errors
