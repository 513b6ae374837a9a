"""A class file as its organizer wrote it: its encoding, each header line with its number, its body.

Pelican's Markdown reader ends the header silently at the first line that is not `Key: value`,
glues a repeated key into one value, and counts lines with `str.splitlines`, which also breaks at
characters a Word paste leaves behind (U+000B, U+2028). A cancelled class could then be announced
as new. Here every line before the first blank line is a header line, each line keeps the number
GitHub shows for it, and every problem is a value, so one run reports all of them.

Pure on purpose: no Pelican import and no I/O; the glue reads the bytes and hands them over.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Changes with this module's code: a parse kept in Pelican's content cache by an older kit is
# not trusted (the cache only notices changed content files).
VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]

# The fields a class file may have, as the template documents them (content/classes/_template.md).
CLASS_FIELDS = (
    "title", "date", "start", "end", "duration", "venue", "venue_address", "venue_map",
    "venue_geo", "teacher", "summary", "bring", "registration", "registration_tweet",
    "capacity", "status", "status_note", "previous_start", "tags", "partner", "photo",
    "registered", "participants", "recap", "slug", "modified",
)  # fmt: skip
# The fields that may be given on several lines, one item each.
REPEATABLE = frozenset({"teacher", "partner", "photo", "previous_start"})
# Pelican's own keys: in a class file they would change where or how its page is written, or
# replace another page, so they are refused with a word on why.
PELICAN_KEYS = frozenset(
    {"template", "save_as", "url", "lang", "translation", "category", "author", "authors"}
)
# GitHub, git and Markdown agree on these line ends and no others.
LINE_END = re.compile(r"\r\n|\r|\n")
HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_]*):(?P<value>.*)$")
# `Status : x`, `Venue Address: x`, `Venue-Address: x`: meant as a header line, written wrong.
ALMOST_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_ \t-]*?)[ \t]*:(?P<value>.*)$")
# Characters a paste from Word or a web page leaves in a line: breaks nobody sees, which
# Markdown, feeds (XML 1.0 forbids most of them) and calendars must not receive.
_BREAKS = "\v\f\x85\u2028\u2029"
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROLS_IN_VALUE = re.compile(r"[ \t]*[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]+[ \t]*")
_BODY_BREAKS = re.compile(f"[{_BREAKS}]")
# Characters that show nothing: a title made only of these is no title.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
# Trimmed from both ends of a value (not marks: an emoji may end in a variation selector).
_EDGE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@dataclass(frozen=True)
class ValidationError:
    """One problem in one class file, printed as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class HeaderLine:
    """One `Key: value` line: the key in lower case, the value cleaned, its line number."""

    key: str
    value: str
    line: int


@dataclass(frozen=True)
class ClassFile:
    """A class file's header lines, its Markdown body and the problems found in its text."""

    path: str  # as the organizer sees it: content/classes/2026-12-05-slug.md
    header: tuple[HeaderLine, ...]
    body: str
    problems: tuple[ValidationError, ...] = ()
    version: str = VERSION

    def lines(self, key: str) -> list[HeaderLine]:
        """Every line of `key`, empty values included, in file order."""
        return [line for line in self.header if line.key == key]

    def entries(self, key: str) -> list[tuple[str, int]]:
        """Every non-empty value of `key` with its line number."""
        return [(line.value, line.line) for line in self.header if line.key == key and line.value]

    def single(self, key: str) -> str:
        """The value of a one-line field ('' when absent or empty; the first if given twice)."""
        found = self.entries(key)
        return found[0][0] if found else ""

    def has(self, key: str) -> bool:
        """Whether the organizer wrote a line for `key`, even an empty one."""
        return any(line.key == key for line in self.header)

    def line_of(self, key: str) -> int:
        """The line of the first `key` line; 1 when there is none (a missing field)."""
        return next((line.line for line in self.header if line.key == key), 1)


def _problem(path: str, line: int, field: str, message: str) -> ValidationError:
    return ValidationError(path, line, field, message)


def _quoted(text: str, limit: int = 40) -> str:
    text = text.strip()
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


