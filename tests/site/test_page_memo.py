"""A rebuild renders only the pages whose inputs changed, and comes out exactly as a clean build.

Pelican logs `Writing "<path>"` for every page it renders; a page kept from the last good build
is linked instead and never logged, so the log tells which pages a build rendered.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
from pelican import signals

from berbagi.glue import runner
from tests.conftest import ROOT

LATER = "2026-12-06T09:00:00+07:00"  # after the class of 2026-12-05 has started


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; the sitemap's lastmod of undated pages is the build's wall clock."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.name == "sitemap.xml":
                data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data)
            found[str(path.relative_to(folder))] = data
    return found


def clean_build(site_settings, tmp_path: Path, content: Path, **overrides) -> dict[str, bytes]:
    """A build of the same content into empty output and cache folders."""
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    runner.build(
        site_settings(
            content, OUTPUT_PATH=str(clean / "output"), CACHE_PATH=str(clean / "cache"), **overrides
        )
    )
    return tree(clean / "output")


@pytest.fixture
def rendered(caplog):
    """The output paths Pelican rendered since the last call (relative to the output folder)."""
    caplog.set_level(logging.INFO, logger="pelican.writers")

    def pages(site: Path) -> set[str]:
        found = set()
        for record in caplog.records:
            match = re.fullmatch(r'Writing "(.*)"', record.getMessage())
            if match and record.name == "pelican.writers":
                path = Path(match.group(1))
                found.add(str(path.relative_to(site)) if site in path.parents else path.name)
        caplog.clear()
        return {page.replace(".building/", "") for page in found}

    return pages


def class_pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in (site / "kelas").glob("*/index.html")}


def _edit(class_file: Path, text: str = "\nSatu kalimat baru di uraian.\n") -> None:
    class_file.write_text(class_file.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_one_edited_class_is_the_only_class_page_rendered_again(
    build_site, content_dir, site_settings, tmp_path, rendered
):
    content = content_dir()
    site = build_site(content)
    rendered(site)
    class_file = content / "classes" / "2025-10-11-public-speaking.md"
    _edit(class_file)
    build_site(content)
    again = {page for page in rendered(tmp_path / ".output.building") if page.startswith("kelas/")}
    assert again == {"kelas/public-speaking/index.html"}
    assert tree(site) == clean_build(site_settings, tmp_path, content)


def test_nothing_changed_renders_no_class_or_listing_page(build_site, content_dir, rendered):
    content = content_dir()
    site = build_site(content)
    pages = class_pages(site)
    assert len(pages) >= 10
    rendered(site)
    build_site(content)
    again = rendered(site.parent / ".output.building")
    assert not again & pages
    assert not {page for page in again if page.startswith(("guru/", "tempat/", "arsip/"))}


def test_a_template_change_renders_every_class_page_again(
    build_site, content_dir, site_settings, tmp_path
):
    content = content_dir()
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    site = build_site(content, THEME=str(theme))
    template = theme / "templates" / "class.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace("</article>", "<!-- baru --></article>", 1),
        encoding="utf-8",
    )
    build_site(content, THEME=str(theme))
    for page in class_pages(site):
        assert "<!-- baru -->" in (site / page).read_text(encoding="utf-8"), page
    assert tree(site) == clean_build(site_settings, tmp_path, content, THEME=str(theme))


def test_the_clock_passing_a_class_start_renders_the_pages_it_changes(
    build_site, content_dir, site_settings, tmp_path
):
    content = content_dir()
    site = build_site(content)
    build_site(content, now=LATER)
    assert tree(site) == clean_build(site_settings, tmp_path, content, now=LATER)


def test_a_settings_change_renders_the_pages_again(
    build_site, content_dir, site_settings, tmp_path
):
    content = content_dir()
    site = build_site(content)
    build_site(content, SITENAME="Akber Uji")
    assert tree(site) == clean_build(site_settings, tmp_path, content, SITENAME="Akber Uji")


def test_a_page_changed_since_the_last_build_is_rendered_again(
    build_site, content_dir, site_settings, tmp_path
):
    content = content_dir()
    site = build_site(content)
    page = site / "kelas" / "public-speaking" / "index.html"
    page.write_text("diubah oleh orang lain", encoding="utf-8")
    build_site(content)
    assert tree(site) == clean_build(site_settings, tmp_path, content)


def test_a_failed_build_leaves_no_keys_for_the_files_it_never_put_in_place(
    build_site, content_dir, site_settings, tmp_path
):
    content = content_dir()
    site = build_site(content)
    _edit(content / "classes" / "2025-10-11-public-speaking.md")

    def fail_at_the_end(pelican_object: object) -> None:
        logging.getLogger("tests").error("the deploy target is full")

    signals.finalized.connect(fail_at_the_end)
    try:
        with pytest.raises(runner.BuildFailed):
            build_site(content)
    finally:
        signals.finalized.disconnect(fail_at_the_end)
    # The page of the failed build's edit is not in the site; the next build must make it.
    build_site(content)
    assert tree(site) == clean_build(site_settings, tmp_path, content)


def test_a_new_photo_beside_the_classes_renders_the_pages_again(
    build_site, content_dir, site_settings, tmp_path, rendered
):
    content = content_dir()
    site = build_site(content)
    rendered(site)
    logo = next((content / "images").rglob("*.*"))
    logo.write_bytes(logo.read_bytes() + b"\0")
    build_site(content)
    assert class_pages(site) <= rendered(tmp_path / ".output.building")
