"""The class model: one validated, immutable record per class file, built from raw metadata.

Pure Python on purpose: no Pelican import and no I/O, so the page, the calendar, the feeds and the
publisher all read the same values, and tests can build classes from plain dicts.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from unidecode import unidecode

from .classfile import ClassFile, from_metadata, is_invisible
from .classfile import ValidationError as ValidationError
from .classfile import parse as parse_class_file

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"  # a class's address part, in a Slug line or a file name
CLASS_SLUG = re.compile(rf"^{_SLUG}$")
FILE_NAME = re.compile(rf"^(?P<date>\d{{4}}-\d{{2}}-\d{{2}})-(?P<slug>{_SLUG})\.md$")
# `Status:` values that are about where Pelican lists a class, not about the class itself.
VISIBILITY_STATUSES = frozenset({"draft", "hidden"})
TWITTER_HANDLE = re.compile(r"^@?(?P<handle>[A-Za-z0-9_]{1,15})$")
# A teacher's handles on the other networks: Mastodon's @user@server, and a Bluesky handle, which
# is a domain name (atproto's handle syntax: at least two labels, the last not starting with a
# digit, 253 characters at most).
MASTODON_HANDLE = re.compile(
    r"^@?(?P<user>[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)@"
    r"(?P<server>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)
BLUESKY_HANDLE = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)
NETWORK_TITLES = {"twitter": "X (Twitter)", "mastodon": "Mastodon", "bluesky": "Bluesky"}
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
class Teacher:
    name: str
    twitter: str | None = None  # X: "rina_foto", without the @
    bio: str = ""
    mastodon: str | None = None  # "rina@mastodon.social", without the leading @
    bluesky: str | None = None  # "rina.bsky.social": a domain name

    @property
    def handles(self) -> dict[str, str]:
        """The teacher's handles by network (the publisher's network names)."""
        found = {"twitter": self.twitter, "mastodon": self.mastodon, "bluesky": self.bluesky}
        return {network: handle for network, handle in found.items() if handle}

    @property
    def profiles(self) -> list[tuple[str, str]]:
        """The teacher's profile pages as (handle as written, address), for pages and JSON-LD."""
        found = []
        if self.twitter:
            found.append((f"@{self.twitter}", f"https://twitter.com/{self.twitter}"))
        if self.mastodon:
            user, server = self.mastodon.split("@", 1)
            found.append((f"@{self.mastodon}", f"https://{server}/@{user}"))
        if self.bluesky:
            found.append((f"@{self.bluesky}", f"https://bsky.app/profile/{self.bluesky}"))
        return found

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
    # The point a crop keeps (a share image of another shape), as fractions across and down
    # from the top-left corner; None: the centre.
    focus: tuple[float, float] | None = None


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
    # How many signed up (`Registered:`) and how many came (`Participants:`), after the class.
    registered: int | None = None
    participants: int | None = None
    # The chapter's words after the class (`Recap:`): the recap posts and the report page use it.
    recap: str = ""
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


class _Collector:
    """Gathers every problem of one file instead of stopping at the first."""

    def __init__(self, file: ClassFile) -> None:
        self.file = file
        self.path = file.path
        self.errors: list[ValidationError] = list(file.problems)

    def error(self, name: str, message: str, line: int | None = None) -> None:
        """A problem with field `name`, at `line` or else at the field's first line."""
        where = line if line is not None else self.file.line_of(name)
        self.errors.append(ValidationError(self.path, where, name, message))

    def single(self, name: str) -> str:
        return self.file.single(name)

    def entries(self, name: str) -> list[tuple[str, int]]:
        return self.file.entries(name)


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
        if len(part["amount"]) > 5:  # beyond any class, and timedelta would overflow
            return None
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


def _parse_count(found: _Collector, name: str) -> int | None:
    text = found.single(name)
    if not text:
        return None
    if not text.isascii() or not text.isdigit():  # "¹" and "٤" are digits to str.isdigit
        found.error(name, f"'{text}' is not a whole number like 40")
        return None
    if len(text) > 6:  # no class seats a million; int() of a huge string is slow and pointless
        found.error(name, f"'{text[:12]}…' is not a number of people like 40")
        return None
    return int(text)


