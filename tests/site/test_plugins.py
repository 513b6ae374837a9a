"""The plugins as a chapter combines them: any subset builds, in any order, with no dead links;
any class page address Pelican accepts works, and every output links to the same class page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import icalendar
import pytest

from berbagi.glue import runner

ALL_PLUGINS = ["class_schedule", "ical_feed", "class_feeds", "class_photos", "social_publish"]
SITE_URL = "https://palembang.akademiberbagi.example"
# What each plugin, and only it, adds to the output of the sample site.
OWN_OUTPUTS = {
    "ical_feed": [
        "calendar.ics",
        "langganan/index.html",
        "kelas/jurnalistik-foto/jurnalistik-foto.ics",
    ],
    "class_feeds": ["feeds/classes.atom.xml", "feeds/classes.rss.xml"],
    "class_photos": ["foto/fotografi-ponsel"],
}
CORE_OUTPUTS = ["index.html", "kelas/jurnalistik-foto/index.html", "arsip/index.html"]


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.links.append(value)
            if name == "srcset" and value:
                self.links += [part.split()[0] for part in value.split(",")]


def dead_links(site: Path) -> list[str]:
    """Links from any page to a file of this site that the build did not write."""
    dead = []
    for page in sorted(site.rglob("*.html")):
        collector = LinkCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        base = "file:///" + page.relative_to(site).as_posix()
        for link in collector.links:
            parts = urlsplit(urljoin(base, link))
            if parts.scheme != "file":
                continue
            target = site / unquote(parts.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                dead.append(f"{page.relative_to(site)} -> {link}")
    return dead


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("plugin", ALL_PLUGINS)
def test_each_plugin_alone_builds_the_site_without_dead_links(plugin, build_site):
    site = build_site(PLUGINS=[plugin])

    for path in CORE_OUTPUTS:
        assert (site / path).exists(), path
    for owner, paths in OWN_OUTPUTS.items():
        for path in paths:
            assert (site / path).exists() == (owner == plugin), (owner, path)
    assert dead_links(site) == []


def test_without_the_calendar_no_page_offers_the_subscribe_page(build_site):
    site = build_site(PLUGINS=["class_schedule", "class_feeds", "class_photos"])

    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert not any("langganan/" in html for html in pages)
    assert not any("webcal:" in html or ".ics" in html for html in pages)


def test_reversed_order_builds_the_same_site_byte_for_byte(tmp_path, site_settings):
    outputs = []
    for order in (ALL_PLUGINS, list(reversed(ALL_PLUGINS))):
        settings = site_settings(
            PLUGINS=order,
            OUTPUT_PATH=str(tmp_path / f"output-{order[0]}"),
            CACHE_PATH=str(tmp_path / f"cache-{order[0]}"),
        )
        runner.build(settings)
        outputs.append(tree(Path(settings["OUTPUT_PATH"])))

    assert sorted(outputs[0]) == sorted(outputs[1])
    assert [name for name in outputs[0] if outputs[0][name] != outputs[1][name]] == []


def class_page_links(site: Path, slug: str, page: Path) -> dict[str, str]:
    """Where each output says the class page is."""
    html = page.read_text(encoding="utf-8")
    (json_ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
    calendar = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    (event,) = [e for e in calendar.events if str(e["UID"]).startswith(f"kelas-{slug}@")]
    (entry,) = [
        e
        for e in feedparser.parse(site / "feeds" / "classes.atom.xml").entries
        if e.id.endswith(f"/{slug}")
    ]
    return {
        "canonical": canonical,
        "json-ld": json.loads(json_ld)["url"],
        "calendar.ics": str(event["URL"]),
        "atom": entry.link,
    }


def test_a_dated_class_address_works_everywhere(build_site, tmp_path):
    site = build_site(
        ARTICLE_URL="kelas/{date:%Y}/{slug}/",
        ARTICLE_SAVE_AS="kelas/{date:%Y}/{slug}/index.html",
        SOCIAL_PUBLISH={"write_plan": True, "ledger": str(tmp_path / "announcements.json")},
    )
    # Date: is the announcement date; Pelican's {date} is what the address uses.
    page = next(site.glob("kelas/*/jurnalistik-foto/index.html"))
    folder = page.parent.relative_to(site).as_posix()
    expected = f"{SITE_URL}/{folder}/"

    links = class_page_links(site, "jurnalistik-foto", page)

    assert set(links.values()) == {expected}, links
    assert (page.parent / "jurnalistik-foto.ics").is_file()
    plan = json.loads((tmp_path / "cache" / "announce-plan.json").read_text(encoding="utf-8"))
    (item,) = [i for i in plan["items"] if i["slug"] == "jurnalistik-foto"]
    assert item["url"] == expected
    assert expected in item["texts"]["twitter"]["announcement"]["text"]
    assert dead_links(site) == []


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"ARTICLE_URL": "kelas/{title}/"}, "ARTICLE_URL 'kelas/{title}/'"),
        ({"ARTICLE_URL": "kelas/"}, "ARTICLE_URL 'kelas/' has no {slug}"),
        ({"ARTICLE_SAVE_AS": "kelas/{slug}.html"}, "ARTICLE_SAVE_AS 'kelas/{slug}.html'"),
    ],
)
def test_a_class_address_that_cannot_work_is_refused_at_start(
    build_site, tmp_path, overrides, named
):
    with pytest.raises(runner.BuildFailed) as failure:
        build_site(**overrides)

    assert failure.value.code == runner.EXIT_SETTINGS
    assert any(named in problem for problem in failure.value.problems), failure.value.problems
    assert not list(tmp_path.glob("output/**/*.html"))  # refused before anything was written


def test_a_production_build_reads_the_settings_once_and_the_clock_once(
    build_site, monkeypatch, tmp_path
):
    from berbagi.glue import state
    from berbagi.settings import Settings

    loads: list[object] = []
    clock_reads: list[object] = []
    real_load, real_now = state.load, Settings.now
    monkeypatch.setattr(state, "load", lambda raw: loads.append(raw) or real_load(raw))
    monkeypatch.setattr(Settings, "now", lambda self: clock_reads.append(self) or real_now(self))

    build_site(SOCIAL_PUBLISH={"write_plan": True, "ledger": str(tmp_path / "ledger.json")})

    assert (len(loads), len(clock_reads)) == (1, 1)


@pytest.mark.parametrize("plugins", [["sitemap"], []])
def test_a_theme_without_its_plugin_is_refused_at_start_naming_class_schedule(
    build_site, tmp_path, plugins
):
    with pytest.raises(runner.BuildFailed) as failure:
        build_site(PLUGINS=plugins)

    assert failure.value.code == runner.EXIT_SETTINGS
    (problem,) = failure.value.problems
    assert problem.startswith(f"class_schedule: PLUGINS {plugins} has none of the kit's plugins")
    assert 'add "class_schedule" to PLUGINS' in problem
    assert "\n" not in problem
    assert not list(tmp_path.glob("output/**/*.html"))  # refused before anything was written


def test_a_theme_that_needs_no_plugin_builds_with_sitemap_alone(build_site, tmp_path):
    content = tmp_path / "plain"
    (content / "classes").mkdir(parents=True)
    (content / "classes" / "halo.md").write_text("Title: Halo\nDate: 2026-11-20 10:00\n\nIsi.\n")

    site = build_site(content, PLUGINS=["sitemap"], THEME="simple", STATIC_PATHS=[])

    assert (site / "index.html").exists()
