"""calendar.ics, each class's .ics and the calendar links of a real build, read back with
icalendar and vobject."""

import re
import shutil
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import icalendar
import pytest
import vobject

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "calendar" / "classes"
DOMAIN = "palembang.akademiberbagi.example"
SITE_URL = "https://palembang.akademiberbagi.example"
SLUGS = sorted(
    re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem)
    for path in (ROOT / "content" / "classes").glob("*.md")
    if not path.name.startswith("_")
)


class LinkCollector(HTMLParser):
    """Every <link> and <a> of a page, as (tag, attributes)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"link", "a"}:
            self.tags.append((tag, dict(attrs)))


def links_of(html: str) -> list[tuple[str, dict]]:
    collector = LinkCollector()
    collector.feed(html)
    return collector.tags


def events_by_slug(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]).removeprefix("kelas-").split("@")[0]: e for e in calendar.events}


def test_calendar_holds_every_class_upcoming_and_past(sample_site):
    data = (sample_site / "calendar.ics").read_bytes()
    events = events_by_slug(data)
    assert sorted(events) == SLUGS
    assert {str(e["UID"]) for e in events.values()} == {f"kelas-{s}@{DOMAIN}" for s in SLUGS}
    assert len(vobject.readOne(data.decode("utf-8")).vevent_list) == len(SLUGS)
    assert events["menulis-blog-untuk-pemula"].start.year == 2011  # the past stays


def test_each_class_file_holds_the_same_event(sample_site):
    in_calendar = events_by_slug((sample_site / "calendar.ics").read_bytes())
    for slug in SLUGS:
        data = (sample_site / "kelas" / slug / f"{slug}.ics").read_bytes()
        (event,) = icalendar.Calendar.from_ical(data).events
        assert event.to_ical() == in_calendar[slug].to_ical(), slug
        assert vobject.readOne(data.decode("utf-8")).vevent.uid.value == f"kelas-{slug}@{DOMAIN}"


def test_every_ics_is_crlf_folded_zoned_and_stamped_in_utc(sample_site):
    files = sorted(sample_site.rglob("*.ics"))
    assert len(files) == len(SLUGS) + 1
    for path in files:
        data = path.read_bytes()
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b""), path
        lines = data[:-2].split(b"\r\n")
        for line in lines:
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")
        unfolded = data.replace(b"\r\n ", b"").split(b"\r\n")
        for line in unfolded:
            if line.startswith((b"DTSTAMP", b"LAST-MODIFIED", b"CREATED")):
                assert re.fullmatch(rb"[A-Z-]+:\d{8}T\d{6}Z", line), (path, line)
        times = [line for line in unfolded if line.startswith((b"DTSTART;", b"DTEND;"))]
        assert times and all(b";TZID=Asia/Jakarta:" in line for line in times), path
        calendar = icalendar.Calendar.from_ical(data)
        assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Jakarta"]


def test_every_event_has_one_organizer_the_chapter(sample_site):
    for path in sorted(sample_site.rglob("*.ics")):
        data = path.read_bytes()
        unfolded = data.replace(b"\r\n ", b"").split(b"\r\n")
        events = icalendar.Calendar.from_ical(data).events
        organizers = [line for line in unfolded if line.startswith(b"ORGANIZER")]
        assert organizers == [
            b'ORGANIZER;CN="Akademi Berbagi Palembang":mailto:halo@example.org'
        ] * len(events), path
        for event in events:
            assert event["ORGANIZER"] == "mailto:halo@example.org", path
            assert event["ORGANIZER"].params["CN"] == "Akademi Berbagi Palembang", path
        for vevent in vobject.readOne(data.decode("utf-8")).vevent_list:
            (organizer,) = vevent.contents["organizer"]
            assert organizer.params["CN"] == ["Akademi Berbagi Palembang"], path


def test_statuses_sequences_and_times_of_the_sample_classes(sample_site):
    events = events_by_slug((sample_site / "calendar.ics").read_bytes())
    moved = events["jurnalistik-foto"]
    assert moved["STATUS"] == "CONFIRMED" and moved["SEQUENCE"] == 1
    assert moved.start.astimezone(UTC) == datetime(2026, 12, 5, 7, 0, tzinfo=UTC)
    assert str(moved["DESCRIPTION"]).startswith("JADWAL BARU: ")
    cancelled = events["desain-grafis-komunitas"]
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SEQUENCE"] == 1
    assert cancelled["SUMMARY"] == "DIBATALKAN: Desain Grafis untuk Poster Komunitas"
    postponed = events["hidup-sehat-pekerja-kantoran"]
    assert postponed["STATUS"] == "TENTATIVE" and postponed["SEQUENCE"] == 1
    plain = events["kewirausahaan-sosial"]
    assert plain["STATUS"] == "CONFIRMED" and plain["SEQUENCE"] == 0
    assert plain["URL"] == f"{SITE_URL}/kelas/kewirausahaan-sosial/"
    assert (plain["GEO"].latitude, plain["GEO"].longitude) == (-2.9745, 104.753)
    assert plain["LOCATION"] == "Aula Kantor Graha Contoh, Jl. Jenderal Sudirman No. 88, Palembang"


def test_every_page_announces_both_feeds_and_the_calendar(sample_site):
    expected = {
        ("application/atom+xml", f"{SITE_URL}/feeds/classes.atom.xml"),
        ("application/rss+xml", f"{SITE_URL}/feeds/classes.rss.xml"),
        ("text/calendar", f"{SITE_URL}/calendar.ics"),
    }
    # The organizers' editor at /admin/ is not a page for visitors.
    pages = sorted(p for p in sample_site.rglob("index.html") if "admin" not in p.parts)
    assert len(pages) > 20
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        found = {
            (attrs.get("type"), attrs.get("href"))
            for tag, attrs in links_of(head)
            if tag == "link" and attrs.get("rel") == "alternate"
        }
        assert found == expected, page


def test_home_page_offers_the_webcal_subscription(sample_site):
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    hrefs = [attrs.get("href") for tag, attrs in links_of(html) if tag == "a"]
    assert f"webcal://{DOMAIN}/calendar.ics" in hrefs
    assert "./langganan/" in hrefs
    assert f"{SITE_URL}/feeds/classes.atom.xml" in hrefs
    assert f"{SITE_URL}/feeds/classes.rss.xml" in hrefs


def _calendar_section(sample_site: Path, slug: str) -> tuple[str, list[str]]:
    html = (sample_site / "kelas" / slug / "index.html").read_text(encoding="utf-8")
    if 'class="add-to-calendar"' not in html:
        return "", []
    section = html.split('class="add-to-calendar"', 1)[1].split("</section>", 1)[0]
    return section, [attrs["href"] for tag, attrs in links_of(section) if tag == "a"]


def test_upcoming_class_page_has_add_to_calendar_links(sample_site):
    _, hrefs = _calendar_section(sample_site, "jurnalistik-foto")
    page_url = "https://site.test/kelas/jurnalistik-foto/"
    ics = [h for h in hrefs if h.endswith(".ics")]
    assert len(ics) == 1
    resolved = urlsplit(urljoin(page_url, ics[0])).path.lstrip("/")
    assert (sample_site / resolved).is_file()
    assert resolved == "kelas/jurnalistik-foto/jurnalistik-foto.ics"
    assert any(
        h.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&") for h in hrefs
    )
    assert any(h.startswith("https://outlook.live.com/calendar/0/deeplink/compose?") for h in hrefs)
    assert any(h.endswith("langganan/") for h in hrefs)


def test_cancelled_and_past_classes_offer_no_new_calendar_entry(sample_site):
    _, hrefs = _calendar_section(sample_site, "desain-grafis-komunitas")
    assert any(h.endswith("desain-grafis-komunitas.ics") for h in hrefs)
    assert not any("google.com" in h or "outlook" in h for h in hrefs)
    section, _ = _calendar_section(sample_site, "menulis-blog-untuk-pemula")
    assert section == ""


def test_subscribe_page_explains_calendars_and_feeds(sample_site):
    html = (sample_site / "langganan" / "index.html").read_text(encoding="utf-8")
    main = html.split("<main", 1)[1]
    for words in ("Google Calendar", "Apple Calendar", "Outlook", "Thunderbird", "pembaca RSS"):
        assert words in main, words
    hrefs = [attrs.get("href") for tag, attrs in links_of(main) if tag == "a"]
    assert f"webcal://{DOMAIN}/calendar.ics" in hrefs
    assert f"{SITE_URL}/feeds/classes.atom.xml" in hrefs
    assert f"{SITE_URL}/calendar.ics" in main


def test_another_clock_gives_the_same_files_and_another_siteurl_only_other_links(
    sample_site, build_site
):
    later = build_site(now="2031-06-01T12:00:00+07:00")
    for path in sorted(sample_site.rglob("*.ics")):
        relative = path.relative_to(sample_site)
        assert (later / relative).read_bytes() == path.read_bytes(), relative
    elsewhere = build_site(SITEURL="https://other.example/akber", RELATIVE_URLS=False)
    before = events_by_slug((sample_site / "calendar.ics").read_bytes())
    after = events_by_slug((elsewhere / "calendar.ics").read_bytes())
    assert {slug: str(e["UID"]) for slug, e in after.items()} == {
        slug: str(e["UID"]) for slug, e in before.items()
    }
    assert {str(e["URL"]) for e in after.values()} == {
        f"https://other.example/akber/kelas/{slug}/" for slug in before
    }


def test_edited_title_keeps_the_uid_and_a_reschedule_raises_sequence(
    sample_site, build_site, content_dir
):
    content = content_dir()
    classes = content / "classes"
    photo = classes / "2026-09-26-fotografi-ponsel.md"
    photo.write_text(
        photo.read_text(encoding="utf-8").replace(
            "Title: Fotografi Ponsel untuk Pemula",
            "Title: Fotografi Ponsel, Edisi Revisi\nModified: 2026-11-20 10:00",
        ),
        encoding="utf-8",
    )
    moved = classes / "2027-01-09-kewirausahaan-sosial.md"
    text = moved.read_text(encoding="utf-8").replace(
        "Start: 2027-01-09 09:00", "Start: 2027-01-16 09:00\nPrevious_Start: 2027-01-09 09:00"
    )
    moved.unlink()
    (classes / "2027-01-16-kewirausahaan-sosial.md").write_text(text, encoding="utf-8")
    for fixture in FIXTURE.glob("*.md"):
        shutil.copy(fixture, classes / fixture.name)
    site = build_site(content=content, SITEURL="https://other.example", RELATIVE_URLS=False)

    before = events_by_slug((sample_site / "calendar.ics").read_bytes())
    after = events_by_slug((site / "calendar.ics").read_bytes())
    assert after["fotografi-ponsel"]["UID"] == before["fotografi-ponsel"]["UID"]
    assert after["fotografi-ponsel"]["SUMMARY"] == "Fotografi Ponsel, Edisi Revisi"
    assert after["fotografi-ponsel"]["SEQUENCE"] == before["fotografi-ponsel"]["SEQUENCE"]
    # The file's own Modified: date moves DTSTAMP and LAST-MODIFIED, with no clock involved.
    revised = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    assert after["fotografi-ponsel"]["DTSTAMP"].dt == revised
    assert after["fotografi-ponsel"]["LAST-MODIFIED"].dt == revised
    old, new = before["kewirausahaan-sosial"], after["kewirausahaan-sosial"]
    assert new["UID"] == old["UID"]
    assert new["SEQUENCE"] > old["SEQUENCE"]
    assert new["DTSTAMP"].dt > old["DTSTAMP"].dt
    assert new.start.astimezone(UTC) == datetime(2027, 1, 16, 2, 0, tzinfo=UTC)
    new_file = site / "kelas" / "kewirausahaan-sosial" / "kewirausahaan-sosial.ics"
    assert icalendar.Calendar.from_ical(new_file.read_bytes()).events[0]["SEQUENCE"] == 1

    # A title full of , ; \ and an emoji comes back exactly, from both parsers.
    slug = "title-with-commas-semicolons-and-emoji"
    title = "Kopi, Teh; dan \\ Cokelat 🎉 untuk Pemula yang Ingin Meracik Minuman Sendiri di Rumah"
    assert after[slug]["SUMMARY"] == title
    assert after[slug]["LOCATION"] == (
        'Kafe "Titik; Koma", Lantai 2, Jl. Merdeka No. 1; Bukit Kecil, Palembang'
    )
    raw = (site / "kelas" / slug / f"{slug}.ics").read_bytes()
    assert b"SUMMARY:Kopi\\, Teh\\; dan \\\\ Cokelat" in raw.replace(b"\r\n ", b"")
    assert vobject.readOne(raw.decode("utf-8")).vevent.summary.value == title

    # Classes without tags have no (empty, invalid) CATEGORIES line; tagged ones keep theirs.
    assert "CATEGORIES" not in after[slug]
    assert b"\r\nCATEGORIES" not in raw
    assert after["kewirausahaan-sosial"].categories == ["kewirausahaan", "sosial"]

    # A hidden class has its own file for its page but stays out of the subscription.
    assert "hidden-class" not in after
    assert (site / "kelas" / "hidden-class" / "hidden-class.ics").is_file()


def test_a_bad_setting_stops_the_build_naming_plugin_and_key(build_site):
    with pytest.raises(runner.BuildFailed, match=r"ical_feed: unknown key ICAL_FEED\['refresh'\]"):
        build_site(ICAL_FEED={"refresh": 12})


def test_a_rebuild_rewrites_only_the_ics_of_the_edited_class(content_dir, build_site):
    content = content_dir()
    site = build_site(content)
    edited = site / "kelas" / "kewirausahaan-sosial" / "kewirausahaan-sosial.ics"
    untouched = site / "kelas" / "public-speaking" / "public-speaking.ics"
    before = {path: path.stat().st_mtime_ns for path in (edited, untouched)}
    source = content / "classes" / "2027-01-09-kewirausahaan-sosial.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Title: ", "Title: Baru: ", 1), encoding="utf-8")
    build_site(content)
    assert untouched.stat().st_mtime_ns == before[untouched]
    assert edited.stat().st_mtime_ns != before[edited]
    assert "SUMMARY:Baru: " in edited.read_text(encoding="utf-8")


def test_a_rebuild_takes_unchanged_events_from_the_cache_and_redoes_a_changed_one(
    build_site, content_dir, tmp_path
):
    content = content_dir()
    first = (build_site(content) / "calendar.ics").read_bytes()
    cached = tmp_path / "cache" / "ical_feed-events.json"
    assert cached.is_file()
    second = (build_site(content) / "calendar.ics").read_bytes()
    assert second == first
    class_file = next((content / "classes").glob("2026-12-*.md"))
    text = class_file.read_text(encoding="utf-8")
    title = re.search(r"^Title: (.+)$", text, re.M)
    assert title is not None
    class_file.write_text(text.replace(title[0], "Title: Judul Baru Sekali"), encoding="utf-8")
    third = (build_site(content) / "calendar.ics").read_bytes()
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(third).walk("VEVENT")]
    assert "Judul Baru Sekali" in summaries
    assert title[1].strip() not in summaries
