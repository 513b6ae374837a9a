"""Class photos in a real build: resized copies, the gallery markup, no originals, fast rebuilds."""

from __future__ import annotations

import logging
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image, ImageOps

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
PHOTO_CLASS = "content/classes/2026-09-26-fotografi-ponsel.md"
PHOTO_CLASS_HEADER_END = "Participants: 27\n"


class GalleryParser(HTMLParser):
    """The <img> attributes and <figcaption> text of each <figure> on a page."""

    def __init__(self):
        super().__init__()
        self.figures: list[dict] = []
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "figure":
            self.figures.append({"img": None, "caption": ""})
        elif tag == "img" and self.figures:
            self.figures[-1]["img"] = dict(attrs)
        elif tag == "figcaption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption:
            self.figures[-1]["caption"] += data


def figures_of(page: Path) -> list[dict]:
    parser = GalleryParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.figures


def photo_lines(class_file: Path) -> list[tuple[str, str]]:
    """(path, alt) of each Photo line, as written by the organizer."""
    found = []
    for line in class_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("Photo:"):
            path, _, alt = line.removeprefix("Photo:").partition("|")
            found.append((path.strip(), alt.strip()))
    return found


def add_header_line(class_file: Path, line: str) -> None:
    text = class_file.read_text(encoding="utf-8")
    assert PHOTO_CLASS_HEADER_END in text
    class_file.write_text(text.replace(PHOTO_CLASS_HEADER_END, f"{PHOTO_CLASS_HEADER_END}{line}\n"))


def copy_mtimes(output: Path) -> dict[str, int]:
    return {str(p.relative_to(output)): p.stat().st_mtime_ns for p in output.rglob("foto/**/*.jpg")}


def test_sample_photos_are_resized_at_each_width(sample_site):
    sizes = {}
    for copy in sorted((sample_site / "foto").rglob("*.jpg")):
        with Image.open(copy) as image:
            sizes[str(copy.relative_to(sample_site / "foto"))] = image.size
            assert not image.getexif()  # public-speaking's original carries camera EXIF
    assert sizes == {
        "fotografi-ponsel/fotografi-ponsel-kopi-1440.jpg": (1440, 960),
        "fotografi-ponsel/fotografi-ponsel-kopi-480.jpg": (480, 320),
        "fotografi-ponsel/fotografi-ponsel-kopi-960.jpg": (960, 640),
        "fotografi-ponsel/fotografi-ponsel-sepertiga-1440.jpg": (1440, 960),
        "fotografi-ponsel/fotografi-ponsel-sepertiga-480.jpg": (480, 320),
        "fotografi-ponsel/fotografi-ponsel-sepertiga-960.jpg": (960, 640),
        # Stored sideways with EXIF orientation 6, 1067 px wide once upright: never upscaled.
        "public-speaking/public-speaking-mikrofon-1067.jpg": (1067, 1600),
        "public-speaking/public-speaking-mikrofon-480.jpg": (480, 720),
        "public-speaking/public-speaking-mikrofon-960.jpg": (960, 1440),
    }


def test_originals_of_class_photos_are_not_published(sample_site):
    originals = {p.name for p in (ROOT / "content" / "images" / "kelas").glob("*.jpg")}
    assert originals, "the sample site should have class photos"
    published = {p.name for p in sample_site.rglob("*") if p.is_file()}
    assert originals.isdisjoint(published)


def test_gallery_shows_each_photo_with_srcset_and_alt(sample_site):
    page = sample_site / "kelas" / "fotografi-ponsel" / "index.html"
    figures = figures_of(page)
    expected = photo_lines(ROOT / PHOTO_CLASS)
    assert [figure["caption"].strip() for figure in figures] == [alt for _, alt in expected]
    page_url = "http://site.invalid/kelas/fotografi-ponsel/"
    for figure, (_, alt) in zip(figures, expected, strict=True):
        img = figure["img"]
        assert img["alt"] == alt
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        assert img["sizes"]
        assert (img["width"], img["height"]) == ("1440", "960")
        candidates = [entry.strip().rsplit(" ", 1) for entry in img["srcset"].split(",")]
        assert [descriptor for _, descriptor in candidates] == ["480w", "960w", "1440w"]
        assert img["src"] == candidates[0][0]  # the smallest copy for browsers without srcset
        for url, descriptor in candidates:
            copy = sample_site / urljoin(page_url, url).removeprefix("http://site.invalid/")
            with Image.open(copy) as image:
                assert f"{image.width}w" == descriptor


