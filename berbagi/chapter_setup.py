"""A new chapter's settings from a few answers: the pure part of `invoke new-chapter`.

`check_answers(raw)` turns what an organizer typed into `Answers` and a list of one-line problems
(all of them); `rewrite_settings(source, changes)` puts the answers into the text of
pelicanconf.py, value by value, keeping every other byte; `rewrite_page` and `leftover_lines`
bring the sample's pages over to the new chapter. Nothing here reads or writes a file.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date

from . import settings as kit_settings
from .classfile import ClassFile
from .model import BLUESKY_HANDLE, MASTODON_HANDLE, TWITTER_HANDLE, handle_network, is_web_url

# The sample chapter shipped with the kit: its classes, photos and history are not a new
# chapter's, so they go unless asked to stay; a chapter's own are never removed.
SAMPLE_DOMAIN = "palembang.akademiberbagi.example"
# Indonesia's three zones, as everyone there names them.
INDONESIAN_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
# A Telegram channel's public name (5-32 letters, digits, _) or a private channel's -100… id.
TELEGRAM_CHAT = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]|-100\d{5,20})$")
# A Facebook Page's user name (letters, digits, dots; at least 5) or its numeric id.
FACEBOOK_PAGE = re.compile(r"^([A-Za-z0-9.]{5,50}|\d{5,25})$")
# Long enough for any real name; short enough that pelicanconf.py keeps to 100 columns.
MAX_LENGTHS = {
    "name": 60, "short_name": 30, "city": 40, "hashtag": 40, "founded": 40, "email": 70,
    "domain": 70, "site_url": 80, "mailing_list": 70, "repo": 80,
}  # fmt: skip


@dataclass(frozen=True)
class Question:
    """One answer `invoke new-chapter` needs: its option, its prompt and what is expected."""

    key: str
    prompt: str  # Indonesian, as organizers read it; the default, if any, is shown after it
    expected: str  # English, for the one-line problem: "--key: must be <expected>"
    # Needed even when the settings do not say so (the zone is not in CHAPTER); a key the
    # settings require (CHAPTER_REQUIRED) is required here too, so the two cannot disagree.
    needed: bool = False

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def required(self) -> bool:
        return self.needed or self.key in kit_settings.CHAPTER_REQUIRED


QUESTIONS = (
    Question("name", "Nama chapter (mis. Akademi Berbagi Surabaya)", "the chapter's full name, "
             "like Akademi Berbagi Surabaya", needed=True),
    Question("city", "Kota", "the chapter's city, like Surabaya", needed=True),
    Question("short_name", "Nama pendek",
             "a short name like Akber Surabaya"),
    Question("zone", "Zona waktu (WIB, WITA, WIT, atau nama IANA seperti Asia/Makassar)",
             "WIB, WITA, WIT or an IANA time zone like Asia/Makassar", needed=True),
    Question("email", "Email kontak (wajib: kalender menyebutnya sebagai penyelenggara)",
             "an e-mail address like halo@surabaya.akademiberbagi.org", needed=True),
    Question("domain", "Domain tetap (mis. surabaya.akademiberbagi.org)", "a bare lower-case "
             "host name like surabaya.akademiberbagi.org (no https://, no path)", needed=True),
    Question("site_url", "Alamat situs",
             "an absolute address like https://surabaya.akademiberbagi.org"),
    Question("lang", "Bahasa situs (id atau en)", "id or en"),
    Question("founded", "Berdiri sejak (bulan dan tahun)", "a month and year like Januari 2027"),
    Question("twitter", "Akun X/Twitter (mis. @AkberSBY; boleh kosong)",
             "an X handle like @AkberSBY (1-15 letters, digits or _)"),
    Question("hashtag", "Tagar", "a hashtag like #AkberSBY "
             "(letters, digits or _)"),
    Question("mastodon", "Akun Mastodon (mis. @akbersby@mastodon.social; boleh kosong)",
             "a Mastodon handle like @akbersby@mastodon.social"),
    Question("bluesky", "Akun Bluesky (mis. akbersby.bsky.social; boleh kosong)",
             "a Bluesky handle like akbersby.bsky.social"),
    Question("telegram", "Kanal Telegram (mis. @akbersby; boleh kosong)",
             "a Telegram channel like @akbersby (5-32 letters, digits or _) or its -100… id"),
    Question("facebook", "Halaman Facebook (nama atau id; boleh kosong)",
             "a Facebook Page's user name like akbersby (letters, digits, dots) or its id"),
    Question("mailing_list", "Alamat milis pengumuman (boleh kosong)",
             "a mailing list address like akber-surabaya@googlegroups.com"),
    Question("repo", "Repositori GitHub (pemilik/nama; boleh kosong)",
             "a GitHub repository like akber-surabaya/situs"),
)  # fmt: skip
QUESTION = {question.key: question for question in QUESTIONS}
# The answers an empty answer's default is made from: when one of them is wrong, the default is
# unknown, and only the first mistake is reported.
DEFAULT_FROM = {
    "short_name": ("name", "city"),
    "site_url": ("domain",),
    "founded": ("lang",),
    "hashtag": ("twitter", "short_name"),
}
# The networks a handle names; the publisher's network names.
HANDLE_NETWORKS = ("twitter", "facebook", "telegram", "mastodon", "bluesky", "email")


@dataclass(frozen=True)
class Answers:
    """A new chapter, checked: every value in the form the settings keep it."""

    name: str
    short_name: str
    city: str
    zone: str  # an IANA name
    email: str
    domain: str
    site_url: str
    lang: str
    founded: str
    twitter: str = ""  # without the @
    hashtag: str = ""  # without the #
    mastodon: str = ""  # user@server
    bluesky: str = ""
    telegram: str = ""  # @channel or -100…
    facebook: str = ""
    mailing_list: str = ""
    repo: str = ""

    def networks(self) -> list[str]:
        """The networks the chapter named an account for, in the publisher's order."""
        account = {name: getattr(self, name) for name in HANDLE_NETWORKS if name != "email"}
        account["email"] = self.mailing_list
        return [network for network in HANDLE_NETWORKS if account[network]]


