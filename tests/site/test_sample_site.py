"""The sample chapter site, built for real at a fixed "now", read back from its files."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLASS_FILES = sorted(p for p in (ROOT / "content" / "classes").glob("*.md") if p.name[0] != "_")


class JsonLdReader(HTMLParser):
    """Collects the JSON-LD blocks of a page the way a search engine would."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def json_ld(html: str) -> dict:
    reader = JsonLdReader()
    reader.feed(html)
    assert len(reader.blocks) == 1
    return json.loads(reader.blocks[0])


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_every_class_file_has_a_page(sample_site):
    slugs = [re.sub(r"^\d{4}-\d{2}-\d{2}-", "", p.stem) for p in CLASS_FILES]
    assert len(slugs) >= 10
    for slug in slugs:
        assert (sample_site / "kelas" / slug / "index.html").is_file(), slug


def test_home_shows_the_next_class_first(sample_site):
    home = main_of(page(sample_site, ""))
    next_section = home.split('id="upcoming-heading"')[0]
    assert "Jurnalistik Foto: Bercerita dengan Gambar" in next_section
    assert "Sabtu, 5 Desember 2026" in next_section
    assert "14.00–16.30 WIB" in next_section
    assert "Studio Radio Suara Contoh FM" in next_section
    assert 'class="button"' in next_section


def test_upcoming_and_past_split_at_the_build_time(sample_site, build_site):
    home = main_of(page(sample_site, ""))
    upcoming, past = home.split('id="past-heading"')
    assert "Kewirausahaan Sosial" in upcoming and "Kewirausahaan Sosial" not in past
    assert "Fotografi Ponsel untuk Pemula" in past and "Fotografi Ponsel" not in upcoming
    # A year later every sample class is in the past and the home page says none is planned.
    later = main_of(page(build_site(now="2028-01-01T00:00:00+07:00"), ""))
    assert "Jadwal kelas berikutnya belum ada" in later
    assert 'id="upcoming-heading"' not in later


def test_archive_lists_past_classes_by_year(sample_site):
    archive = main_of(page(sample_site, "arsip"))
    years = re.findall(r'<h2 id="year-(\d{4})">', archive)
    assert years == sorted(years, reverse=True)
    assert {"2011", "2012", "2018", "2026"} <= set(years)
    assert "Kewirausahaan Sosial" not in archive  # still upcoming


def test_cancelled_class_shows_a_banner_and_no_register_button(sample_site):
    html = main_of(page(sample_site, "kelas/desain-grafis-komunitas"))
    assert "Kelas ini dibatalkan." in html
    assert 'class="button"' not in html
    assert json_ld(page(sample_site, "kelas/desain-grafis-komunitas"))["eventStatus"] == (
        "https://schema.org/EventCancelled"
    )


@pytest.mark.parametrize(
    ("slug", "availability"),
    [
        ("jurnalistik-foto", "https://schema.org/InStock"),
        ("kewirausahaan-sosial", "https://schema.org/InStock"),
        ("desain-grafis-komunitas", "https://schema.org/Discontinued"),
        ("hidup-sehat-pekerja-kantoran", "https://schema.org/OutOfStock"),
    ],
)
def test_only_a_class_still_to_come_offers_a_seat(sample_site, slug, availability):
    offers = json_ld(page(sample_site, f"kelas/{slug}"))["offers"]
    assert offers["availability"] == availability
    assert offers["validFrom"] < "2026-11-28"  # announced before the build, not at its start


def test_rescheduled_class_gives_its_previous_start(sample_site):
    data = json_ld(page(sample_site, "kelas/jurnalistik-foto"))
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == ["2026-11-21T14:00:00+07:00"]
    assert data["startDate"] == "2026-12-05T14:00:00+07:00"


def test_json_ld_describes_a_free_offline_event(sample_site):
    data = json_ld(page(sample_site, "kelas/kuliah-di-amerika-serikat"))
    assert data["@type"] == "Event"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["isAccessibleForFree"] is True
    assert data["offers"]["price"] == 0 and data["offers"]["priceCurrency"] == "IDR"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["organizer"]["name"] == "Akademi Berbagi Palembang"
    assert data["performer"][0]["@type"] == "Person"
    assert data["endDate"].endswith("+07:00")


def test_class_page_has_open_graph_share_link_and_microformats(sample_site):
    html = page(sample_site, "kelas/fotografi-ponsel")
    assert '<meta property="og:title" content="Fotografi Ponsel untuk Pemula">' in html
    assert 'name="twitter:card"' in html
    assert "https://twitter.com/intent/tweet?text=" in html
    assert 'class="h-event class-page"' in html and 'class="dt-start"' in html


def test_twitter_registration_opens_a_prefilled_tweet(sample_site):
    html = main_of(page(sample_site, "kelas/kewirausahaan-sosial"))
    link = re.search(r'<a class="button" href="([^"]+)">Daftar lewat Twitter</a>', html)
    assert link and link.group(1).startswith("https://twitter.com/intent/tweet?text=")
    assert "AkberPLB" in link.group(1)


def test_teacher_and_venue_pages_list_their_classes(sample_site):
    teacher = main_of(page(sample_site, "guru/rina-fotografer-tokoh-fiktif"))
    assert "Fotografi Ponsel untuk Pemula" in teacher and "Jurnalistik Foto" in teacher
    venue = main_of(page(sample_site, "tempat/aula-rs-azzahra"))
    assert "Pertolongan Pertama" in venue and "Terima kasih" in venue
    assert "Aula RS Azzahra" in main_of(page(sample_site, "tempat"))


@pytest.mark.parametrize("slug", ["tentang", "aturan", "mitra", "jadi-guru", "kontak"])
def test_chapter_pages_are_built_and_linked_from_the_menu(sample_site, slug):
    assert (sample_site / slug / "index.html").is_file()
    assert f'href="./{slug}/"' in page(sample_site, "")


def test_pages_load_nothing_from_other_hosts(sample_site):
    subresource = re.compile(
        r'<(?:script|img|iframe|source)[^>]+src="(?:https?:)?//'
        r'|<link[^>]+rel="(?:stylesheet|icon|preload|modulepreload)"[^>]+href="(?:https?:)?//'
    )
    for html_file in sample_site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert not subresource.search(html), html_file


def test_english_interface_by_setting(build_site):
    html = page(build_site(DEFAULT_LANG="en"), "")
    assert '<html lang="en">' in html
    assert "Next class" in html and "Saturday, 5 December 2026" in html
