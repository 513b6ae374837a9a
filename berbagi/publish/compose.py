"""Post texts from the class model: templates filled in, cut to fit, measured as the network does.

Pure: the network's limit, length function and name come in as `TextRules` (each module in
networks/ has its own).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .. import formatting
from ..model import Chapter, ClassEvent, ClassStatus, Teacher

ELLIPSIS = "…"
# Placeholders a template may use; everything else is refused when the settings load.
PLACEHOLDERS = frozenset(
    {
        "title", "date", "time", "venue", "teachers", "note", "url", "hashtag", "account",
        "chapter", "summary", "participants", "recap",
    }
)  # fmt: skip
KINDS = ("announcement", "cancelled", "postponed", "rescheduled", "reminder", "page", "recap")
# Every network the kit can post to, by its key in the ledger ("twitter" is X: the key of the
# first ledgers, never renamed). Settings name them; networks/ has one module each.
NETWORK_NAMES = ("twitter", "facebook", "telegram", "mastodon", "bluesky", "email")

TEMPLATES: dict[str, dict[str, str]] = {
    "id": {
        "announcement": (
            "Kelas baru {hashtag}: {title}\n{date}, {time}\nTempat: {venue}\n"
            "Bersama {teachers}\nInfo & daftar: {url}"
        ),
        "cancelled": "DIBATALKAN: {title} ({date}, {time})\n{note}\n{url} {hashtag}",
        "postponed": "DITUNDA: {title}, semula {date}\n{note}\n{url} {hashtag}",
        "rescheduled": "JADWAL BARU: {title}\n{date}, {time}\nTempat: {venue}\n{url} {hashtag}",
        "reminder": (
            "Pengingat: {title}\n{date}, {time}\nTempat: {venue}\nBersama {teachers}\n"
            "{url} {hashtag}"
        ),
        "page": "Halaman baru: {title}\n{url} {hashtag}",
        # A line whose placeholders are all empty is left out: no count, no "Hadir:" line.
        "recap": (
            "Terima kasih sudah datang ke {title} bersama {teachers}!\n{recap}\n"
            "Hadir: {participants} peserta\nFoto & cerita: {url} {hashtag}"
        ),
    },
    "en": {
        "announcement": (
            "New class {hashtag}: {title}\n{date}, {time}\nVenue: {venue}\n"
            "With {teachers}\nDetails: {url}"
        ),
        "cancelled": "CANCELLED: {title} ({date}, {time})\n{note}\n{url} {hashtag}",
        "postponed": "POSTPONED: {title}, was {date}\n{note}\n{url} {hashtag}",
        "rescheduled": "NEW DATE: {title}\n{date}, {time}\nVenue: {venue}\n{url} {hashtag}",
        "reminder": (
            "Reminder: {title}\n{date}, {time}\nVenue: {venue}\nWith {teachers}\n{url} {hashtag}"
        ),
        "page": "New page: {title}\n{url} {hashtag}",
        "recap": (
            "Thank you for coming to {title} with {teachers}!\n{recap}\n"
            "Participants: {participants}\nPhotos: {url} {hashtag}"
        ),
    },
}

# Networks whose posts differ from the common templates above. Telegram and Facebook have room
# for the class's summary; an e-mail's first line is its subject and blank lines part its body.
NETWORK_TEMPLATES: dict[str, dict[str, dict[str, str]]] = {
    "id": {
        "telegram": {
            "announcement": (
                "Kelas baru {hashtag}: {title}\n{date}, {time}\nTempat: {venue}\n"
                "Bersama {teachers}\n{summary}\nInfo & daftar: {url}"
            ),
        },
        "facebook": {
            "announcement": (
                "Kelas baru: {title}\n{date}, {time}\nTempat: {venue}\nBersama {teachers}\n"
                "{summary}\nInfo & daftar: {url} {hashtag}"
            ),
        },
        "email": {
            "announcement": (
                "Kelas baru: {title} ({date})\n\n{summary}\n\n{date}, {time}\n"
                "Tempat: {venue}\nBersama {teachers}\n\nInfo & daftar: {url}\n\n"
                "Sampai jumpa di kelas!\n{chapter}"
            ),
            "cancelled": (
                "DIBATALKAN: {title} ({date})\n\nKelas {title} pada {date}, {time} dibatalkan.\n"
                "{note}\n\n{url}\n\n{chapter}"
            ),
            "postponed": (
                "DITUNDA: {title} ({date})\n\nKelas {title} yang semula {date}, {time} ditunda; "
                "jadwal baru menyusul.\n{note}\n\n{url}\n\n{chapter}"
            ),
            "rescheduled": (
                "JADWAL BARU: {title} ({date})\n\n{date}, {time}\nTempat: {venue}\n\n{url}\n\n"
                "{chapter}"
            ),
            "reminder": (
                "Pengingat: {title} ({date}, {time})\n\n{date}, {time}\nTempat: {venue}\n"
                "Bersama {teachers}\n\n{url}\n\nSampai jumpa!\n{chapter}"
            ),
            "page": "Halaman baru: {title}\n\n{url}\n\n{chapter}",
            "recap": (
                "Terima kasih: {title} ({date})\n\n{recap}\n\n"
                "Terima kasih sudah datang ke {title} bersama {teachers}.\n"
                "Hadir: {participants} peserta\n\nFoto & cerita kegiatan: {url}\n\n{chapter}"
            ),
        },
    },
    "en": {
        "telegram": {
            "announcement": (
                "New class {hashtag}: {title}\n{date}, {time}\nVenue: {venue}\n"
                "With {teachers}\n{summary}\nDetails: {url}"
            ),
        },
        "facebook": {
            "announcement": (
                "New class: {title}\n{date}, {time}\nVenue: {venue}\nWith {teachers}\n"
                "{summary}\nDetails: {url} {hashtag}"
            ),
        },
        "email": {
            "announcement": (
                "New class: {title} ({date})\n\n{summary}\n\n{date}, {time}\nVenue: {venue}\n"
                "With {teachers}\n\nDetails: {url}\n\nSee you there!\n{chapter}"
            ),
            "cancelled": (
                "CANCELLED: {title} ({date})\n\n{title} on {date}, {time} is cancelled.\n"
                "{note}\n\n{url}\n\n{chapter}"
            ),
            "postponed": (
                "POSTPONED: {title} ({date})\n\n{title}, planned for {date}, {time}, is "
                "postponed; a new date follows.\n{note}\n\n{url}\n\n{chapter}"
            ),
            "rescheduled": (
                "NEW DATE: {title} ({date})\n\n{date}, {time}\nVenue: {venue}\n\n{url}\n\n{chapter}"
            ),
            "reminder": (
                "Reminder: {title} ({date}, {time})\n\n{date}, {time}\nVenue: {venue}\n"
                "With {teachers}\n\n{url}\n\nSee you there!\n{chapter}"
            ),
            "page": "New page: {title}\n\n{url}\n\n{chapter}",
            "recap": (
                "Thank you: {title} ({date})\n\n{recap}\n\n"
                "Thank you for coming to {title} with {teachers}.\n"
                "Participants: {participants}\n\nPhotos and story: {url}\n\n{chapter}"
            ),
        },
    },
}


def network_templates(
    language: str,
    common: Mapping[str, str],
    overrides: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """Every network's templates: its own override, else its own default, else the common one.

    A chapter's common templates (`common`, defaults already merged in) do not replace a
    network's own default: an e-mail needs a subject line and paragraphs a post does not.
    """
    return {
        network: {
            kind: overrides.get(network, {}).get(kind)
            or NETWORK_TEMPLATES[language].get(network, {}).get(kind)
            or common[kind]
            for kind in KINDS
        }
        for network in NETWORK_NAMES
    }


# Which free-text field gives way first, and how far: the summary and the note go entirely,
# then venue and title keep 40 characters, then co-teachers become "dkk.", and only then title
# and venue shrink to "…".
SHRINK_STEPS: tuple[tuple[str, int], ...] = (
    ("summary", 0),
    ("note", 0),
    ("recap", 0),
    ("venue", 40),
    ("title", 40),
    ("teachers", 0),
    ("venue", 0),
    ("title", 0),
)
NAME_LIMIT = 40
# Zero-width joiners hold emoji and some scripts together; every other format character
# (bidi overrides, zero-width spaces, byte-order marks) only serves to disguise text.
KEPT_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})
REFUSED_CHARACTERS = frozenset({"\ufffe", "\ufeff", "\uffff"})
# "@name" in a title or note would notify that account: automated mentions of people who did not
# ask for them break X's automation rules. twitter-text's mention rule, piece by piece:
AT_SIGNS = "@＠"
SCREEN_NAME = re.compile(r"[a-zA-Z0-9_]{1,20}")
NOT_BEFORE_MENTION = frozenset(string.ascii_letters + string.digits + "_!#$%&*@＠")
RT_BEFORE = re.compile(r"(?:^|[^a-zA-Z0-9_+~.-])rt:?$", re.IGNORECASE)


class ComposeError(ValueError):
    """No text within the network's limit can be made (a template or URL is too long)."""