def zone_name(text: str) -> str | None:
    """The IANA name for WIB/WITA/WIT or any IANA zone; None if it is neither."""
    name = INDONESIAN_ZONES.get(text.upper(), text)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def short_name_for(name: str, city: str) -> str:
    """Akademi Berbagi's chapters call themselves "Akber <city>"; others keep their name."""
    return f"Akber {city}" if name.lower().startswith("akademi berbagi") and city else name


def hashtag_for(twitter: str, short_name: str) -> str:
    """The X handle, or the short name's letters and digits (Akber Surabaya: AkberSurabaya)."""
    return twitter or "".join(ch for ch in short_name if ch.isalnum() or ch == "_")


def founded_now(today: date, language: str) -> str:
    """This month, as the footer says it: "Desember 2026" (or "December 2026")."""
    return str(format_date(today, "LLLL y", locale=language))


def _handle_problem(network: str, text: str) -> tuple[str, str | None]:
    """The handle as kept, and what is wrong with it (its form names another network, say)."""
    if network in ("twitter", "mastodon", "bluesky"):
        found = handle_network(text)
        if found != network:
            titles = {"twitter": "an X", "mastodon": "a Mastodon", "bluesky": "a Bluesky"}
            return text, f"'{text}' looks like {titles[found]} handle"
    if network == "twitter":
        match = TWITTER_HANDLE.match(text)
        return (match["handle"], None) if match else (text, "")
    if network == "mastodon":
        match = MASTODON_HANDLE.match(text)
        return (f"{match['user']}@{match['server'].lower()}", None) if match else (text, "")
    handle = text.removeprefix("@").lower()
    return (handle, None) if BLUESKY_HANDLE.match(handle) else (text, "")


def check_answer(
    key: str, text: str, known: Mapping[str, str], today: date
) -> tuple[str | None, str]:
    """One answer as the settings keep it (its default when empty), and its problem or "".

    `known`: the answers before it that are right (an empty answer's default is made from them);
    None: the default is made from an answer that is not right, so it is not known.
    """
    question = QUESTION[key]
    text = text.strip()
    expected = f"{question.option}: must be {question.expected}"
    if not text:
        if any(source not in known for source in DEFAULT_FROM.get(key, ())):
            return None, ""  # made from an answer that is wrong: that one's problem says it
        value = _default(key, known, today)
        if not value and question.required:
            return "", f"{question.option}: missing; give {question.expected}"
        return value, ""
    if not text.isprintable():  # a line break or a control character
        return text, f"{expected}, on one line"
    if len(text) > MAX_LENGTHS.get(key, 1000):
        return text, f"{expected}, at most {MAX_LENGTHS[key]} characters"
    if key in ("twitter", "mastodon", "bluesky"):
        value, wrong = _handle_problem(key, text)
        if wrong is None:
            return value, ""
        return value, f"{expected}; {wrong}" if wrong else f"{expected}, not '{text}'"
    check = CHECKS.get(key)
    if check is None:  # free text: names, the city, the founding month
        return text, ""
    value, right = check(text)
    return value, "" if right else f"{expected}, not '{text}'"


