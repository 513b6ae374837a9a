"""The Laporan page and its JSON: the chapter's numbers per year, charts readable without sight,
the gallery of past classes with photos, every metadata value escaped, and the preview keeping up.

Built by real Pelican builds; read back with lxml (the page as HTML, each chart as XML) and json.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree, html

from berbagi.glue import runner
from berbagi.preview import Preview

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "report"
NOW = "2026-11-28T09:00:00+07:00"  # tests/conftest.py's FIXED_NOW
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_TITLE = '</svg><script>alert("judul")</script> & "Kutip"'
HOSTILE_RECAP = "Terima kasih <img src=x onerror=alert(1)> & </p><script>alert(2)</script>"
HOSTILE_ALT = '"><script>alert("alt")</script>'


def page_of(site: Path) -> html.HtmlElement:
    return html.fromstring((site / "laporan" / "index.html").read_bytes())


def json_of(site: Path) -> dict:
    return json.loads((site / "laporan" / "laporan.json").read_text(encoding="utf-8"))


def charts_of(site: Path) -> dict[str, etree._Element]:
    """Each inline <svg>, parsed on its own by an XML parser (so it must be well-formed)."""
    text = (site / "laporan" / "index.html").read_text(encoding="utf-8")
    found = {}
    for source in re.findall(r"<svg\b.*?</svg>", text, flags=re.S):
        element = etree.fromstring(source.encode("utf-8"))
        found[element.get("id")] = element
    return found


def table_rows(page: html.HtmlElement, table: int = 0) -> dict[str, list[str]]:
    """A numbers table (0: attendance, 1: show-up): row header -> its cells' text."""
    rows = {}
    found = page.xpath("//table[contains(@class, 'numbers')]")[table]
    for row in found.xpath(".//tr[th[@scope='row']]"):
        header = row.xpath("normalize-space(th)")
        rows[header] = [cell.xpath("normalize-space(.)") for cell in row.xpath("td")]
    return rows


@pytest.fixture(scope="module")
def report_site(tmp_path_factory) -> Path:
    """The report fixture (numbers given and missing, a cancelled class, photos), built once."""
    tmp_path = tmp_path_factory.mktemp("report")
    settings = {
        "PATH": str(FIXTURE),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "CLASS_SCHEDULE": {"now": NOW},
    }
    runner.build(runner.load_settings(str(ROOT / "pelicanconf.py"), settings))
    return tmp_path / "output"


def test_numbers_per_year_count_what_was_recorded_and_say_how_many_classes_did(report_site):
    rows = table_rows(page_of(report_site))
    # Year, held (cancelled), registered, came, seats; newest year first.
    assert list(rows) == ["2025", "2024", "Semua tahun"]
    assert rows["2025"] == [
        "2",
        "45* dari 1 dari 2 kelas",
        "18* dari 1 dari 2 kelas",
        "25* dari 1 dari 2 kelas",
    ]
    # The cancelled class's 40 registrations are not counted; its year says it was cancelled.
    assert rows["2024"] == ["2 1 batal", "50* dari 1 dari 2 kelas", "33", "30* dari 1 dari 2 kelas"]
    assert rows["Semua tahun"] == [
        "4 1 batal",
        "95* dari 2 dari 4 kelas",
        "51* dari 3 dari 4 kelas",
        "55* dari 2 dari 4 kelas",
    ]
    # Show-up: only classes that gave both numbers count.
    rates = table_rows(page_of(report_site), table=1)
    assert rates == {
        "2025": ["40% dari 1 dari 2 kelas", "18 dari 45"],
        "2024": ["42% dari 1 dari 2 kelas", "21 dari 50"],
        "Semua tahun": ["41% dari 2 dari 4 kelas", "39 dari 95"],
    }
    page = page_of(report_site)
    assert [caption.text for caption in page.xpath("//table/caption")] == [
        "Kelas yang diadakan, pendaftar, peserta hadir dan kursi per tahun",
        "Tingkat kehadiran per tahun: yang datang dari yang mendaftar",
    ]
    assert [th.get("scope") for th in page.xpath("//table/thead//th")] == ["col"] * 8
    # The class still to come (99 registered) is in no number.
    assert "99" not in " ".join(" ".join(cells) for cells in rows.values())


