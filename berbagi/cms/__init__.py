"""The organizers' editor at /admin/ (Decap CMS): its config, built from the class file's fields.

Pure on purpose, like the model: `config()` returns the dict that becomes admin/config.yml,
`index_html()` the page that loads the vendored Decap bundle and the kit's class format
(`class_format.js`, which writes the header exactly as `berbagi.classfile` reads it). The glue in
`berbagi.glue.cms` writes them into the site.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..classfile import CLASS_FIELDS, REPEATABLE, field_name
from ..model import MAX_CLASS_SLUG

# The vendored bundle and its lazily loaded chunks, copied from node_modules by `invoke
# update-cms`; tests compare them with the pinned npm package.
DECAP_VERSION = "3.16.3"
VENDOR = Path(__file__).resolve().parent / "vendor"
FORMAT_SCRIPT = Path(__file__).resolve().parent / "class_format.js"
FORMAT_NAME = "berbagi-class"
ADMIN_FOLDER = "admin"
# The chapter's local time, as typed and as the kit reads it: never converted to UTC.
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
IMAGES_FOLDER = "images/kelas"  # under content/; a Photo line names images/kelas/file.jpg
SLUG_PATTERN = rf"^(?=.{{1,{MAX_CLASS_SLUG}}}$)[a-z0-9]+(-[a-z0-9]+)*$"
# The file name: the start's date as typed (Decap's {{year}} would be the UTC date of the field
# it guesses is the date, `Date`), then the title's slug, cut so that the kit's 40-character
# limit holds (Decap drops the trailing hyphen the cut leaves).
FILE_SLUG = (
    "{{fields.start | date('YYYY-MM-DD')}}-{{slug | truncate("
    + str(MAX_CLASS_SLUG - 1)
    + ", '-')}}"
)


@dataclass(frozen=True)
class CmsSettings:
    """CMS = {...} in pelicanconf.py, validated by berbagi.settings."""

    repo: str | None = None  # owner/name on GitHub; None: only a local decap-server works
    branch: str = "main"
    base_url: str = "https://api.netlify.com"  # the OAuth provider that signs organizers in
    auth_endpoint: str | None = None  # None: Decap's default, auth
    local_backend: bool | str = True  # True, or the decap-server URL; used only on localhost
    publish_mode: str = "editorial_workflow"


# Labels and hints per field: (Indonesian label, English label, Indonesian hint, English hint).
Words = tuple[str, str, str, str]
_TEXT: dict[str, Words] = {
    "title": ("Judul kelas", "Class title", "", ""),
    "date": ("Diumumkan", "Announced", "", ""),
    "start": (
        "Mulai",
        "Starts",
        "Tanggal dan jam setempat (WIB), seperti yang akan diumumkan.",
        "Local date and time, as it will be announced.",
    ),
    "end": ("Selesai", "Ends", "Boleh kosong: kelas dianggap 2 jam.", "Optional: 2 hours."),
    "duration": (
        "Lama kelas",
        "Duration",
        "Hanya bila Selesai kosong: 2 jam, 90 menit, 1:30.",
        "Only without an end: 2 jam, 90 menit, 1:30.",
    ),
    "venue": ("Tempat", "Venue", "Nama tempat.", "The place's name."),
    "venue_address": ("Alamat tempat", "Venue address", "", ""),
    "venue_map": ("Tautan peta", "Map link", "https://…", "https://…"),
    "venue_geo": (
        "Koordinat",
        "Coordinates",
        "lintang, bujur, misalnya -2.9761, 104.7554",
        "latitude, longitude, e.g. -2.9761, 104.7554",
    ),
    "teacher": ("Guru", "Teachers", "", ""),
    "summary": (
        "Ringkasan",
        "Summary",
        "Satu atau dua kalimat: apa yang akan dipelajari.",
        "One or two sentences: what will be taught.",
    ),
    "bring": ("Yang perlu dibawa", "What to bring", "", ""),
    "registration": (
        "Pendaftaran",
        "Registration",
        "Tautan https://…, atau via Twitter. Kosong: datang saja.",
        "A https://… link, or via Twitter. Empty: just come.",
    ),
    "registration_tweet": ("Teks twit pendaftaran", "Registration tweet", "", ""),
    "capacity": ("Jumlah kursi", "Seats", "", ""),
    "status": ("Status", "Status", "", ""),
    "status_note": (
        "Keterangan status",
        "Status note",
        "Alasan batal atau ditunda; tampil di halaman kelas.",
        "Why it was cancelled or postponed; shown on the page.",
    ),
    "previous_start": (
        "Jadwal lama",
        "Previous start",
        "Bila kelas dipindah: waktu mulai yang lama.",
        "When the class moved: the old start.",
    ),
    "tags": ("Kata kunci", "Tags", "Dipisah koma.", "Comma-separated."),
    "partner": ("Mitra", "Partners", "", ""),
    "photo": ("Foto", "Photos", "Setelah kelas.", "After the class."),
    "registered": (
        "Jumlah pendaftar",
        "Registered",
        "Diisi setelah kelas: berapa orang mendaftar.",
        "After the class: how many signed up.",
    ),
    "participants": ("Jumlah peserta", "Participants", "Diisi setelah kelas.", "After the class."),
    "recap": (
        "Cerita singkat sesudah kelas",
        "Recap",
        "Diisi setelah kelas: satu-dua kalimat terima kasih, diunggah bersama foto ke setiap "
        "jaringan. Paling banyak 280 karakter.",
        "After the class: a sentence or two of thanks, posted with the photos on every "
        "network. At most 280 characters.",
    ),
    "slug": (
        "Alamat halaman",
        "Page address",
        "Boleh kosong. Huruf kecil, angka dan tanda hubung, paling banyak 40 karakter.",
        "Optional. Lower-case letters, digits and hyphens, at most 40 characters.",
    ),
    "modified": ("Terakhir diubah", "Last changed", "", ""),
}
_PARTS: dict[str, tuple[tuple[str, Words, bool], ...]] = {
    # list field -> its parts, joined as `a | b | c` in this order (name, required)
    "teacher": (
        ("name", ("Nama", "Name", "", ""), True),
        (
            "handles",
            (
                "Akun",
                "Handles",
                "@akun_x @akun@mastodon.social akun.bsky.social, dipisah spasi",
                "@x_user @user@mastodon.social user.bsky.social, separated by spaces",
            ),
            False,
        ),
        ("bio", ("Bio singkat", "Short bio", "", ""), False),
    ),
    "partner": (
        ("name", ("Nama", "Name", "", ""), True),
        ("url", ("Tautan", "Link", "https://…", "https://…"), False),
    ),
    "photo": (
        ("image", ("Foto", "Photo", "JPEG atau PNG.", "JPEG or PNG."), True),
        (
            "alt",
            (
                "Teks alternatif",
                "Alt text",
                "Apa yang tampak di foto, untuk yang tidak bisa melihatnya.",
                "What the photo shows, for those who cannot see it.",
            ),
            True,
        ),
        (
            "focus",
            (
                "Titik fokus",
                "Focus point",
                "Bagian foto yang dipertahankan saat dipotong untuk gambar bagikan (1200x630): "
                "seberapa jauh ke kanan, lalu ke bawah, misalnya 50% 30%. Kosong: tengah.",
                "The part kept when the photo is cropped for the share image (1200x630): how "
                "far across, then down, e.g. 50% 30%. Empty: the centre.",
            ),
            False,
        ),
    ),
}
REQUIRED = frozenset({"title", "start", "venue", "venue_address", "teacher"})
STATUSES = ("scheduled", "cancelled", "postponed", "draft")
_STATUS_LABELS = {
    "id": ("Terjadwal", "Batal", "Ditunda", "Draf (belum tampil)"),
    "en": ("Scheduled", "Cancelled", "Postponed", "Draft (not shown)"),
}
_PATTERN_MESSAGES = {
    "id": {
        "url": "Tautan diawali https://",
        "geo": "Dua angka: lintang, bujur",
        "registration": "Tautan https://… atau via Twitter",
        "slug": "Huruf kecil, angka dan tanda hubung, paling banyak 40 karakter",
    },
    "en": {
        "url": "A link starting with https://",
        "geo": "Two numbers: latitude, longitude",
        "registration": "A https://… link, or via Twitter",
        "slug": "Lower-case letters, digits and hyphens, at most 40 characters",
    },
}
_URL = r"^https?://\S+$"
_GEO = r"^-?\d{1,2}(\.\d+)?,\s*-?\d{1,3}(\.\d+)?$"
_REGISTRATION = r"^(https?://\S+|via Twitter)$"
_WIDGETS: dict[str, dict[str, Any]] = {
    "date": {"widget": "hidden"},  # filled in by class_format.js when the entry is saved
    "start": {"widget": "datetime"},
    "end": {"widget": "datetime"},
    "modified": {"widget": "datetime"},
    "summary": {"widget": "text"},
    "registration_tweet": {"widget": "text"},
    "capacity": {"widget": "number", "value_type": "int", "min": 1},
    "registered": {"widget": "number", "value_type": "int", "min": 0},
    "participants": {"widget": "number", "value_type": "int", "min": 0},
    "recap": {"widget": "text"},
}
_PATTERNS = {
    "venue_map": "url",
    "venue_geo": "geo",
    "registration": "registration",
    "slug": "slug",
}
_PATTERN_REGEXES = {"url": _URL, "geo": _GEO, "registration": _REGISTRATION, "slug": SLUG_PATTERN}
PAGE_FIELDS = ("title", "slug", "summary", "body")
_PAGE_TEXT: dict[str, Words] = {
    "title": ("Judul", "Title", "", ""),
    "slug": ("Alamat halaman", "Page address", "Huruf kecil dan tanda hubung.", "Lower case."),
    "summary": (
        "Ringkasan",
        "Summary",
        "Satu kalimat untuk mesin pencari dan tautan yang dibagikan.",
        "One sentence for search engines and shared links.",
    ),
    "body": ("Isi", "Text", "", ""),
}


def _words(words: Words, language: str) -> dict[str, str]:
    label, label_en, hint, hint_en = words
    chosen = (
        {"label": label_en, "hint": hint_en} if language == "en" else {"label": label, "hint": hint}
    )
    return {key: value for key, value in chosen.items() if value}


def _datetime(field: dict[str, Any]) -> dict[str, Any]:
    return {**field, "widget": "datetime", "format": DATETIME_FORMAT, "picker_utc": False}


def class_field(key: str, language: str) -> dict[str, Any]:
    """The form's field for one class file field."""
    field: dict[str, Any] = {"name": key, **_words(_TEXT[key], language)}
    field["required"] = key in REQUIRED
    field.update(_WIDGETS.get(key, {"widget": "string"}))
    if field["widget"] == "datetime":
        field = _datetime(field)
    if key in _PARTS:
        parts = []
        for name, words, required in _PARTS[key]:
            part: dict[str, Any] = {"name": name, **_words(words, language), "widget": "string"}
            part["required"] = required
            if name == "image":
                part["widget"] = "image"
                part["choose_url"] = False
            if name == "url":
                part["pattern"] = [_URL, _PATTERN_MESSAGES[language]["url"]]
            parts.append(part)
        field.update(widget="list", fields=parts, collapsed=False)
        if key == "teacher":
            field["min"] = 1
            field["default"] = [{"name": ""}]
    elif key in REPEATABLE:  # Previous_Start: one date-time per line
        field.update(widget="list", field=_datetime({"name": key, **_words(_TEXT[key], language)}))
    if key == "status":
        field.update(
            widget="select",
            default="scheduled",
            options=[
                {"label": label, "value": value}
                for value, label in zip(STATUSES, _STATUS_LABELS[language], strict=True)
            ],
        )
    if key in _PATTERNS:
        kind = _PATTERNS[key]
        field["pattern"] = [_PATTERN_REGEXES[kind], _PATTERN_MESSAGES[language][kind]]
    return field


