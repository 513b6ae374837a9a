"""The README's example of `invoke check` output is what `invoke check` really prints."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXED_NOW = "2026-11-28T09:00:00+07:00"
# The class file behind the README's example, line for line.
EXAMPLE_FILE = """\
Title: Fotografi Ponsel untuk Pemula
Date: 2026-11-20 10:00
Start: 2026-13-05 14:00
End: 16:00
Venue: Kafe Kopi Contoh
Venue_Address: Jl. Kapten A. Rivai No. 27, Palembang
Teacher: Rina (tokoh fiktif) | @guru_foto | Fotografer lepas
Registration: via Twitter
Status : cancelled
Photo: images/kelas/foto.HEIC | Peserta memotret di tepi Sungai Musi

Uraian kelas dalam Markdown.
"""


def readme_example() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("at any terminal width", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    return block.group(1).splitlines()


def test_the_readme_example_is_real_output_byte_for_byte(tmp_path):
    content = tmp_path / "content"
    (content / "classes").mkdir(parents=True)
    (content / "images" / "kelas").mkdir(parents=True)
    (content / "classes" / "2026-12-05-fotografi.md").write_text(EXAMPLE_FILE, encoding="utf-8")
    # What an iPhone saves: an ISO media file of brand 'heic'.
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
    (content / "images" / "kelas" / "foto.HEIC").write_bytes(heic)
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"from pelicanconf import *\nPATH = {str(content)!r}\nCACHE_CONTENT = False\n"
        f"LOAD_CONTENT_CACHE = False\nCACHE_PATH = {str(tmp_path / 'cache')!r}\n"
        f"CLASS_SCHEDULE = {{**CLASS_SCHEDULE, 'now': {FIXED_NOW!r}}}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--settings", str(settings)],
        cwd=ROOT,
        capture_output=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "40"},
    )
    assert result.returncode == 1
    printed = [line for line in result.stderr.splitlines() if line.startswith(b"content/")]
    assert printed == [line.encode() for line in readme_example()]
