"""A proposal from anyone (a GitHub issue form) into a draft class file and a plain answer.

Pure on purpose: no Pelican, no network, no files. The issue body is whatever a stranger typed,
so every value is cleaned before it reaches the draft: contact data removed (it must never reach
the public site), one line per header value (a newline cannot add `Status: scheduled`), HTML
tags kept out of the header, every value cut to a length a class page can hold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from . import scaffold
from .classfile import clean_body, clean_value
from .model import (
    BLUESKY_HANDLE,
    MASTODON_HANDLE,
    TWITTER_HANDLE,
    YEARS,
    ValidationError,
    build_class,
    handle_network,
    is_web_url,
    parse_duration,
    parse_local_datetime,
)

CLASS_LABEL = "usulan-kelas"
VENUE_LABEL = "tawaran-tempat"
CONTACT_REMOVED = "(kontak dihapus; lanjutkan di issue)"
NO_RESPONSE = "_No response_"
# Marks the answer comment, so an edited issue updates it instead of adding another.
COMMENT_MARKER = "<!-- berbagi-usulan -->"

# The forms' labels (.github/ISSUE_TEMPLATE/*.yml) and the field each one fills.
CLASS_FORM = {
    "Judul kelas": "title",
    "Apa yang akan diajarkan": "description",
    "Nama pengajar": "teacher",
    "Akun publik pengajar (opsional)": "handles",
    "Tentang pengajar": "bio",
    "Usulan tanggal dan jam": "start",
    "Lama kelas": "duration",
    "Tempat (jika sudah ada)": "venue",
    "Alamat tempat (jika sudah ada)": "address",
    "Yang perlu dibawa peserta": "bring",
    "Aturan kelas": "rules",
}
VENUE_FORM = {
    "Jenis tawaran": "kind",
    "Nama tempat": "venue",
    "Alamat": "address",
    "Kapasitas": "capacity",
    "Hari dan jam tersedia": "days",
    "Tautan peta (opsional)": "map",
    "Fasilitas dan keterangan lain": "notes",
    "Akun GitHub penghubung (opsional)": "contact",
    "Aturan kelas": "rules",
}
FORMS = {CLASS_LABEL: CLASS_FORM, VENUE_LABEL: VENUE_FORM}

# The longest value each field keeps: a header value is one line of a page, the description a
# page's worth. Longer input is cut (a pasted 100 kB value must not become a 100 kB page).
LIMITS = {
    "title": 120,
    "teacher": 80,
    "handles": 200,
    "bio": 300,
    "start": 80,
    "duration": 40,
    "venue": 120,
    "address": 200,
    "bring": 300,
    "capacity": 10,
    "map": 500,
    "kind": 80,
    "contact": 60,
    "summary": 200,
    "description": 8000,
    "days": 1000,
    "notes": 2000,
    "rules": 500,
}
MULTILINE = frozenset({"description", "days", "notes"})
# The draft's header lines, in the order of the template (content/classes/_template.md).
DRAFT_ORDER = (
    "Title", "Date", "Start", "Duration", "Venue", "Venue_Address", "Venue_Map", "Teacher",
    "Summary", "Bring", "Capacity",
)  # fmt: skip

# Contact data, matched only from the start of a word so that a long run of letters is scanned
# once (a 100 kB value must not take quadratic time).
_EMAIL = re.compile(
    r"(?<![\w.+@-])(?:mailto:)?[\w.+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)+", re.IGNORECASE
)
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.])[\w.+-]++\s*[\[(]\s*(?:at|et)\s*[\])]\s*[\w-]++"
    r"(?:\s*[\[(]\s*(?:dot|titik)\s*[\])]\s*[\w-]++)+",
    re.IGNORECASE,
)
# Indonesian numbers (0812-3456-7890, +62 812 3456 7890, (0711) 123456) and any other number
# written with a country code; WhatsApp and Telegram-by-number links with them.
_PHONE = re.compile(
    r"(?:https?://)?(?:wa\.me/|api\.whatsapp\.com/send\?phone=)\+?\d++"
    r"|(?<![\w+(])\(?(?:\+62|62|0)[\s.()-]{0,3}[1-9](?:[\s.()-]{0,2}\d){7,12}(?!\d)"
    r"|(?<![\w+])\+\d{1,3}(?:[\s.()-]{0,2}\d){6,13}(?!\d)",
    re.IGNORECASE,
)
# Times and dates that a phone pattern also matches ("08.00-12.00 13.00", "01.12.2026 14.00").
_TIME_OR_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|(?<!\d)\d{1,2}[.:]\d{2}(?!\d)"
)
_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,500}>")
_HEADING = re.compile(r"^###[ \t]+(?P<label>.+?)[ \t#]*$")
_CHECKBOX = re.compile(r"^\s*[-*]\s*\[(?P<mark>[ xX])\]\s*(?P<label>.*)$")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}[:.]\d{2}")
_GITHUB_LOGIN = re.compile(r"^@?(?P<login>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$")


@dataclass(frozen=True)
class Proposal:
    """One proposal, read from an issue: its cleaned answers and what was noticed on the way."""

    number: int
    kind: str  # CLASS_LABEL or VENUE_LABEL
    answers: Mapping[str, str]  # field -> cleaned value; empty answers are absent
    author: str = ""  # the issue author's GitHub login
    rules_accepted: bool = False
    contact_removed: bool = False
    ignored_headings: tuple[str, ...] = ()
    cut_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """The draft class file for a proposal, and what is still missing from it."""

    proposal: Proposal
    file_name: str
    slug: str
    text: str
    errors: tuple[ValidationError, ...]  # what `check` says of the draft, file by file
    notes: tuple[str, ...] = field(default=())  # to the proposer, in Indonesian

    @property
    def branch(self) -> str:
        """The pull request's branch: `usulan/42-fotografi-ponsel`."""
        return f"usulan/{self.proposal.number}-{self.slug}"


