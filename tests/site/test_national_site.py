"""The national site, built for real from chapters served on 127.0.0.1: a normal one, one down,
one slow, one sending HTML, one whose UID clashes with another's, one in WITA; the outputs read
back with icalendar, vobject and feedparser; later builds with a chapter down, then back up."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import icalendar
import pytest
import vobject
from national_servers import (
    FIXTURES,
    Behaviour,
    StoppableSite,
    chapter_folder,
    closed_port,
    serving,
)

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
FIRST = datetime.fromisoformat("2026-11-28T09:00:00+07:00")
JAYAPURA = ROOT / "national" / "sample" / "jayapura" / "site"


def chapter(chapter_id: str, city: str, zone: str, base: str, feed: bool = False) -> dict:
    entry = {
        "id": chapter_id,
        "name": f"Akber {city}",
        "city": city,
        "timezone": zone,
        "site_url": f"https://{chapter_id}.example",
        "calendar_url": f"{base}/{chapter_id}/calendar.ics",
        "feed_url": f"{base}/{chapter_id}/feeds/classes.atom.xml" if feed else None,
    }
    return entry


class Nation:
    """Six chapters on loopback servers and the national site built from them in tmp_path."""

    def __init__(self, tmp_path: Path, base: str, jayapura: StoppableSite, behaviour: Behaviour):
        self.tmp_path, self.base, self.jayapura, self.behaviour = (
            tmp_path,
            base,
            jayapura,
            behaviour,
        )
        self.output = tmp_path / "output"

    def chapters(self) -> list[dict]:
        base = self.base
        return [
            chapter("bandung", "Bandung", "Asia/Jakarta", base),
            chapter("makassar", "Makassar", "Asia/Makassar", base, feed=True),
            chapter("medan", "Medan", "Asia/Jakarta", base),
            chapter("pontianak", "Pontianak", "Asia/Pontianak", base),
            chapter("surabaya", "Surabaya", "Asia/Jakarta", base),
            chapter("jayapura", "Jayapura", "Asia/Jayapura", self.jayapura.base, feed=True),
            chapter("ambon", "Ambon", "Asia/Jayapura", f"http://127.0.0.1:{closed_port()}"),
        ]

    def build(self, now: datetime) -> list[str]:
        settings = runner.load_settings(
            str(ROOT / "nationalconf.py"),
            {
                "OUTPUT_PATH": str(self.output),
                "CACHE_PATH": str(self.tmp_path / "cache"),
                "CLASS_SCHEDULE": {"now": now.isoformat()},
                "NATIONAL_SITE": {
                    "chapters": self.chapters(),
                    "timeout_seconds": 0.5,
                    "workers": 8,
                },
            },
        )
        return runner.build(settings)

    def page(self, path: str = "") -> str:
        return (self.output / path / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def nation(tmp_path, monkeypatch):
    monkeypatch.delenv("BERBAGI_NOW", raising=False)
    served = tmp_path / "served"
    folders = {
        "bandung": chapter_folder(served, "bandung", FIXTURES / "jakarta_chapter.ics"),
        "makassar": chapter_folder(
            served,
            "makassar",
            FIXTURES / "makassar_with_revisions.ics",
            FIXTURES / "makassar.atom.xml",
        ),
        "medan": chapter_folder(served, "medan", FIXTURES / "clashing_uid.ics"),
        "pontianak": chapter_folder(served, "pontianak", FIXTURES / "jakarta_chapter.ics"),
        "surabaya": chapter_folder(served, "surabaya", FIXTURES / "jakarta_chapter.ics"),
    }
    behaviour = Behaviour(
        modes={"pontianak": "slow"},
        substitutes={"surabaya": FIXTURES / "not_a_calendar.html"},
        delay=2.0,
    )
    jayapura_folders = {
        "jayapura": chapter_folder(
            served, "jayapura", JAYAPURA / "calendar.ics", JAYAPURA / "feeds" / "classes.atom.xml"
        )
    }
    jayapura = StoppableSite(jayapura_folders, behaviour)
    jayapura.start()
    with serving(folders, behaviour) as base:
        yield Nation(tmp_path, base, jayapura, behaviour)
    jayapura.stop()


def events_of(calendar_bytes: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(calendar_bytes)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_national_build_merges_every_chapter_that_answers_and_never_fails(nation, caplog):
    caplog.set_level(logging.WARNING)
    warnings = nation.build(FIRST)
    home = nation.page()
    # Each class in its own zone: WIB in Bandung, WITA in Makassar, WIT in Jayapura.
    assert "14.00–16.00 WIB" in home
    assert "10.00–12.00 WITA" in home
    assert "13.00–15.30 WIT" in home
    # Links go to the chapter's class page.
    assert 'href="https://makassar.example/kelas/kuliner/"' in home
    assert 'href="https://jayapura.akademiberbagi.example/kelas/pemrograman-web/"' in home
    # The slow, the HTML and the unreachable chapter are warnings, each naming why.
    joined = "\n".join(warnings)
    assert re.search(r"Akber Pontianak: calendar \S+ no complete answer within 0.5 s", joined)
    assert "Akber Surabaya: calendar" in joined and "it looks like a web page" in joined
    assert re.search(r"Akber Ambon: calendar \S+ could not be reached \(ConnectError", joined)
    assert "no good copy kept yet" in joined
    assert "chapters bandung, medan publish the same UID kelas-bersama@akademiberbagi.example" in (
        joined
    )
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # Without any copy, the chapter's page says so and sends visitors to the chapter's own site.
    ambon = nation.page("kota/ambon")
    assert "Jadwal chapter ini belum bisa diambil." in ambon
    assert 'href="https://ambon.example/"' in ambon


def test_revisions_cancellations_and_clashing_uids_in_the_national_calendar(nation):
    nation.build(FIRST)
    data = (nation.output / "calendar.ics").read_bytes()
    events = events_of(data)
    # One event per chapter UID; the chapter's id keeps two chapters' equal UIDs apart.
    assert "bandung/kelas-bersama@akademiberbagi.example" in events
    assert "medan/kelas-bersama@akademiberbagi.example" in events
    assert str(events["medan/kelas-bersama@akademiberbagi.example"]["SUMMARY"]) == (
        "Kelas Bersama (Medan)"
    )
    # The higher SEQUENCE of the same UID in one calendar wins: the class moved to the 12th.
    kuliner = events["makassar/kelas-kuliner@makassar.example"]
    assert int(kuliner["SEQUENCE"]) == 1
    assert datetime.fromisoformat("2026-12-12T10:00:00+08:00") == kuliner.DTSTART
    assert str(kuliner.DTSTART.tzinfo) == "Asia/Makassar"
    # Cancelled stays in the calendar as cancelled, so subscribers see it go.
    isyarat = events["makassar/kelas-isyarat@makassar.example"]
    assert str(isyarat["STATUS"]) == "CANCELLED"
    # Every zone used has its VTIMEZONE; vobject reads the same events.
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    assert {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} <= zones
    parsed = vobject.readOne(data.decode("utf-8"))
    uids = [str(event.uid.value) for event in parsed.vevent_list]
    assert len(uids) == len(set(uids)) == len(events)
    # The home page shows the cancelled class as cancelled, without the calendar's status word.
    home = nation.page()
    item = re.search(r'<li class="class-item h-event is-cancelled">.*?</li>', home, re.S)
    assert item and "Bahasa Isyarat" in item.group(0) and "Batal" in item.group(0)
    assert "DIBATALKAN" not in item.group(0)


def test_national_feeds_and_json_ld_read_back(nation):
    nation.build(FIRST)
    atom = feedparser.parse((nation.output / "feeds/classes.atom.xml").read_bytes())
    rss = feedparser.parse((nation.output / "feeds/classes.rss.xml").read_bytes())
    assert atom.bozo == 0 and rss.bozo == 0, (atom.get("bozo_exception"), rss.get("bozo_exception"))
    ids = [entry.id for entry in atom.entries]
    assert len(ids) == len(set(ids)) and ids == [entry.id for entry in rss.entries]
    kuliner = next(e for e in atom.entries if e.link == "https://makassar.example/kelas/kuliner/")
    assert kuliner.title == "Makassar: Fotografi Kuliner"
    # The chapter feed says when it was announced, and its summary (tags removed).
    assert kuliner.published.startswith("2026-10-20")
    # Escaped once in the feed's HTML: no "&amp;amp;".
    assert "Memotret makanan &amp; minuman dengan cahaya jendela." in kuliner.content[0].value
    assert "10.00–12.00 WITA" in kuliner.content[0].value
    # JSON-LD: Events, escaped so that a title cannot close the script element.
    home = nation.page()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', home, re.S)
    assert len(scripts) == 1
    assert "<script>" not in scripts[0]
    data = json.loads(scripts[0])
    assert {item["@type"] for item in data} == {"Event"}
    names = {item["name"] for item in data}
    assert "<script>alert(1)</script> Judul Nakal" in names
    cancelled = next(item for item in data if item["name"] == "Bahasa Isyarat")
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled["startDate"] == "2026-12-19T14:00:00+08:00"


def test_a_hostile_calendar_cannot_inject_markup_or_a_script_link(nation):
    nation.build(FIRST)
    home = nation.page()
    assert "<script>alert(1)</script>" not in home  # JSON-LD writes it \u003cscript\u003e
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Judul Nakal" in home
    assert "javascript:" not in home
    assert 'href="https://bandung.example/"' in home  # the chapter's home instead


def test_a_chapter_that_goes_down_keeps_its_last_good_copy_with_its_age(nation):
    nation.build(FIRST)
    assert "Pemrograman Web untuk Pemula" in nation.page()
    # Three hours later Jayapura is down, and Bandung sends a calendar cut short.
    nation.jayapura.stop()
    bandung = nation.tmp_path / "served" / "bandung" / "calendar.ics"
    bandung.write_bytes((FIXTURES / "cut_short.ics").read_bytes())
    warnings = "\n".join(nation.build(FIRST + timedelta(hours=3)))
    assert re.search(
        r"Akber Jayapura: calendar \S+ could not be reached .*; using the last good copy, "
        r"3\.0 hours old",
        warnings,
    )
    assert re.search(r"Akber Bandung: calendar \S+ is not a readable calendar", warnings)
    home = nation.page()
    assert "Pemrograman Web untuk Pemula" in home  # still listed, from the copy
    assert "Menulis Cerita Pendek" in home
    assert "Sebagian jadwal dari salinan terakhir:" in home
    jayapura = nation.page("kota/jayapura")
    assert "Jadwal ini dari salinan terakhir, 3 jam yang lalu." in jayapura
    assert "28 November 2026, 09.00 WIB" in jayapura  # when the copy was fetched
    # An hour later it is back: the kept copy's ETag is sent and answered 304 Not Modified.
    nation.jayapura.start()
    before = len(nation.behaviour.requests_for("jayapura"))
    warnings = "\n".join(nation.build(FIRST + timedelta(hours=4)))
    assert "Akber Jayapura" not in warnings
    asked = nation.behaviour.requests_for("jayapura")[before:]
    calendar_requests = [r for r in asked if r.path.endswith("calendar.ics")]
    assert calendar_requests and calendar_requests[0].if_none_match
    assert calendar_requests[0].status == 304
    jayapura = nation.page("kota/jayapura")
    assert "salinan terakhir" not in jayapura
    assert "Pemrograman Web untuk Pemula" in jayapura


@pytest.mark.slow
def test_every_national_page_is_valid_html(nation, html_errors):
    nation.build(FIRST)
    pages, error_count, messages = html_errors(nation.output)
    assert len(pages) >= 10, pages  # home, by city, subscribe, one per chapter (seven)
    assert error_count == 0, f"{error_count} HTML errors:\n{messages}"


def test_invoke_national_sample_serves_the_samples_chapters_on_loopback(tmp_path, monkeypatch):
    import importlib.util

    from invoke import MockContext

    spec = importlib.util.spec_from_file_location("national_tasks", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    monkeypatch.delenv("BERBAGI_NOW", raising=False)
    monkeypatch.setitem(tasks.CONFIG, "deploy_path", str(tmp_path / "chapter"))
    monkeypatch.setattr(tasks, "SAMPLE_PORT", 0)
    monkeypatch.setattr(tasks, "_log_to_console", lambda: None)
    warnings: dict[str, list[str]] = {}

    def build(settings_file: str, report: bool = False, **overrides) -> None:
        name = "chapter" if settings_file == tasks.CONFIG["settings_base"] else "national"
        settings = runner.load_settings(
            str(ROOT / settings_file),
            {
                **overrides,
                "OUTPUT_PATH": str(tmp_path / name),
                "CACHE_PATH": str(tmp_path / f"cache-{name}"),
                "CLASS_SCHEDULE": {"now": FIRST.isoformat()},
            },
        )
        warnings[name] = runner.build(settings)

    monkeypatch.setattr(tasks, "_build", build)
    tasks.national(MockContext(), sample=True, down="jayapura")
    home = (tmp_path / "national" / "index.html").read_text(encoding="utf-8")
    assert "Jurnalistik Foto: Bercerita dengan Gambar" in home  # Palembang, from its own build
    assert "10.00–12.00 WITA" in home  # Makassar, from national/sample/
    assert "Pemrograman Web untuk Pemula" not in home  # Jayapura is down, with no copy yet
    assert any(
        "Akademi Berbagi Jayapura (contoh fiktif): calendar" in line and "no good copy" in line
        for line in warnings["national"]
    )
