"""The Atom and RSS renderers, read back with feedparser."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest

from berbagi.model import Chapter, ClassEvent, ClassStatus, Registration, Teacher, Venue
from berbagi.render.feeds import (
    FeedSite,
    entry_html,
    entry_id,
    latest_entries,
    render_atom,
    render_rss,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
DOMAIN = "palembang.akademiberbagi.example"
SITE = FeedSite(
    domain=DOMAIN,
    id_year=2011,
    home_url="https://palembang.akademiberbagi.example/",
    title="Kelas Akademi Berbagi Palembang",
    subtitle="Kelas gratis",
    author="Akademi Berbagi Palembang",
    atom_url="https://palembang.akademiberbagi.example/feeds/classes.atom.xml",
    rss_url="https://palembang.akademiberbagi.example/feeds/classes.rss.xml",
    language="id",
    chapter=Chapter(
        name="Akademi Berbagi Palembang",
        short_name="Akber Palembang",
        city="Palembang",
        twitter="AkberPLB",
        hashtag="AkberPLB",
        domain=DOMAIN,
        site_url="https://palembang.akademiberbagi.example",
    ),
)
RENDERERS = [pytest.param(render_atom, id="atom"), pytest.param(render_rss, id="rss")]


def make_event(slug: str = "fotografi-ponsel", day: int = 5, **changes) -> ClassEvent:
    start = datetime(2026, 12, day, 14, 0, tzinfo=JAKARTA)
    event = ClassEvent(
        slug=slug,
        title="Fotografi Ponsel",
        start=start,
        end=start + timedelta(hours=2),
        venue=Venue("Kafe Kopi Contoh", "Jl. Kapten A. Rivai No. 27, Palembang"),
        teachers=(Teacher("Rina Fotografer", "rina_foto"),),
        source_path=f"content/classes/2026-12-{day:02d}-{slug}.md",
        announced=datetime(2026, 11, day, 9, 0, tzinfo=JAKARTA),
        summary="Memotret lebih baik dengan ponsel.",
        registration=Registration(url="https://example.org/daftar"),
        tags=("fotografi",),
        url=f"https://palembang.akademiberbagi.example/kelas/{slug}/",
        page_path=f"kelas/{slug}/",
    )
    return replace(event, **changes)


def parse(data: bytes):
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("render", RENDERERS)
def test_entries_read_back(render):
    parsed = parse(render([make_event()], SITE))
    (entry,) = parsed.entries
    assert entry.id == f"tag:{DOMAIN},2011:kelas/fotografi-ponsel"
    assert entry.link == "https://palembang.akademiberbagi.example/kelas/fotografi-ponsel/"
    assert entry.title == "Fotografi Ponsel"
    assert entry.author == "Rina Fotografer"
    assert entry.published_parsed[:6] == (2026, 11, 5, 2, 0, 0)
    content = entry.content[0].value if "content" in entry else entry.summary
    top = content.split("</p>", 1)[0]
    assert "Sabtu, 5 Desember 2026, 14.00–16.00 WIB" in top
    assert "Kafe Kopi Contoh, Jl. Kapten A. Rivai No. 27, Palembang" in top
    assert "https://example.org/daftar" in top
    assert parsed.feed.title == "Kelas Akademi Berbagi Palembang"
    assert parsed.feed.language == "id"


def test_atom_feed_has_ids_dates_and_self_link():
    parsed = parse(render_atom([make_event()], SITE))
    assert parsed.version == "atom10"
    assert parsed.feed.id == f"tag:{DOMAIN},2011:kelas"
    (entry,) = parsed.entries
    assert entry.updated_parsed[:6] == (2026, 11, 5, 2, 0, 0)
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == SITE.atom_url
    assert links["alternate"] == "https://palembang.akademiberbagi.example/"


def test_rss_feed_has_guid_channel_link_and_creator():
    data = render_rss([make_event()], SITE)
    parsed = parse(data)
    assert parsed.version == "rss20"
    assert parsed.feed.link == "https://palembang.akademiberbagi.example/"
    assert b'<guid isPermaLink="false">tag:' in data
    assert b"<dc:creator>Rina Fotografer</dc:creator>" in data
    assert b'<atom:link href="' + SITE.rss_url.encode() + b'" rel="self"/>' in data


@pytest.mark.parametrize("render", RENDERERS)
def test_newest_announcement_first(render):
    early = make_event("desain", day=3, announced=datetime(2026, 10, 1, tzinfo=JAKARTA))
    late = make_event("foto", day=1, announced=datetime(2026, 11, 20, tzinfo=JAKARTA))
    middle = make_event("kebun", day=9, announced=datetime(2026, 11, 2, tzinfo=JAKARTA))
    parsed = parse(render([early, late, middle], SITE))
    assert [e.id.rsplit("/", 1)[1] for e in parsed.entries] == ["foto", "kebun", "desain"]


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        ({"status": ClassStatus.CANCELLED, "status_note": "Tempat tidak tersedia."}, "DIBATALKAN"),
        ({"status": ClassStatus.POSTPONED}, "DITUNDA"),
        ({"previous_starts": (datetime(2026, 11, 28, 14, 0, tzinfo=JAKARTA),)}, "JADWAL BARU"),
    ],
)
def test_a_changed_class_updates_its_entry(changes, label):
    before = parse(render_atom([make_event()], SITE)).entries
    after = parse(render_atom([make_event(**changes)], SITE)).entries
    assert len(after) == 1
    assert after[0].id == before[0].id
    assert after[0].updated_parsed > before[0].updated_parsed
    assert after[0].updated_parsed > after[0].published_parsed
    assert after[0].title == f"{label}: Fotografi Ponsel"
    assert after[0].content[0].value.startswith(f"<p><strong>{label}:</strong> ")


def test_reschedule_line_names_both_dates():
    moved = make_event(previous_starts=(datetime(2026, 11, 28, 14, 0, tzinfo=JAKARTA),))
    first_line = entry_html(moved, SITE).split("</p>", 1)[0]
    assert "Sabtu, 5 Desember 2026 · 14.00 WIB" in first_line
    assert "sebelumnya Sabtu, 28 November 2026 · 14.00 WIB" in first_line


@pytest.mark.parametrize("render", RENDERERS)
def test_feed_date_is_the_newest_entry_and_builds_agree(render):
    events = [make_event("a", day=3), make_event("b", day=9, status=ClassStatus.CANCELLED)]
    data = render(events, SITE)
    assert data == render(list(reversed(events)), SITE)
    parsed = parse(data)
    newest = datetime(2026, 11, 9, 2, 0, 1, tzinfo=UTC)
    assert parsed.feed.updated_parsed[:6] == newest.timetuple()[:6]


@pytest.mark.parametrize("render", RENDERERS)
def test_ids_ignore_title_date_and_site_url(render):
    event = make_event()
    week = timedelta(days=7)
    edited = make_event(title="Judul Baru", start=event.start + week, end=event.end + week)
    elsewhere = replace(SITE, home_url="http://localhost:8000/")
    moved = replace(edited, url="http://localhost:8000/kelas/fotografi-ponsel/")
    ids = {parse(render([moved], elsewhere)).entries[0].id, entry_id(event, DOMAIN, 2011)}
    assert ids == {f"tag:{DOMAIN},2011:kelas/fotografi-ponsel"}


@pytest.mark.parametrize("render", RENDERERS)
def test_hostile_text_stays_text(render):
    title = 'Kelas <script>alert("x")</script> & Diskusi\x00 🎉'
    event = make_event(title=title, summary="<b>tebal</b> & tipis", bring="A\x07B")
    parsed = parse(render([event], SITE))
    (entry,) = parsed.entries
    assert entry.title == 'Kelas <script>alert("x")</script> & Diskusi 🎉'
    html = entry.content[0].value if "content" in entry else entry.summary
    assert "&lt;b&gt;tebal&lt;/b&gt; &amp; tipis" in html
    assert "<script>" not in html


def test_registration_via_twitter_links_the_prefilled_tweet():
    html = entry_html(make_event(registration=Registration(via_twitter=True)), SITE)
    assert 'href="https://twitter.com/intent/tweet?' in html
    assert "Daftar lewat Twitter" in html


def test_body_follows_the_facts():
    html = entry_html(make_event(), SITE, body="<p>Isi kelas.</p>")
    assert html.index("Waktu:") < html.index("<p>Isi kelas.</p>") < html.index("Halaman kelas")


@pytest.mark.parametrize("render", RENDERERS)
def test_empty_feed_is_valid_and_fixed(render):
    data = render([], SITE)
    parsed = parse(data)
    assert parsed.entries == []
    assert data == render([], SITE)


def test_a_feed_keeps_the_latest_entries_and_a_changed_old_class_comes_back():
    events = [make_event(slug=f"kelas-{day:02d}", day=day) for day in range(1, 11)]
    cancelled_late = make_event(
        slug="kelas-lama",
        day=1,
        status=ClassStatus.CANCELLED,
        modified=datetime(2026, 11, 20, 9, 0, tzinfo=JAKARTA),
    )
    chosen = latest_entries([*events, cancelled_late], 3)
    assert [e.slug for e in chosen] == ["kelas-lama", "kelas-10", "kelas-09"]
