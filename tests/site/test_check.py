"""`invoke check` and the build: every problem in every class file, in one run, by file and line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
FIXED_NOW = "2026-11-28T09:00:00+07:00"  # the builds' now, as in tests/conftest.py


def invoke(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )


def test_bad_class_files_give_the_exact_messages_all_at_once(content_dir, site_settings):
    content = content_dir(FIXTURES / "invalid_classes")
    expected = (content / "expected-errors.txt").read_text(encoding="utf-8").splitlines()
    with pytest.raises(runner.BuildFailed) as failure:
        runner.check(site_settings(content))
    assert failure.value.problems == expected
    assert str(failure.value) == (
        f"class_schedule: {len(expected)} problems in class files; nothing was built"
    )


def test_a_bad_build_writes_nothing(content_dir, build_site, tmp_path):
    content = content_dir(FIXTURES / "invalid_classes")
    with pytest.raises(runner.BuildFailed):
        build_site(content)
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").iterdir())


def test_valid_fixture_classes_build(build_site):
    site = build_site(FIXTURES / "valid_classes")
    without_end = (site / "kelas" / "class-without-end" / "index.html").read_text()
    assert "14.00–16.00 WIB" in without_end
    with_offset = (site / "kelas" / "class-with-offset-and-duration" / "index.html").read_text()
    assert 'datetime="2026-12-12T09:30:00+08:00"' in with_offset
    assert "Kelas ini ditunda" in with_offset
    assert not (site / "kelas" / "class-draft").exists()


def test_check_warns_when_no_class_is_planned_within_a_month(site_settings, caplog):
    warnings = runner.check(site_settings(now="2027-06-01T09:00:00+07:00"))
    assert any("no class is scheduled between 2027-06-01 and 2027-07-01" in w for w in warnings)


def test_check_is_quiet_when_a_class_is_coming(site_settings):
    warnings = runner.check(site_settings())
    assert not any("no class is scheduled" in w for w in warnings)


def test_invoke_check_exits_non_zero_with_the_messages(tmp_path):
    content = tmp_path / "content"
    (content / "classes").mkdir(parents=True)
    bad = FIXTURES / "invalid_classes" / "classes" / "2026-12-05-unparseable-start.md"
    (content / "classes" / bad.name).write_bytes(bad.read_bytes())
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"from pelicanconf import *\nPATH = {str(content)!r}\nCACHE_CONTENT = False\n"
        "LOAD_CONTENT_CACHE = False\n"
    )
    result = invoke("check", "--settings", str(settings))
    assert result.returncode == 1
    output = " ".join((result.stdout + result.stderr).split())
    assert (
        "content/classes/2026-12-05-unparseable-start.md:2: start: '2026-13-05 14:00' "
        "is not a date-time like 2026-12-05 14:00"
    ) in output
    assert "check failed" in output


def new_class(content: Path, start: str, now: str = FIXED_NOW) -> subprocess.CompletedProcess:
    """`invoke new-class` for one class starting at `start`, on a chapter clock fixed at `now`."""
    return subprocess.run(
        [
            sys.executable, "-m", "invoke", "new-class", "--no-input",
            "--content", str(content),
            "--title", "Menulis Cerpen: Dari Ide ke Naskah",
            "--start", start, "--end", "16:00",
            "--venue", "Kafe Kopi Contoh", "--address", "Jl. Kapten A. Rivai No. 27, Palembang",
            "--teacher", "Penulis cerpen (tokoh fiktif) | @penulis_cerpen",
            "--registration", "via Twitter",
        ],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "BERBAGI_NOW": now},
    )  # fmt: skip


def test_new_class_writes_a_file_that_passes_check(tmp_path, site_settings):
    content = tmp_path / "content"
    (content / "classes").mkdir(parents=True)
    result = new_class(content, "2026-12-12 14:00", now="2026-11-27T20:30:00+07:00")
    assert result.returncode == 0, result.stderr
    created = content / "classes" / "2026-12-12-menulis-cerpen-dari-ide-ke-naskah.md"
    assert created.is_file()
    # The class is announced when its file is written, on the chapter's clock.
    assert created.read_text(encoding="utf-8").splitlines()[:3] == [
        "Title: Menulis Cerpen: Dari Ide ke Naskah",
        "Date: 2026-11-27 20:30",
        "Start: 2026-12-12 14:00",
    ]
    assert runner.check(site_settings(content)) is not None  # raises BuildFailed if invalid


def test_new_class_writes_the_date_in_the_chapters_zone(tmp_path):
    content = tmp_path / "content"
    (content / "classes").mkdir(parents=True)
    result = new_class(content, "2026-12-12 14:00", now="2026-11-27T13:30:00+00:00")
    assert result.returncode == 0, result.stderr
    created = content / "classes" / "2026-12-12-menulis-cerpen-dari-ide-ke-naskah.md"
    assert "Date: 2026-11-27 20:30" in created.read_text(encoding="utf-8").splitlines()


def test_a_class_recorded_after_it_took_place_gets_no_date(tmp_path, site_settings):
    content = tmp_path / "content"
    (content / "classes").mkdir(parents=True)
    result = new_class(content, "2026-11-21 14:00")
    assert result.returncode == 0, result.stderr
    created = content / "classes" / "2026-11-21-menulis-cerpen-dari-ide-ke-naskah.md"
    assert not [line for line in created.read_text().splitlines() if line.startswith("Date:")]
    assert runner.check(site_settings(content)) is not None


def test_an_upcoming_class_without_date_is_refused_with_the_line_to_add(content_dir, site_settings):
    content = content_dir()
    source = content / "classes" / "2027-01-09-kewirausahaan-sosial.md"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    source.write_text("".join(line for line in lines if not line.startswith("Date:")))
    with pytest.raises(runner.BuildFailed) as failure:
        runner.check(site_settings(content))
    assert failure.value.problems == [
        "content/classes/2027-01-09-kewirausahaan-sosial.md:1: date: missing; add the line "
        "'Date: 2026-11-28 09:00' (when the class is announced) under the title"
    ]
    # The same file, once its class is over, is valid: a past class needs no Date:.
    assert runner.check(site_settings(content, now="2027-02-01T09:00:00+07:00")) is not None


def test_a_date_after_the_start_is_refused(content_dir, site_settings):
    content = content_dir()
    source = content / "classes" / "2027-01-09-kewirausahaan-sosial.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Date: 2026-11-25 10:00", "Date: 2027-01-10 10:00"))
    with pytest.raises(runner.BuildFailed) as failure:
        runner.check(site_settings(content))
    assert failure.value.problems == [
        "content/classes/2027-01-09-kewirausahaan-sosial.md:2: date: 2027-01-10 10:00 is after "
        "start 2027-01-09 09:00; the announcement cannot come after the class"
    ]


def test_new_class_refuses_bad_input_with_check_messages(tmp_path):
    result = subprocess.run(
        [
            sys.executable, "-m", "invoke", "new-class", "--no-input",
            "--content", str(tmp_path), "--title", "Kelas", "--start", "besok",
            "--venue", "Kafe", "--address", "Jl. Contoh", "--teacher", "Guru",
        ],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert "start: 'besok' is not a date-time like 2026-12-05 14:00" in result.stderr


def test_an_error_pelican_logs_itself_fails_the_build(content_dir, build_site):
    content = content_dir()
    page = content / "pages" / "tentang.md"
    page.write_text("Date: bukan-tanggal\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(runner.BuildFailed) as failure:
        build_site(content)
    assert str(failure.value) == "1 error logged above; nothing is usable"
    assert "tentang.md" in failure.value.problems[0]


def test_every_check_reports_its_own_warnings(site_settings):
    settings = site_settings(now="2027-06-01T09:00:00+07:00")
    first, second = runner.check(settings), runner.check(settings)
    assert [w for w in first if "no class is scheduled" in w]
    assert [w for w in second if "no class is scheduled" in w] == [
        w for w in first if "no class is scheduled" in w
    ]


def test_settings_mistakes_end_a_task_with_exit_2_and_one_line_each(tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text(
        "from pelicanconf import *\n"
        f"PATH = {str(ROOT / 'content')!r}\n"
        "TIMEZONE = 'Asia/Palembang'\n"
        "SOCIAL_PUBLISH = {**SOCIAL_PUBLISH, 'max_post': 3}\n"
        "ARTICLE_URL = 'kelas/{title}/'\n"
    )

    result = invoke("check", "--settings", str(settings))

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "class_schedule",
        "class_schedule",
        "social_publish",
    ]
    assert "TIMEZONE 'Asia/Palembang' is not an IANA zone" in lines[0]
    assert "ARTICLE_URL 'kelas/{title}/' cannot be filled in" in lines[1]
    assert "unknown key SOCIAL_PUBLISH['max_post']" in lines[2]


def test_a_settings_file_pelican_refuses_is_exit_2_too(tmp_path):
    missing = tmp_path / "nothing-here.py"

    result = invoke("check", "--settings", str(missing))

    assert result.returncode == 2
    assert result.stderr.strip() == f"{missing}: not found (No such file or directory)"
