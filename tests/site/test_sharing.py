"""Shared links look right: every page's address and picture, the share images, WhatsApp-first
sharing, and the files a site is expected to have (404.html, sitemap.xml, robots.txt, icons)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://palembang.akademiberbagi.example"
UPCOMING = "kewirausahaan-sosial"
WITH_PHOTOS = "fotografi-ponsel"
LONG_AGO = "menulis-blog-untuk-pemula"


class Head(HTMLParser):
    """The <meta>, <link> and <a> tags of a page, as a link-preview checker reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, list[str]] = {}
        self.anchors: list[tuple[str, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.inputs: list[dict[str, str | None]] = []
        self._anchor: str | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "meta" and "content" in found:
            self.meta[found.get("property") or found.get("name") or ""] = found["content"]
        elif tag == "link":
            self.links.setdefault(found.get("rel") or "", []).append(found.get("href") or "")
        elif tag == "a":
            self._anchor = found.get("href") or ""
            self.anchors.append((self._anchor, ""))
        elif tag == "script":
            self.scripts.append(found)
        elif tag == "input":
            self.inputs.append(found)

    def handle_data(self, data):
        if self._anchor is not None and self.anchors:
            href, text = self.anchors[-1]
            self.anchors[-1] = (href, text + data)

    def handle_endtag(self, tag):
        if tag == "a":
            self._anchor = None


def head_of(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def local_file(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL + "/"), url
    return site / url[len(SITE_URL) + 1 :]


def public_pages(site: Path) -> list[Path]:
    """Every page for visitors: not 404.html, not the organizers' editor at /admin/."""
    return sorted(
        p
        for p in site.rglob("*.html")
        if p.name != "404.html" and p.relative_to(site).parts[0] != "admin"
    )


def test_every_page_has_its_address_and_a_large_picture(sample_site):
    for page in public_pages(sample_site):
        head = head_of(page)
        relative = page.relative_to(sample_site).as_posix().removesuffix("index.html")
        assert head.links["canonical"] == [f"{SITE_URL}/{relative}"], page
        assert head.meta["og:url"] == head.links["canonical"][0], page
        assert head.meta["twitter:card"] == "summary_large_image", page
        assert head.meta["twitter:image"] == head.meta["og:image"], page
        assert local_file(sample_site, head.meta["og:image"]).is_file(), page
        assert head.meta["og:image:alt"], page


def test_an_upcoming_class_shows_its_own_share_image(sample_site):
    head = head_of(sample_site / "kelas" / UPCOMING / "index.html")

    assert head.meta["og:image"] == f"{SITE_URL}/bagikan/kelas/{UPCOMING}.png"
    data = local_file(sample_site, head.meta["og:image"]).read_bytes()
    assert len(data) < 300_000
    with Image.open(BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    json_ld = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        (sample_site / "kelas" / UPCOMING / "index.html").read_text(encoding="utf-8"),
        re.S,
    )[1]
    assert json.loads(json_ld)["image"] == [head.meta["og:image"]]


def test_a_class_with_photos_shows_its_first_photo_cropped_to_a_share_image(sample_site):
    head = head_of(sample_site / "kelas" / WITH_PHOTOS / "index.html")

    image = local_file(sample_site, head.meta["og:image"])
    assert image == sample_site / "bagikan" / "kelas" / f"{WITH_PHOTOS}.jpg"
    with Image.open(image) as photo:
        assert (photo.format, photo.size) == ("JPEG", (1200, 630))
        assert photo.size == (int(head.meta["og:image:width"]), int(head.meta["og:image:height"]))
        assert not photo.getexif() and "exif" not in photo.info
    assert head.meta["og:image:type"] == "image/jpeg"
    assert head.meta["og:image:alt"].startswith("Peserta memotret secangkir kopi")
    original = ROOT / "content" / "images" / "kelas" / "fotografi-ponsel-kopi.jpg"
    assert not (sample_site / "images" / "kelas" / original.name).exists()


def test_every_class_page_shares_a_picture_of_1200_by_630(sample_site):
    pages = sorted((sample_site / "kelas").glob("*/index.html"))
    assert len(pages) == 12
    for page in pages:
        head = head_of(page)
        with Image.open(local_file(sample_site, head.meta["og:image"])) as image:
            assert image.size == (1200, 630), page
            size = (int(head.meta["og:image:width"]), int(head.meta["og:image:height"]))
            assert size == image.size, page
            assert not image.getexif(), page  # no camera, no time, no GPS position


def _difference(first: Image.Image, second: Image.Image) -> float:
    """Mean absolute difference of two pictures of one size, per channel, 0 to 255."""
    difference = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
    return sum(ImageStat.Stat(difference).mean) / 3


def test_the_portrait_photo_is_cropped_around_its_focus_point(sample_site):
    # public-speaking: 1600x1067 stored, shown upright (EXIF orientation 6) as 1067x1600, and
    # "focus 50% 27%": the speaker's head, high in the picture, not the middle of his jacket.
    source = ROOT / "content" / "images" / "kelas" / "public-speaking-mikrofon.jpg"
    text = next((ROOT / "content" / "classes").glob("*-public-speaking.md")).read_text("utf-8")
    assert "| focus 50% 27%" in text
    with Image.open(source) as stored:
        upright = ImageOps.exif_transpose(stored).convert("RGB")
    assert upright.size == (1067, 1600)
    high = round(1067 * 630 / 1200)  # the 1.91:1 box of full width: 560 rows
    top = round(0.27 * 1600 - high / 2)
    around_focus = upright.crop((0, top, 1067, top + high)).resize((1200, 630))
    middle = (1600 - high) // 2
    centre = upright.crop((0, middle, 1067, middle + high)).resize((1200, 630))

    shared = head_of(sample_site / "kelas" / "public-speaking" / "index.html").meta["og:image"]
    with Image.open(local_file(sample_site, shared)) as image:
        assert image.size == (1200, 630)
        assert _difference(image, around_focus) < 2
        assert _difference(image, centre) > 10 * _difference(image, around_focus)


def test_a_photo_share_image_is_made_again_only_when_its_photo_or_focus_changes(
    content_dir, build_site
):
    content = content_dir()
    site = build_site(content)
    edited = site / "bagikan" / "kelas" / "public-speaking.jpg"
    untouched = site / "bagikan" / "kelas" / f"{WITH_PHOTOS}.jpg"
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in (edited, untouched)}
    source = next((content / "classes").glob("*-public-speaking.md"))
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("| focus 50% 27%", "| focus 50% 90%"), encoding="utf-8")

    build_site(content)

    assert untouched.stat().st_mtime_ns == before[untouched][0]
    assert edited.read_bytes() != before[edited][1]


def test_home_pages_and_old_classes_without_photos_show_the_chapter_image(sample_site):
    chapter_image = f"{SITE_URL}/bagikan/situs.png"
    for page in ("index.html", "tentang/index.html", f"kelas/{LONG_AGO}/index.html"):
        assert head_of(sample_site / page).meta["og:image"] == chapter_image, page
    assert not (sample_site / "bagikan" / "kelas" / f"{LONG_AGO}.png").exists()


def test_the_class_page_offers_whatsapp_first_without_script(sample_site):
    page = sample_site / "kelas" / UPCOMING / "index.html"
    head = head_of(page)
    html = page.read_text(encoding="utf-8")
    share = html.split('id="share-heading"', 1)[1].split("</section>", 1)[0]
    hrefs = re.findall(r'<a href="([^"]+)"', share)

    assert [urlsplit(href.replace("&amp;", "&")).netloc or "mailto" for href in hrefs] == [
        "wa.me",
        "t.me",
        "www.facebook.com",
        "twitter.com",
        "mailto",
    ]
    whatsapp = parse_qs(urlsplit(hrefs[0].replace("&amp;", "&")).query)["text"][0]
    assert whatsapp.startswith("Kelas gratis Akber Palembang: Kewirausahaan Sosial")
    assert whatsapp.endswith(f"{SITE_URL}/kelas/{UPCOMING}/")
    assert {
        "id": "class-link",
        "type": "url",
        "readonly": None,
        "value": f"{SITE_URL}/kelas/{UPCOMING}/",
    } in head.inputs
    assert all(script.get("type") == "application/ld+json" for script in head.scripts)


def test_share_and_registration_texts_follow_the_site_language(build_site, content_dir):
    content = content_dir()
    source = next((content / "classes").glob(f"*-{UPCOMING}.md"))
    source.write_text(
        re.sub(r"^Registration_Tweet:.*\n", "", source.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    site = build_site(content, DEFAULT_LANG="en")
    html = (site / "kelas" / UPCOMING / "index.html").read_text(encoding="utf-8")
    hrefs = [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)]

    whatsapp = next(h for h in hrefs if h.startswith("https://wa.me/"))
    assert parse_qs(urlsplit(whatsapp).query)["text"][0].startswith(
        "Free class by Akber Palembang: Kewirausahaan Sosial"
    )
    intents = [
        parse_qs(urlsplit(h).query)["text"][0]
        for h in hrefs
        if h.startswith("https://twitter.com/intent/tweet")
    ]
    assert (
        'Signing up for "Kewirausahaan Sosial: Usaha yang Menolong Sesama" by @AkberPLB #AkberPLB'
        in intents
    )


def test_404_page_leads_to_the_classes_and_is_not_indexed(sample_site):
    page = sample_site / "404.html"
    head = head_of(page)

    assert head.meta["robots"] == "noindex"
    assert "canonical" not in head.links
    hrefs = [href for href, _ in head.anchors]
    for wanted in ("/", "/arsip/", "/langganan/"):
        assert wanted in hrefs  # from the site's root: it is served at any depth


def test_sitemap_lists_every_public_page_with_lastmod(sample_site):
    tree = ElementTree.parse(sample_site / "sitemap.xml")
    space = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.findtext("s:loc", namespaces=space): url.findtext("s:lastmod", namespaces=space)
        for url in tree.getroot().findall("s:url", space)
    }
    expected = {
        "/" + page.relative_to(sample_site).as_posix().removesuffix("index.html")
        for page in public_pages(sample_site)
    }

    assert set(entries) == expected
    assert all(
        re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", v) for v in entries.values()
    )


def test_robots_txt_names_the_sitemap(sample_site):
    assert (sample_site / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\nDisallow: /admin/\nSitemap: {SITE_URL}/sitemap.xml\n"
    )


def test_icons_come_from_the_chapter_logo(sample_site):
    with Image.open(sample_site / "favicon.ico") as icon:
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
    with Image.open(sample_site / "apple-touch-icon.png") as touch:
        assert touch.size == (180, 180)
    head = head_of(sample_site / "index.html")
    assert head.links["icon"] == ["/favicon.ico"] or head.links["icon"][0].endswith("favicon.ico")
    assert head.links["apple-touch-icon"][0].endswith("apple-touch-icon.png")


def test_the_stylesheet_is_inline(sample_site):
    for page in ("index.html", f"kelas/{UPCOMING}/index.html", "404.html"):
        head = head_of(sample_site / page)
        html = (sample_site / page).read_text(encoding="utf-8")
        assert "stylesheet" not in head.links
        assert re.search(r"<style>[^<]*:root \{", html), page


def test_a_static_path_that_does_not_exist_stops_the_build(build_site):
    with pytest.raises(runner.BuildFailed) as failure:
        build_site(STATIC_PATHS=["images", "extra/robots.txt"])

    assert failure.value.code == runner.EXIT_SETTINGS
    assert failure.value.problems == [
        "class_schedule: STATIC_PATHS lists 'extra/robots.txt', which is not in content/; "
        "add the file or remove it from STATIC_PATHS"
    ]


def test_share_images_are_made_again_only_when_their_inputs_change(content_dir, build_site):
    content = content_dir()
    site = build_site(content)
    edited = site / "bagikan" / "kelas" / f"{UPCOMING}.png"
    untouched = site / "bagikan" / "kelas" / "jurnalistik-foto.png"
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in (edited, untouched)}
    source = next((content / "classes").glob(f"*-{UPCOMING}.md"))
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Title: ", "Title: Baru: ", 1), encoding="utf-8")

    build_site(content)

    assert untouched.stat().st_mtime_ns == before[untouched][0]
    assert edited.read_bytes() != before[edited][1]


