"""The class model: one validated, immutable record per class file, built from raw metadata.

Pure Python on purpose: no Pelican import and no I/O, so the page, the calendar, the feeds and the
publisher all read the same values, and tests can build classes from plain dicts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from unidecode import unidecode

FILE_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
TWITTER_HANDLE = re.compile(r"^@?(?P<handle>[A-Za-z0-9_]{1,15})$")
DURATION_PART = re.compile(r"(?P<amount>\d+)\s*(?P<unit>jam|j|h|hours?|menit|mnt|m|min|minutes?)\b")
DURATION_CLOCK = re.compile(r"^(?P<hours>\d{1,2}):(?P<minutes>[0-5]\d)$")
DURATION_JOINERS = frozenset({"dan", "and", "&", "+"})
CLOCK = re.compile(r"^(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)$")
EXAMPLE_START = "2026-12-05 14:00"
EXAMPLE_DATE = "2026-11-20 10:00"
# The longest page address part a teacher or venue gets (cut with a hash beyond it), and the
# longest a class may have: a class's address is in every post about it, and a post's link is
# never cut, so it must leave room for the title on X even where X counts it letter by letter.
MAX_SLUG = 60
MAX_CLASS_SLUG = 40
PELICAN_STATUSES = frozenset({"published", "hidden", "draft", "skip"})

# Keys the model understands; anything else in a class header is probably a typo.
KNOWN_FIELDS = frozenset(
    {
        "title", "start", "end", "duration", "venue", "venue_address", "venue_map", "venue_geo",
        "teacher", "summary", "bring", "registration", "registration_tweet", "capacity", "status",
        "status_note", "previous_start", "tags", "partner", "photo", "participants",
        # Pelican's own keys, which a class file may also carry.
        "date", "modified", "slug", "lang", "translation", "save_as", "url", "template",
        "author", "authors", "category",
    }
)  # fmt: skip


class ClassStatus(StrEnum):
    """Where a class stands; Pelican's own `status` (published/draft) is a separate matter."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


@dataclass(frozen=True)
class Chapter:
    """Who runs the classes: names, accounts, and the permanent identity of feeds and calendars."""

    name: str
    short_name: str
    city: str
    twitter: str
    hashtag: str
    domain: str
    site_url: str  # production address, without a trailing slash
    founded: str = ""
    email: str = ""
    logo: str = ""  # path of a square picture (absolute, or under content/): the site's icons


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
class Teacher:
    name: str
    twitter: str | None = None
    bio: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class Venue:
    name: str
    address: str
    map_url: str | None = None
    geo: tuple[float, float] | None = None

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class Partner:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Photo:
    path: str
    alt: str


@dataclass(frozen=True)
class Registration:
    """How to sign up: a URL, a prefilled tweet, or neither (just come)."""

    url: str | None = None
    via_twitter: bool = False
    tweet_text: str | None = None


@dataclass(frozen=True)
class ClassEvent:
    """One free class, as validated from its file."""

    slug: str
    title: str
    start: datetime
    end: datetime
    venue: Venue
    teachers: tuple[Teacher, ...]
    source_path: str
    announced: datetime
    summary: str = ""
    bring: str = ""
    registration: Registration = field(default_factory=Registration)
    capacity: int | None = None
    status: ClassStatus = ClassStatus.SCHEDULED
    status_note: str = ""
    previous_starts: tuple[datetime, ...] = ()
    tags: tuple[str, ...] = ()
    partners: tuple[Partner, ...] = ()
    photos: tuple[Photo, ...] = ()
    participants: int | None = None
    # The file's own `Modified:` date, when it has one: calendars and feeds show the latest.
    modified: datetime | None = None
    # Where the site publishes the class, filled in by the build from Pelican's own article.url:
    # `page_path` relative to the site root (kelas/x/), `url` absolute (https://host/kelas/x/).
    page_path: str = ""
    url: str = ""

    @property
    def is_cancelled(self) -> bool:
        return self.status is ClassStatus.CANCELLED

    @property
    def is_postponed(self) -> bool:
        return self.status is ClassStatus.POSTPONED

    @property
    def is_rescheduled(self) -> bool:
        return bool(self.previous_starts) and self.status is ClassStatus.SCHEDULED

    @property
    def sequence(self) -> int:
        """iCalendar SEQUENCE: one step per recorded move plus one for a cancel or postponement.

        Derived from the file alone (not from a build counter) so every build agrees, and it only
        grows as long as organizers append Previous_Start lines instead of deleting them.
        """
        return len(self.previous_starts) + (self.status is not ClassStatus.SCHEDULED)

    def has_started(self, now: datetime) -> bool:
        return self.start <= now


