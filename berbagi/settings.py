"""Every setting the kit reads, validated once per build into frozen objects.

`load(raw)` takes Pelican's settings dict (any mapping will do) and returns `Settings`, or raises
one `SettingsError` that lists every mistake, one line each, naming the plugin and the key. The
clock is not read here: `Settings.now()` reads it once, when a build makes its schedule.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PIL import Image

from . import urls
from .cms import CmsSettings
from .model import TWITTER_HANDLE, Chapter, is_web_url
from .national.config import NationalSettings
from .national.config import validate as validate_national
from .publish.compose import KINDS as TEMPLATE_NAMES
from .publish.compose import NETWORK_NAMES, TEMPLATES, network_templates, template_problem
from .wording import words

NOW_ENVIRONMENT_VARIABLE = "BERBAGI_NOW"
SUPPORTED_LANGUAGES = ("id", "en")
# A bare host name: calendar UIDs and feed ids are built from it, so a scheme or path would leak in.
HASHTAG = re.compile(r"^\w+$")
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$")
# The e-mail is required: every calendar event names the chapter as its ORGANIZER (RFC 5546).
CHAPTER_REQUIRED = ("name", "short_name", "city", "hashtag", "domain", "site_url", "email")
# A chapter without an X account leaves out "twitter": X is paid for since 2026, and optional.
CHAPTER_OPTIONAL = ("twitter", "founded", "logo")
# something@host.tld; the local part keeps to characters that need no escaping in a mailto: URI
# (where ?, # and % have a meaning of their own).
EMAIL = re.compile(r"^[A-Za-z0-9._+-]+@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")

SCHEDULE_DEFAULTS: dict[str, Any] = {
    "path": "classes",  # folder under content/ holding one Markdown file per class
    "now": None,  # ISO date-time string; None means the real clock (BERBAGI_NOW overrides)
    "default_duration_minutes": 120,
    "monthly_promise_days": 30,
    # A Date still to come must leave this many hours before Start (see model.MIN_NOTICE).
    "min_notice_hours": 48,
}
CALENDAR_DEFAULTS: dict[str, Any] = {
    "path": "calendar.ics",  # the subscription calendar, relative to the site root
    "refresh_hours": 12,  # REFRESH-INTERVAL and X-PUBLISHED-TTL: how often clients re-fetch
    "name": None,  # calendar name shown in calendar apps; None: "Kelas <chapter name>"
    "description": None,  # None: a sentence naming the chapter
}
FEEDS_DEFAULTS: dict[str, Any] = {
    "atom_path": "feeds/classes.atom.xml",
    "rss_path": "feeds/classes.rss.xml",
    # Year the chapter first used CHAPTER['domain']: part of every entry's tag: id, so it must
    # never change once the feeds are published. No default: each chapter states its own.
    "id_year": None,
    "title": None,  # None: "Kelas <chapter name>"
    # Entries per feed: the classes most recently announced or changed. Readers poll feeds on
    # phones; a thousand full entries weigh 4 MB, and the archive and calendar keep every class.
    "max_entries": 50,
}
PHOTOS_DEFAULTS: dict[str, Any] = {
    "widths": (480, 960, 1440),  # CSS pixels of the copies; photos are never upscaled
    "quality": 80,  # JPEG quality of the copies
    "output_dir": "foto",  # copies go to <output_dir>/<class slug>/<name>-<width>.jpg
}
PUBLISH_DEFAULTS: dict[str, Any] = {
    # Only production builds (publishconf.py) write the plan that `invoke announce` reads, so a
    # local build can never lead to a post.
    "write_plan": False,
    # Where the plan goes; None: announce-plan.json in CACHE_PATH (kept out of the deployed site).
    "plan": None,
    # The ledger of what was posted; committed with the site. Relative to the site folder.
    "ledger": "announcements.json",
    # What gets announced: "class" (new classes and their changes), "page" (new pages).
    "kinds": ["class"],
    "max_posts": 3,  # announcements and updates per run; the rest wait for the next run
    # Reminders per run: they cannot wait for the next run, so the cap is higher; one that does
    # not fit is reported and the run fails, so that somebody runs `invoke remind` again.
    "max_reminders": 10,
    "reminder_hours": 24,  # `invoke remind` posts for classes starting this soon
    # A class's recap (its photos or Recap: text) is posted by `invoke announce` only within
    # this many days after its end, so photos added to old classes flood nobody.
    "recap_window_days": 30,
    "retry_delays": [2, 8],  # seconds to wait before each retry after a 5xx or network error
    # Overrides of the default texts by name, for every network; a network's own under its name
    # ({"email": {"announcement": "..."}}). See publish/compose.py TEMPLATES, NETWORK_TEMPLATES.
    "templates": {},
    # The networks to post to, when their secrets are set; None: every network whose are.
    "networks": None,
    # What a post costs, per network, for the dry run's estimate. X sells prepaid credits since
    # February 2026 (its pricing page: 0.015 USD a post, 0.20 USD a post with a link).
    "prices": {"twitter": {"currency": "USD", "post": 0.015, "post_with_link": 0.20}},
}
CMS_DEFAULTS: dict[str, Any] = {
    # The chapter's repository on GitHub, "owner/name"; None: /admin/ works only against a
    # decap-server on the organizer's own computer (README: "Adding a class from a phone").
    "repo": None,
    "branch": "main",  # where merged pull requests land; the site is published from it
    # The OAuth provider that signs organizers in to GitHub: Netlify's free one, by default.
    "base_url": "https://api.netlify.com",
    "auth_endpoint": None,  # None: Decap's default ("auth")
    # True (http://localhost:8081/api/v1) or decap-server's URL; used only when /admin/ is
    # opened on localhost, never on the published site. False: never.
    "local_backend": True,
    # "editorial_workflow": every save is a branch and a pull request; "simple": straight to main.
    "publish_mode": "editorial_workflow",
}
REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
BRANCH = re.compile(r"^[A-Za-z0-9._/-]{1,100}$")
PUBLISH_KINDS = ("class", "page")
PLAN_FILE = "announce-plan.json"


class SettingsError(Exception):
    """Settings the kit cannot work with: one line per problem, each naming the plugin and key."""

    exitcode = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class ScheduleSettings:
    content_folder: str
    default_duration: timedelta
    monthly_promise_days: int
    min_notice: timedelta
    fixed_now: datetime | None  # CLASS_SCHEDULE['now'] or BERBAGI_NOW; None: the real clock


@dataclass(frozen=True)
class CalendarSettings:
    path: str
    refresh: timedelta
    name: str
    description: str


@dataclass(frozen=True)
class FeedSettings:
    atom_path: str
    rss_path: str
    id_year: int
    title: str
    subtitle: str
    max_entries: int


@dataclass(frozen=True)
class PhotoSettings:
    widths: tuple[int, ...]
    quality: int
    output_dir: str


@dataclass(frozen=True)
class Price:
    """What one post costs on a network: with a link, or without one."""

    currency: str
    post: float
    post_with_link: float


@dataclass(frozen=True)
class PublishSettings:
    write_plan: bool
    plan_path: Path
    ledger_path: Path
    kinds: tuple[str, ...]
    max_posts: int
    max_reminders: int
    reminder_hours: int
    retry_delays: tuple[float, ...]
    templates: Mapping[str, str]  # the common texts, for every network without its own
    prices: Mapping[str, Price]
    network_templates: Mapping[str, Mapping[str, str]]  # network -> name -> template
    networks: tuple[str, ...] | None = None  # None: every network
    recap_window_days: int = 30

    @property
    def lock_path(self) -> Path:
        return self.ledger_path.parent / ".announce.lock"


@dataclass(frozen=True)
class Settings:
    """The whole kit's view of one site's settings."""

    chapter: Chapter
    zone: ZoneInfo
    language: str
    # Base of every absolute link (JSON-LD, .ics, feeds, posts): SITEURL when it is absolute,
    # otherwise CHAPTER['site_url'], so a local build links to the real site, not to a folder.
    absolute_base: str
    article_url: str  # Pelican's ARTICLE_URL, checked: every class page's address follows it
    content_path: Path
    site_folder: Path
    schedule: ScheduleSettings
    calendar: CalendarSettings
    feeds: FeedSettings
    photos: PhotoSettings
    publish: PublishSettings
    cms: CmsSettings = CmsSettings()
    national: NationalSettings = NationalSettings()  # NATIONAL_SITE (plugins/national_site)

    def now(self) -> datetime:
        """The moment the build splits upcoming from past: the fixed one, or the clock's."""
        if self.schedule.fixed_now is not None:
            return self.schedule.fixed_now
        return datetime.now(self.zone)

    def absolute_url(self, path: str = "") -> str:
        """`path` (site-relative) as an absolute address under `absolute_base`."""
        return urls.absolute(self.absolute_base, path)


