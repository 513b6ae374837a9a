"""The Date rule and shared slugs, with files as organizers write them, through `invoke check`.

At the issue's moment, 2026-12-02 10:00 WIB: a `Date` copied from `Start` must fail the check (it
used to pass and keep the class off every page until it had started), a `Date` still to come is
a warning saying when the class appears, and an old class recorded later never takes the address
of the announced one.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = ROOT / "tests" / "fixtures" / "organizer_dates"
NOW = "2026-12-02T10:00+07:00"


def check(tmp_path: Path, *names: str) -> subprocess.CompletedProcess:
    """`invoke check` on the sample site, its ledger, and the named organizer files added."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name in names:
        target = name.split("/")[-1]
        if target.startswith("2026-12-20-"):
            target = "2026-12-20-menulis-cerita-anak.md"
        shutil.copy(FILES / name, content / "classes" / target)
    shutil.copy(ROOT / "announcements.json", tmp_path / "announcements.json")
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(content)!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        "CACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n"
    )
    return subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--settings", str(settings)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "BERBAGI_NOW": NOW, "COLUMNS": "80", "PYTHONPATH": str(ROOT)},
    )


def lines_of(result: subprocess.CompletedProcess) -> list[str]:
    return (result.stdout + result.stderr).splitlines()


def test_a_date_copied_from_start_fails_the_check_at_its_line(tmp_path):
    result = check(tmp_path, "2026-12-20-date-written-as-the-class-date.md")
    assert result.returncode == 1
    problem = "content/classes/2026-12-20-menulis-cerita-anak.md:2: date: 2026-12-20 14:00 is "
    found = [line for line in lines_of(result) if line.startswith(problem)]
    assert len(found) == 1
    assert "Date is when the class is announced" in found[0]
    assert "'Date: 2026-12-02 10:00'" in found[0]


def test_a_date_the_evening_before_the_class_fails_the_check(tmp_path):
    result = check(tmp_path, "2026-12-20-date-the-evening-before.md")
    assert result.returncode == 1
    assert any(
        line.startswith("content/classes/2026-12-20-menulis-cerita-anak.md:2: date: ")
        and "only 19 hours before start" in line
        for line in lines_of(result)
    )


def test_a_date_still_to_come_is_a_warning_saying_when_the_class_appears(tmp_path):
    result = check(tmp_path, "2026-12-20-date-planned-a-week-ahead.md")
    assert result.returncode == 0, result.stderr
    assert (
        "warning: content/classes/2026-12-20-menulis-cerita-anak.md:2: date: 2026-12-08 20:00 "
        "is still to come; until then the class is on no page, in no calendar and in no post; "
        "it appears, and is announced, with the first build after it (at the latest the daily "
        "build on 2026-12-09 19:00)"
    ) in lines_of(result)
    assert result.stdout.strip().endswith("check: every class file is valid")


def test_a_backfilled_class_is_the_one_asked_to_rename_not_the_announced_one(tmp_path):
    # The sample ledger announced jurnalistik-foto (2026-12-05); the 2025 class shares its name.
    result = check(tmp_path, "2025-12-06-jurnalistik-foto.md")
    assert result.returncode == 1
    problems = [line for line in lines_of(result) if ": slug: " in line]
    assert problems == [
        "content/classes/2025-12-06-jurnalistik-foto.md:1: slug: 'jurnalistik-foto' is already "
        "the address of content/classes/2026-12-05-jurnalistik-foto.md, which was announced; "
        "give this class its own: rename this file, or add a line like "
        "'Slug: jurnalistik-foto-2025'"
    ]


def test_the_kits_message_is_the_only_one_about_a_shared_slug(tmp_path):
    result = check(tmp_path, "2025-12-06-jurnalistik-foto.md")
    output = result.stdout + result.stderr
    assert "There are 2" not in output  # Pelican's own warning, with the machine's paths
    assert str(tmp_path) not in output
    assert lines_of(result) == [
        line for line in lines_of(result) if line.startswith(("content/", "check failed"))
    ]


@pytest.mark.parametrize("name", ["2026-12-20-date-written-as-the-class-date.md"])
def test_a_production_build_with_the_date_trap_publishes_nothing(name, build_site, content_dir):
    from berbagi.glue import runner

    content = content_dir()
    shutil.copy(FILES / name, content / "classes" / "2026-12-20-menulis-cerita-anak.md")
    with pytest.raises(runner.BuildFailed) as failure:
        build_site(content, now=NOW)
    assert [problem.field for problem in failure.value.located] == ["date"]
