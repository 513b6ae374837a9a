"""Proposal issues into draft class files: recorded bodies as GitHub renders the forms."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from berbagi import classfile, proposal
from berbagi.model import FILE_NAME

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "proposals"
FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
ZONE = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=ZONE)
# Every piece of contact data the fixtures hold, in any form it was written.
CONTACTS = [
    "rina.foto@example.com", "0812-3456-7890", "+62 812 3456 7890", "6281234567890",
    "rina [at] example", "rina@example.com", "081234567890", "354-123", "0711",
    "pengelola@perpus.example", "123456",
]  # fmt: skip
ALL_FIXTURES = sorted(path.name for path in FIXTURES.glob("*.md"))


def draft_of(name: str, number: int = 42, taken=()) -> proposal.Draft:
    body = (FIXTURES / name).read_text(encoding="utf-8")
    found = proposal.parse_issue(body, number, author="rina-foto")
    return proposal.compose_draft(found, ZONE, NOW, taken)


def everything_written(draft: proposal.Draft) -> str:
    """The draft, the answer, the pull request and the data handed to the next step."""
    return "\n".join(
        [
            draft.text,
            proposal.answer_comment(draft, "https://github.com/o/r/pull/7", False),
            proposal.pull_title(draft),
            proposal.pull_body(draft, "https://github.com/o/r/issues/42", False),
            json.dumps(proposal.draft_to_json(draft), ensure_ascii=False),
        ]
    )


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_draft_is_a_class_file_without_header_problems(name):
    draft = draft_of(name)
    parsed = classfile.parse(draft.text, f"content/classes/{draft.file_name}")
    assert parsed.problems == ()
    assert [line.value for line in parsed.lines("status")] == ["draft"]
    assert classfile.PELICAN_KEYS.isdisjoint(line.key for line in parsed.header)
    assert FILE_NAME.match(draft.file_name)


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_no_contact_data_reaches_anything_written(name):
    written = everything_written(draft_of(name))
    for contact in CONTACTS:
        assert contact not in written
    assert not re.search(r"[\w.+-]+@[\w-]+\.[a-z]{2,}", written.replace("@mastodon.social", ""))


def test_a_complete_proposal_makes_a_draft_the_check_accepts():
    draft = draft_of("class_complete.md")
    assert draft.errors == ()
    assert draft.file_name == "2027-01-09-menulis-cerpen-untuk-pemula.md"
    assert draft.branch == "usulan/42-menulis-cerpen-untuk-pemula"
    header = draft.text.split("\n\n", 1)[0].splitlines()
    assert header == [
        "Title: Menulis Cerpen untuk Pemula",
        "Date: 2026-11-28 09:00",
        "Start: 2027-01-09 14:00",
        "Duration: 2 jam",
        "Venue: Kafe Kopi Contoh",
        "Venue_Address: Jl. Kapten A. Rivai No. 27, Palembang",
        "Teacher: Penulis cerpen (tokoh fiktif) | @penulis_cerpen @penulis@mastodon.social "
        "penulis.bsky.social | Menulis cerpen sejak 2010 dan mengelola klub baca.",
        "Summary: Kelas untuk siapa saja yang ingin mulai menulis cerita pendek.",
        "Bring: Alat tulis atau laptop",
        "Status: draft",
    ]
    comment = proposal.answer_comment(draft, "https://github.com/o/r/pull/7", True)
    assert "https://github.com/o/r/pull/7" in comment
    assert "sudah lengkap" in comment
    assert "Tidak ada yang diterbitkan sebelum pengurus menggabungkan" in comment
    assert "kami hapus" not in comment


def test_an_incomplete_proposal_is_answered_with_what_is_missing_in_indonesian():
    draft = draft_of("class_without_date_and_teacher.md")
    assert {error.field for error in draft.errors} == {"start", "venue", "teacher"}
    comment = proposal.answer_comment(draft, "https://github.com/o/r/pull/7", False)
    assert "**Yang masih kurang:**" in comment
    assert "- Tanggal dan jam belum jelas (tulis seperti 2026-12-20 14:00)." in comment
    assert "- Nama pengajar belum ada, atau akunnya tidak dikenali." in comment
    assert "- Tempat kelas belum ada." in comment
    assert "belum dicentang" in comment  # the house rules box was left empty
    assert "mengisi alamat tempat" in comment  # what the organizer fills in
    assert "Start:" not in draft.text and "Teacher:" not in draft.text
    # "fleksibel" is kept for the organizer, out of the header.
    assert "<!-- Waktu yang diusulkan: fleksibel -->" in draft.text


def test_hostile_values_cannot_add_header_lines():
    started = time.perf_counter()
    draft = draft_of("class_hostile.md")
    assert time.perf_counter() - started < 2  # a 100 kB value is cut, not scanned quadratically
    parsed = classfile.parse(draft.text, f"content/classes/{draft.file_name}")
    keys = [line.key for line in parsed.header]
    assert keys == [
        "title", "date", "start", "duration", "venue", "venue_address", "teacher", "summary",
        "bring", "status",
    ]  # fmt: skip
    assert parsed.single("status") == "draft"
    assert parsed.single("start") == "2027-01-16 14:00"
    header = draft.text.split("\n\n", 1)[0]
    assert "<" not in header and ">" not in header  # tags stay out of the header
    assert "🎉📸" in parsed.single("title")
    assert parsed.single("teacher").startswith("Rina 👩‍🏫 / @palsu")  # its '|' cannot add handles
    assert len(parsed.single("teacher")) < 500
    assert len(draft.text) < 20_000
    assert "<script>" in parsed.body  # the description keeps it; the site's nh3 removes it
    assert proposal.CONTACT_REMOVED in draft.text
    assert "Bagian yang tidak ada di formulir" not in draft.text  # unknown heading ignored
    assert draft.proposal.ignored_headings == ("Ringkasan tambahan",)
    assert "bio" in draft.proposal.cut_fields
    comment = proposal.answer_comment(draft, "https://github.com/o/r/pull/7")
    assert "e-mail atau nomor telepon kami hapus" in comment
    assert "dipotong" in comment


def test_a_venue_offer_makes_a_draft_with_the_venue_and_asks_for_the_class():
    draft = draft_of("venue_offer.md")
    parsed = classfile.parse(draft.text, draft.file_name)
    assert parsed.single("venue") == "Perpustakaan Warga Contoh"
    assert parsed.single("venue_address") == "Jl. Merdeka No. 10, Palembang"
    assert parsed.single("capacity") == "40"
    assert parsed.single("venue_map").startswith("https://www.openstreetmap.org/")
    assert "Sabtu dan Minggu, 13.00-17.00" in parsed.body
    assert "@pengelola-perpus" in parsed.body
    assert draft.file_name == "0000-00-00-usulan-42.md"
    assert proposal.missing(draft) == [
        "Judul kelas belum ada.",
        "Tanggal dan jam belum jelas (tulis seperti 2026-12-20 14:00).",
        "Nama pengajar belum ada, atau akunnya tidak dikenali.",
    ]
    assert proposal.pull_title(draft) == "Tawaran tempat #42: Perpustakaan Warga Contoh"


def test_a_taken_address_gets_another():
    draft = draft_of("class_complete.md", taken={"menulis-cerpen-untuk-pemula"})
    assert draft.slug == "menulis-cerpen-untuk-pemula-2027"
    assert draft.file_name == "2027-01-09-menulis-cerpen-untuk-pemula-2027.md"


def test_a_past_or_unreadable_time_is_left_for_the_organizer():
    body = (FIXTURES / "class_complete.md").read_text(encoding="utf-8")
    for written, note in (("2025-01-09 14:00", "sudah lewat"), ("Sabtu sore", "belum berbentuk")):
        changed = body.replace("2027-01-09 14:00", written)
        draft = proposal.compose_draft(proposal.parse_issue(changed, 5), ZONE, NOW)
        assert "Start:" not in draft.text
        assert any(note in line for line in draft.notes)
        assert "Tanggal dan jam belum jelas" in proposal.answer_comment(draft, "u")


def test_the_pull_request_links_the_issue_without_closing_it():
    draft = draft_of("class_complete.md")
    body = proposal.pull_body(draft, "https://github.com/o/r/issues/42", True)
    assert "https://github.com/o/r/issues/42" in body
    assert not re.search(r"\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\b\s*#", body, re.IGNORECASE)
    assert proposal.pull_title(draft) == "Usulan kelas #42: Menulis Cerpen untuk Pemula"


def test_the_draft_survives_the_step_between_workflow_commands():
    draft = draft_of("class_hostile.md")
    again = proposal.draft_from_json(json.loads(json.dumps(proposal.draft_to_json(draft))))
    assert again == draft


@pytest.mark.parametrize(
    "text",
    [
        "kirim ke rina.foto@example.com ya",
        "mailto:a.b+c@sub.example.co.id",
        "WA 0812-3456-7890",
        "HP: 081234567890.",
        "telp +62 812 3456 7890",
        "+62-812-3456-7890",
        "(0711) 354-123",
        "https://wa.me/6281234567890",
        "rina [at] example [dot] com",
        "+1 555 123 4567",
        "hubungi 0812 3456 7890 pukul 08.00-10.00",
        "0711-354123",
    ],
)
def test_contacts_are_removed(text):
    cleaned, found = proposal.remove_contacts(text)
    assert found
    assert proposal.CONTACT_REMOVED in cleaned
    assert not re.search(r"\d{3}", cleaned.replace("0711", "")), cleaned


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-20 14:00",
        "Jl. Kapten A. Rivai No. 27, Palembang",
        "@rina@mastodon.social rina.bsky.social @rina_foto",
        "-2.9761, 104.7554",
        "https://www.openstreetmap.org/?mlat=-2.9761&mlon=104.7554",
        "40 orang, 13.00-17.00",
        "Sabtu 08.00-12.00 13.00-17.00",
        "08.00-10.00 WIB",
        "01.12.2026 14.00",
        "20-12-2026 14:00",
        "Jl. Merdeka No. 10, Palembang 30129",
    ],
)
def test_what_is_not_contact_data_stays(text):
    assert proposal.remove_contacts(text) == (text, False)


def test_a_long_run_of_letters_is_scanned_in_linear_time():
    started = time.perf_counter()
    proposal.remove_contacts("a" * 200_000 + "@" + "b" * 200_000)
    assert time.perf_counter() - started < 2


def load_form(name: str) -> dict:
    return yaml.safe_load((FORMS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "label"),
    [("usul-kelas.yml", "usulan-kelas"), ("tawarkan-tempat.yml", "tawaran-tempat")],
)
def test_the_forms_and_the_converter_agree_on_every_label(name, label):
    form = load_form(name)
    assert form["labels"] == [label]
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    assert {item["attributes"]["label"] for item in fields} == set(proposal.FORMS[label])
    # Nothing asks for an e-mail or a phone number; the form says everything is public.
    for item in fields:
        asked = f"{item.get('id', '')} {item['attributes']['label']}".lower()
        assert not re.search(r"e-?mail|telepon|phone|whatsapp|\bwa\b|\bhp\b", asked)
    intro = form["body"][0]["attributes"]["value"]
    assert "bisa dibaca siapa saja" in intro
    assert "komentar" in intro


def test_the_forms_config_points_at_the_house_rules():
    config = yaml.safe_load((FORMS / "config.yml").read_text(encoding="utf-8"))
    assert isinstance(config["blank_issues_enabled"], bool)
    assert config["contact_links"][0]["url"].startswith("https://")


def test_the_proposers_words_in_the_answer_mention_nobody():
    body = (FIXTURES / "class_complete.md").read_text(encoding="utf-8")
    body = body.replace("2 jam", "@organizer [x](https://e.example)")
    body = body.replace("@penulis_cerpen", "@penulis_cerpen @kedua @ketiga!")
    draft = proposal.compose_draft(proposal.parse_issue(body, 5), ZONE, NOW)
    comment = proposal.answer_comment(draft, "u")
    assert "`@organizer [x](https://e.example)`" in comment
    assert "`@kedua`" in comment and "`@ketiga!`" in comment
    outside_code = re.sub(r"`[^`]*`", "", comment)
    assert "@" not in outside_code


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(sorted(proposal.CLASS_FORM)),
        st.text(st.characters(codec="utf-8"), max_size=300),
    )
)
def test_any_answers_make_a_draft_with_only_its_own_header_lines(answers):
    body = "".join(f"### {label}\n\n{value}\n\n" for label, value in answers.items())
    draft = proposal.compose_draft(proposal.parse_issue(body, 9), ZONE, NOW)
    parsed = classfile.parse(draft.text, f"content/classes/{draft.file_name}")
    assert parsed.problems == ()
    assert parsed.single("status") == "draft"
    allowed = {key.lower() for key in proposal.DRAFT_ORDER} | {"status"}
    assert {line.key for line in parsed.header} <= allowed
    assert len(parsed.lines("status")) == 1