def slugify(text: str) -> str:
    """ASCII slug for URLs of teachers and venues ("RS Azzahra" -> "rs-azzahra").

    At most MAX_SLUG characters: a longer one is cut at a hyphen and ends in a short hash of the
    whole, so two long names that start alike still get two pages, and no file name is too long.
    """
    ascii_text = unidecode(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "tanpa-nama"
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    head = slug[: MAX_SLUG - len(digest) - 1]
    head = head.rsplit("-", 1)[0] if "-" in head[MAX_SLUG // 2 :] else head
    return f"{head.strip('-')}-{digest}"


def field_lines(source_text: str) -> dict[str, list[int]]:
    """Line numbers (1-based) of each header key, in order, so errors can point at the line."""
    lines: dict[str, list[int]] = {}
    for number, line in enumerate(source_text.splitlines(), start=1):
        if not line.strip():
            break
        match = re.match(r"^([A-Za-z0-9_-]+)\s*:", line)
        if match:
            lines.setdefault(match.group(1).lower(), []).append(number)
    return lines


class _Collector:
    """Gathers every problem of one file instead of stopping at the first."""

    def __init__(self, path: str, source_text: str) -> None:
        self.path = path
        self.lines = field_lines(source_text)
        self.errors: list[ValidationError] = []

    def line_of(self, name: str, index: int = 0) -> int:
        numbers = self.lines.get(name)
        if not numbers:
            return 1
        return numbers[min(index, len(numbers) - 1)]

    def error(self, name: str, message: str, index: int = 0) -> None:
        self.errors.append(ValidationError(self.path, self.line_of(name, index), name, message))


def _values(metadata: Mapping[str, Any], name: str) -> list[str]:
    """Every non-empty value of a key: repeated keys and continuation lines come as lists."""
    raw = metadata.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [str(item).strip() for item in items if str(item).strip()]


def _single(metadata: Mapping[str, Any], name: str) -> str:
    """One value; continuation lines of a long value are joined with spaces."""
    return " ".join(_values(metadata, name))


def parse_local_datetime(text: str, zone: tzinfo) -> datetime | None:
    """`2026-12-05 14:00` in the chapter's zone, or with its own offset; None if not a date-time."""
    text = text.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}[:.]\d{2}", text):
        return None
    normalized = re.sub(r"^(\S+[ T])(\d{1,2})\.(\d{2})", r"\1\2:\3", text)
    normalized = re.sub(r"^(\S+[ T])(\d):", r"\g<1>0\2:", normalized)
    try:
        value = datetime.fromisoformat(normalized)
    except ValueError:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def parse_duration(text: str) -> timedelta | None:
    """ "2 jam", "90 menit", "1 jam 30 menit", "1:30", "2h"; None when not understood."""
    text = text.strip().lower()
    clock = DURATION_CLOCK.match(text)
    if clock:
        return timedelta(hours=int(clock["hours"]), minutes=int(clock["minutes"]))
    parts = list(DURATION_PART.finditer(text))
    # Between the parts only separators may stand: "1 jam dan 30 menit", never "2 jam nada".
    leftover = DURATION_PART.sub(" ", text).replace(",", " ").split()
    if not parts or any(word not in DURATION_JOINERS for word in leftover):
        return None
    total = timedelta()
    for part in parts:
        amount = int(part["amount"])
        is_hours = part["unit"] in {"jam", "j", "h", "hour", "hours"}
        total += timedelta(hours=amount) if is_hours else timedelta(minutes=amount)
    return total


def is_web_url(text: str) -> bool:
    """An absolute http(s) URL with a host and no spaces."""
    if any(ch.isspace() for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and "." in parts.netloc.strip(".")


def _parse_geo(text: str) -> tuple[float, float] | None:
    match = re.match(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$", text)
    if not match:
        return None
    latitude, longitude = float(match[1]), float(match[2])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def _parse_count(found: _Collector, metadata: Mapping[str, Any], name: str) -> int | None:
    text = _single(metadata, name)
    if not text:
        return None
    if not text.isascii() or not text.isdigit():  # "¹" and "٤" are digits to str.isdigit
        found.error(name, f"'{text}' is not a whole number like 40")
        return None
    return int(text)


def _parse_handle(found: _Collector, name: str, text: str, index: int) -> str | None:
    if not text:
        return None
    match = TWITTER_HANDLE.match(text)
    if not match:
        found.error(
            name,
            f"'{text}' is not a Twitter handle like @AkberPLB (1-15 letters, digits or _)",
            index,
        )
        return None
    return match["handle"]


def _parse_start(
    found: _Collector, metadata: Mapping[str, Any], zone: tzinfo, file_date: str | None
) -> datetime | None:
    text = _single(metadata, "start")
    if not text:
        found.error("start", f"missing; add a line like 'Start: {EXAMPLE_START}'")
        return None
    start = parse_local_datetime(text, zone)
    if start is None:
        found.error("start", f"'{text}' is not a date-time like {EXAMPLE_START}")
        return None
    if file_date and start.date().isoformat() != file_date:
        found.error(
            "start",
            f"date {start.date().isoformat()} disagrees with the file name's {file_date}; "
            "rename the file or correct start",
        )
    return start


def _parse_end(
    found: _Collector,
    metadata: Mapping[str, Any],
    start: datetime,
    zone: tzinfo,
    default: timedelta,
) -> datetime | None:
    end_text, duration_text = _single(metadata, "end"), _single(metadata, "duration")
    if end_text and duration_text:
        found.error("duration", "give either end or duration, not both")
        return None
    if duration_text:
        duration = parse_duration(duration_text)
        if duration is None or duration <= timedelta():
            found.error(
                "duration", f"'{duration_text}' is not a duration like '2 jam' or '90 menit'"
            )
            return None
        return start + duration
    if not end_text:
        return start + default
    clock = CLOCK.match(end_text)
    end: datetime | None
    if clock:
        end = datetime.combine(start.date(), time(int(clock["hour"]), int(clock["minute"])))
        end = end.replace(tzinfo=start.tzinfo)
    else:
        end = parse_local_datetime(end_text, zone)
    if end is None:
        found.error(
            "end", f"'{end_text}' is not a time like 16:00 or a date-time like 2026-12-05 16:00"
        )
        return None
    if end <= start:
        found.error("end", f"'{end_text}' is not after start {start:%Y-%m-%d %H:%M}")
        return None
    return end


def _parse_venue(found: _Collector, metadata: Mapping[str, Any]) -> Venue | None:
    name = _single(metadata, "venue")
    address = _single(metadata, "venue_address")
    map_url = _single(metadata, "venue_map") or None
    geo_text = _single(metadata, "venue_geo")
    ok = True
    if not name:
        found.error("venue", "missing; add 'Venue: <name of the place>'")
        ok = False
    if not address:
        where = "venue_address" if "venue_address" in found.lines else "venue"
        found.error(where, "the venue has no address; add 'Venue_Address: <street, city>'")
        ok = False
    if map_url and not is_web_url(map_url):
        found.error("venue_map", f"'{map_url}' is not a web address starting with https://")
        ok = False
    geo = None
    if geo_text:
        geo = _parse_geo(geo_text)
        if geo is None:
            found.error("venue_geo", f"'{geo_text}' is not coordinates like -2.9761, 104.7754")
            ok = False
    return Venue(name, address, map_url, geo) if ok else None


def _parse_teachers(found: _Collector, metadata: Mapping[str, Any]) -> tuple[Teacher, ...]:
    entries = _values(metadata, "teacher")
    if not entries:
        found.error("teacher", "missing; add 'Teacher: Name | @handle | short bio'")
    teachers = []
    for index, entry in enumerate(entries):
        name, handle_text, bio = ([part.strip() for part in entry.split("|", 2)] + ["", ""])[:3]
        if not name:
            found.error("teacher", f"'{entry}' has no name before the first '|'", index)
            continue
        handle = _parse_handle(found, "teacher", handle_text, index)
        teachers.append(Teacher(name, handle, bio))
    return tuple(teachers)


def _parse_registration(found: _Collector, metadata: Mapping[str, Any]) -> Registration:
    text = _single(metadata, "registration")
    tweet = _single(metadata, "registration_tweet") or None
    if not text:
        return Registration()
    if text.lower() in {"via twitter", "twitter"}:
        return Registration(via_twitter=True, tweet_text=tweet)
    if not is_web_url(text):
        found.error(
            "registration", f"'{text}' is neither a web address (https://...) nor 'via Twitter'"
        )
        return Registration()
    return Registration(url=text)


def _parse_status(found: _Collector, metadata: Mapping[str, Any]) -> ClassStatus:
    text = _single(metadata, "class_status") or _single(metadata, "status") or "scheduled"
    if text.lower() in PELICAN_STATUSES:  # draft or hidden: Pelican decides visibility
        text = "scheduled"
    try:
        return ClassStatus(text.lower())
    except ValueError:
        allowed = ", ".join(status.value for status in ClassStatus)
        found.error("status", f"'{text}' is not one of {allowed} (or draft)")
        return ClassStatus.SCHEDULED


def _parse_previous_starts(
    found: _Collector, metadata: Mapping[str, Any], zone: tzinfo
) -> tuple[datetime, ...]:
    starts = []
    for index, text in enumerate(_values(metadata, "previous_start")):
        value = parse_local_datetime(text, zone)
        if value is None:
            found.error(
                "previous_start", f"'{text}' is not a date-time like {EXAMPLE_START}", index
            )
        else:
            starts.append(value)
    return tuple(starts)


def _parse_partners(found: _Collector, metadata: Mapping[str, Any]) -> tuple[Partner, ...]:
    partners = []
    for index, entry in enumerate(_values(metadata, "partner")):
        name, _, url = (part.strip() for part in entry.partition("|"))
        if url and not is_web_url(url):
            found.error("partner", f"'{url}' is not a web address starting with https://", index)
            continue
        partners.append(Partner(name, url or None))
    return tuple(partners)


def _parse_photos(found: _Collector, metadata: Mapping[str, Any]) -> tuple[Photo, ...]:
    photos = []
    for index, entry in enumerate(_values(metadata, "photo")):
        path, _, alt = (part.strip() for part in entry.partition("|"))
        if not alt:
            found.error(
                "photo",
                f"'{path}' has no alt text; write 'Photo: {path} | what the photo shows'",
                index,
            )
            continue
        if is_web_url(path) or path.startswith(("/", "..")) or "://" in path:
            found.error(
                "photo", f"'{path}' must be a file under content/, like images/kelas.jpg", index
            )
            continue
        photos.append(Photo(path, alt))
    return tuple(photos)


def _parse_announced(
    found: _Collector,
    metadata: Mapping[str, Any],
    start: datetime | None,
    zone: tzinfo,
    now: datetime | None,
) -> datetime | None:
    """The `Date:` of the file (when the class was announced), checked against start and now."""
    raw = metadata.get("date")
    announced = None
    if isinstance(raw, date):
        announced = _as_aware(raw, zone)
    elif raw is not None and str(raw).strip():
        text = str(raw).strip()
        announced = parse_local_datetime(text, zone) or _parse_day(text, zone)
        if announced is None:
            found.error("date", f"'{text}' is not a date-time like {EXAMPLE_DATE}")
            return None
    if start is None:
        return announced
    # The build sets `date` to the start when a file has none, so only the header itself tells
    # whether the organizer wrote one. Without it, feeds, the calendar and the JSON-LD would all
    # say that an upcoming class was announced on the day it starts.
    if now is not None and start > now and ("date" not in found.lines or announced is None):
        found.error(
            "date",
            f"missing; add the line 'Date: {now.astimezone(zone):%Y-%m-%d %H:%M}' "
            "(when the class is announced) under the title",
        )
        return None
    if announced is not None and announced > start:
        found.error(
            "date",
            f"{announced:%Y-%m-%d %H:%M} is after start {start:%Y-%m-%d %H:%M}; "
            "the announcement cannot come after the class",
        )
        return None
    return announced


def _parse_day(text: str, zone: tzinfo) -> datetime | None:
    """`2026-11-20` as its midnight in the zone (Pelican accepts a Date: without a time)."""
    try:
        return _as_aware(date.fromisoformat(text), zone) if len(text) == 10 else None
    except ValueError:
        return None


def _tags(metadata: Mapping[str, Any]) -> tuple[str, ...]:
    raw = metadata.get("tags") or []
    items = raw.split(",") if isinstance(raw, str) else raw
    return tuple(str(getattr(tag, "name", tag)).strip() for tag in items if str(tag).strip())


def build_class(
    metadata: Mapping[str, Any],
    path: str,
    source_text: str,
    zone: tzinfo,
    default_duration: timedelta = timedelta(hours=2),
    *,
    now: datetime | None = None,
) -> tuple[ClassEvent | None, list[ValidationError]]:
    """Validate one class file's metadata into a ClassEvent, or return every problem found in it.

    `metadata` maps lower-case keys to strings (or lists for repeated keys), as Pelican reads them;
    `path` is shown in messages; `source_text` serves to find line numbers and to tell a `Date:`
    line the organizer wrote from the one the build fills in. `now` is the build's moment: with
    it, a class that has not started must have its own `Date:` (None: no such check).
    """
    found = _Collector(path, source_text)
    file_name = path.rsplit("/", 1)[-1]
    name_match = FILE_NAME.match(file_name)
    if not name_match:
        found.errors.append(
            ValidationError(
                path, 1, "file name", f"'{file_name}' is not named like 2026-12-05-slug.md"
            )
        )
    for key in metadata:
        if key not in KNOWN_FIELDS and key not in _PELICAN_DERIVED and key in found.lines:
            found.error(key, "unknown field; see content/classes/_template.md for the field names")

    title = _single(metadata, "title")
    if not title:
        found.error("title", "missing; add 'Title: <what the class is called>'")
    start = _parse_start(found, metadata, zone, name_match["date"] if name_match else None)
    end = _parse_end(found, metadata, start, zone, default_duration) if start else None
    announced = _parse_announced(found, metadata, start, zone, now)
    venue = _parse_venue(found, metadata)
    teachers = _parse_teachers(found, metadata)
    registration = _parse_registration(found, metadata)
    status = _parse_status(found, metadata)
    previous_starts = _parse_previous_starts(found, metadata, zone)
    capacity = _parse_count(found, metadata, "capacity")
    participants = _parse_count(found, metadata, "participants")
    partners = _parse_partners(found, metadata)
    photos = _parse_photos(found, metadata)
    slug = _single(metadata, "slug") or (name_match["slug"] if name_match else slugify(title))
    if len(slug) > MAX_CLASS_SLUG:
        found.error(
            "slug",
            f"'{slug[:20]}…' is {len(slug)} characters long; the short name in the file name "
            f"(the page address) may have at most {MAX_CLASS_SLUG}",
        )

    if found.errors or start is None or end is None or venue is None:
        return None, found.errors
    modified = metadata.get("modified")
    return (
        ClassEvent(
            slug=slug,
            title=title,
            start=start,
            end=end,
            venue=venue,
            teachers=teachers,
            source_path=path,
            announced=announced or start,
            summary=_single(metadata, "summary"),
            bring=_single(metadata, "bring"),
            registration=registration,
            capacity=capacity,
            status=status,
            status_note=_single(metadata, "status_note"),
            previous_starts=previous_starts,
            tags=_tags(metadata),
            partners=partners,
            photos=photos,
            participants=participants,
            modified=_as_aware(modified, zone) if modified else None,
        ),
        [],
    )


# Keys the build puts into the metadata (Pelican from the file name and its reader, the glue to
# mark class files and keep their own status); never typed by a person.
_PELICAN_DERIVED = frozenset({"file_date", "reader", "class_status", "path", "content_kind"})


def _as_aware(value: datetime | date | str, zone: tzinfo) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def find_duplicate_slugs(classes: Sequence[ClassEvent]) -> list[ValidationError]:
    """Two class files that would share one URL (and one calendar UID)."""
    first_by_slug: dict[str, ClassEvent] = {}
    errors = []
    for item in sorted(classes, key=lambda c: c.source_path):
        earlier = first_by_slug.setdefault(item.slug, item)
        if earlier is not item:
            errors.append(
                ValidationError(
                    item.source_path,
                    1,
                    "slug",
                    f"'{item.slug}' is already used by {earlier.source_path}; "
                    "rename this file so its slug is unique",
                )
            )
    return errors
