"""A class page in the browser: its calendar file, its status banner and its photos."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

pytestmark = pytest.mark.browser

WIB = ZoneInfo("Asia/Jakarta")


def test_calendar_link_downloads_an_ics_that_parses(visit, screenshot_dir):
    session = visit("phone")
    page = session.goto("kelas/jurnalistik-foto/")
    page.screenshot(path=screenshot_dir / "class-phone.png", full_page=True)
    session.assert_clean()

    link = page.locator('main a[href$=".ics"]').first
    assert link.is_visible(), "the class page has no visible link to its .ics file"
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert "Jurnalistik Foto" in str(event["SUMMARY"])
    assert event.decoded("DTSTART") == datetime(2026, 12, 5, 14, 0, tzinfo=WIB)
    assert event.decoded("DTEND") == datetime(2026, 12, 5, 16, 30, tzinfo=WIB)
    assert session.foreign_requests == []


def test_cancelled_class_shows_its_banner(visit):
    session = visit("phone")
    page = session.goto("kelas/desain-grafis-komunitas/")
    banner = page.locator(".banner-cancelled")
    assert banner.is_visible()
    assert "Kelas ini dibatalkan." in banner.inner_text()
    assert "ujian akhir semester" in banner.inner_text()  # the organizer's Status_Note
    box = banner.bounding_box()
    assert box is not None and box["y"] + box["height"] <= session.height, "banner below the fold"
    # Nobody is invited to register for a class that will not happen.
    assert page.locator("main .actions a.button").count() == 0
    session.assert_clean()


def test_class_photos_load_from_their_resized_copies(visit, screenshot_dir):
    session = visit("phone")
    page = session.goto("kelas/fotografi-ponsel/")
    gallery = page.locator("section.gallery")
    gallery.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gallery img')].every((i) => i.complete)"
    )
    images = page.evaluate(
        """() => [...document.querySelectorAll('.gallery figure')].map((figure) => {
            const image = figure.querySelector('img');
            const box = image.getBoundingClientRect();
            return {alt: image.alt, caption: figure.querySelector('figcaption').textContent,
                    current: image.currentSrc, natural: image.naturalWidth,
                    left: box.left, right: box.right, ratio: box.width / box.height};
        })"""
    )
    assert len(images) == 2
    for image in images:
        assert image["natural"] > 0, f"{image['current']} did not load"
        assert "/foto/fotografi-ponsel/" in image["current"]
        assert image["alt"] and image["caption"].strip() == image["alt"]
        assert image["left"] >= 0 and image["right"] <= session.width
        assert image["ratio"] == pytest.approx(1.5, rel=0.01)
    gallery.screenshot(path=screenshot_dir / "class-photos-phone.png")
    session.assert_clean()


LABEL_LINES = """() => [...document.querySelectorAll('dl.facts > dt')].map((dt) => {
    const range = document.createRange();
    range.selectNodeContents(dt);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
        .map((r) => Math.round(r.top)));
    const lineHeight = parseFloat(getComputedStyle(dt).lineHeight);
    return {label: dt.textContent.trim(), lines: tops.size,
            height: range.getBoundingClientRect().height, lineHeight: lineHeight,
            right: dt.getBoundingClientRect().right};
})"""


@pytest.mark.parametrize("width", [320, 390])
def test_no_label_of_the_details_list_breaks_across_lines_on_a_phone(
    browser, site_url, sample_site, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        pages = sorted(p.parent.name for p in (sample_site / "kelas").glob("*/index.html"))
        seen = set()
        for slug in pages:
            page.goto(f"{site_url}kelas/{slug}/", wait_until="load")
            labels = page.evaluate(LABEL_LINES)
            for label in labels:
                seen.add(label["label"])
                where = f"{slug} at {width} px: {label}"
                assert label["lines"] == 1, where
                assert label["height"] < 1.5 * label["lineHeight"], where
                assert label["right"] <= width, where
            assert page.evaluate("document.documentElement.scrollWidth") <= width, slug
        assert {"Kapasitas", "Yang perlu dibawa", "Peserta hadir"} <= seen
    finally:
        context.close()
