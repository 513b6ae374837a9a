"""The report's numbers, charts and JSON from classes alone (berbagi/render/report.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lxml import etree

from berbagi.model import ClassEvent, ClassStatus, Photo, Teacher, Venue
from berbagi.render import report

ZONE = ZoneInfo("Asia/Jakarta")
SVG = "{http://www.w3.org/2000/svg}"


def a_class(slug: str, start: str, status=ClassStatus.SCHEDULED, **numbers) -> ClassEvent:
    begins = datetime.fromisoformat(start).replace(tzinfo=ZONE)
    return ClassEvent(
        slug=slug,
        title=f"Kelas {slug}",
        start=begins,
        end=begins + timedelta(hours=2),
        venue=Venue("Balai", "Jl. Contoh 1"),
        teachers=(Teacher("Rina"),),
        source_path=f"classes/{start[:10]}-{slug}.md",
        announced=begins - timedelta(days=14),
        status=status,
        url=f"https://example.org/kelas/{slug}/",
        **numbers,
    )


CLASSES = [
    a_class("a", "2024-03-09 09:00", registered=50, participants=21, capacity=30),
    a_class("b", "2024-06-15 14:00", participants=12),
    a_class("c", "2024-09-14 14:00", ClassStatus.CANCELLED, registered=40, capacity=40),
    a_class("d", "2025-05-10 07:00", registered=45, participants=18, capacity=25),
    a_class("e", "2025-08-16 14:00", ClassStatus.POSTPONED),
]


def identity(message: str) -> str:
    return message


def test_sums_skip_missing_numbers_and_count_the_classes_that_gave_them():
    found = report.build_report(CLASSES)
    assert [period.year for period in found.years] == [2025, 2024]
    year_2024 = found.years[1]
    assert (year_2024.held, year_2024.cancelled, year_2024.postponed) == (2, 1, 0)
    assert year_2024.registered == report.Tally(total=50, reported=1)
    assert year_2024.participants == report.Tally(total=33, reported=2)
    assert year_2024.partial("registered") and not year_2024.partial("participants")
    # Show-up only over classes with both numbers: 21 of 50, not 33 of 50.
    assert year_2024.show_up == report.ShowUp(came=21, registered=50, classes=1)
    assert year_2024.show_up.rate == 0.42
    year_2025 = found.years[0]
    assert (year_2025.held, year_2025.postponed) == (1, 1)
    assert found.totals.year is None and found.totals.held == 3
    assert found.totals.capacity == report.Tally(total=55, reported=2)


def test_a_year_with_no_number_reported_has_no_rate_and_says_so_in_the_chart():
    found = report.build_report([a_class("x", "2023-01-07 10:00")])
    assert found.years[0].registered == report.Tally(0, 0)
    assert found.years[0].show_up.rate is None
    svg = etree.fromstring(report.show_up_chart(found, identity, "id").encode())
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["2023", "tidak dicatat"]
    assert svg.find(f"{SVG}rect") is None


def test_the_attendance_chart_is_an_image_with_its_name_bars_and_numbers():
    found = report.build_report(CLASSES)
    svg = etree.fromstring(report.attendance_chart(found, identity, "id").encode())
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "grafik-kehadiran-title grafik-kehadiran-desc"
    assert svg.find(f"{SVG}title").text == report.ATTENDANCE_TITLE
    assert "2024 sampai 2025" in svg.find(f"{SVG}desc").text
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts[:7] == ["2025", "Terdaftar", "45", "Hadir", "18", "Kursi", "25"]
    assert texts[7:] == ["2024", "Terdaftar", "50*", "Hadir", "33", "Kursi", "30*"]
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    # One scale for every bar: the largest number (50) gets the whole room.
    assert max(widths) == report.BAR_ROOM
    assert widths[1] == round(18 / 50 * report.BAR_ROOM, 1)
    viewbox = [float(n) for n in svg.get("viewBox").split()]
    assert viewbox[2] == 320 and all(x + w <= 320 for x, w in zip([84] * 6, widths, strict=True))


def test_chart_words_come_through_the_catalog_and_numbers_through_babel():
    big = [a_class("a", "2024-03-09 09:00", registered=1234, participants=617)]
    english = {"Terdaftar": "Registered", "Hadir": "Came"}.get
    svg = report.attendance_chart(report.build_report(big), lambda m: english(m) or m, "en")
    texts = [t.text for t in etree.fromstring(svg.encode()).iter(f"{SVG}text")]
    assert texts[1:5] == ["Registered", "1,234", "Came", "617"]
    indonesian = report.show_up_chart(report.build_report(big), identity, "id")
    assert "1.234" in report.attendance_chart(report.build_report(big), identity, "id")
    assert ">50%</text>" in indonesian


def test_text_in_a_chart_is_escaped():
    svg = report.attendance_chart(report.build_report(CLASSES), lambda m: m + " <b>&</b>", "id")
    root = etree.fromstring(svg.encode())  # well-formed: nothing broke out
    assert root.find(f"{SVG}title").text.endswith(" <b>&</b>")
    assert "<b>" not in svg


def test_an_empty_report_draws_empty_charts():
    found = report.build_report([])
    assert found.years == () and found.totals.held == 0
    svg = etree.fromstring(report.attendance_chart(found, identity, "id").encode())
    assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}rect") is None


def test_the_gallery_is_held_classes_with_photos_newest_first():
    photo = Photo("images/x.jpg", "Peserta")
    classes = [
        a_class("old", "2020-01-04 10:00", photos=(photo,)),
        a_class("new", "2022-01-08 10:00", photos=(photo,)),
        a_class("none", "2023-01-07 10:00"),
        a_class("off", "2023-02-04 10:00", ClassStatus.CANCELLED, photos=(photo,)),
    ]
    assert [c.slug for c in report.build_report(classes).gallery] == ["new", "old"]


def test_json_has_sorted_keys_every_class_and_photo_addresses():
    photo = Photo("images/x.jpg", 'Alt "kutip" </script>')
    classes = [*CLASSES, a_class("p", "2025-09-06 10:00", photos=(photo,), recap="Terima kasih!")]
    text = report.report_json(
        report.build_report(classes),
        chapter="Akber",
        page_url="https://example.org/laporan/",
        photo_url=lambda event, photo: f"https://example.org/foto/{event.slug}.jpg",
    )
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
    assert [item["slug"] for item in data["classes"]] == ["p", "e", "d", "c", "b", "a"]
    assert data["classes"][0]["photos"] == [
        {"url": "https://example.org/foto/p.jpg", "alt": 'Alt "kutip" </script>'}
    ]
    assert data["classes"][0]["recap"] == "Terima kasih!"
    assert data["classes"][3]["status"] == "cancelled"
    assert data["years"][0]["show_up"]["rate"] == 0.4
    assert data["years"][1]["show_up"]["rate"] == 0.42
    assert data["totals"]["held"] == 4


def test_a_year_with_every_class_cancelled_says_no_class_was_held():
    found = report.build_report([a_class("x", "2022-01-08 10:00", ClassStatus.CANCELLED)])
    assert (found.years[0].held, found.years[0].cancelled) == (0, 1)
    svg = etree.fromstring(report.attendance_chart(found, identity, "id").encode())
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["2022", "Terdaftar", "tidak ada kelas", "Hadir", "tidak ada kelas"] + [
        "Kursi",
        "tidak ada kelas",
    ]