def remove_contacts(text: str) -> tuple[str, bool]:
    """`text` with e-mail addresses and phone numbers replaced by a note; whether any was."""
    found = False

    def note(match: re.Match[str]) -> str:
        nonlocal found
        text = match.group(0)
        if match.re is _PHONE and not text.startswith("+"):
            left = _TIME_OR_DATE.sub(" ", text)
            if sum(char.isdigit() for char in left) < 8:
                return text  # times and dates, not a number to call
        found = True
        return CONTACT_REMOVED

    for pattern in (_EMAIL, _SPELLED_EMAIL, _PHONE):
        text = pattern.sub(note, text)
    return text, found


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a space where one is near, never inside a mark."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    # A combining mark, a joiner or a variation selector left at the end belongs to the cut part.
    while head and (unicodedata.combining(head[-1]) or head[-1] in "\u200d\ufe0e\ufe0f"):
        head = head[:-1]
    space = head.rfind(" ", max(0, len(head) - 20))
    return (head[:space] if space > 0 else head).rstrip() + "…"


def one_line(text: str) -> str:
    """A header value: one line, no control characters, no HTML tags, single spaces."""
    text = _TAG.sub("", clean_value(text))
    return " ".join(text.split()).replace("\\", "/")


def split_sections(body: str) -> list[tuple[str, str]]:
    """The `### Label` sections of a rendered issue form, in order, values as written."""
    sections: list[tuple[str, list[str]]] = []
    for line in re.split(r"\r\n|\r|\n", body):
        heading = _HEADING.match(line)
        if heading:
            sections.append((heading["label"].strip(), []))
        elif sections:
            sections[-1][1].append(line)
    return [(label, "\n".join(lines).strip()) for label, lines in sections]


def detect_kind(body: str, labels: Collection[str] = ()) -> str:
    """Which form `body` came from: by the issue's label, else by its headings."""
    for label in (CLASS_LABEL, VENUE_LABEL):
        if label in labels:
            return label
    headings = {label for label, _ in split_sections(body)}
    return CLASS_LABEL if "Judul kelas" in headings else VENUE_LABEL


def _limit_of(key: str) -> int:
    return LIMITS.get(key, 300)