def _body(language: str) -> dict[str, Any]:
    label = "Description" if language == "en" else "Uraian kelas"
    return {"name": "body", "label": label, "widget": "markdown", "required": False}


def class_collection(classes_folder: str, language: str) -> dict[str, Any]:
    """The collection of class files, one form field per class file field, in the file's order."""
    label = ("Classes", "Class") if language == "en" else ("Kelas", "Kelas")
    return {
        "name": "classes",
        "label": label[0],
        "label_singular": label[1],
        "folder": f"content/{classes_folder}",
        "create": True,
        "extension": "md",
        "format": FORMAT_NAME,
        "identifier_field": "title",
        "slug": FILE_SLUG,
        "summary": "{{start}} · {{title}}",
        "sortable_fields": ["start", "title"],
        "media_folder": f"/content/{IMAGES_FOLDER}",
        "public_folder": IMAGES_FOLDER,
        "fields": [class_field(key, language) for key in CLASS_FIELDS] + [_body(language)],
    }


def pages_collection(language: str) -> dict[str, Any]:
    """The chapter's pages: Title and Slug in Pelican's usual header, then Markdown."""
    fields = []
    for key in PAGE_FIELDS:
        field: dict[str, Any] = {"name": key, **_words(_PAGE_TEXT[key], language)}
        field["widget"] = {"body": "markdown", "summary": "text"}.get(key, "string")
        field["required"] = key in {"title", "slug"}
        if key == "slug":
            words = (
                "Lower-case letters, digits and hyphens"
                if language == "en"
                else ("Huruf kecil, angka dan tanda hubung")
            )
            field["pattern"] = [r"^[a-z0-9]+(-[a-z0-9]+)*$", words]
        fields.append(field)
    return {
        "name": "pages",
        "label": "Pages" if language == "en" else "Halaman",
        "label_singular": "Page" if language == "en" else "Halaman",
        "folder": "content/pages",
        "create": True,
        "extension": "md",
        "format": FORMAT_NAME,
        "identifier_field": "title",
        "slug": "{{fields.slug}}",
        "fields": fields,
    }