def test_each_chart_has_an_accessible_name_and_every_figure_is_in_the_table(report_site):
    page = page_of(report_site)
    tables = (table_rows(page, 0), table_rows(page, 1))
    table_text = " ".join(" ".join(cells) for rows in tables for cells in rows.values())
    table_figures = set(re.findall(r"\d+%?", table_text))
    charts = charts_of(report_site)
    assert set(charts) == {"grafik-kehadiran", "grafik-tingkat-kehadiran"}
    for chart_id, svg in charts.items():
        assert svg.get("role") == "img"
        assert svg.get("viewBox").startswith("0 0 320 ")  # scales down to a 320 px phone
        assert svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
        title = svg.find(f"{SVG}title")
        desc = svg.find(f"{SVG}desc")
        assert title.get("id") == f"{chart_id}-title" and title.text
        assert desc.get("id") == f"{chart_id}-desc" and "2024 sampai 2025" in desc.text
        assert svg.find(f".//{SVG}script") is None
        assert not svg.xpath("//@*[starts-with(name(), 'on')]")
        texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
        figures = {f for text in texts for f in re.findall(r"\d+%?", text)} - {"2024", "2025"}
        assert figures, chart_id
        assert figures <= table_figures, (chart_id, figures - table_figures)
    attendance = ["".join(t.itertext()) for t in charts["grafik-kehadiran"].iter(f"{SVG}text")]
    assert attendance[:7] == ["2025", "Terdaftar", "45*", "Hadir", "18*", "Kursi", "25*"]
    assert [t.text for t in charts["grafik-tingkat-kehadiran"].iter(f"{SVG}text")] == [
        "2025",
        "40%",
        "2024",
        "42%",
    ]


def test_the_page_links_its_json_which_holds_the_same_numbers(report_site):
    page = page_of(report_site)
    [link] = page.xpath("//main//a[@type='application/json']")
    assert link.get("href") == "../laporan/laporan.json"
    data = json_of(report_site)
    assert data["version"] == 1
    assert data["page"] == "https://palembang.akademiberbagi.example/laporan/"
    assert [year["year"] for year in data["years"]] == [2025, 2024]
    year_2024 = data["years"][1]
    assert year_2024 == {
        "year": 2024,
        "held": 2,
        "cancelled": 1,
        "postponed": 0,
        "registered": {"total": 50, "reported": 1},
        "participants": {"total": 33, "reported": 2},
        "capacity": {"total": 30, "reported": 1},
        "show_up": {"came": 21, "registered": 50, "classes": 1, "rate": 0.42},
    }
    assert data["totals"]["participants"] == {"total": 51, "reported": 3}
    assert "year" not in data["totals"]
    slugs = [item["slug"] for item in data["classes"]]
    assert slugs == [
        "without-numbers",
        "with-photos-and-recap",
        "cancelled-with-registrations",
        "participants-only",
        "with-every-number",
    ]
    photos = data["classes"][1]
    assert photos["recap"] == "Terima kasih 18 pemotret pagi yang berani bangun subuh!"
    assert [p["alt"] for p in photos["photos"]] == [
        "Peserta memotret tumpukan sayur hijau",
        "Penjual ikan tersenyum ke kamera",
    ]
    for photo in photos["photos"]:
        path = photo["url"].removeprefix("https://palembang.akademiberbagi.example/")
        assert (report_site / path).is_file(), photo["url"]
    assert data["classes"][0]["registered"] is None and data["classes"][0]["recap"] is None
    # Sorted keys, so two builds of the same content write the same bytes.
    raw = (report_site / "laporan" / "laporan.json").read_text(encoding="utf-8")
    assert raw == json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"


def test_the_gallery_shows_past_classes_with_photos_their_alt_texts_and_recap(report_site):
    page = page_of(report_site)
    [gallery] = page.xpath("//section[@aria-labelledby='galeri']")
    assert gallery.xpath("normalize-space(h2)") == "Galeri kelas"
    [entry] = gallery.xpath("article")
    assert entry.xpath("h3/a/@href") == ["../kelas/with-photos-and-recap/"]
    assert entry.xpath("normalize-space(h3)") == "Memotret Pasar"
    assert entry.xpath("normalize-space(p[@class='recap'])") == (
        "Terima kasih 18 pemotret pagi yang berani bangun subuh!"
    )
    images = entry.xpath(".//figure/img")
    assert [img.get("alt") for img in images] == [
        "Peserta memotret tumpukan sayur hijau",
        "Penjual ikan tersenyum ke kamera",
    ]
    for img in images:
        assert " 480w" in img.get("srcset") and img.get("sizes")
        assert (report_site / "laporan" / img.get("src")).resolve().is_file()


