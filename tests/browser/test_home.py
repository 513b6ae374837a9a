"""The home page on a phone and a desktop: the next class is visible at once, nothing is broken."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Every kind of page, for the checks that apply to all of them.
PAGES = [
    "",
    "kelas/jurnalistik-foto/",
    "kelas/fotografi-ponsel/",
    "kelas/desain-grafis-komunitas/",
    "arsip/",
    "guru/",
    "guru/rina-fotografer-tokoh-fiktif/",
    "tempat/",
    "tempat/kafe-kopi-contoh/",
    "langganan/",
    "tentang/",
]


def horizontal_overflow(page) -> dict:
    return page.evaluate(
        "() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth})"
    )


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_next_class_is_above_the_fold(visit, device, screenshot_dir):
    session = visit(device)
    page = session.goto("")
    fold = session.height
    card = page.locator(".next-class .next-card")
    shown = {
        "title": card.locator("h2"),
        "date": card.locator("time.dt-start"),
        "venue": card.locator(".p-location"),
        "register button": card.locator(".actions a.button:not(.button-secondary)"),
    }
    assert "Jurnalistik Foto" in shown["title"].inner_text()
    # The h-event's name is the title alone, without the "Jadwal baru" badge beside it.
    assert card.locator(".p-name").inner_text() == "Jurnalistik Foto: Bercerita dengan Gambar"
    assert shown["date"].get_attribute("datetime") == "2026-12-05T14:00:00+07:00"
    assert "Studio Radio Suara Contoh FM" in shown["venue"].inner_text()
    assert shown["register button"].inner_text().strip() == "Daftar"
    for name, locator in shown.items():
        assert locator.count() == 1, name
        box = locator.bounding_box()
        assert box is not None, f"{name} is not displayed"
        assert box["y"] >= 0 and box["y"] + box["height"] <= fold, (
            f"{name} ends at {box['y'] + box['height']:.0f}px, below the fold at {fold}px"
        )
    sizes = horizontal_overflow(page)
    assert sizes["innerWidth"] == session.width
    assert sizes["scrollWidth"] <= sizes["innerWidth"], sizes
    if device == "phone":
        page.screenshot(path=screenshot_dir / "home-phone.png", full_page=True)
    session.assert_clean()


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone_and_loads_cleanly(visit, path):
    session = visit("phone")
    page = session.goto(path)
    # Lazy images below the fold load too, so their requests are checked as well.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => [...document.images].every((image) => image.complete)")
    sizes = horizontal_overflow(page)
    assert sizes["scrollWidth"] <= sizes["innerWidth"] == session.width, sizes
    session.assert_clean()


def test_requests_to_other_hosts_are_recorded_and_blocked(visit):
    session = visit("desktop")
    page = session.goto("")
    outcome = page.evaluate(
        """async () => {
            try { await fetch('https://fonts.example.org/font.woff2'); return 'reached'; }
            catch (error) { return 'blocked'; }
        }"""
    )
    assert outcome == "blocked"
    assert session.foreign_requests == ["https://fonts.example.org/font.woff2"]
    with pytest.raises(AssertionError, match="requests to other hosts"):
        session.assert_clean()