def test_class_without_photos_has_no_gallery(sample_site):
    page = sample_site / "kelas" / "jurnalistik-foto" / "index.html"
    assert figures_of(page) == []
    assert 'class="gallery"' not in page.read_text(encoding="utf-8")


def test_missing_photo_fails_check_and_build_naming_class_line_and_file(
    build_site, content_dir, site_settings
):
    content = content_dir()
    add_header_line(
        content / "classes" / "2026-09-26-fotografi-ponsel.md",
        "Photo: images/kelas/tidak-ada.jpg | Foto yang lupa diunggah",
    )
    expected = [
        "content/classes/2026-09-26-fotografi-ponsel.md:20: photo: 'images/kelas/tidak-ada.jpg' "
        "not found; put the file at content/images/kelas/tidak-ada.jpg"
    ]
    with pytest.raises(runner.BuildFailed) as checked:
        runner.check(site_settings(content))
    assert checked.value.problems == expected
    with pytest.raises(runner.BuildFailed) as built:
        build_site(content=content)
    assert built.value.problems == expected


def test_file_that_is_not_an_image_fails_the_build(build_site, content_dir, caplog):
    content = content_dir()
    (content / "images" / "kelas" / "catatan.jpg").write_text("bukan foto", encoding="utf-8")
    add_header_line(
        content / "classes" / "2026-09-26-fotografi-ponsel.md",
        "Photo: images/kelas/catatan.jpg | Catatan kelas",
    )
    with pytest.raises(runner.BuildFailed):
        build_site(content=content)
    assert any(
        "images/kelas/catatan.jpg" in r.getMessage() and "could not be read" in r.getMessage()
        for r in caplog.records
        if r.levelno == logging.ERROR
    )


def test_photo_outside_the_photo_folder_is_not_published_either(build_site, content_dir):
    content = content_dir()
    # The organizer put the photo straight in images/; an unrelated image there stays public.
    shutil.move(
        content / "images" / "kelas" / "fotografi-ponsel-kopi.jpg",
        content / "images" / "kopi.jpg",
    )
    Image.new("RGB", (40, 40), "green").save(content / "images" / "logo-mitra.png")
    class_file = content / "classes" / "2026-09-26-fotografi-ponsel.md"
    class_file.write_text(
        class_file.read_text(encoding="utf-8").replace(
            "images/kelas/fotografi-ponsel-kopi.jpg", "images/kopi.jpg"
        ),
        encoding="utf-8",
    )
    output = build_site(content=content)
    assert not (output / "images" / "kopi.jpg").exists()
    assert (output / "images" / "logo-mitra.png").exists()
    assert (output / "foto" / "fotografi-ponsel" / "kopi-480.jpg").exists()


def test_warm_rebuild_reuses_copies_until_a_photo_changes(build_site, content_dir, caplog):
    caplog.set_level(logging.INFO, logger="class_photos")
    content = content_dir()
    output = build_site(content=content)
    first = copy_mtimes(output)
    assert len(first) == 9
    assert "class_photos: wrote 9 resized photo files" in caplog.messages

    caplog.clear()
    build_site(content=content)
    assert copy_mtimes(output) == first
    assert not any("resized photo files" in message for message in caplog.messages)

    # Touched but the same picture (a git checkout does that): made again, and the same bytes
    # leave the published copies alone.
    changed = content / "images" / "kelas" / "fotografi-ponsel-kopi.jpg"
    later = max(first.values()) / 1e9 + 10
    os.utime(changed, (later, later))
    caplog.clear()
    build_site(content=content)
    assert "class_photos: wrote 3 resized photo files" in caplog.messages
    assert copy_mtimes(output) == first

    # A new picture in the same file: only its copies change.
    with Image.open(changed) as picture:
        ImageOps.mirror(picture).save(changed, quality=90)
    build_site(content=content)
    rewritten = {name for name, mtime in copy_mtimes(output).items() if mtime != first[name]}
    assert rewritten == {
        f"foto/fotografi-ponsel/fotografi-ponsel-kopi-{width}.jpg" for width in (480, 960, 1440)
    }
