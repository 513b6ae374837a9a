"""Metadata is data: markup in a title, venue or teacher never becomes markup on the page."""

import html
import json
import re
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
TITLE = '</script><script>alert("judul")</script> & "Kutip" \'tunggal\''


def test_hostile_title_venue_and_teacher_are_escaped(build_site):
    site = build_site(content=FIXTURE)
    html = (site / "kelas" / "title-with-script-tag" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<b>Tebal</b>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&#34;judul&#34;)" in html
    # Exactly one script element: the JSON-LD; nothing broke out of it.
    assert re.findall(r"<script\b[^>]*>", html) == ['<script type="application/ld+json">']


def test_json_ld_keeps_the_exact_text_and_cannot_close_its_script(build_site):
    site = build_site(content=FIXTURE)
    html = (site / "kelas" / "title-with-script-tag" / "index.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    assert data["name"] == TITLE
    assert data["location"]["name"] == '<img src=x onerror=alert(1)> Kafe "Kopi"'
    assert data["performer"][0]["name"] == "\"><script>alert('guru')</script>"


def test_hostile_names_on_listing_pages_are_escaped(build_site):
    site = build_site(content=FIXTURE)
    for listing in ["index.html", "guru/index.html", "tempat/index.html"]:
        html = (site / listing).read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, listing


HOSTILE_BODY = """Uraian biasa dengan **tebal**.

<script>alert("badan")</script>
<img src="x" onerror="alert('gambar')">
<iframe src="https://jahat.example/"></iframe>
[tautan jahat](javascript:alert('tautan')) dan [tautan baik](https://example.org/)

## Susunan acara

| Jam | Acara |
|---|---|
| 14.00 | Pembukaan |
"""


def test_raw_html_in_descriptions_and_pages_never_runs(content_dir, build_site):
    content = content_dir()
    source = next((content / "classes").glob("*-kewirausahaan-sosial.md"))
    header = source.read_text(encoding="utf-8").split("\n\n", 1)[0]
    source.write_text(header + "\n\n" + HOSTILE_BODY, encoding="utf-8")
    page = content / "pages" / "tentang.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + HOSTILE_BODY, encoding="utf-8")

    site = build_site(content)

    outputs = {
        "class page": (site / "kelas" / "kewirausahaan-sosial" / "index.html"),
        "page": (site / "tentang" / "index.html"),
        "atom": (site / "feeds" / "classes.atom.xml"),
        "rss": (site / "feeds" / "classes.rss.xml"),
    }
    for name, path in outputs.items():
        text = path.read_text(encoding="utf-8")
        # Feeds carry the body as escaped HTML: read it back the way a feed reader would.
        if name in {"atom", "rss"}:
            text = html.unescape(text)
        for hostile in ('alert("badan")', "onerror", "<iframe", "javascript:"):
            assert hostile not in text, (name, hostile)
        assert '<a href="https://example.org/">tautan baik</a>' in text, name
        assert "<th>Jam</th>" in text and "<h2" in text, name