class _Problems:
    """Collects every settings mistake so that one run reports them all."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, plugin: str, message: str) -> None:
        self.lines.append(f"{plugin}: {message}")


def _merged(
    problems: _Problems, plugin: str, setting: str, defaults: Mapping[str, Any], raw: Any
) -> dict[str, Any]:
    """`raw` over `defaults`; a non-dict or a key the plugin does not know is a problem."""
    if raw is None:
        return dict(defaults)
    if not isinstance(raw, Mapping):
        problems.add(plugin, f"{setting} must be a dict like {setting} = {{...}}")
        return dict(defaults)
    for unknown in sorted(set(raw) - set(defaults), key=str):
        known = ", ".join(sorted(defaults))
        problems.add(plugin, f"unknown key {setting}['{unknown}']; the keys are {known}")
    return {**defaults, **{key: value for key, value in raw.items() if key in defaults}}


def _whole_number(value: Any, low: int, high: int | None = None) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return value >= low and (high is None or value <= high)


def _output_path(
    problems: _Problems, plugin: str, setting: str, key: str, value: Any, suffix: str
) -> str:
    """A relative path inside the output folder that ends with `suffix`."""
    if not isinstance(value, str) or not value.endswith(suffix) or len(value) <= len(suffix):
        problems.add(plugin, f"{setting}['{key}'] must be a file name ending in {suffix}")
        return f"invalid{suffix}"
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or any(part in {"", ".", ".."} for part in parts):
        problems.add(
            plugin,
            f"{setting}['{key}'] '{value}' must be a path inside the site, "
            "like feeds/classes.atom.xml",
        )
    return value


def _optional_text(problems: _Problems, plugin: str, setting: str, key: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.add(plugin, f"{setting}['{key}'] must be a non-empty string or None")
        return ""
    return value.strip()


def _chapter(problems: _Problems, raw: Any) -> Chapter:
    plugin = "class_schedule"
    if not isinstance(raw, Mapping):
        problems.add(plugin, "CHAPTER must be a dict like CHAPTER = {'name': ..., ...}")
        raw = {}
    values: dict[str, str] = {}
    for key in (*CHAPTER_REQUIRED, *CHAPTER_OPTIONAL):
        value = raw.get(key, "")
        if not isinstance(value, str):
            problems.add(plugin, f"CHAPTER['{key}'] must be text")
            value = ""
        elif key in CHAPTER_REQUIRED and not value.strip():
            problems.add(plugin, f"CHAPTER['{key}'] is missing in the settings")
        values[key] = value.strip()
    for unknown in sorted(set(raw) - set(CHAPTER_REQUIRED) - set(CHAPTER_OPTIONAL), key=str):
        problems.add(plugin, f"unknown key CHAPTER['{unknown}']")
    domain, site_url = values["domain"], values["site_url"]
    if domain and not DOMAIN.match(domain):
        problems.add(
            plugin,
            f"CHAPTER['domain'] '{domain}' must be a bare lower-case host name like "
            "palembang.akademiberbagi.org (no https://, no path)",
        )
    if site_url and not is_web_url(site_url):
        problems.add(
            plugin,
            f"CHAPTER['site_url'] '{site_url}' must be an absolute address like "
            "https://palembang.akademiberbagi.org",
        )
    values["site_url"] = site_url.rstrip("/")
    values["twitter"] = values["twitter"].lstrip("@")
    values["hashtag"] = values["hashtag"].lstrip("#")
    if values["twitter"] and not TWITTER_HANDLE.match(values["twitter"]):
        problems.add(
            plugin, f"CHAPTER['twitter'] '{values['twitter']}' is not a handle like AkberPLB"
        )
    if values["hashtag"] and not HASHTAG.match(values["hashtag"]):
        problems.add(
            plugin, f"CHAPTER['hashtag'] '{values['hashtag']}' is not a hashtag like AkberPLB"
        )
    if values["email"] and not EMAIL.match(values["email"]):
        problems.add(
            plugin,
            f"CHAPTER['email'] '{values['email']}' is not an e-mail address like "
            "halo@palembang.akademiberbagi.org",
        )
    return Chapter(**values)


def _logo(problems: _Problems, chapter: Chapter, content_path: Path) -> None:
    """The logo is a picture (its path absolute, or relative to content/), or there is none."""
    if not chapter.logo:
        return
    try:
        with Image.open(content_path / chapter.logo) as picture:
            picture.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        problems.add(
            "class_schedule",
            f"CHAPTER['logo'] '{chapter.logo}' is not a picture; give the path of a square PNG "
            "of at least 180 pixels, like content/images/logo.png",
        )


def _static_paths(problems: _Problems, raw: Mapping[str, Any], content_path: Path) -> None:
    """A listed file that is not there: Pelican would skip it without a word."""
    for entry in raw.get("STATIC_PATHS") or ():
        # Folders may be missing (a new chapter has no photos yet); a named file may not.
        if "." in str(entry).rsplit("/", 1)[-1] and not (content_path / entry).exists():
            problems.add(
                "class_schedule",
                f"STATIC_PATHS lists '{entry}', which is not in content/; add the file or "
                "remove it from STATIC_PATHS",
            )


def _zone(problems: _Problems, raw: Any) -> ZoneInfo:
    try:
        return ZoneInfo(raw or "Asia/Jakarta")
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        problems.add("class_schedule", f"TIMEZONE '{raw}' is not an IANA zone like Asia/Jakarta")
        return ZoneInfo("Asia/Jakarta")


def _language(problems: _Problems, raw: Any) -> str:
    if raw not in SUPPORTED_LANGUAGES:
        problems.add(
            "class_schedule",
            f"DEFAULT_LANG '{raw}' is not one of " + ", ".join(SUPPORTED_LANGUAGES),
        )
        return "id"
    return str(raw)


def _fixed_now(problems: _Problems, raw: Any, zone: ZoneInfo) -> datetime | None:
    raw = os.environ.get(NOW_ENVIRONMENT_VARIABLE) or raw
    if raw is None:
        return None
    if isinstance(raw, datetime):
        value = raw
    else:
        try:
            value = datetime.fromisoformat(str(raw))
        except ValueError:
            problems.add(
                "class_schedule",
                f"CLASS_SCHEDULE['now'] (or {NOW_ENVIRONMENT_VARIABLE}) '{raw}' is not an ISO "
                "date-time like 2026-12-01T09:00",
            )
            return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def _schedule(problems: _Problems, raw: Mapping[str, Any], zone: ZoneInfo) -> ScheduleSettings:
    plugin = "class_schedule"
    values = _merged(
        problems, plugin, "CLASS_SCHEDULE", SCHEDULE_DEFAULTS, raw.get("CLASS_SCHEDULE")
    )
    for key in ("default_duration_minutes", "monthly_promise_days"):
        if not _whole_number(values[key], 1):
            problems.add(plugin, f"CLASS_SCHEDULE['{key}'] must be a positive whole number")
            values[key] = SCHEDULE_DEFAULTS[key]
    if not _whole_number(values["min_notice_hours"], 0, 24 * 60):
        problems.add(
            plugin, "CLASS_SCHEDULE['min_notice_hours'] must be a whole number of hours, 0-1440"
        )
        values["min_notice_hours"] = SCHEDULE_DEFAULTS["min_notice_hours"]
    folder = values["path"]
    if not isinstance(folder, str) or not folder.strip("/") or ".." in folder.split("/"):
        problems.add(
            plugin, "CLASS_SCHEDULE['path'] must be a folder under content/, like 'classes'"
        )
        folder = SCHEDULE_DEFAULTS["path"]
    return ScheduleSettings(
        content_folder=folder.strip("/"),
        default_duration=timedelta(minutes=values["default_duration_minutes"]),
        monthly_promise_days=values["monthly_promise_days"],
        min_notice=timedelta(hours=values["min_notice_hours"]),
        fixed_now=_fixed_now(problems, values["now"], zone),
    )


def _calendar(
    problems: _Problems, raw: Mapping[str, Any], chapter: Chapter, language: str
) -> CalendarSettings:
    plugin, setting = "ical_feed", "ICAL_FEED"
    values = _merged(problems, plugin, setting, CALENDAR_DEFAULTS, raw.get(setting))
    hours = values["refresh_hours"]
    if not _whole_number(hours, 1, 24 * 7):
        problems.add(
            plugin, f"{setting}['refresh_hours'] must be a whole number of hours from 1 to 168"
        )
        hours = CALENDAR_DEFAULTS["refresh_hours"]
    said = words(language)
    name = _optional_text(problems, plugin, setting, "name", values["name"])
    description = _optional_text(problems, plugin, setting, "description", values["description"])
    return CalendarSettings(
        path=_output_path(problems, plugin, setting, "path", values["path"], ".ics"),
        refresh=timedelta(hours=hours),
        name=name or said["calendar_name"].format(name=chapter.name),
        description=description or said["calendar_description"].format(name=chapter.name),
    )


def _feeds(
    problems: _Problems, raw: Mapping[str, Any], chapter: Chapter, language: str
) -> FeedSettings:
    plugin, setting = "class_feeds", "CLASS_FEEDS"
    values = _merged(problems, plugin, setting, FEEDS_DEFAULTS, raw.get(setting))
    year = values["id_year"]
    if not _whole_number(year, 1990, 2100):
        problems.add(
            plugin,
            f"{setting}['id_year'] must be the year the chapter first used CHAPTER['domain'], "
            "like 2011; it is part of every feed entry's id",
        )
        year = 2000
    limit = values["max_entries"]
    if not _whole_number(limit, 1):
        problems.add(plugin, f"{setting}['max_entries'] must be a positive integer")
        limit = FEEDS_DEFAULTS["max_entries"]
    atom = _output_path(problems, plugin, setting, "atom_path", values["atom_path"], ".xml")
    rss = _output_path(problems, plugin, setting, "rss_path", values["rss_path"], ".xml")
    if atom == rss:
        problems.add(plugin, f"{setting}['rss_path'] is the same file as atom_path")
    said = words(language)
    title = _optional_text(problems, plugin, setting, "title", values["title"])
    return FeedSettings(
        atom_path=atom,
        rss_path=rss,
        id_year=year,
        title=title or said["feed_title"].format(name=chapter.name),
        subtitle=said["feed_subtitle"].format(name=chapter.name),
        max_entries=limit,
    )


def _photos(problems: _Problems, raw: Mapping[str, Any]) -> PhotoSettings:
    plugin, setting = "class_photos", "CLASS_PHOTOS"
    values = _merged(problems, plugin, setting, PHOTOS_DEFAULTS, raw.get(setting))
    widths = values["widths"]
    if (
        not isinstance(widths, list | tuple)
        or not widths
        or not all(_whole_number(width, 1) for width in widths)
    ):
        problems.add(
            plugin,
            f"{setting}['widths'] must be a list of positive pixel widths like [480, 960, 1440]",
        )
        widths = PHOTOS_DEFAULTS["widths"]
    quality = values["quality"]
    if not _whole_number(quality, 1, 95):
        problems.add(plugin, f"{setting}['quality'] must be a whole number 1-95")
        quality = PHOTOS_DEFAULTS["quality"]
    output_dir = str(values["output_dir"]).strip("/")
    if not output_dir or ".." in output_dir.split("/") or "\\" in output_dir:
        problems.add(
            plugin, f"{setting}['output_dir'] must be a folder inside the output, like 'foto'"
        )
        output_dir = PHOTOS_DEFAULTS["output_dir"]
    return PhotoSettings(tuple(sorted(set(widths))), quality, output_dir)


def _file_path(problems: _Problems, site_folder: Path, value: Any, key: str) -> Path:
    if not isinstance(value, str | os.PathLike) or not str(value):
        problems.add("social_publish", f"SOCIAL_PUBLISH['{key}'] must be a file path")
        return site_folder / f"invalid-{key}"
    path = Path(value)
    return path if path.is_absolute() else site_folder / path


def _templates(
    problems: _Problems, raw: Any, language: str
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The common templates, and every network's complete set."""

    def fail(key: str, message: str) -> None:
        problems.add("social_publish", f"SOCIAL_PUBLISH['{key}'] {message}")

    if not isinstance(raw, Mapping):
        fail("templates", "must be a dict like {'announcement': '... {url}'}")
        raw = {}
    names = ", ".join(TEMPLATE_NAMES)
    for unknown in sorted(set(raw) - set(TEMPLATE_NAMES) - set(NETWORK_NAMES), key=str):
        fail(
            "templates",
            f"has an unknown template '{unknown}'; the names are {names} (or a network: "
            + ", ".join(NETWORK_NAMES)
            + ")",
        )

    def checked(source: Mapping[str, Any], prefix: str) -> dict[str, str]:
        kept = {}
        for name in TEMPLATE_NAMES:
            if name not in source:
                continue
            template, key = source[name], f"{prefix}['{name}"
            if not isinstance(template, str):
                fail(key, "must be a string")
                continue
            problem = template_problem(template)
            if problem:
                fail(key, problem)
                continue
            kept[name] = template
        return kept

    common = {**TEMPLATES[language], **checked(raw, "templates']")}
    overrides = {}
    for network in NETWORK_NAMES:
        own = raw.get(network, {})
        if not isinstance(own, Mapping):
            fail(f"templates']['{network}", "must be a dict like {'announcement': '... {url}'}")
            continue
        for unknown in sorted(set(own) - set(TEMPLATE_NAMES), key=str):
            fail(
                f"templates']['{network}",
                f"has an unknown template '{unknown}'; the names are {names}",
            )
        overrides[network] = checked(own, f"templates']['{network}']")
    return common, network_templates(language, common, overrides)