@dataclass(frozen=True)
class TextRules:
    """How one network measures a post: the most it takes, its way of counting, and which of a
    teacher's handles is a mention there."""

    limit: int
    length: Callable[[str], int]
    network: str = "twitter"


@dataclass(frozen=True)
class Composed:
    """A post's text and its length as the network counts it (X: URL 23, CJK and emoji 2)."""

    text: str
    weighted_length: int


def clean(text: str) -> str:
    """One line of plain text: control and disguising characters dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in REFUSED_CHARACTERS or category in {"Cs", "Co", "Cn"}:
            continue
        if category == "Cf" and char not in KEPT_FORMAT_CHARACTERS:
            continue
        kept.append(" " if category == "Cc" else char)
    return " ".join("".join(kept).split())


def starts_mention(text: str, at: int) -> bool:
    """Whether the @ at `at` starts a mention by twitter-text's rule (its regexp
    validMentionPrecedingChars): an @ or ＠ followed by a screen name, unless the character before
    it is an ASCII letter or digit or one of _!#$%&*@＠; after "RT" or "RT:" it always does.

    So ".@name", "café@name" and "の@name" mention somebody and "halo@example.org" does not.
    twitter-text-parser, the library that weighs posts, has no mention extraction of its own.
    """
    if not SCREEN_NAME.match(text, at + 1):
        return False
    before = text[:at]
    return not before or before[-1] not in NOT_BEFORE_MENTION or bool(RT_BEFORE.search(before))


def without_mentions(text: str, keep: str = "") -> str:
    """Every mention written without its @ ("@someone" -> "someone"), except of `keep`, the
    chapter's own account: only the teachers' handles, added by the kit, may notify anyone."""
    kept = []
    for index, char in enumerate(text):
        if char in AT_SIGNS and starts_mention(text, index):
            name = SCREEN_NAME.match(text, index + 1)
            if name is None or name[0].lower() != keep.lower():
                continue
        kept.append(char)
    return "".join(kept)


def _is_joined_to_previous(char: str) -> bool:
    return (
        unicodedata.combining(char) > 0
        or char in "\u200c\u200d\ufe0e\ufe0f"
        or ("\U0001f3fb" <= char <= "\U0001f3ff")
    )


def shorten(text: str, keep: int) -> str:
    """`text` cut to at most `keep` characters plus "…", never inside a character cluster."""
    if keep >= len(text):
        return text
    cut = keep
    while cut > 0 and (_is_joined_to_previous(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    head = text[:cut]
    # Prefer ending at a word boundary when one is near, so "Fotografi Pon…" reads "Fotografi…".
    space = head.rfind(" ")
    if space >= max(1, len(head) - 12):
        head = head[:space]
    return head.rstrip(" ,.;:-–—(/&") + ELLIPSIS


def mention(teacher: Teacher, network: str) -> str | None:
    """The teacher's handle on `network` as a mention ("@rina", "@rina@mastodon.social",
    "@rina.bsky.social"), or None: a handle is a mention only on its own network."""
    handle = teacher.handles.get(network)
    return f"@{handle}" if handle else None


def teacher_variants(teachers: Sequence[Teacher], network: str = "twitter") -> list[str]:
    """Teachers as "@handle" (or a name), from all of them down to the first one plus "dkk."."""
    # A handle is never cut: a shortened handle would mention somebody else.
    names = [
        mention(teacher, network) or shorten(without_mentions(clean(teacher.name)), NAME_LIMIT)
        for teacher in teachers
    ] or ["-"]
    variants = [_join(names)]
    variants += [", ".join(names[:count]) + " dkk." for count in range(len(names) - 1, 0, -1)]
    return variants


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]


def render(template: str, fields: Mapping[str, str]) -> str:
    """The template filled in; lines left empty (no status note) are dropped, and so are lines
    whose placeholders are all empty ("Hadir: {participants} peserta" without a count); blank
    lines the template itself has (an e-mail's paragraphs) are kept, one at most in a row."""
    lines: list[str] = []
    for template_line in template.split("\n"):
        line = template_line.format_map(fields).rstrip()
        used = [name for _, name, _, _ in string.Formatter().parse(template_line) if name]
        if used and not any(fields.get(name) for name in used):
            continue  # "Hadir: {participants} peserta" without a count says nothing
        if line.strip():
            lines.append(line)
        elif not template_line.strip() and lines and lines[-1]:
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return unicodedata.normalize("NFC", "\n".join(lines))


def template_problem(template: str) -> str | None:
    """Why a template cannot be used, or None: unknown placeholders, formats, or no {url}."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        return f"is not a valid template ({error}); write literal braces as {{{{ and }}}}"
    names = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            allowed = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
            return f"uses {{{name}}}; the placeholders are {allowed}"
        names.add(name)
    if "url" not in names:
        return "has no {url}; every post links to its page"
    return None


def worst_case_length(template: str, chapter: Chapter, rules: TextRules, longest_url: str) -> int:
    """Weighted length with every shrinkable field at its shortest and long fixed fields."""
    fields = {
        "title": ELLIPSIS,
        "venue": ELLIPSIS,
        "note": "",
        "summary": "",
        "recap": "",
        "participants": "9999",
        # The shortest teachers get: the first one (a name cut to NAME_LIMIT) and "dkk.".
        "teachers": "x" * NAME_LIMIT + " dkk.",
        "date": "x" * 30,
        "time": "x" * 14,
        "url": longest_url,
        "hashtag": "#" + chapter.hashtag,
        "account": account(chapter, rules.network),
        "chapter": clean(chapter.short_name),
    }
    return rules.length(render(template, fields))


def template_length_problems(
    templates: Mapping[str, str],
    chapter: Chapter,
    rules: TextRules,
    network: str,
    longest_url: str,
) -> dict[str, str]:
    """Templates whose fixed text leaves no room for a title on `network`, by template name:
    "X (Twitter): its fixed text weighs 290 of 280"; `longest_url` is the longest address a
    class of this site can have."""
    problems = {}
    for name, template in templates.items():
        length = worst_case_length(template, chapter, rules, longest_url)
        if length > rules.limit - 20:
            problems[name] = f"{network}: its fixed text weighs {length} of {rules.limit}"
    return problems


def fit(
    template: str, fields: Mapping[str, str], rules: TextRules, teachers: Sequence[str] = ()
) -> Composed:
    """Fill the template, shortening free text (never the URL) until it fits the limit."""
    values = dict(fields)
    variants = list(teachers) or [values.get("teachers", "")]
    values["teachers"] = variants[0]
    text = render(template, values)
    length = rules.length(text)
    if length <= rules.limit:
        return Composed(text, length)
    originals = dict(values)
    kept = {name: len(value) for name, value in values.items()}
    for name, floor in SHRINK_STEPS:
        if f"{{{name}}}" not in template:
            continue
        if name == "teachers":
            values["teachers"] = _first_fitting(template, values, variants, rules)
        else:
            original = originals[name]
            kept[name] = _longest_fitting(
                template, values, name, original, (kept[name], floor), rules
            )
            values[name] = _shortened(name, original, kept[name])
        text = render(template, values)
        length = rules.length(text)
        if length <= rules.limit:
            return Composed(text, length)
    raise ComposeError(f"'{text[:60]}…' is {length} long even with title and venue cut to '…'")


def _shortened(name: str, original: str, keep: int) -> str:
    # A note or summary cut to nothing disappears with its line; title and venue keep "…".
    if name in ("note", "summary", "recap") and keep == 0:
        return ""
    return shorten(original, keep)


def _fits(template: str, values: Mapping[str, str], rules: TextRules) -> bool:
    return rules.length(render(template, values)) <= rules.limit


def _longest_fitting(
    template: str,
    values: dict[str, str],
    name: str,
    original: str,
    bounds: tuple[int, int],
    rules: TextRules,
) -> int:
    """Largest kept length in [floor, upper) that fits; floor when nothing does.

    Weighted length is not monotonic in the kept length (a prefix may stop looking like a URL),
    so the search keeps the invariant "low fits, high does not" and checks what it returns.
    """
    trial = dict(values)

    def fits(keep: int) -> bool:
        trial[name] = _shortened(name, original, keep)
        return _fits(template, trial, rules)

    upper, floor = bounds
    low, high = floor, upper
    if low >= high:
        return upper
    if not fits(low):
        return low
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low


def _first_fitting(
    template: str, values: dict[str, str], variants: Sequence[str], rules: TextRules
) -> str:
    for variant in variants:
        if _fits(template, {**values, "teachers": variant}, rules):
            return variant
    return variants[-1]


def account(chapter: Chapter, network: str) -> str:
    """{account}: the chapter's X account on X; elsewhere "@AkberPLB" would mention a stranger
    (or nobody), so the chapter's short name is written."""
    if network == "twitter" and chapter.twitter:
        return "@" + chapter.twitter
    return clean(chapter.short_name)


def class_fields(
    event: ClassEvent, chapter: Chapter, language: str, network: str = "twitter"
) -> dict[str, str]:
    """Every placeholder's value for one class, in the chapter's language."""
    own = chapter.twitter
    return {
        "title": without_mentions(clean(event.title), own),
        "date": formatting.long_date(event.start, language),
        "time": formatting.clock(event.start, language),
        "venue": without_mentions(clean(event.venue.name), own),
        "teachers": "",
        "note": without_mentions(clean(event.status_note), own),
        "summary": without_mentions(clean(event.summary), own),
        "participants": "" if event.participants is None else str(event.participants),
        "recap": without_mentions(clean(event.recap), own),
        "url": event.url,
        "hashtag": "#" + chapter.hashtag,
        "account": account(chapter, network),
        "chapter": clean(chapter.short_name),
    }


def can_recap(event: ClassEvent) -> bool:
    """Whether a class may get a recap: it took place, and has photos or the chapter's words."""
    return event.status is ClassStatus.SCHEDULED and bool(event.photos or event.recap.strip())


def update_kind(status: ClassStatus | str) -> str:
    """The update template for a class now in `status`: cancelled, postponed or rescheduled."""
    return {"cancelled": "cancelled", "postponed": "postponed"}.get(str(status), "rescheduled")


def compose_class(
    kind: str,
    event: ClassEvent,
    chapter: Chapter,
    language: str,
    templates: Mapping[str, str],
    rules: TextRules,
) -> Composed:
    """The `kind` post (announcement, cancelled, postponed, rescheduled, reminder, recap) for a
    class."""
    fields = class_fields(event, chapter, language, rules.network)
    return fit(templates[kind], fields, rules, teacher_variants(event.teachers, rules.network))


def compose_page(
    title: str, url: str, chapter: Chapter, templates: Mapping[str, str], rules: TextRules
) -> Composed:
    """The post announcing a new page of the site."""
    fields = {name: "" for name in PLACEHOLDERS}
    fields.update(
        title=without_mentions(clean(title), chapter.twitter),
        url=url,
        hashtag="#" + chapter.hashtag,
        account=account(chapter, rules.network),
        chapter=clean(chapter.short_name),
    )
    return fit(templates["page"], fields, rules)