def test_a_class_goes_public_at_its_date_and_no_output_is_dated_in_the_future(
    content_dir, build_site, tmp_path
):
    content = content_dir()
    source = next((content / "classes").glob(f"*-{UPCOMING}.md"))
    source.write_text(
        re.sub(r"^Date: .*$", "Date: 2026-12-20 10:00", source.read_text("utf-8"), flags=re.M),
        encoding="utf-8",
    )
    social = {"write_plan": True, "ledger": str(tmp_path / "l.json")}

    before = build_site(content, SOCIAL_PUBLISH=social)
    outputs = [p.read_text("utf-8", errors="replace") for p in before.rglob("*") if p.is_file()]
    assert not (before / "kelas" / UPCOMING).exists()
    assert not any(f"kelas/{UPCOMING}/" in text for text in outputs)
    plan = json.loads((tmp_path / "cache" / "announce-plan.json").read_text("utf-8"))
    assert UPCOMING not in [item["slug"] for item in plan["items"]]

    after = build_site(content, now="2026-12-20T19:00:00+07:00", SOCIAL_PUBLISH=social)
    assert (after / "kelas" / UPCOMING / "index.html").is_file()
    assert f"kelas/{UPCOMING}/" in (after / "feeds" / "classes.atom.xml").read_text("utf-8")
    assert f"kelas-{UPCOMING}@" in (after / "calendar.ics").read_text("utf-8")


def test_the_organizers_editor_is_built_and_kept_from_search_engines(sample_site):
    admin = sample_site / "admin"
    assert {"index.html", "config.yml", "class-format.js", "decap-cms.js"} <= {
        path.name for path in admin.iterdir()
    }
    assert 'content="noindex, nofollow"' in (admin / "index.html").read_text(encoding="utf-8")
    assert "/admin/" not in (sample_site / "sitemap.xml").read_text(encoding="utf-8")
