"""The Atom and RSS feeds of a real build, read back with feedparser."""

import re
import time
from pathlib import Path

import feedparser
import pytest

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "palembang.akademiberbagi.example"
SITE_URL = "https://palembang.akademiberbagi.example"
FEEDS = ["feeds/classes.atom.xml", "feeds/classes.rss.xml"]
SLUGS = sorted(
    re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem)
    for path in (ROOT / "content" / "classes").glob("*.md")
    if not path.name.startswith("_")
)


def read_feed(site: Path, path: str):
    parsed = feedparser.parse((site / path).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def content_of(entry) -> str:
    return entry.content[0].value if "content" in entry else entry.summary


def slug_of(entry) -> str:
    prefix = f"tag:{DOMAIN},2011:kelas/"
    assert entry.id.startswith(prefix)
    return entry.id.removeprefix(prefix)


@pytest.mark.parametrize("path", FEEDS)
def test_one_entry_per_class_with_ids_links_and_authors(sample_site, path):
    parsed = read_feed(sample_site, path)
    assert sorted(slug_of(entry) for entry in parsed.entries) == SLUGS
    for entry in parsed.entries:
        assert entry.link == f"{SITE_URL}/kelas/{slug_of(entry)}/"
        assert entry.author
        assert entry.published_parsed
        assert "<strong>Waktu:</strong>" in content_of(entry)
    photo = next(e for e in parsed.entries if slug_of(e) == "fotografi-ponsel")
    assert photo.author == "Rina Fotografer (tokoh fiktif)"
    assert "Sabtu, 26 September 2026, 15.00–17.30 WIB" in content_of(photo)
    assert "Kafe Kopi Contoh, Jl. Kapten A. Rivai No. 27, Palembang" in content_of(photo)


@pytest.mark.parametrize("path", FEEDS)
def test_newest_announcement_first(sample_site, path):
    parsed = read_feed(sample_site, path)
    published = [entry.published_parsed for entry in parsed.entries]
    assert published == sorted(published, reverse=True)
    assert slug_of(parsed.entries[0]) == "hidup-sehat-pekerja-kantoran"


def test_atom_feed_dates_and_changed_classes(sample_site):
    parsed = read_feed(sample_site, FEEDS[0])
    assert parsed.version == "atom10"
    assert parsed.feed.id == f"tag:{DOMAIN},2011:kelas"
    entries = {slug_of(entry): entry for entry in parsed.entries}
    assert parsed.feed.updated_parsed == max(e.updated_parsed for e in parsed.entries)
    for slug, label in [
        ("desain-grafis-komunitas", "DIBATALKAN"),
        ("hidup-sehat-pekerja-kantoran", "DITUNDA"),
        ("jurnalistik-foto", "JADWAL BARU"),
    ]:
        entry = entries[slug]
        assert entry.title.startswith(f"{label}: ")
        assert content_of(entry).startswith(f"<p><strong>{label}:</strong> ")
        assert entry.updated_parsed > entry.published_parsed
    plain = entries["kewirausahaan-sosial"]
    assert plain.updated_parsed == plain.published_parsed
    assert not plain.title.isupper()


def test_rss_feed_channel(sample_site):
    data = (sample_site / FEEDS[1]).read_bytes()
    parsed = read_feed(sample_site, FEEDS[1])
    assert parsed.version == "rss20"
    assert parsed.feed.link == f"{SITE_URL}/"
    newest = max(entry.published_parsed for entry in parsed.entries)
    assert time.mktime(parsed.feed.updated_parsed) >= time.mktime(newest)
    assert data.count(b'<guid isPermaLink="false">tag:') == len(SLUGS)


def test_another_clock_gives_the_same_feeds_and_another_siteurl_keeps_the_ids(
    sample_site, build_site
):
    later = build_site(now="2031-06-01T12:00:00+07:00")
    for path in FEEDS:
        assert (later / path).read_bytes() == (sample_site / path).read_bytes(), path
    elsewhere = build_site(SITEURL="https://other.example/akber", RELATIVE_URLS=False)
    for path in FEEDS:
        before, after = read_feed(sample_site, path), read_feed(elsewhere, path)
        assert [e.id for e in after.entries] == [e.id for e in before.entries]
        assert [e.link for e in after.entries] == [
            e.link.replace(SITE_URL, "https://other.example/akber") for e in before.entries
        ]


def test_edited_and_rescheduled_class_updates_its_entry(sample_site, build_site, content_dir):
    content = content_dir()
    classes = content / "classes"
    moved = classes / "2027-01-09-kewirausahaan-sosial.md"
    text = (
        moved.read_text(encoding="utf-8")
        .replace(
            "Start: 2027-01-09 09:00", "Start: 2027-01-16 09:00\nPrevious_Start: 2027-01-09 09:00"
        )
        .replace("Title: Kewirausahaan Sosial:", "Title: Kewirausahaan Sosial (judul baru):")
    )
    moved.unlink()
    (classes / "2027-01-16-kewirausahaan-sosial.md").write_text(text, encoding="utf-8")
    site = build_site(content=content)
    for path in FEEDS:
        before = {slug_of(e): e for e in read_feed(sample_site, path).entries}
        after = {slug_of(e): e for e in read_feed(site, path).entries}
        assert sorted(after) == sorted(before)  # updated in place, not a second entry
        old, new = before["kewirausahaan-sosial"], after["kewirausahaan-sosial"]
        assert new.id == old.id
        assert new.link == old.link
        assert new.title.startswith("JADWAL BARU: Kewirausahaan Sosial (judul baru)")
        assert "sebelumnya Sabtu, 9 Januari 2027" in content_of(new).split("</p>", 1)[0]
    atom_before = {slug_of(e): e for e in read_feed(sample_site, FEEDS[0]).entries}
    atom_after = {slug_of(e): e for e in read_feed(site, FEEDS[0]).entries}
    assert (
        atom_after["kewirausahaan-sosial"].updated_parsed
        > atom_before["kewirausahaan-sosial"].updated_parsed
    )


def test_a_missing_id_year_stops_the_build(build_site):
    with pytest.raises(runner.BuildFailed, match=r"class_feeds: CLASS_FEEDS\['id_year'\]"):
        build_site(CLASS_FEEDS={"atom_path": "feeds/classes.atom.xml"})