def _parse_recap(found: _Collector) -> str:
    text = found.single("recap")
    if len(text) > RECAP_MAX:
        found.error(
            "recap",
            f"is {len(text)} characters; keep it to {RECAP_MAX} (a few sentences: it is posted "
            "on every network), and write the longer story below the header",
        )
        return ""
    return text


def _parse_handle(found: _Collector, name: str, text: str, line: int) -> str | None:
    if not text:
        return None
    match = TWITTER_HANDLE.match(text)
    if not match:
        found.error(
            name,
            f"'{text}' is not a Twitter handle like @AkberPLB (1-15 letters, digits or _)",
            line,
        )
        return None
    return match["handle"]


def _parse_handles(found: _Collector, text: str, line: int) -> dict[str, str]:
    """A teacher's handles, one per network, told apart by their form: `@user` is X,
    `@user@instance` Mastodon, a domain name (`user.bsky.social`) Bluesky."""
    handles: dict[str, str] = {}
    for token in text.replace(",", " ").split():
        network, handle = _handle_of(found, token, line)
        if handle is None:
            continue
        if network in handles:
            found.error(
                "teacher",
                f"'{text}' gives two {NETWORK_TITLES[network]} handles; keep one",
                line,
            )
            continue
        handles[network] = handle
    return handles


def handle_network(token: str) -> str:
    """Which network a teacher's handle is for, by its form alone: `@user@server` (or
    `user@server`) is Mastodon, a domain name Bluesky, anything else X."""
    if token.count("@") == 2 or (token.count("@") == 1 and not token.startswith("@")):
        return "mastodon"
    return "bluesky" if "." in token else "twitter"


def _handle_of(found: _Collector, token: str, line: int) -> tuple[str, str | None]:
    network = handle_network(token)
    if network == "mastodon":
        match = MASTODON_HANDLE.match(token)
        if not match:
            found.error(
                "teacher",
                f"'{token}' is not a Mastodon handle like @rina@mastodon.social "
                "(@, a user name of letters, digits or _, @, the server's domain)",
                line,
            )
            return "mastodon", None
        return "mastodon", f"{match['user']}@{match['server'].lower()}"
    if network == "bluesky":
        handle = token.removeprefix("@").lower()
        if not BLUESKY_HANDLE.match(handle):
            found.error(
                "teacher",
                f"'{token}' is not a Bluesky handle like rina.bsky.social (a domain name: "
                "letters, digits and -, parts joined by dots)",
                line,
            )
            return "bluesky", None
        return "bluesky", handle
    return "twitter", _parse_handle(found, "teacher", token, line)


# A class lasts hours; beyond these bounds a value is a typo (an extra digit, a wrong year), and
# date arithmetic near year 9999 would overflow.
MAX_DURATION = timedelta(hours=24)
MAX_END_AFTER_START = timedelta(days=7)
YEARS = range(2000, 2100)


def _plausible(found: _Collector, name: str, value: datetime, line: int | None = None) -> bool:
    if value.year in YEARS:
        return True
    found.error(
        name,
        f"the year {value.year} is not a year of classes ({YEARS.start}-{YEARS.stop - 1}); "
        "check the date",
        line,
    )
    return False


def _parse_start(found: _Collector, zone: tzinfo, file_date: str | None) -> datetime | None:
    text = found.single("start")
    if not text:
        found.error("start", f"missing; add a line like 'Start: {EXAMPLE_START}'")
        return None
    start = parse_local_datetime(text, zone)
    if start is None:
        found.error("start", f"'{text}' is not a date-time like {EXAMPLE_START}")
        return None
    if not _plausible(found, "start", start):
        return None
    if file_date and start.date().isoformat() != file_date:
        found.error(
            "start",
            f"date {start.date().isoformat()} disagrees with the file name's {file_date}; "
            "rename the file or correct start",
        )
    return start


