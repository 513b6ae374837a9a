"""NATIONAL_SITE is checked with every other setting: each mistake one line naming the key."""

from __future__ import annotations

import pytest

from berbagi import settings as kit_settings
from berbagi.glue import runner
from berbagi.national.config import validate

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def good(**changes) -> dict:
    chapter = {
        "id": "makassar",
        "name": "Akademi Berbagi Makassar",
        "city": "Makassar",
        "timezone": "Asia/Makassar",
        "site_url": "https://makassar.example",
    }
    return {**chapter, **changes}


def test_a_chapter_needs_only_five_keys_and_gets_the_kits_file_addresses():
    national, problems = validate({"chapters": [good()]}, "cache")
    assert problems == []
    (chapter,) = national.chapters
    assert chapter.calendar_url == "https://makassar.example/calendar.ics"
    assert chapter.feed_url == "https://makassar.example/feeds/classes.atom.xml"
    assert chapter.page_path == "kota/makassar/"
    assert str(chapter.zone) == "Asia/Makassar"
    assert national.cache_folder.name == "national"


def test_every_mistake_is_listed_naming_the_plugin_and_the_key():
    _, problems = validate(
        {
            "chapters": [
                good(timezone="Asia/Ujung_Pandang_Baru"),
                good(id="Makassar Kota", site_url="makassar.example"),
                good(feed_url="ftp://x"),
                {"name": "x"},
                good(),
                good(),
            ],
            "timeout_seconds": 0,
            "max_byte": 5,
            "calendar_path": "/etc/calendar.ics",
        },
        "cache",
    )
    assert all(line.startswith("national_site: ") for line in problems)
    text = "\n".join(problems)
    for expected in (
        "NATIONAL_SITE['chapters'][0]['timezone'] 'Asia/Ujung_Pandang_Baru' is not an IANA zone",
        "NATIONAL_SITE['chapters'][1]['id'] 'Makassar Kota' must be lower-case",
        "NATIONAL_SITE['chapters'][1]['site_url'] 'makassar.example' must be an address",
        "NATIONAL_SITE['chapters'][2]['feed_url'] 'ftp://x' must be an address",
        "NATIONAL_SITE['chapters'][3]['id'] is missing",
        "lists the id 'makassar' twice",
        "NATIONAL_SITE['timeout_seconds'] must be seconds",
        "unknown key NATIONAL_SITE['max_byte']",
        "NATIONAL_SITE['calendar_path'] must be a path inside the site",
    ):
        assert expected in text, text


def test_a_bad_national_setting_stops_a_task_with_exit_code_2():
    raw = runner.load_settings(
        str(ROOT / "nationalconf.py"), {"NATIONAL_SITE": {"chapters": [good(timezone="WITA")]}}
    )
    with pytest.raises(kit_settings.SettingsError) as failure:
        kit_settings.load(raw)
    assert failure.value.exitcode == 2
    assert failure.value.problems == [
        "national_site: NATIONAL_SITE['chapters'][0]['timezone'] 'WITA' is not an IANA zone "
        "like Asia/Makassar"
    ]


def test_a_national_site_without_chapters_is_refused_at_start(tmp_path):
    raw = runner.load_settings(
        str(ROOT / "nationalconf.py"),
        {
            "NATIONAL_SITE": {"chapters": []},
            "OUTPUT_PATH": str(tmp_path / "out"),
            "CACHE_PATH": str(tmp_path / "cache"),
        },
    )
    with pytest.raises(runner.BuildFailed) as failure:
        runner.build(raw)
    assert failure.value.code == runner.EXIT_SETTINGS
    assert failure.value.problems[0].startswith(
        "national_site: NATIONAL_SITE['chapters'] lists no chapter"
    )


def test_the_samples_settings_list_palembang_and_two_fictitious_chapters():
    raw = runner.load_settings(str(ROOT / "pelicanconf.py"))
    chapters = kit_settings.load(raw).national.chapters
    assert [(c.id, str(c.zone)) for c in chapters] == [
        ("palembang", "Asia/Jakarta"),
        ("makassar", "Asia/Makassar"),
        ("jayapura", "Asia/Jayapura"),
    ]
