"""class_format.js, run by node: it reads and writes class files as berbagi.classfile reads them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from berbagi import classfile, cms
from berbagi.classfile import parse
from berbagi.model import photo_entries

ROOT = Path(__file__).resolve().parents[2]
CLASSES = sorted((ROOT / "content" / "classes").glob("[0-9]*.md"))
ORDER = [*classfile.CLASS_FIELDS, "body"]
# Runs the format as the admin page does, with a stand-in for Decap's CMS object.


def _run(calls: list[dict]) -> list:
    if shutil.which("node") is None:
        pytest.fail("node is missing; ./run test installs it with npm")
    script = (
        cms.format_script()
        + "\nconst calls = "
        + json.dumps(calls)
        + ";\nprocess.stdout.write(JSON.stringify(calls.map(c => c.text !== undefined"
        " ? window.BERBAGI_FORMAT.fromFile(c.text)"
        " : window.BERBAGI_FORMAT.toFile(c.data, c.order))));"
    )
    prelude = (
        'global.window = { BERBAGI_TIMEZONE: "Asia/Jakarta",'
        " CMS: { registerCustomFormat() {}, init() {} } };\n"
    )
    done = subprocess.run(
        ["node", "-e", prelude + script], capture_output=True, text=True, check=True, timeout=30
    )
    return list(json.loads(done.stdout))


def _header(text: str) -> list[tuple[str, str]]:
    parsed = classfile.parse(text, "x.md")
    assert not parsed.problems, parsed.problems
    return [(line.key, line.value) for line in parsed.header if line.value]


def test_every_sample_class_survives_the_form_unchanged():
    texts = [path.read_text(encoding="utf-8") for path in CLASSES]
    read = _run([{"text": text} for text in texts])
    written = _run([{"data": data, "order": ORDER} for data in read])
    for path, before, after in zip(CLASSES, texts, written, strict=True):
        original = _header(before)
        # `End: 16:00` comes back as the whole date-time, which the kit reads as the same end.
        start = dict(original).get("start", "")
        expected = [
            (key, f"{start[:10]} {value}" if key == "end" and len(value) <= 5 else value)
            for key, value in original
        ]
        # Fields come in the template's order; each repeated field keeps its lines' order.
        assert sorted(_header(after), key=lambda line: ORDER.index(line[0])) == _header(after)
        assert sorted(_header(after)) == sorted(expected), path.name
        assert classfile.parse(after, "x").body.strip() == classfile.parse(before, "x").body.strip()


def test_the_file_it_writes():
    data = {
        "title": "Menulis\nCerita  Pendek ",
        "date": "2026-11-20 10:00",
        "start": "2026-12-20 14:00",
        "venue": "Perpustakaan",
        "venue_address": "Jl. Merdeka 1",
        "teacher": [
            {"name": "Sari", "handles": "", "bio": "Penulis"},
            {"name": "Budi | Tono", "handles": "@budi"},
        ],
        "partner": [{"name": "Toko Buku", "url": "https://toko.example"}],
        "photo": [
            {"image": "images/kelas/a.jpg", "alt": "Peserta | menulis"},
            {"image": "images/kelas/b.jpg", "alt": "Guru | murid", "focus": "50% 30%"},
        ],
        "previous_start": ["2026-12-13 14:00"],
        "capacity": 30,
        "status": "scheduled",
        "summary": "",
        "body": "Uraian.",
    }
    [text] = _run([{"data": data, "order": ORDER}])
    assert text == (
        "Title: Menulis Cerita Pendek\n"
        "Date: 2026-11-20 10:00\n"
        "Start: 2026-12-20 14:00\n"
        "Venue: Perpustakaan\n"
        "Venue_Address: Jl. Merdeka 1\n"
        "Teacher: Sari | | Penulis\n"
        "Teacher: Budi / Tono | @budi\n"
        "Capacity: 30\n"
        "Status: scheduled\n"
        "Previous_Start: 2026-12-13 14:00\n"
        "Partner: Toko Buku | https://toko.example\n"
        "Photo: images/kelas/a.jpg | Peserta | menulis\n"
        "Photo: images/kelas/b.jpg | Guru / murid | focus 50% 30%\n"
        "\n"
        "Uraian.\n"
    )
    [back] = _run([{"text": text}])
    assert back["teacher"] == [
        {"name": "Sari", "handles": "", "bio": "Penulis"},
        {"name": "Budi / Tono", "handles": "@budi", "bio": ""},
    ]
    assert back["photo"] == [
        {"image": "images/kelas/a.jpg", "alt": "Peserta | menulis", "focus": ""},
        {"image": "images/kelas/b.jpg", "alt": "Guru / murid", "focus": "50% 30%"},
    ]
    photos = [(path, alt, focus) for path, alt, focus, _ in photo_entries(parse(text, "x"))]
    assert photos == [
        ("images/kelas/a.jpg", "Peserta | menulis", None),
        ("images/kelas/b.jpg", "Guru / murid", "focus 50% 30%"),
    ]


def test_date_is_filled_in_only_before_start():
    future = {"title": "T", "start": "2099-01-01 10:00"}
    past = {"title": "T", "start": "2001-01-01 10:00"}
    before, after = _run([{"data": future, "order": ORDER}, {"data": past, "order": ORDER}])
    assert [line.split(": ")[0] for line in before.splitlines() if line] == [
        "Title", "Date", "Start"
    ]  # fmt: skip
    assert "Date:" not in after


def test_a_page_keeps_pelicans_header():
    text = (ROOT / "content" / "pages" / "kontak.md").read_text(encoding="utf-8")
    [data] = _run([{"text": text}])
    [again] = _run([{"data": data, "order": ["title", "slug", "summary", "body"]}])
    assert again == text if text.endswith("\n") else text + "\n"