def _matching(
    pattern: re.Pattern[str], normal: Callable[[str], str] = str
) -> Callable[[str], tuple[str, bool]]:
    """A check: the answer in its normal form, and whether that form matches `pattern`."""

    def check(text: str) -> tuple[str, bool]:
        value = normal(text)
        return value, pattern.match(value) is not None

    return check


def _zone_check(text: str) -> tuple[str, bool]:
    found = zone_name(text)
    return found or text, found is not None


def _site_url_check(text: str) -> tuple[str, bool]:
    value = text.rstrip("/")
    return value, is_web_url(value)


def _lang_check(text: str) -> tuple[str, bool]:
    return text.lower(), text.lower() in kit_settings.SUPPORTED_LANGUAGES


# Each answer that has a form: the kit's own rules where it has them (settings.py, model.py).
CHECKS: dict[str, Callable[[str], tuple[str, bool]]] = {
    "zone": _zone_check,
    "email": _matching(kit_settings.EMAIL),
    "mailing_list": _matching(kit_settings.EMAIL),
    "domain": _matching(kit_settings.DOMAIN),
    "site_url": _site_url_check,
    "lang": _lang_check,
    "hashtag": _matching(kit_settings.HASHTAG, lambda text: text.removeprefix("#")),
    "telegram": _matching(
        TELEGRAM_CHAT, lambda text: text if text.startswith(("@", "-")) else f"@{text}"
    ),
    "facebook": _matching(FACEBOOK_PAGE),
    "repo": _matching(kit_settings.REPO),
}


def _default(key: str, known: Mapping[str, str], today: date) -> str:
    """What an empty optional answer stands for, given the answers before it."""
    if key == "short_name":
        return short_name_for(known.get("name", ""), known.get("city", ""))
    if key == "site_url":
        domain = known.get("domain", "")
        return f"https://{domain}" if domain else ""
    if key == "lang":
        return "id"
    if key == "founded":
        return founded_now(today, known.get("lang") or "id")
    if key == "hashtag":
        return hashtag_for(known.get("twitter", ""), known.get("short_name", ""))
    return ""


def check_answers(raw: Mapping[str, str], today: date) -> tuple[Answers | None, list[str]]:
    """Every answer checked, in the order asked; the problems, one line each, all of them."""
    known: dict[str, str] = {}
    problems = []
    for question in QUESTIONS:
        value, problem = check_answer(question.key, raw.get(question.key, ""), known, today)
        if problem:
            problems.append(problem)
        elif value is not None:
            known[question.key] = value
    if problems:
        return None, problems
    return Answers(**known), []


# --- The settings file -------------------------------------------------------------------------


class SettingsTextError(Exception):
    """pelicanconf.py is not laid out as the kit ships it; the message says where."""


@dataclass(frozen=True)
class Change:
    """One value to put in the settings: `NAME = value`, or `NAME[key]` in a dict literal."""

    name: str
    key: str | None
    value: Any

    def describe(self) -> str:
        where = f"{self.name}[{self.key!r}]" if self.key else self.name
        return f"{where} = {literal(self.value)}"


def literal(value: Any) -> str:
    """Python source for `value` that reads back as exactly `value`; text in double quotes when
    that needs no escapes (as ruff format writes it)."""
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    if ast.literal_eval(text) != value:  # never: a guard, since this text becomes code
        raise ValueError(f"cannot write {value!r} as a literal")
    return text


def settings_changes(answers: Answers, old_chapter: Mapping[str, Any], year: int) -> list[Change]:
    """Everything in pelicanconf.py a new chapter changes.

    CLASS_FEEDS['id_year'] is part of every feed entry's id: a new domain starts this year, and
    the same domain (a second run, to fix a typo) keeps the year it had.
    """
    chapter = {
        "name": answers.name,
        "short_name": answers.short_name,
        "city": answers.city,
        "twitter": answers.twitter,
        "hashtag": answers.hashtag,
        "domain": answers.domain,
        "site_url": answers.site_url,
        "founded": answers.founded,
        "email": answers.email,
    }
    changes = [Change("CHAPTER", key, value) for key, value in chapter.items()]
    changes += [
        Change("TIMEZONE", None, answers.zone),
        Change("DEFAULT_LANG", None, answers.lang),
        Change("CMS", "repo", answers.repo or None),
    ]
    if old_chapter.get("domain") != answers.domain:
        changes.append(Change("CLASS_FEEDS", "id_year", year))
    return changes