def decode(data: bytes, path: str) -> tuple[str | None, ValidationError | None]:
    """The file's text, or the problem that stops it being read (it must be UTF-8)."""
    how_to_fix = (
        "save it as UTF-8 (GitHub's editor always does; in Notepad: Save As, Encoding UTF-8)"
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        return None, _problem(path, 1, "file", f"the file is saved as UTF-16; {how_to_fix}")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, _problem(
            path, line, "file", f"the file holds NUL bytes (UTF-16 or not text); {how_to_fix}"
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        guess = data[error.start : error.start + 1].decode("cp1252", errors="replace")
        return None, _problem(
            path,
            line,
            "file",
            f"byte 0x{byte:02X} ({guess!r} in Windows-1252) is not UTF-8, so the file was saved "
            f"in another encoding; {how_to_fix}",
        )


def clean_value(text: str) -> str:
    """A header value without control characters or invisible breaks, trimmed; '' when nothing
    in it would show (a title of zero-width spaces is no title)."""
    if text.isascii() and _CONTROLS.search(text) is None:
        # Most lines: nothing to replace, and the only ASCII edge characters left are the
        # space, tab and newline that str.strip() removes (every line passes here twice, and
        # the general way cost a cold build of 1,000 classes 0.1 s).
        return text.strip()
    return _clean_any_value(text)


def _clean_any_value(text: str) -> str:
    """clean_value for any text: controls and invisible breaks replaced, edges trimmed."""
    value = _CONTROLS_IN_VALUE.sub(" ", text)
    # Zero-width characters pasted around a title would reach the page and the posts. Looked
    # for from each end only (every character of every header line cost a cold build 0.2 s).
    first = next((i for i, char in enumerate(value) if not _is_edge(char)), None)
    if first is None:
        return ""
    last = next(i for i in range(len(value) - 1, first - 1, -1) if not _is_edge(value[i]))
    return value[first : last + 1]


def _is_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in _EDGE_CATEGORIES


def clean_body(text: str) -> str:
    """The body with invisible breaks made line breaks and other control characters removed."""
    return _CONTROLS.sub("", _BODY_BREAKS.sub("\n", text))


def is_invisible(text: str) -> bool:
    """True when `text` shows nothing: spaces, zero-width characters, controls only."""
    return all(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in text)


def field_name(key: str) -> str:
    """How the template writes a key: `venue_address` -> `Venue_Address`."""
    return "_".join(part.capitalize() for part in key.split("_"))


def _suggestion(key: str) -> str:
    close = difflib.get_close_matches(key, CLASS_FIELDS, n=1, cutoff=0.75)
    return f"did you mean '{field_name(close[0])}'? " if close else ""


def _bad_line(raw: str, path: str, number: int) -> ValidationError:
    """Why a line in the header is not a `Key: value` line, and what to write instead."""
    text = clean_value(raw)
    if raw[:1] in " \t":
        return _problem(
            path,
            number,
            "header",
            f"{_quoted(text)} is indented; every line above the first blank line is one "
            "'Field: value' line (write a long value on one line), and the description starts "
            "after a blank line",
        )
    almost = ALMOST_HEADER.match(text)
    key = re.sub(r"[ \t-]+", "_", almost["key"].strip()).lower() if almost else ""
    if almost and key in CLASS_FIELDS:
        fixed = f"{field_name(key)}: {almost['value'].strip()}".strip()
        if almost["key"].strip().lower() == key:
            reason = "no space before the colon"
        else:
            reason = "field names join words with _"
        return _problem(
            path, number, "header", f"{_quoted(text)}: write {_quoted(fixed, 60)} ({reason})"
        )
    return _problem(
        path,
        number,
        "header",
        f"{_quoted(text)} is not a 'Field: value' line; if the description starts here, "
        "leave a blank line above it",
    )


def parse(text: str, path: str) -> ClassFile:
    """Split a class file's text into header lines and body, noting every header problem."""
    lines = LINE_END.split(text)
    problems: list[ValidationError] = []
    header: list[HeaderLine] = []
    first_of: dict[str, int] = {}
    body_start = len(lines)
    for index, raw in enumerate(lines):
        number = index + 1
        if not clean_value(raw):  # blank to the eye: zero-width and no-break spaces too
            body_start = index + 1
            break
        match = HEADER_LINE.match(raw)
        if match is None:
            problems.append(_bad_line(raw, path, number))
            continue
        key, value = match["key"].lower(), clean_value(match["value"])
        if key in PELICAN_KEYS:
            problems.append(
                _problem(
                    path,
                    number,
                    key,
                    "not a class field: it is Pelican's own setting, which would change how or "
                    "where the page is written; remove this line",
                )
            )
            continue
        if key not in CLASS_FIELDS:
            problems.append(
                _problem(
                    path,
                    number,
                    key,
                    f"unknown field; {_suggestion(key)}"
                    "content/classes/_template.md lists every field",
                )
            )
            continue
        if key in first_of and key not in REPEATABLE:
            problems.append(
                _problem(
                    path,
                    number,
                    key,
                    f"given twice (first on line {first_of[key]}); a class has one "
                    f"{field_name(key)}: keep one of the lines",
                )
            )
            continue
        first_of.setdefault(key, number)
        header.append(HeaderLine(key, value, number))
    body = "\n".join(lines[body_start:])
    return ClassFile(path, tuple(header), clean_body(body), tuple(problems))


def read(data: bytes, path: str) -> ClassFile:
    """A class file from its bytes: decoded, split and checked; never raises."""
    text, problem = decode(data, path)
    if text is None:
        assert problem is not None
        return ClassFile(path, (), "", (problem,))
    if not text.strip():
        return ClassFile(
            path,
            (),
            "",
            (
                _problem(
                    path,
                    1,
                    "file",
                    "the file is empty; copy the lines of content/classes/_template.md to start",
                ),
            ),
        )
    return parse(text, path)


def from_metadata(metadata: Mapping[str, object], path: str) -> ClassFile:
    """A class file standing for a dict of fields (tests and the new-class task build these)."""
    lines = []
    for key, value in metadata.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            lines.append(f"{field_name(key)}: {item}")
    return parse("\n".join(lines) + "\n", path)