def parse_issue(
    body: str, number: int, *, author: str = "", labels: Collection[str] = ()
) -> Proposal:
    """The answers of an issue form's body, cleaned: contacts removed, cut, first answer wins."""
    kind = detect_kind(body, labels)
    form = FORMS[kind]
    answers: dict[str, str] = {}
    ignored: list[str] = []
    cut: list[str] = []
    removed = accepted = False
    for label, raw in split_sections(body):
        key = form.get(label)
        if key is None or key in answers or (key == "rules" and accepted):
            ignored.append(one_line(label)[:60])
            continue
        if key == "rules":
            accepted = any(
                match["mark"] in "xX"
                for match in map(_CHECKBOX.match, raw.splitlines())
                if match is not None
            )
            continue
        if raw == NO_RESPONSE:
            continue
        limit = _limit_of(key)
        # Contacts go first, on a little more than will be kept, so a cut cannot split an
        # address into a part the patterns no longer see.
        value, found = remove_contacts(raw[: limit * 2 + 500])
        removed = removed or found
        value = clean_body(value).strip() if key in MULTILINE else one_line(value)
        if len(value) > limit or len(raw) > limit * 2 + 500:
            cut.append(key)
        value = _cut(value, limit)
        if value:
            answers[key] = value
    return Proposal(
        number=number,
        kind=kind,
        answers=answers,
        author=author if _GITHUB_LOGIN.match(author) else "",
        rules_accepted=accepted,
        contact_removed=removed,
        ignored_headings=tuple(ignored),
        cut_fields=tuple(cut),
    )


def _network(token: str) -> str | None:
    """Which network a handle is on, by its form as the Teacher line reads it; None if none."""
    network = handle_network(token)
    if network == "mastodon":
        return network if MASTODON_HANDLE.match(token) else None
    if network == "bluesky":
        return network if BLUESKY_HANDLE.match(token.removeprefix("@").lower()) else None
    return network if TWITTER_HANDLE.match(token) else None


def _handles(text: str) -> tuple[str, list[str]]:
    """The handles the kit understands (one per network), and the words it does not."""
    kept: dict[str, str] = {}
    dropped = []
    for token in text.replace(CONTACT_REMOVED, " ").replace(",", " ").split():
        network = _network(token)
        if network is None or network in kept:
            dropped.append(token)
        else:
            kept[network] = token
    return " ".join(kept.values()), dropped


def _quoted(text: str) -> str:
    """A proposer's words inside the answer, as code: no mention, link or formatting of theirs
    comes alive in a comment the workflow posts."""
    return "`" + _cut(text.replace("`", "'"), 60) + "`"


def _field_part(text: str) -> str:
    """A part of a `Name | handles | bio` line: no `|` of its own."""
    return text.replace("|", "/").strip()


def _summary(description: str) -> str:
    paragraph = next((part for part in re.split(r"\n\s*\n", description) if part.strip()), "")
    plain = re.sub(r"[*_`#>\[\]]+", "", one_line(paragraph))
    return _cut(" ".join(plain.split()), LIMITS["summary"])


def _start(text: str, zone: tzinfo, now: datetime) -> tuple[str, str]:
    """`YYYY-MM-DD HH:MM` from the proposed time, or '' and why not (in Indonesian)."""
    if not text or text.strip().lower() in {"fleksibel", "flexible", "-", "belum tahu"}:
        return "", ""
    found = _DATE_TIME.search(text)
    start = parse_local_datetime(found.group(0), zone) if found else None
    if start is None or start.year not in YEARS:
        return "", f"Waktu yang diusulkan, {_quoted(text)}, belum berbentuk tanggal dan jam."
    if start <= now:
        return "", f"Waktu yang diusulkan, {_quoted(text)}, sudah lewat."
    return f"{start:%Y-%m-%d %H:%M}", ""