def _offsets(source: bytes) -> list[int]:
    """Where each line starts, in bytes (ast's columns count UTF-8 bytes)."""
    starts = [0]
    for number, byte in enumerate(source):
        if byte == 0x0A:
            starts.append(number + 1)
    return starts


def _assignments(tree: ast.Module) -> dict[str, list[ast.Assign]]:
    found: dict[str, list[ast.Assign]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found.setdefault(target.id, []).append(node)
    return found


def _span(node: ast.expr, starts: Sequence[int]) -> tuple[int, int]:
    if node.end_lineno is None or node.end_col_offset is None:
        raise SettingsTextError(f"line {node.lineno}: no position for a value")
    begin = starts[node.lineno - 1] + node.col_offset
    return begin, starts[node.end_lineno - 1] + node.end_col_offset


def rewrite_settings(source: str, changes: Sequence[Change]) -> str:
    """`source` (pelicanconf.py) with each change's value written in place of the old one.

    Only the values' own characters change: comments, layout and every other setting stay byte
    for byte. A key a dict lacks is added on its own line before the closing brace. The result
    is parsed again and each value read back, so a name with quotes cannot break the file.
    """
    data = source.encode("utf-8")
    try:
        tree = ast.parse(data)
    except SyntaxError as error:
        raise SettingsTextError(f"line {error.lineno}: {error.msg}") from None
    starts = _offsets(data)
    assignments = _assignments(tree)
    edits: list[tuple[int, int, bytes]] = []
    for change in changes:
        nodes = assignments.get(change.name, [])
        if len(nodes) != 1:
            how = "is not set" if not nodes else "is set more than once"
            raise SettingsTextError(f"{change.name} {how}; set it once, as the kit ships it")
        value = nodes[0].value
        text = literal(change.value).encode("utf-8")
        if change.key is None:
            edits.append((*_span(value, starts), text))
            continue
        if not isinstance(value, ast.Dict):
            raise SettingsTextError(
                f"line {value.lineno}: {change.name} is not a dict literal {{...}}; "
                "write it as one, as the kit ships it"
            )
        edits.append(_dict_edit(change, value, text, data, starts))
    edits.sort(reverse=True)
    for begin, end, text in edits:
        data = data[:begin] + text + data[end:]
    result = data.decode("utf-8")
    _read_back(result, changes)
    return result


def _dict_edit(
    change: Change, node: ast.Dict, text: bytes, data: bytes, starts: Sequence[int]
) -> tuple[int, int, bytes]:
    for key, value in zip(node.keys, node.values, strict=True):
        if isinstance(key, ast.Constant) and key.value == change.key:
            return (*_span(value, starts), text)
    _, end = _span(node, starts)
    brace = end - 1  # the closing brace
    line_start = data.rfind(b"\n", 0, brace) + 1
    if data[line_start:brace].strip():
        raise SettingsTextError(
            f"line {node.lineno}: {change.name} has no {change.key!r}; add it by hand"
        )
    entry = f"    {literal(change.key)}: ".encode() + text + b",\n"
    return line_start, line_start, entry


def _read_back(source: str, changes: Sequence[Change]) -> None:
    """Each changed value, as the new text says it, is the value meant."""
    assignments = _assignments(ast.parse(source))
    for change in changes:
        (node,) = assignments[change.name]
        value: Any = node.value
        if change.key is not None:
            value = next(
                item
                for key, item in zip(value.keys, value.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == change.key
            )
        if ast.literal_eval(value) != change.value:
            raise SettingsTextError(f"{change.describe()} did not read back")


# --- The sample's pages ------------------------------------------------------------------------


def page_replacements(old: Mapping[str, Any], answers: Answers) -> list[tuple[str, str]]:
    """The sample chapter's own words (its names, account and e-mail) and the new chapter's,
    longest first, so that "Akademi Berbagi Palembang" goes before "Akber Palembang"."""
    pairs = [
        (str(old.get("name", "")), answers.name),
        (str(old.get("short_name", "")), answers.short_name),
        (str(old.get("email", "")), answers.email),
    ]
    if answers.twitter:
        pairs.append((f"twitter.com/{old.get('twitter', '')}", f"twitter.com/{answers.twitter}"))
        pairs.append((f"@{old.get('twitter', '')}", f"@{answers.twitter}"))
    if answers.hashtag:
        pairs.append((f"#{old.get('hashtag', '')}", f"#{answers.hashtag}"))
    kept = [(before, after) for before, after in pairs if len(before) > 1 and before != after]
    return sorted(kept, key=lambda pair: len(pair[0]), reverse=True)


def leftover_words(old: Mapping[str, Any], answers: Answers) -> list[str]:
    """What the pages may still say about the old chapter that no replacement can fix: its
    city and founding (facts of its history), and its X account when the new chapter has none."""
    words = [str(old.get("city") or ""), str(old.get("founded") or "")]
    if old.get("twitter") and not answers.twitter:
        words.append(f"@{old['twitter']}")
    return [word for word in words if word and word not in (answers.city, answers.founded)]


def rewrite_page(text: str, replacements: Sequence[tuple[str, str]]) -> str:
    """`text` with each of the old chapter's words replaced in one pass (no replacement is
    replaced again: a new name that contains the old one stays as typed)."""
    if not replacements:
        return text
    table = dict(replacements)
    pattern = re.compile("|".join(re.escape(before) for before, _ in replacements))
    return pattern.sub(lambda found: table[found.group(0)], text)


def leftover_lines(text: str, words: Sequence[str]) -> list[int]:
    """Line numbers that still name one of `words` (the old city, founding, account): facts
    about the sample chapter that only its new organizers can rewrite."""
    patterns = [
        re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE) for word in words if word
    ]
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if any(pattern.search(line) for pattern in patterns)
    ]