def config(cms: CmsSettings, classes_folder: str, language: str) -> dict[str, Any]:
    """Decap's config.yml (as a dict): the GitHub backend, or only a local decap-server."""
    if cms.repo:
        backend: dict[str, Any] = {
            "name": "github",
            "repo": cms.repo,
            "branch": cms.branch,
            "base_url": cms.base_url,
            "squash_merges": True,
        }
        if cms.auth_endpoint:
            backend["auth_endpoint"] = cms.auth_endpoint
    else:
        # No repository yet: the page still works against `npx decap-server` on this computer.
        backend = {
            "name": "proxy",
            "proxy_url": "http://localhost:8081/api/v1",
            "branch": cms.branch,
        }
    local: bool | dict[str, str] = (
        {"url": cms.local_backend} if isinstance(cms.local_backend, str) else cms.local_backend
    )
    return {
        "backend": backend,
        "local_backend": local,
        "publish_mode": cms.publish_mode,
        "locale": "en",  # Decap has no Indonesian; the labels and hints are in `language`
        "media_folder": f"content/{IMAGES_FOLDER}",
        "public_folder": IMAGES_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        # A phone is too narrow for the form and a preview side by side.
        "editor": {"preview": False},
        "collections": [class_collection(classes_folder, language), pages_collection(language)],
    }


