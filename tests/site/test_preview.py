"""The preview on the sample site: what it writes, what it leaves alone, when it rebuilds."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

from berbagi.preview import Preview
from berbagi.preview.serve import watch

ROOT = Path(__file__).resolve().parents[2]
CLASS = "classes/2026-12-05-jurnalistik-foto.md"
CLASS_PAGE = "kelas/jurnalistik-foto/index.html"


def _mtimes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()
    }


def _bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _preview(tmp_path, site_settings, content, **overrides):
    report = io.StringIO()
    preview = Preview(
        lambda: site_settings(content, **overrides),
        tmp_path / "served",
        report=report,
        workspace=tmp_path,
    )
    return preview, report


def test_an_edit_rewrites_only_the_files_it_changes(tmp_path, site_settings, content_dir):
    content = content_dir()
    preview, _ = _preview(tmp_path, site_settings, content)
    assert preview.full_build().kind == "full"
    served = tmp_path / "served"
    before = _mtimes(served)
    path = content / CLASS
    path.write_text(path.read_text().replace("Title: ", "Title: Baru: ", 1))
    outcome = preview.update()
    assert outcome.kind == "incremental"
    after = _mtimes(served)
    rewritten = {name for name in after if after[name] != before.get(name)}
    assert rewritten == set(outcome.changes.written)
    # The class's own outputs and the lists that show its title; never a page it is not on.
    assert "kelas/jurnalistik-foto/index.html" in rewritten
    assert "index.html" in rewritten and "calendar.ics" in rewritten
    assert "kelas/fotografi-ponsel/index.html" not in rewritten
    assert "tentang/index.html" not in rewritten
    assert "Baru: " in (served / "kelas/jurnalistik-foto/index.html").read_text()
    preview.close()


def test_a_description_edit_redoes_only_what_shows_the_description(
    tmp_path, site_settings, content_dir
):
    # The step's cost follows the edit: lists, calendars and the sitemap that show nothing of a
    # class's description are not made again, even in the preview's private build.
    content = content_dir()
    preview, _ = _preview(tmp_path, site_settings, content)
    assert preview.full_build().kind == "full"
    assert preview.built is not None
    before = _mtimes(preview.built)
    path = content / CLASS
    path.write_text(path.read_text() + "\nSatu kalimat lagi di uraian.\n")
    assert preview.update().kind == "incremental"
    after = _mtimes(preview.built)
    redone = {name for name in after if after[name] != before.get(name)}
    assert "kelas/jurnalistik-foto/index.html" in redone
    for kept in ("arsip/index.html", "guru/index.html", "calendar.ics", "sitemap.xml"):
        assert kept not in redone, kept
    assert not any(name.startswith(("guru/", "tempat/")) for name in redone)
    assert "Satu kalimat lagi" in (tmp_path / "served" / CLASS_PAGE).read_text()
    preview.close()


def test_an_invalid_edit_keeps_the_last_good_site_and_says_why(
    tmp_path, site_settings, content_dir
):
    content = content_dir()
    preview, report = _preview(tmp_path, site_settings, content)
    preview.full_build()
    before_bytes, before_times = _bytes(tmp_path / "served"), _mtimes(tmp_path / "served")
    path = content / CLASS
    good = path.read_text()
    path.write_text(good.replace("Start: 2026-12-05 14:00", "Start: 2026-12-45 14:00"))
    outcome = preview.update()
    assert outcome.kind == "failed"
    line = "content/classes/2026-12-05-jurnalistik-foto.md:3: start: '2026-12-45 14:00'"
    assert line in report.getvalue()
    assert _bytes(tmp_path / "served") == before_bytes
    assert _mtimes(tmp_path / "served") == before_times
    # Fixed again: the preview carries on from the last good build.
    path.write_text(good.replace("Title: ", "Title: Lagi: ", 1))
    assert preview.update().kind == "incremental"
    preview.close()


def test_a_template_change_rebuilds_everything(tmp_path, site_settings, content_dir):
    content = content_dir()
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    preview, _ = _preview(tmp_path, site_settings, content, THEME=str(theme))
    preview.full_build()
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("<main ", '<main data-x="1" '))
    outcome = preview.update()
    assert outcome.kind == "full"
    assert 'data-x="1"' in (tmp_path / "served" / "tentang" / "index.html").read_text()
    preview.close()


def test_page_and_settings_changes_rebuild_everything(tmp_path, site_settings, content_dir):
    content = content_dir()
    names = iter(["Satu", "Dua"])
    current = {"name": next(names)}
    preview = Preview(
        lambda: site_settings(content, SITENAME=current["name"]),
        tmp_path / "served",
        report=io.StringIO(),
        workspace=tmp_path,
    )
    preview.full_build()
    page = content / "pages" / "tentang.md"
    page.write_text(page.read_text() + "\nSatu baris lagi.\n")
    assert preview.update().kind == "full"
    assert "Satu baris lagi." in (tmp_path / "served" / "tentang" / "index.html").read_text()
    # A settings file the preview watches: changing it rebuilds with the new settings.
    settings_file = tmp_path / "conf.py"
    settings_file.write_text("X = 1\n")
    preview.extra_watched.append(settings_file)
    preview.full_build()
    current["name"] = next(names)
    settings_file.write_text("X = 2\n")
    assert preview.update().kind == "full"
    assert "<title>Dua</title>" in (tmp_path / "served" / "index.html").read_text()
    preview.close()


def test_a_new_class_file_rebuilds_and_a_deleted_one_leaves_no_trace(
    tmp_path, site_settings, content_dir
):
    content = content_dir()
    preview, _ = _preview(tmp_path, site_settings, content)
    preview.full_build()
    source = content / CLASS
    moved = content / "classes" / "2026-12-12-jurnalistik-foto.md"
    text = source.read_text().replace("Start: 2026-12-05", "Start: 2026-12-12")
    source.unlink()
    moved.write_text(text)
    assert preview.update().kind == "full"
    (content / "classes" / "2026-12-12-jurnalistik-foto.md").unlink()
    assert preview.update().kind == "full"
    assert not (tmp_path / "served" / "kelas" / "jurnalistik-foto").exists()
    assert not (tmp_path / "served" / "bagikan" / "kelas" / "jurnalistik-foto.png").exists()
    preview.close()


def test_watch_builds_then_follows_edits(tmp_path, site_settings, content_dir):
    content = content_dir()
    preview, report = _preview(tmp_path, site_settings, content)
    path = content / CLASS
    rounds = iter(range(3))

    def stop() -> bool:
        round_ = next(rounds, None)
        if round_ == 1:
            path.write_text(path.read_text().replace("Title: ", "Title: Diawasi: ", 1))
        return round_ is None

    watch(preview, interval=0, stop=stop)
    assert "Diawasi: " in (tmp_path / "served" / "kelas/jurnalistik-foto/index.html").read_text()
    assert "incremental build" in report.getvalue()
    preview.close()


def _examine_after_a_change(watcher, report):
    # The file system reports a change some milliseconds after it is made (the watcher looks
    # only then, or every few seconds): examine until a step has run.
    before = report.getvalue()
    for _ in range(200):
        result = watcher.examine()
        if result != (None, None) or report.getvalue() != before:
            return result
        time.sleep(0.02)
    raise AssertionError("the watcher never looked at the change")


def test_livereload_reloads_after_a_written_step_and_never_after_an_invalid_edit(
    tmp_path, site_settings, content_dir
):
    from berbagi.preview.serve import livereload_watcher

    content = content_dir()
    preview, report = _preview(tmp_path, site_settings, content)
    preview.full_build()
    watcher = livereload_watcher(preview)
    assert watcher.examine() == (None, None)  # nothing changed: no reload
    path = content / CLASS
    good = path.read_text()
    path.write_text(good.replace("Title: ", "Title: Muat Ulang: ", 1))
    page, _ = _examine_after_a_change(watcher, report)
    # The step is over (its files written) before the reload is asked for.
    assert page is not None and page.endswith(".html")
    assert "Muat Ulang" in (tmp_path / "served" / "kelas/jurnalistik-foto/index.html").read_text()
    path.write_text(good.replace("Start: 2026-12-05 14:00", "Start: besok"))
    # The browser keeps the last good site.
    assert _examine_after_a_change(watcher, report) == (None, None)
    assert "jurnalistik-foto.md:3: start: 'besok'" in report.getvalue()
    preview.close()