def started_networks(
    named: Sequence[str], *, sample_kept: bool, earlier: set[str] | None
) -> tuple[list[str], list[str]]:
    """The networks the new ledger starts (their first run posts what is new) and those that
    wait for a baseline.

    Nobody has heard of a new chapter's classes, so the networks it named start at once. Kept
    sample classes are known to nobody either, but are not the chapter's to announce: then every
    network waits. A second run (`earlier`: what the first one started) starts nothing the first
    did not, since the site may by then hold classes a baseline must see first.
    """
    if sample_kept:
        return [], list(named)
    if earlier is None:
        return list(named), []
    return [n for n in named if n in earlier], [n for n in named if n not in earlier]


# --- What comes next ---------------------------------------------------------------------------


def secret_steps(answers: Answers) -> list[str]:
    """For each network the chapter named, the GitHub secrets to set: the values that are not
    secret as `gh secret set` lines, the secret ones by name with their README section."""
    quote = shlex.quote
    steps = []
    if answers.twitter:
        steps.append(
            f"X (@{answers.twitter}): TWITTER_API_KEY, TWITTER_API_SECRET, TWITTER_ACCESS_TOKEN, "
            'TWITTER_ACCESS_TOKEN_SECRET (README: "X (Twitter): what it costs")'
        )
    if answers.facebook:
        steps.append(
            f"Facebook ({answers.facebook}): FACEBOOK_PAGE_ID (the Page's numeric id) and "
            'FACEBOOK_PAGE_ACCESS_TOKEN (README: "Facebook Page, step by step")'
        )
    if answers.telegram:
        steps.append(
            f"Telegram: gh secret set TELEGRAM_CHAT_ID --body {quote(answers.telegram)}; then "
            'TELEGRAM_BOT_TOKEN (README: "Telegram channel, step by step")'
        )
    if answers.mastodon:
        server = answers.mastodon.split("@", 1)[1]
        steps.append(
            "Mastodon: gh secret set MASTODON_API_BASE_URL --body "
            f'{quote("https://" + server)}; then MASTODON_ACCESS_TOKEN (README: "Mastodon, '
            'step by step")'
        )
    if answers.bluesky:
        steps.append(
            f"Bluesky: gh secret set BLUESKY_HANDLE --body {quote(answers.bluesky)}; then "
            'BLUESKY_APP_PASSWORD (README: "Bluesky, step by step")'
        )
    if answers.mailing_list:
        sender = f"{answers.short_name} <{answers.email}>"
        steps.append(
            f"Mailing list: gh secret set ANNOUNCE_EMAIL_TO --body {quote(answers.mailing_list)}"
            f"; gh secret set ANNOUNCE_EMAIL_FROM --body {quote(sender)}; then SMTP_HOST, "
            'SMTP_USERNAME, SMTP_PASSWORD (README: "Mailing list, step by step")'
        )
    return steps


def photos_of(class_file: ClassFile) -> list[str]:
    """The pictures a class file shows (paths under content/), from its Photo lines."""
    return [value.split("|", 1)[0].strip() for value, _ in class_file.entries("photo")]


def default_answer(key: str, known: Mapping[str, str], today: date) -> str:
    """What an empty answer stands for, shown in the prompt ("" when it has no default)."""
    return _default(key, known, today)