def _class_header(
    proposal: Proposal, zone: tzinfo, now: datetime
) -> tuple[dict[str, str], list[str]]:
    answers, notes = proposal.answers, []
    header: dict[str, str] = {"Title": answers.get("title", "")}
    start, why = _start(answers.get("start", ""), zone, now)
    if why:
        notes.append(why)
    header["Start"] = start
    duration = answers.get("duration", "")
    if duration and parse_duration(duration) is not None:
        header["Duration"] = duration
    elif duration:
        notes.append(
            f"Lama kelas {_quoted(duration)} tidak dipahami; tulis seperti 2 jam atau 90 menit."
        )
    header["Venue"] = answers.get("venue", "")
    header["Venue_Address"] = answers.get("address", "")
    if answers.get("teacher"):
        handles, dropped = _handles(answers.get("handles", ""))
        if dropped:
            notes.append(
                "Akun yang tidak dikenali tidak dimasukkan: "
                + ", ".join(_quoted(token) for token in dropped[:10])
                + "."
            )
        parts = [_field_part(answers["teacher"]), handles, _field_part(answers.get("bio", ""))]
        header["Teacher"] = " | ".join(parts).rstrip(" |")
    header["Summary"] = _summary(answers.get("description", ""))
    header["Bring"] = answers.get("bring", "")
    return header, notes


def _venue_header(proposal: Proposal) -> tuple[dict[str, str], list[str]]:
    answers, notes = proposal.answers, []
    header = {"Venue": answers.get("venue", ""), "Venue_Address": answers.get("address", "")}
    map_url = answers.get("map", "")
    if map_url and is_web_url(map_url):
        header["Venue_Map"] = map_url
    elif map_url:
        notes.append("Tautan peta tidak dimasukkan: harus diawali https://.")
    capacity = answers.get("capacity", "")
    count = re.fullmatch(r"([0-9]{1,5})\s*(?:orang|org|peserta|kursi)?", capacity, re.IGNORECASE)
    if count:
        header["Capacity"] = str(int(count[1]))
    elif capacity:
        notes.append(f"Kapasitas {_quoted(capacity)} bukan angka; pengurus mengisinya.")
    return header, notes


def _body(proposal: Proposal, notes: list[str]) -> str:
    """The description, then a section for the organizer that says where the draft came from."""
    answers = proposal.answers
    parts = []
    if proposal.kind == CLASS_LABEL:
        parts.append(answers.get("description", "") or "Uraian kelas belum ditulis.")
    else:
        parts.append(f"Tawaran dari {answers.get('venue', 'sebuah tempat')}.")
        for title, key in (
            ("Jenis tawaran", "kind"),
            ("Hari dan jam tersedia", "days"),
            ("Fasilitas dan keterangan lain", "notes"),
        ):
            if answers.get(key):
                parts.append(f"**{title}:**\n\n{answers[key]}")
    organizer = [
        "<!-- Catatan untuk pengurus: hapus bagian ini sebelum kelas diterbitkan. -->",
        f"<!-- Dari issue #{proposal.number}"
        + (f" oleh @{proposal.author}" if proposal.author else "")
        + ". -->",
    ]
    contact = answers.get("contact", "")
    login = _GITHUB_LOGIN.match(contact)
    if login:
        organizer.append(f"<!-- Penghubung: @{login['login']} (lewat GitHub). -->")
    if answers.get("start") and proposal.kind == CLASS_LABEL:
        organizer.append(f"<!-- Waktu yang diusulkan: {answers['start'].replace('--', '-')} -->")
    organizer += [f"<!-- {note.replace('--', '-')} -->" for note in notes]
    return "\n\n".join(parts) + "\n\n" + "\n".join(organizer) + "\n"


