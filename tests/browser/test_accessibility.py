"""axe-core in Chromium finds no serious or critical accessibility problem on any kind of page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "kelas/jurnalistik-foto/",
    "kelas/fotografi-ponsel/",  # past class with photos
    "kelas/desain-grafis-komunitas/",  # cancelled
    "arsip/",
    "laporan/",  # charts, table and gallery
    "guru/rina-fotografer-tokoh-fiktif/",
    "tentang/",
    "langganan/",
]
BLOCKING = {"serious", "critical"}


def describe(violation: dict) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


@pytest.mark.parametrize("device", ["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(visit, axe_script, path, device):
    session = visit(device)
    page = session.goto(path)
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate("async () => (await axe.run()).violations")
    blocking = [describe(v) for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], "\n".join(blocking)
