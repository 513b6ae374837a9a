"""Metadata is data: markup in a title, venue or teacher never becomes markup on the page."""

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