def compose_draft(
    proposal: Proposal,
    zone: tzinfo,
    now: datetime,
    taken: Collection[str] = (),
    folder: str = "content/classes",
) -> Draft:
    """The draft class file: the kit's header, `Status: draft`, only the fields known."""
    if proposal.kind == CLASS_LABEL:
        header, notes = _class_header(proposal, zone, now)
    else:
        header, notes = _venue_header(proposal)
    title = header.get("Title", "")
    # A proposal without a title still gets a page address: the issue's number.
    new = scaffold.NewClass(
        title=title or f"usulan {proposal.number}",
        start=header.get("Start", ""),
        venue="",
        address="",
        teacher="",
        date=now.astimezone(zone),
    )
    new = scaffold.with_free_slug(new, zone, taken)
    lines = []
    # Announced now: the start, when known, is later (an earlier one was left out above).
    announced = f"{now.astimezone(zone):%Y-%m-%d %H:%M}"
    for key in DRAFT_ORDER:
        value = announced if key == "Date" else one_line(header.get(key, ""))
        if value:
            lines.append(f"{key}: {value}")
    lines.append("Status: draft")
    text = "\n".join(lines) + "\n\n" + _body(proposal, notes)
    name = scaffold.file_name(new, zone)
    _, errors = build_class({}, f"{folder}/{name}", text, zone, now=now)
    return Draft(proposal, name, new.slug, text, tuple(errors), tuple(notes))


# What the proposer or the organizer must add, by the field `check` names.
MISSING = {
    "title": "Judul kelas belum ada.",
    "start": "Tanggal dan jam belum jelas (tulis seperti 2026-12-20 14:00).",
    "date": "Tanggal pengumuman belum ada (diisi pengurus).",
    "end": "Jam selesai belum jelas.",
    "duration": "Lama kelas belum jelas (tulis seperti 2 jam atau 90 menit).",
    "venue": "Tempat kelas belum ada.",
    "venue_address": "Alamat tempat belum ada.",
    "venue_map": "Tautan peta tidak bisa dipakai.",
    "teacher": "Nama pengajar belum ada, atau akunnya tidak dikenali.",
    "capacity": "Kapasitas harus berupa angka.",
}


def missing(draft: Draft) -> list[str]:
    """What `check` still says of the draft, in Indonesian, one line per field, in file order."""
    seen: dict[str, str] = {}
    for error in draft.errors:
        # A missing start makes the file name's date unknown too; one line says both.
        key = "start" if error.field == "file name" else error.field
        seen.setdefault(key, MISSING.get(key, f"Kolom {key} perlu diperiksa pengurus."))
    return list(seen.values())


def _organizer_tasks(draft: Draft) -> list[str]:
    answers = draft.proposal.answers
    tasks = ["memastikan judul, uraian dan data pengajar"]
    tasks.append("memperbarui `Date:` saat kelas diumumkan")
    if draft.proposal.kind == VENUE_LABEL:
        tasks = ["menentukan kelas, pengajar dan waktunya di tempat ini"]
    if not answers.get("address"):
        tasks.append("mengisi alamat tempat")
    tasks += ["menetapkan jam pasti", "mengisi pendaftaran dan kapasitas bila perlu"]
    tasks.append("mengganti `Status: draft` menjadi `Status: scheduled`")
    return tasks


def answer_comment(
    draft: Draft, pull_url: str, check_passed: bool | None = None, updated: bool = True
) -> str:
    """The comment on the issue: what was made, what is missing, what happens next.

    `check_passed` is what `invoke check` said of the site with the draft (None: not run);
    `updated` is False when an organizer already edited, merged or closed the draft, so the
    issue's edit waits for them.
    """
    proposal = draft.proposal
    what = "usulan kelas" if proposal.kind == CLASS_LABEL else "tawaran tempat"
    lines = [COMMENT_MARKER, f"Terima kasih atas {what} ini! 🙏", ""]
    if updated:
        lines.append(f"Draf kelas sudah dibuat otomatis: {pull_url} (berkas `{draft.file_name}`).")
    else:
        lines.append(
            f"Draf kelas ini sudah ditangani pengurus ({pull_url}: disunting, digabung atau "
            "ditutup), jadi perubahan pada issue tidak diterapkan otomatis; pengurus akan "
            "menyesuaikannya. Daftar di bawah ini menurut isi issue yang terbaru."
        )
    lines.append("")
    gaps = missing(draft)
    if not proposal.rules_accepted:
        gaps.insert(0, "Persetujuan aturan kelas (gratis, tanpa jualan, tanpa kampanye politik) "
                    "belum dicentang; sunting issue ini dan centang kotaknya.")  # fmt: skip
    if check_passed is False and not gaps:
        gaps.append("Pemeriksaan otomatis situs gagal; pengurus melihat log-nya.")
    if gaps:
        lines.append("**Yang masih kurang:**")
        lines += [f"- {gap}" for gap in gaps]
    else:
        lines.append("Pemeriksaan otomatis: draf ini sudah lengkap. ✅")
    lines.append("")
    if draft.notes:
        lines.append("**Catatan:**")
        lines += [f"- {note}" for note in draft.notes]
        lines.append("")
    if proposal.contact_removed:
        lines += [
            "**Alamat e-mail atau nomor telepon kami hapus dari draf**: semua yang ditulis di "
            "sini bisa dibaca siapa saja. Sebaiknya sunting issue ini dan hapus juga dari sana. "
            "Kita lanjutkan lewat komentar di issue ini.",
            "",
        ]
    if proposal.cut_fields:
        lines += ["Beberapa jawaban terlalu panjang dan dipotong.", ""]
    lines += [
        "**Langkah berikutnya:** pengurus " + ", ".join(_organizer_tasks(draft)) + ".",
        "",
        "Bila ada yang ingin diubah, sunting issue ini: draf diperbarui otomatis. "
        "**Tidak ada yang diterbitkan sebelum pengurus menggabungkan (merge) draf ini.**",
    ]
    return "\n".join(lines) + "\n"