def config_text(cms: CmsSettings, classes_folder: str, language: str) -> str:
    """config.yml's text: JSON, which every YAML reader (Decap's too) reads as YAML."""
    return json.dumps(config(cms, classes_folder, language), ensure_ascii=False, indent=2) + "\n"


def format_script() -> str:
    """class_format.js with the kit's field list in front: Python's list is the only one."""
    fields = {
        "fields": list(CLASS_FIELDS),
        "names": {key: field_name(key) for key in CLASS_FIELDS},
        "repeatable": sorted(REPEATABLE),
        "parts": {key: [name for name, _, _ in parts] for key, parts in _PARTS.items()},
        "datetimes": [
            key for key in CLASS_FIELDS if _WIDGETS.get(key, {}).get("widget") == "datetime"
        ],
    }
    prefix = f"window.BERBAGI_CLASS_FILE = {json.dumps(fields, ensure_ascii=False)};\n"
    return prefix + FORMAT_SCRIPT.read_text(encoding="utf-8")


def vendor_files() -> list[Path]:
    """The Decap files the admin page loads: the bundle, its chunks and wasm, the licence."""
    return sorted(p for p in VENDOR.iterdir() if p.is_file() and p.name != "README.md")


# Decap's editor and its toolbar are at least 800 pixels wide, so a phone would scroll sideways
# through the form. Its class names carry the component's name (emotion labels in the bundle).
PHONE_CSS = (
    "@media (max-width: 799px) {"
    ' [class*="-EditorContainer"], [class*="-ToolbarContainer"] { min-width: 0 !important; }'
    ' [class*="-ToolbarSectionBackLink"] { padding: 0 8px !important; }'
    "}"
)


def index_html(language: str, title: str, zone: str) -> str:
    """/admin/index.html: kept out of search engines, loads Decap and the class format."""
    heading = "Editor" if language == "en" else "Penyunting"
    return f"""<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{html.escape(heading)} · {html.escape(title)}</title>
<style>{PHONE_CSS}</style>
</head>
<body>
<script>window.CMS_MANUAL_INIT = true; window.BERBAGI_TIMEZONE = {json.dumps(zone)};</script>
<script src="decap-cms.js"></script>
<script src="class-format.js"></script>
</body>
</html>
"""


def npm_files(node_modules: Path) -> dict[str, Path]:
    """What `invoke update-cms` vendors from node_modules/decap-cms/dist: the bundle, the chunks
    and wasm files it loads from its own folder, and its licence notices (no source maps)."""
    dist = node_modules / "decap-cms" / "dist"
    kept = ("decap-cms.js", "decap-cms.js.LICENSE.txt")
    return {
        path.name: path
        for path in sorted(dist.iterdir())
        if path.name in kept or path.name.endswith((".decap-cms.js", ".wasm"))
    }
