"""The Laporan page on small phones: charts and table fit, nothing scrolls sideways, photos load."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONES = {"320": {"width": 320, "height": 640}, "390": {"width": 390, "height": 844}}


@pytest.mark.parametrize("width", sorted(PHONES))
def test_report_fits_a_phone_without_sideways_scrolling(browser, site_url, width, screenshot_dir):
    context = browser.new_context(viewport=PHONES[width], is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        response = page.goto(site_url + "laporan/", wait_until="load")
        assert response is not None and response.ok
        viewport = PHONES[width]["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport
        for chart in page.locator("svg.chart-image").all():
            box = chart.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport
            assert box["height"] > 100  # scaled with its view box, not squashed
        # The table fits too (its region scrolls on its own only if a translation is longer).
        for region in page.locator(".table-scroll").all():
            assert region.evaluate("e => e.scrollWidth <= e.clientWidth")
        # Every photo of the gallery loaded from its resized copy.
        images = page.locator("#galeri ~ article img, section[aria-labelledby=galeri] img")
        assert images.count() == 3
        for image in images.all():
            image.scroll_into_view_if_needed()
            image.evaluate("img => img.decode()")
            assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert errors == []
        page.screenshot(path=screenshot_dir / f"report-{width}.png", full_page=True)
    finally:
        context.close()