def _parse_end(
    found: _Collector, start: datetime, zone: tzinfo, default: timedelta
) -> datetime | None:
    end_text, duration_text = found.single("end"), found.single("duration")
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
        if duration > MAX_DURATION:
            found.error(
                "duration",
                f"'{duration_text}' is longer than a day; for a class over several days write "
                "its end instead, like 'End: 2026-12-06 16:00'",
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
    if end - start > MAX_END_AFTER_START:
        found.error("end", f"'{end_text}' is more than a week after start; check the date")
        return None
    return end


def _parse_venue(found: _Collector) -> Venue | None:
    name = found.single("venue")
    address = found.single("venue_address")
    map_url = found.single("venue_map") or None
    geo_text = found.single("venue_geo")
    ok = True
    if not name:
        found.error("venue", "missing; add 'Venue: <name of the place>'")
        ok = False
    if not address:
        where = "venue_address" if found.file.has("venue_address") else "venue"
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


def _parse_teachers(found: _Collector) -> tuple[Teacher, ...]:
    entries = found.entries("teacher")
    if not entries:
        found.error("teacher", "missing; add 'Teacher: Name | @handle | short bio'")
    teachers = []
    for entry, line in entries:
        name, handle_text, bio = ([part.strip() for part in entry.split("|", 2)] + ["", ""])[:3]
        if not name or is_invisible(name):
            found.error("teacher", f"'{entry}' has no name before the first '|'", line)
            continue
        handles = _parse_handles(found, handle_text, line)
        teachers.append(
            Teacher(
                name,
                handles.get("twitter"),
                bio,
                mastodon=handles.get("mastodon"),
                bluesky=handles.get("bluesky"),
            )
        )
    return tuple(teachers)


def _parse_registration(found: _Collector) -> Registration:
    text = found.single("registration")
    tweet = found.single("registration_tweet") or None
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


def _parse_status(found: _Collector) -> ClassStatus:
    text = found.single("status") or "scheduled"
    if text.lower() in VISIBILITY_STATUSES:  # Pelican decides visibility; the class is scheduled
        return ClassStatus.SCHEDULED
    try:
        return ClassStatus(text.lower())
    except ValueError:
        allowed = ", ".join(status.value for status in ClassStatus)
        found.error("status", f"'{text}' is not one of {allowed} (or draft)")
        return ClassStatus.SCHEDULED


def _parse_previous_starts(
    found: _Collector, zone: tzinfo, start: datetime | None
) -> tuple[datetime, ...]:
    starts = []
    for text, line in found.entries("previous_start"):
        value = parse_local_datetime(text, zone)
        if value is None:
            found.error("previous_start", f"'{text}' is not a date-time like {EXAMPLE_START}", line)
        elif not _plausible(found, "previous_start", value, line):
            continue
        elif value == start:
            found.error(
                "previous_start",
                f"'{text}' is the same as start; write the time the class had before it moved, "
                "or remove this line",
                line,
            )
        else:
            starts.append(value)
    return tuple(starts)


def _parse_partners(found: _Collector) -> tuple[Partner, ...]:
    partners = []
    for entry, line in found.entries("partner"):
        name, _, url = (part.strip() for part in entry.partition("|"))
        if not name or is_invisible(name):
            found.error("partner", f"'{entry}' has no name before the '|'", line)
            continue
        if url and not is_web_url(url):
            found.error("partner", f"'{url}' is not a web address starting with https://", line)
            continue
        partners.append(Partner(name, url or None))
    return tuple(partners)


def photo_path_problem(path: str) -> str | None:
    """Why a Photo path cannot name a file under content/, or None."""
    if is_web_url(path) or "://" in path:
        return f"'{path}' is a web address; put the file under content/, like images/kelas.jpg"
    if re.match(r"^([A-Za-z]:)?[\\/]", path):
        return (
            f"'{path}' is a place on a computer; put the file under content/ and write its "
            "path from there, like images/kelas/foto.jpg"
        )
    if "\\" in path:
        return f"'{path}' uses \\ between folders; write its path under content/ with /"
    normal = posixpath.normpath(path)
    if path.startswith("/") or normal == ".." or normal.startswith("../"):
        return f"'{path}' must be a file under content/, like images/kelas.jpg"
    return None


FOCUS_WORD = re.compile(r"focus\b", re.IGNORECASE)
FOCUS = re.compile(
    r"focus\s+(?P<x>\d+(?:[.,]\d+)?)\s*%\s+(?P<y>\d+(?:[.,]\d+)?)\s*%", re.IGNORECASE
)
FOCUS_EXAMPLE = "focus 50% 30%"


def photo_entries(file: ClassFile) -> list[tuple[str, str, str | None, int]]:
    """Each Photo line as (path, alt text, focus part or None, line number).

    `Photo: path | alt | focus 50% 30%`: a last part starting with "focus" is the focus point,
    anything else after the path is the alt text (which may hold a "|" of its own).
    """
    entries = []
    for entry, line in file.entries("photo"):
        path, _, rest = (part.strip() for part in entry.partition("|"))
        alt, bar, last = (part.strip() for part in rest.rpartition("|"))
        focus: str | None = None
        if bar and FOCUS_WORD.match(last):
            focus = last
        elif not bar and FOCUS.fullmatch(last):
            alt, focus = "", last  # only a focus point: the alt text is missing
        else:
            alt = rest
        entries.append((path, alt, focus, line))
    return entries


def parse_focus(text: str) -> tuple[float, float] | str:
    """`focus 50% 30%` as fractions (0.5, 0.3), or why it is not a focus point."""
    match = FOCUS.fullmatch(text.strip())
    if match is None:
        return (
            f"'{text}' is not a focus point like '{FOCUS_EXAMPLE}': how far across, then how "
            "far down the photo the part to keep lies (0% 0% is the top-left corner)"
        )
    across, down = (float(match[name].replace(",", ".")) for name in ("x", "y"))
    if not (0 <= across <= 100 and 0 <= down <= 100):
        return (
            f"'{text}': a focus point lies between 0% and 100% across and down, like "
            f"'{FOCUS_EXAMPLE}'"
        )
    return across / 100, down / 100


def _parse_photos(found: _Collector) -> tuple[Photo, ...]:
    photos = []
    for path, alt, focus_text, line in photo_entries(found.file):
        if not alt:
            found.error(
                "photo",
                f"'{path}' has no alt text; write 'Photo: {path} | what the photo shows'",
                line,
            )
            continue
        problem = photo_path_problem(path)
        if problem:
            found.error("photo", problem, line)
            continue
        focus = parse_focus(focus_text) if focus_text is not None else None
        if isinstance(focus, str):
            found.error("photo", focus, line)
            continue
        photos.append(Photo(posixpath.normpath(path), alt, focus))
    return tuple(photos)


def parse_moment(text: str, zone: tzinfo) -> datetime | None:
    """A `Date:` or `Modified:` value: a date-time, or a day (as its midnight); None if neither
    or outside the years of classes."""
    value = parse_local_datetime(text, zone) or _parse_day(text.strip(), zone) if text else None
    return value if value is not None and value.year in YEARS else None


def _parse_moment(found: _Collector, name: str, zone: tzinfo) -> datetime | None:
    text = found.single(name)
    if not text:
        return None
    value = parse_local_datetime(text, zone) or _parse_day(text, zone)
    if value is None:
        found.error(name, f"'{text}' is not a date-time like {EXAMPLE_DATE}")
        return None
    return value if _plausible(found, name, value) else None


# An announcement needs time to reach people: a `Date` still to come that leaves less than this
# before `Start` is an organizer reading `Date` as the class's own date.
MIN_NOTICE = timedelta(hours=48)
# A recap is posted on every network: a tweet's worth; the longer story goes below the header.
RECAP_MAX = 280
WHAT_DATE_MEANS = (
    "Date is when the class is announced (it appears on the site and is posted then), not when "
    "it takes place"
)


def _parse_announced(
    found: _Collector,
    start: datetime | None,
    zone: tzinfo,
    now: datetime | None,
    min_notice: timedelta,
) -> datetime | None:
    """The `Date:` of the file (when the class was announced), checked against start and now."""
    written = found.single("date")
    announced = _parse_moment(found, "date", zone)
    if written and announced is None:
        return None
    if start is None:
        return announced
    local_now = f"{now.astimezone(zone):%Y-%m-%d %H:%M}" if now is not None else EXAMPLE_DATE
    # Without a Date, feeds, the calendar and the JSON-LD would all say that an upcoming class
    # was announced on the day it starts.
    if now is not None and start > now and announced is None:
        found.error(
            "date",
            f"missing; add the line 'Date: {local_now}' (when the class is announced) under the "
            "title",
        )
        return None
    if announced is None:
        return None
    if announced > start:
        found.error(
            "date",
            f"{announced:%Y-%m-%d %H:%M} is after start {start:%Y-%m-%d %H:%M}; "
            "the announcement cannot come after the class",
        )
        return None
    if announced == start:
        found.error(
            "date",
            f"{announced:%Y-%m-%d %H:%M} is the class's start; {WHAT_DATE_MEANS}: write when it "
            f"is announced, like 'Date: {local_now}' (a class recorded after it took place may "
            "leave the line out)",
        )
        return None
    # A Date still to come keeps the class hidden until then: this close to the start it would
    # appear (and be announced) too late for anyone to come, or never before it starts.
    if now is not None and announced > now and start - announced < min_notice:
        hours = (start - announced) / timedelta(hours=1)
        found.error(
            "date",
            f"{announced:%Y-%m-%d %H:%M} is only {hours:.0f} hours before start "
            f"{start:%Y-%m-%d %H:%M}, and still to come; {WHAT_DATE_MEANS}: until then the class "
            f"is on no page, in no calendar and in no post. Write when it is announced, at least "
            f"{min_notice / timedelta(hours=1):.0f} hours before start, like 'Date: {local_now}'",
        )
        return None
    return announced


def _parse_day(text: str, zone: tzinfo) -> datetime | None:
    """`2026-11-20` as its midnight in the zone (Pelican accepts a Date: without a time)."""
    try:
        return _as_aware(date.fromisoformat(text), zone) if len(text) == 10 else None
    except ValueError:
        return None


def _tags(found: _Collector, metadata: Mapping[str, Any]) -> tuple[str, ...]:
    """Tag names as the build made its tag pages (from `metadata`), else from the Tags line."""
    raw = metadata.get("tags")
    if raw is None:
        text = found.single("tags")
        raw = text.split(";") if ";" in text else text.split(",")
    items = raw.split(",") if isinstance(raw, str) else raw
    return tuple(str(getattr(tag, "name", tag)).strip() for tag in items if str(tag).strip())


def _parse_slug(found: _Collector, file_slug: str | None, title: str) -> str:
    written = found.single("slug")
    slug = written or file_slug or slugify(title)
    if written and not CLASS_SLUG.match(written):
        found.error(
            "slug",
            f"'{written}' is not a page address part like fotografi-ponsel (lower-case letters "
            "a-z, digits and single hyphens)",
        )
    elif len(slug) > MAX_CLASS_SLUG:
        found.error(
            "slug",
            f"'{slug[:20]}…' is {len(slug)} characters long; the short name in the file name "
            f"(the page address) may have at most {MAX_CLASS_SLUG}",
        )
    return slug


def build_class(
    metadata: Mapping[str, Any],
    path: str,
    source: str | ClassFile,
    zone: tzinfo,
    default_duration: timedelta = timedelta(hours=2),
    *,
    now: datetime | None = None,
    min_notice: timedelta = MIN_NOTICE,
) -> tuple[ClassEvent | None, list[ValidationError]]:
    """Validate one class file into a ClassEvent, or return every problem found in it.

    The fields come from `source`, the file as read (`classfile.read`) or its text; an empty text
    stands for a file holding exactly `metadata` (tests build classes from plain dicts). Of
    `metadata`, the build's own view of the file, only the tag names are used. `path` is shown
    in messages. `now` is the build's moment: with it, a class that has not started must have
    its own `Date:`, and a `Date:` still to come must leave `min_notice` before the start
    (None: no such checks).
    """
    if isinstance(source, str):
        source = parse_class_file(source, path) if source else from_metadata(metadata, path)
    found = _Collector(source)
    if not source.header and source.problems:
        return None, found.errors  # not readable (encoding, empty): nothing more to say
    file_name = path.rsplit("/", 1)[-1]
    name_match = FILE_NAME.match(file_name)
    if not name_match:
        found.errors.append(
            ValidationError(
                path, 1, "file name", f"'{file_name}' is not named like 2026-12-05-slug.md"
            )
        )

    title = found.single("title")
    if not title:
        if found.file.has("title"):
            found.error("title", "shows nothing; write the class's name after 'Title:'")
        else:
            found.error("title", "missing; add 'Title: <what the class is called>'")
    start = _parse_start(found, zone, name_match["date"] if name_match else None)
    end = _parse_end(found, start, zone, default_duration) if start else None
    announced = _parse_announced(found, start, zone, now, min_notice)
    modified = _parse_moment(found, "modified", zone)
    venue = _parse_venue(found)
    teachers = _parse_teachers(found)
    registration = _parse_registration(found)
    status = _parse_status(found)
    previous_starts = _parse_previous_starts(found, zone, start)
    capacity = _parse_count(found, "capacity")
    registered = _parse_count(found, "registered")
    participants = _parse_count(found, "participants")
    recap = _parse_recap(found)
    partners = _parse_partners(found)
    photos = _parse_photos(found)
    slug = _parse_slug(found, name_match["slug"] if name_match else None, title)

    if found.errors or start is None or end is None or venue is None:
        return None, sorted(found.errors, key=lambda error: error.line)
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
            summary=found.single("summary"),
            bring=found.single("bring"),
            registration=registration,
            capacity=capacity,
            status=status,
            status_note=found.single("status_note"),
            previous_starts=previous_starts,
            tags=_tags(found, metadata),
            partners=partners,
            photos=photos,
            registered=registered,
            participants=participants,
            recap=recap,
            modified=modified,
        ),
        [],
    )


