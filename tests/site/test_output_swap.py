"""A build goes live only whole: a failed one leaves the last good site, a good one changes only
the files whose bytes changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from berbagi.glue import output, runner


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and its modification time."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_a_failed_build_leaves_the_last_good_site_untouched(build_site, content_dir, tmp_path):
    content = content_dir()
    site = build_site(content)
    before = tree(site)
    class_file = next((content / "classes").glob("2026-12-*.md"))
    class_file.write_text(
        class_file.read_text(encoding="utf-8").replace("Start: 2026", "Start: 2026-13"),
        encoding="utf-8",
    )
    with pytest.raises(runner.BuildFailed):
        build_site(content)
    assert tree(site) == before
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]


def test_a_rebuild_rewrites_only_the_files_that_changed(build_site, content_dir):
    content = content_dir()
    site = build_site(content)
    before = tree(site)
    class_file = next((content / "classes").glob("2026-12-*.md"))
    text = class_file.read_text(encoding="utf-8")
    class_file.write_text(text + "\nSatu kalimat baru di uraian.\n", encoding="utf-8")
    build_site(content)
    after = tree(site)
    changed = {name for name in after if after[name] != before.get(name)}
    slug = class_file.stem[len("2026-12-05-") :]
    assert f"kelas/{slug}/index.html" in changed
    assert "index.html" not in changed  # the home page shows no description
    assert len(changed) < len(after) / 4
    # Untouched files keep their time, so rsync, git and a reloading browser see nothing there.
    assert all(after[name] == before[name] for name in after.keys() - changed)


def test_files_no_build_makes_any_more_go_and_retained_ones_stay(tmp_path):
    staging, final = tmp_path / "staging", tmp_path / "output"
    (staging / "kelas" / "baru").mkdir(parents=True)
    (staging / "kelas" / "baru" / "index.html").write_text("baru")
    (staging / "same.txt").write_text("same")
    (final / "kelas" / "lama").mkdir(parents=True)
    (final / "kelas" / "lama" / "index.html").write_text("lama")
    (final / ".git").mkdir()
    (final / ".git" / "HEAD").write_text("ref")
    (final / "same.txt").write_text("same")
    os.utime(final / "same.txt", (1_000_000, 1_000_000))
    (final / "kelas" / "baru").write_text("a file where a folder now is")

    replaced = output.sync_tree(staging, final, keep=[".git"])

    assert replaced == 1
    assert (final / "kelas" / "baru" / "index.html").read_text() == "baru"
    assert not (final / "kelas" / "lama").exists()
    assert (final / ".git" / "HEAD").read_text() == "ref"
    assert (final / "same.txt").stat().st_mtime == 1_000_000


def test_a_failed_build_does_not_spoil_the_next_ones_sitemap(build_site, content_dir):
    content = content_dir()
    class_file = next((content / "classes").glob("2026-12-*.md"))
    good = class_file.read_text(encoding="utf-8")
    class_file.write_text(good.replace("Start: 2026", "Start: 2026-13"), encoding="utf-8")
    with pytest.raises(runner.BuildFailed):
        build_site(content)
    class_file.write_text(good, encoding="utf-8")
    sitemap = (build_site(content) / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") > 10


def test_a_failed_first_build_leaves_no_site(build_site, content_dir, tmp_path):
    content = content_dir()
    class_file = next((content / "classes").glob("2026-12-*.md"))
    class_file.write_text(
        class_file.read_text(encoding="utf-8").replace("Start: 2026", "Start: 2026-13"),
        encoding="utf-8",
    )
    with pytest.raises(runner.BuildFailed):
        build_site(content)
    assert not (tmp_path / "output").exists()
    (tmp_path / "output").mkdir()
    with pytest.raises(runner.BuildFailed):
        build_site(content)
    assert list((tmp_path / "output").iterdir()) == []


def test_an_output_folder_that_holds_the_content_is_refused(site_settings, content_dir, tmp_path):
    content = content_dir()
    settings = site_settings(content, OUTPUT_PATH=str(tmp_path))
    with pytest.raises(runner.BuildFailed) as failure:
        runner.build(settings)
    assert failure.value.code == runner.EXIT_SETTINGS
    assert "holds PATH" in failure.value.problems[0]
    assert (content / "classes").is_dir()
