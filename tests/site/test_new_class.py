"""`invoke new-class` as organizers meet it: no terminal, a long title, a name already taken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-27T20:30:00+07:00"
REQUIRED = [
    "--start", "2027-01-09 14:00", "--venue", "Kafe Kopi Contoh",
    "--address", "Jl. Kapten A. Rivai No. 27, Palembang",
    "--teacher", "Penulis cerpen (tokoh fiktif) | @penulis_cerpen",
]  # fmt: skip


def new_class(content: Path, *options: str) -> subprocess.CompletedProcess:
    """`invoke new-class` with its input closed, as in CI or a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "new-class", "--content", str(content), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "BERBAGI_NOW": NOW},
    )


def classes_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "classes"
    folder.mkdir(parents=True)
    return folder


def test_closed_input_names_the_missing_answer_and_the_option(tmp_path):
    folder = classes_folder(tmp_path)
    result = new_class(folder.parent, "--title", "Menulis Cerpen")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no answer for 'Mulai (YYYY-MM-DD HH:MM, WIB)' (input closed)" in result.stderr
    assert "--start" in result.stderr
    assert list(folder.iterdir()) == []


def test_a_very_long_title_gets_a_short_address_between_words(tmp_path, site_settings):
    folder = classes_folder(tmp_path)
    title = "Belajar Membuat Video Pendek untuk Media Sosial dengan Ponsel " * 6
    result = new_class(folder.parent, "--no-input", "--title", title.strip(), *REQUIRED)
    assert result.returncode == 0, result.stderr
    (created,) = folder.iterdir()
    assert created.name == "2027-01-09-belajar-membuat-video-pendek-untuk-media.md"
    runner.check(site_settings(folder.parent))  # raises BuildFailed if the file is invalid


def test_an_address_another_years_class_uses_is_never_offered(tmp_path, site_settings):
    folder = classes_folder(tmp_path)
    first = new_class(
        folder.parent, "--no-input", "--title", "Menulis Cerpen", *REQUIRED[:1], "2026-12-12 14:00",
        *REQUIRED[2:],
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    second = new_class(folder.parent, "--no-input", "--title", "Menulis Cerpen", *REQUIRED)
    assert second.returncode == 0, second.stderr
    assert "'menulis-cerpen' is another class's address; this one gets 'menulis-cerpen-2027'" in (
        second.stdout
    )
    assert sorted(path.name for path in folder.iterdir()) == [
        "2026-12-12-menulis-cerpen.md",
        "2027-01-09-menulis-cerpen-2027.md",
    ]
    runner.check(site_settings(folder.parent))
