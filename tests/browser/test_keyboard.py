"""Keyboard only: the skip link comes first and works, and Tab reaches every visible link."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = ["", "kelas/jurnalistik-foto/", "kelas/fotografi-ponsel/", "langganan/"]

# Numbers every visible link and records each element that receives focus, in order.
WATCH_FOCUS = """() => {
    const visible = (el) => el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== 'hidden';
    const links = [...document.querySelectorAll('a[href]')].filter(visible);
    links.forEach((link, index) => { link.dataset.keyboardIndex = String(index); });
    window.focusLog = [];
    document.addEventListener('focusin', (event) => {
        const el = event.target;
        window.focusLog.push(el.dataset.keyboardIndex ?? `${el.tagName}#${el.id}`);
    });
    return links.map((link) => link.getAttribute('href'));
}"""


@pytest.mark.parametrize("path", PAGES)
def test_tab_reaches_every_link_starting_with_the_skip_link(visit, path):
    session = visit("desktop")
    page = session.goto(path)
    hrefs = page.evaluate(WATCH_FOCUS)
    assert hrefs, "no links found"
    # A few presses beyond the number of links: anything else focusable shows up in the log.
    for _ in range(len(hrefs) + 3):
        page.keyboard.press("Tab")
    focused = page.evaluate("() => window.focusLog")

    first = page.locator("a[data-keyboard-index='0']")
    assert focused[0] == "0" and "skip-link" in (first.get_attribute("class") or ""), focused[:3]
    missed = [hrefs[i] for i in range(len(hrefs)) if str(i) not in focused]
    assert missed == [], f"links never reached with Tab: {missed}"


def test_skip_link_shows_on_focus_and_moves_focus_to_the_content(visit):
    session = visit("phone")
    page = session.goto("")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "konten"
    page.keyboard.press("Tab")
    # The next stop is inside the main content, not back in the menu.
    assert page.evaluate("() => document.activeElement.closest('main') !== null")