def _networks(problems: _Problems, raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if (
        not isinstance(raw, list | tuple)
        or not all(isinstance(name, str) for name in raw)
        or not set(raw) <= set(NETWORK_NAMES)
    ):
        problems.add(
            "social_publish",
            f"SOCIAL_PUBLISH['networks'] must list some of {', '.join(NETWORK_NAMES)} "
            f"(or be None for all), not {raw!r}",
        )
        return None
    return tuple(raw)


def _prices(problems: _Problems, raw: Any) -> dict[str, Price]:
    example = "{'twitter': {'currency': 'USD', 'post': 0.015, 'post_with_link': 0.20}}"
    if not isinstance(raw, Mapping):
        problems.add("social_publish", f"SOCIAL_PUBLISH['prices'] must be a dict like {example}")
        return {}
    prices = {}
    for network, price in raw.items():
        key = f"SOCIAL_PUBLISH['prices']['{network}']"
        fields = ("currency", "post", "post_with_link")
        if not isinstance(price, Mapping) or set(price) != set(fields):
            problems.add("social_publish", f"{key} must name {', '.join(fields)}, like {example}")
            continue
        amounts = (price["post"], price["post_with_link"])
        if not isinstance(price["currency"], str) or not all(
            isinstance(amount, int | float) and not isinstance(amount, bool) and amount >= 0
            for amount in amounts
        ):
            problems.add("social_publish", f"{key} needs a currency name and amounts of at least 0")
            continue
        prices[str(network)] = Price(price["currency"], float(amounts[0]), float(amounts[1]))
    return prices


def _publish(
    problems: _Problems, raw: Mapping[str, Any], site_folder: Path, language: str
) -> PublishSettings:
    plugin, setting = "social_publish", "SOCIAL_PUBLISH"
    values = _merged(problems, plugin, setting, PUBLISH_DEFAULTS, raw.get(setting))
    if not isinstance(values["write_plan"], bool):
        problems.add(plugin, f"{setting}['write_plan'] must be True or False")
    kinds = values["kinds"]
    if not isinstance(kinds, list | tuple) or not set(kinds) <= set(PUBLISH_KINDS):
        problems.add(
            plugin,
            f"{setting}['kinds'] must list some of {', '.join(PUBLISH_KINDS)}, not {kinds!r}",
        )
        kinds = PUBLISH_DEFAULTS["kinds"]
    for key in ("max_posts", "max_reminders", "reminder_hours", "recap_window_days"):
        if not _whole_number(values[key], 1):
            problems.add(
                plugin,
                f"{setting}['{key}'] must be a whole number of at least 1, not {values[key]!r}",
            )
            values[key] = PUBLISH_DEFAULTS[key]
    delays = values["retry_delays"]
    if not isinstance(delays, list | tuple) or not all(
        isinstance(d, int | float) and not isinstance(d, bool) and 0 <= d <= 300 for d in delays
    ):
        problems.add(
            plugin,
            f"{setting}['retry_delays'] must be a list of seconds between 0 and 300, like [2, 8]",
        )
        delays = PUBLISH_DEFAULTS["retry_delays"]
    plan = values["plan"]
    if plan is None:
        cache = raw.get("CACHE_PATH") or "cache"
        plan_path = Path(os.path.abspath(cache)) / PLAN_FILE
    else:
        plan_path = _file_path(problems, site_folder, plan, "plan")
    templates, per_network = _templates(problems, values["templates"], language)
    return PublishSettings(
        write_plan=values["write_plan"] is True,
        plan_path=plan_path,
        ledger_path=_file_path(problems, site_folder, values["ledger"], "ledger"),
        kinds=tuple(kinds),
        max_posts=values["max_posts"],
        max_reminders=values["max_reminders"],
        reminder_hours=values["reminder_hours"],
        retry_delays=tuple(float(d) for d in delays),
        templates=templates,
        prices=_prices(problems, values["prices"]),
        network_templates=per_network,
        networks=_networks(problems, values["networks"]),
        recap_window_days=values["recap_window_days"],
    )


def _cms(problems: _Problems, raw: Mapping[str, Any]) -> CmsSettings:
    plugin, setting = "cms", "CMS"
    values = _merged(problems, plugin, setting, CMS_DEFAULTS, raw.get(setting))
    repo = values["repo"]
    if repo is not None and (not isinstance(repo, str) or not REPO.match(repo)):
        problems.add(
            plugin, f"{setting}['repo'] {repo!r} must be a GitHub repository like owner/name"
        )
        repo = None
    if not isinstance(values["branch"], str) or not BRANCH.match(values["branch"]):
        problems.add(plugin, f"{setting}['branch'] must be a branch name like main")
        values["branch"] = CMS_DEFAULTS["branch"]
    if not isinstance(values["base_url"], str) or not is_web_url(values["base_url"]):
        problems.add(
            plugin, f"{setting}['base_url'] must be an address like https://api.netlify.com"
        )
        values["base_url"] = CMS_DEFAULTS["base_url"]
    endpoint = values["auth_endpoint"]
    if endpoint is not None and (not isinstance(endpoint, str) or not endpoint.strip("/")):
        problems.add(plugin, f"{setting}['auth_endpoint'] must be a path like auth, or None")
        endpoint = None
    local = values["local_backend"]
    if not isinstance(local, bool) and not (
        isinstance(local, str) and re.match(r"^https?://[^/\s]+(/\S*)?$", local)
    ):
        problems.add(
            plugin,
            f"{setting}['local_backend'] must be True, False or decap-server's address like "
            "http://localhost:8081/api/v1",
        )
        local = True
    mode = values["publish_mode"]
    if mode not in ("editorial_workflow", "simple"):
        problems.add(plugin, f"{setting}['publish_mode'] must be editorial_workflow or simple")
        mode = CMS_DEFAULTS["publish_mode"]
    return CmsSettings(
        repo=repo,
        branch=values["branch"],
        base_url=values["base_url"].rstrip("/"),
        auth_endpoint=endpoint,
        local_backend=local,
        publish_mode=mode,
    )


def _national(problems: _Problems, raw: Mapping[str, Any]) -> NationalSettings:
    national, found = validate_national(raw.get("NATIONAL_SITE"), raw.get("CACHE_PATH") or "cache")
    problems.lines.extend(found)
    return national


def _absolute_base(problems: _Problems, raw: Mapping[str, Any], chapter: Chapter) -> str:
    site_url = raw.get("SITEURL") or ""
    if not isinstance(site_url, str):
        problems.add("class_schedule", "SITEURL must be text")
        return chapter.site_url
    return site_url.rstrip("/") if is_web_url(site_url) else chapter.site_url


def _article_urls(problems: _Problems, raw: Mapping[str, Any]) -> str:
    url = raw.get("ARTICLE_URL", "{slug}.html")
    save_as = raw.get("ARTICLE_SAVE_AS", "{slug}.html")
    found = urls.article_pattern_problems(url, save_as)
    for problem in found:
        problems.add("class_schedule", problem)
    return "kelas/{slug}/" if found else str(url)


def load(raw: Mapping[str, Any]) -> Settings:
    """Validate every setting the kit reads; raise SettingsError listing every mistake."""
    problems = _Problems()
    chapter = _chapter(problems, raw.get("CHAPTER"))
    zone = _zone(problems, raw.get("TIMEZONE"))
    language = _language(problems, raw.get("DEFAULT_LANG", "id"))
    content_path = Path(os.path.abspath(raw.get("PATH") or "content"))
    site_folder = content_path.parent
    _logo(problems, chapter, content_path)
    _static_paths(problems, raw, content_path)
    settings = Settings(
        chapter=chapter,
        zone=zone,
        language=language,
        absolute_base=_absolute_base(problems, raw, chapter),
        article_url=_article_urls(problems, raw),
        content_path=content_path,
        site_folder=site_folder,
        schedule=_schedule(problems, raw, zone),
        calendar=_calendar(problems, raw, chapter, language),
        feeds=_feeds(problems, raw, chapter, language),
        photos=_photos(problems, raw),
        publish=_publish(problems, raw, site_folder, language),
        cms=_cms(problems, raw),
        national=_national(problems, raw),
    )
    if problems.lines:
        raise SettingsError(problems.lines)
    return settings