def _as_aware(value: datetime | date | str, zone: tzinfo) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def find_duplicate_slugs(
    classes: Sequence[ClassEvent], announced_starts: Mapping[str, Collection[datetime]] = {}
) -> list[ValidationError]:
    """Two class files that would share one URL (and one calendar UID).

    The one already in posts and calendars keeps its address and the other file is asked to
    change. `announced_starts` holds, by slug, the starts the ledger recorded in its posts: the
    file whose start (or a Previous_Start) is among them is the announced one, even when the
    other records an older class added later. Without a record, the one announced first keeps it.
    """

    def in_the_ledger(item: ClassEvent) -> bool:
        starts = announced_starts.get(item.slug, ())
        return any(moment in starts for moment in (item.start, *item.previous_starts))

    first_by_slug: dict[str, ClassEvent] = {}
    errors = []
    ordered = sorted(
        classes, key=lambda c: (not in_the_ledger(c), c.announced, c.start, c.source_path)
    )
    for item in ordered:
        earlier = first_by_slug.setdefault(item.slug, item)
        if earlier is not item:
            posted = ", which was announced" if in_the_ledger(earlier) else ""
            errors.append(
                ValidationError(
                    item.source_path,
                    1,
                    "slug",
                    f"'{item.slug}' is already the address of {earlier.source_path}{posted}; "
                    f"give this class its own: rename this file, or add a line like "
                    f"'Slug: {item.slug[: MAX_CLASS_SLUG - 5].rstrip('-')}-{item.start:%Y}'",
                )
            )
    return errors
