"""Browser fixtures: the sample site served on localhost, one headless Chromium per session.

Chromium is Debian's (/usr/bin/chromium; Playwright's own download is not available here). Every
request to a host other than the local server is recorded and aborted, so a page that tried to
load a font, a script or an image from the internet fails its test instead of reaching out.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEVICES = {
    "phone": {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
LOCAL_HOST = "127.0.0.1"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site like a static host would, without a log line per request."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ics": "text/calendar; charset=utf-8",
        ".xml": "application/xml",
    }

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site_url(sample_site) -> Iterator[str]:
    """Base URL (ending in /) of the sample site, served from a thread on a free local port."""
    handler = functools.partial(QuietHandler, directory=str(sample_site))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test opens its own context."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; `./run test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A page in a fresh browser context, with everything that went wrong while it loaded."""

    page: Page
    base_url: str
    width: int
    height: int
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        """Requests to any host but the local server (data: and blob: URLs stay in the page)."""
        return [url for url in self.requests if not is_local(url)]

    def goto(self, path: str = "") -> Page:
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, (
            f"{path or '/'}: {response and response.status}"
        )
        return self.page

    def assert_clean(self) -> None:
        """No console error, no script error, no failed request, nothing fetched from elsewhere."""
        problems = {
            "console errors": self.console_errors,
            "script errors": self.page_errors,
            "failed requests": self.failed_requests,
            "requests to other hosts": self.foreign_requests,
        }
        assert not any(problems.values()), {k: v for k, v in problems.items() if v}


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == LOCAL_HOST


def keep_local(route) -> None:
    if is_local(route.request.url):
        route.continue_()
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def visit(browser, site_url) -> Iterator:
    """`visit("phone")` or `visit("desktop")`: a Visit in a fresh context; `.goto(path)` opens."""
    contexts = []

    def open_visit(device: str = "phone") -> Visit:
        options = DEVICES[device]
        context = browser.new_context(**options, accept_downloads=True, service_workers="block")
        contexts.append(context)
        page = context.new_page()
        result = Visit(page, site_url, **options["viewport"])

        # Recorded by page.on("request") below; blocked here so a test never reaches the network.
        context.route("**/*", keep_local)
        page.on("request", lambda request: result.requests.append(request.url))
        page.on(
            "console",
            lambda message: message.type == "error" and result.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: result.page_errors.append(str(error)))
        page.on(
            "requestfailed",
            lambda request: result.failed_requests.append(f"{request.url}: {request.failure}"),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and result.failed_requests.append(f"{response.url}: HTTP {response.status}")
            ),
        )
        return result

    yield open_visit
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """test-output/ at the repository root (git-ignored), or the folder in BERBAGI_TEST_OUTPUT."""
    folder = Path(os.environ.get("BERBAGI_TEST_OUTPUT") or ROOT / "test-output")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing; run `npm ci` (./run test does)")
    return AXE