def test_the_report_is_in_the_menu(report_site):
    page = page_of(report_site)
    [current] = page.xpath("//nav//a[@aria-current='page']")
    assert current.text == "Laporan" and current.get("href") == "../laporan/"
    home = html.fromstring((report_site / "index.html").read_bytes())
    assert home.xpath("//nav//a[text()='Laporan']/@href") == ["./laporan/"]


def test_hostile_title_recap_and_alt_text_are_escaped(content_dir, build_site):
    content = content_dir(FIXTURE)
    source = content / "classes" / "2025-05-10-with-photos-and-recap.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace("Title: Memotret Pasar", f"Title: {HOSTILE_TITLE}")
    text = re.sub(r"Recap: .*", f"Recap: {HOSTILE_RECAP}", text)
    text = text.replace("| Penjual ikan tersenyum ke kamera", f"| {HOSTILE_ALT}")
    source.write_text(text, encoding="utf-8")

    site = build_site(content)

    raw = (site / "laporan" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in raw and "<img src=x" not in raw
    assert "&lt;/svg&gt;&lt;script&gt;" in raw
    page = page_of(site)
    entry = page.xpath("//section[@aria-labelledby='galeri']/article")[0]
    assert entry.xpath("normalize-space(h3)") == HOSTILE_TITLE
    assert entry.xpath("string(p[@class='recap'])") == HOSTILE_RECAP
    assert entry.xpath(".//figure/img/@alt")[1] == HOSTILE_ALT
    assert len(charts_of(site)) == 2  # nothing closed a chart early
    data = json_of(site)
    assert data["classes"][1]["title"] == HOSTILE_TITLE
    assert data["classes"][1]["recap"] == HOSTILE_RECAP


def test_in_english_the_charts_and_table_use_the_english_catalog(build_site):
    site = build_site(content=FIXTURE, DEFAULT_LANG="en")
    page = page_of(site)
    assert "All years" in table_rows(page)
    chart = charts_of(site)["grafik-kehadiran"]
    assert chart.find(f"{SVG}title").text == "Registered, attended and seats per year"
    assert [t.text for t in chart.iter(f"{SVG}text")][1:3] == ["Registered", "45*"]


def test_the_sample_site_reports_its_classes(sample_site):
    rows = table_rows(page_of(sample_site))
    assert list(rows)[0] == "2026" and list(rows)[-1] == "Semua tahun"
    data = json_of(sample_site)
    assert data["totals"]["held"] == 8
    assert data["totals"]["registered"]["reported"] == 6  # the two walk-in classes have none
    gallery = page_of(sample_site).xpath("//section[@aria-labelledby='galeri']/article//h3/a/@href")
    assert gallery == ["../kelas/fotografi-ponsel/", "../kelas/public-speaking/"]


def test_a_preview_edit_of_the_numbers_or_recap_updates_the_page_and_json(
    tmp_path, site_settings, content_dir
):
    content = content_dir()
    served = tmp_path / "served"
    preview = Preview(
        lambda: site_settings(content), served, report=io.StringIO(), workspace=tmp_path
    )
    try:
        assert preview.full_build().kind == "full"
        source = content / "classes" / "2026-09-26-fotografi-ponsel.md"
        text = source.read_text(encoding="utf-8")
        text = text.replace("Participants: 27", "Participants: 31")
        text = text.replace("Registered: 63", "Registered: 62")
        text = re.sub(r"Recap: .*", "Recap: Sampai jumpa lagi, para pemotret!", text)
        source.write_text(text, encoding="utf-8")

        outcome = preview.update()

        assert outcome.kind == "incremental"
        assert {"laporan/index.html", "laporan/laporan.json"} <= set(outcome.changes.written)
        assert table_rows(page_of(served))["2026"][1:3] == ["62", "31"]
        entry = page_of(served).xpath("//section[@aria-labelledby='galeri']/article")[0]
        assert entry.xpath("normalize-space(p[@class='recap'])") == (
            "Sampai jumpa lagi, para pemotret!"
        )
        item = json_of(served)["classes"][0]
        assert (item["participants"], item["registered"]) == (31, 62)
    finally:
        preview.close()
        shutil.rmtree(tmp_path / "served", ignore_errors=True)
