"""The national sample site on a 390-pixel phone: readable without script, no accessibility
problem that axe calls serious, nothing loaded from elsewhere."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from conftest import LOCAL_HOST, QuietHandler, is_local

from berbagi.glue import runner
from berbagi.national import loopback

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "national" / "sample"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PAGES = ["", "kota/", "kota/makassar/", "kota/jayapura/", "langganan/"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def national_url(sample_site, tmp_path_factory):
    """The national sample, built from Palembang's sample build and the two fictitious chapters
    served on loopback, then itself served from a thread."""
    tmp = tmp_path_factory.mktemp("national")
    folders = {
        "palembang": sample_site,
        "makassar": SAMPLE / "makassar" / "site",
        "jayapura": SAMPLE / "jayapura" / "site",
    }
    zones = {"palembang": "Asia/Jakarta", "makassar": "Asia/Makassar", "jayapura": "Asia/Jayapura"}
    with loopback.serve(folders) as base:
        chapters = [
            {
                "id": chapter_id,
                "name": f"Akademi Berbagi {chapter_id.title()}",
                "city": chapter_id.title(),
                "timezone": zone,
                "site_url": f"https://{chapter_id}.akademiberbagi.example",
                "calendar_url": f"{base}/{chapter_id}/calendar.ics",
                "feed_url": f"{base}/{chapter_id}/feeds/classes.atom.xml",
            }
            for chapter_id, zone in zones.items()
        ]
        settings = runner.load_settings(
            str(ROOT / "nationalconf.py"),
            {
                "OUTPUT_PATH": str(tmp / "output"),
                "CACHE_PATH": str(tmp / "cache"),
                "CLASS_SCHEDULE": {"now": "2026-11-28T09:00:00+07:00"},
                "NATIONAL_SITE": {"chapters": chapters},
            },
        )
        runner.build(settings)
    handler = functools.partial(QuietHandler, directory=str(tmp / "output"))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, java_script_enabled=False, service_workers="block")
    foreign: list[str] = []

    def keep_local(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", keep_local)
    yield context, foreign
    context.close()


def test_the_national_home_page_fits_a_phone_and_shows_every_zone(
    phone, national_url, screenshot_dir
):
    context, foreign = phone
    page = context.new_page()
    page.goto(national_url, wait_until="load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    text = page.inner_text("main")
    for label in ("WIB", "WITA", "WIT"):
        assert f" {label}" in text
    assert "Batal" in text  # the cancelled classes say so
    page.screenshot(path=str(screenshot_dir / "national-home-phone.png"), full_page=False)
    assert foreign == []


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations_on_national_pages(
    browser, national_url, axe_script, path
):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(national_url + path, wait_until="load")
        page.add_script_tag(path=str(axe_script))
        violations = page.evaluate("async () => (await axe.run()).violations")
    finally:
        context.close()
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert blocking == [], "\n".join(blocking)