def draft_to_json(draft: Draft) -> dict[str, Any]:
    """The draft as plain data, for the workflow's next step."""
    data = asdict(draft)
    data["branch"] = draft.branch
    return data


def draft_from_json(data: Mapping[str, Any]) -> Draft:
    """The draft written by `draft_to_json`."""
    raw = dict(data["proposal"])
    proposal = Proposal(
        **{
            **raw,
            "answers": dict(raw["answers"]),
            "ignored_headings": tuple(raw["ignored_headings"]),
            "cut_fields": tuple(raw["cut_fields"]),
        }
    )
    return Draft(
        proposal=proposal,
        file_name=data["file_name"],
        slug=data["slug"],
        text=data["text"],
        errors=tuple(ValidationError(**error) for error in data["errors"]),
        notes=tuple(data["notes"]),
    )


def pull_title(draft: Draft) -> str:
    """`Usulan kelas #42: Menulis Cerpen` (the title as the draft has it, cut)."""
    title = next((line[7:] for line in draft.text.splitlines() if line.startswith("Title: ")), "")
    if draft.proposal.kind == VENUE_LABEL:
        title = title or next(
            (line[7:] for line in draft.text.splitlines() if line.startswith("Venue: ")), ""
        )
        return _cut(f"Tawaran tempat #{draft.proposal.number}: {title}".rstrip(": "), 120)
    return _cut(f"Usulan kelas #{draft.proposal.number}: {title}".rstrip(": "), 120)


def pull_body(draft: Draft, issue_url: str, check_passed: bool | None) -> str:
    """The pull request's description: where it came from and what the organizer still does.

    It links the issue without a closing keyword: an organizer decides when it is done.
    """
    lines = [
        f"Draf otomatis dari usulan {issue_url} (issue {draft.proposal.number}).",
        "",
        "Status draf: `Status: draft`, jadi tidak tampil di situs walau digabungkan. Sebelum "
        "menggabungkan, pengurus:",
        "",
    ]
    lines += [f"- [ ] {task}" for task in _organizer_tasks(draft)]
    gaps = missing(draft)
    if gaps:
        lines += ["", "**Yang masih kurang menurut pemeriksaan:**", ""]
        lines += [f"- {gap}" for gap in gaps]
    if check_passed is not None:
        outcome = "lulus" if check_passed else "belum lulus (lihat log workflow Proposal)"
        lines += ["", f"`invoke check` dengan draf ini: {outcome}."]
    lines += [
        "",
        "Pull request ini dibuat dengan GITHUB_TOKEN, jadi pemeriksaan pull request tidak "
        "berjalan sendiri: tutup lalu buka lagi, atau tambahkan satu commit, untuk menjalankannya.",
    ]
    return "\n".join(lines) + "\n"
