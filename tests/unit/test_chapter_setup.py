"""A new chapter's answers checked, and written into pelicanconf.py without touching the rest."""

from __future__ import annotations

import ast
import runpy
import shlex
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from berbagi import chapter_setup
from berbagi.chapter_setup import Answers, Change, SettingsTextError, check_answers
from berbagi.classfile import read

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SETTINGS = (ROOT / "pelicanconf.py").read_text("utf-8")
SAMPLE_CHAPTER = runpy.run_path(str(ROOT / "pelicanconf.py"))["CHAPTER"]
TODAY = date(2026, 12, 3)
SURABAYA = {
    "name": "Akademi Berbagi Surabaya",
    "city": "Surabaya",
    "zone": "WIB",
    "email": "halo@surabaya.akademiberbagi.example",
    "domain": "surabaya.akademiberbagi.example",
    "twitter": "@AkberSBY",
}


def answers(**changed: str) -> Answers:
    found, problems = check_answers({**SURABAYA, **changed}, TODAY)
    assert problems == []
    assert found is not None
    return found


def problems_of(**changed: str) -> list[str]:
    return check_answers({**SURABAYA, **changed}, TODAY)[1]


def test_empty_answers_take_the_defaults_a_chapter_would_choose():
    chapter = answers()
    assert chapter.short_name == "Akber Surabaya"
    assert chapter.site_url == "https://surabaya.akademiberbagi.example"
    assert chapter.hashtag == "AkberSBY"  # the X handle, without its @
    assert (chapter.lang, chapter.founded, chapter.zone) == ("id", "Desember 2026", "Asia/Jakarta")
    assert answers(lang="en").founded == "December 2026"
    assert answers(name="Komunitas Belajar Bersama").short_name == "Komunitas Belajar Bersama"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("WIB", "Asia/Jakarta"),
        ("wita", "Asia/Makassar"),
        ("WIT", "Asia/Jayapura"),
        ("Asia/Pontianak", "Asia/Pontianak"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),
    ],
)
def test_a_zone_is_wib_wita_wit_or_any_iana_name(typed, zone):
    assert answers(zone=typed).zone == zone


@pytest.mark.parametrize("typed", ["Asia/Palembang", "WITB", "../etc/passwd", "+07:00"])
def test_a_zone_that_is_not_one_is_named_with_what_is_expected(typed):
    assert problems_of(zone=typed) == [
        f"--zone: must be WIB, WITA, WIT or an IANA time zone like Asia/Makassar, not '{typed}'"
    ]


def test_handles_are_checked_by_the_kits_own_rules_and_kept_without_their_at():
    chapter = answers(
        mastodon="@AkberSBY@Mastodon.Social",
        bluesky="@AkberSBY.bsky.social",
        telegram="akbersby",
        facebook="akber.surabaya",
        hashtag="#AkberSurabaya",
    )
    assert chapter.mastodon == "AkberSBY@mastodon.social"
    assert chapter.bluesky == "akbersby.bsky.social"
    assert (chapter.telegram, chapter.facebook) == ("@akbersby", "akber.surabaya")
    assert chapter.hashtag == "AkberSurabaya"
    assert chapter.networks() == ["twitter", "facebook", "telegram", "mastodon", "bluesky"]
    assert answers(mailing_list="kelas@lists.example.org").networks()[-1] == "email"


def test_a_handle_of_another_network_is_named_for_what_it_is():
    assert problems_of(bluesky="@akber@mastodon.social", mastodon="akbersby.bsky.social") == [
        "--mastodon: must be a Mastodon handle like @akbersby@mastodon.social; "
        "'akbersby.bsky.social' looks like a Bluesky handle",
        "--bluesky: must be a Bluesky handle like akbersby.bsky.social; "
        "'@akber@mastodon.social' looks like a Mastodon handle",
    ]


def test_every_mistake_is_listed_once_and_a_default_made_from_a_wrong_answer_is_not():
    found, problems = check_answers(
        {"zone": "WIB", "email": "halo", "domain": "Surabaya.Org/", "twitter": "@a-b"}, TODAY
    )
    assert found is None
    assert [problem.split(":", 1)[0] for problem in problems] == [
        "--name", "--city", "--email", "--domain", "--twitter",
    ]  # fmt: skip
    # No short name, site URL or hashtag problem: each comes from an answer already named.


def test_an_answer_on_two_lines_or_too_long_for_the_settings_is_refused():
    assert problems_of(city="Sura\nbaya") == [
        "--city: must be the chapter's city, like Surabaya, on one line"
    ]
    assert problems_of(name="A" * 61) == [
        "--name: must be the chapter's full name, like Akademi Berbagi Surabaya, "
        "at most 60 characters"
    ]


def test_a_chapter_not_on_x_gets_its_hashtag_from_its_short_name():
    chapter = answers(twitter="")
    assert (chapter.twitter, chapter.hashtag) == ("", "AkberSurabaya")
    assert chapter.networks() == []
    assert answers(twitter="", short_name="Akber Solo-Raya").hashtag == "AkberSoloRaya"


def test_settings_written_then_written_back_are_the_file_byte_for_byte():
    chapter = answers(repo="akber-surabaya/situs")
    changes = chapter_setup.settings_changes(chapter, SAMPLE_CHAPTER, 2026)
    new = chapter_setup.rewrite_settings(SAMPLE_SETTINGS, changes)
    assert new != SAMPLE_SETTINGS
    sample = runpy.run_path(str(ROOT / "pelicanconf.py"))
    back = [Change(c.name, c.key, _value(sample, c)) for c in changes]
    assert chapter_setup.rewrite_settings(new, back) == SAMPLE_SETTINGS


def _value(settings: dict, change: Change):
    value = settings[change.name]
    return value[change.key] if change.key else value


def test_the_new_settings_run_and_say_exactly_what_was_answered(tmp_path):
    chapter = answers(name='Akademi Berbagi "Arek" Suroboyo \'Rek', lang="en", zone="WITA")
    changes = chapter_setup.settings_changes(chapter, SAMPLE_CHAPTER, 2026)
    path = tmp_path / "pelicanconf.py"
    path.write_text(chapter_setup.rewrite_settings(SAMPLE_SETTINGS, changes), "utf-8")
    settings = runpy.run_path(str(path))
    assert settings["CHAPTER"]["name"] == 'Akademi Berbagi "Arek" Suroboyo \'Rek'
    assert settings["CHAPTER"]["logo"] == str(tmp_path / "content" / "images" / "logo.png")
    assert (settings["TIMEZONE"], settings["DEFAULT_LANG"]) == ("Asia/Makassar", "en")
    assert (settings["CLASS_FEEDS"]["id_year"], settings["CMS"]["repo"]) == (2026, None)
    assert settings["SITENAME"] == "Akber Surabaya"


def test_the_feed_id_year_stays_when_the_domain_does():
    chapter = answers(domain=SAMPLE_CHAPTER["domain"])
    changes = chapter_setup.settings_changes(chapter, SAMPLE_CHAPTER, 2026)
    assert "CLASS_FEEDS" not in {change.name for change in changes}


@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=60))
def test_any_name_reads_back_as_typed(name):
    change = Change("CHAPTER", "name", name)
    new = chapter_setup.rewrite_settings(SAMPLE_SETTINGS, [change])
    (chapter,) = [
        node.value
        for node in ast.parse(new).body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "CHAPTER"
    ]
    assert ast.literal_eval(chapter.values[0]) == name
    # Only the value changed: every other line is the sample's, in its place.
    lines, sample = new.split("\n"), SAMPLE_SETTINGS.split("\n")
    assert lines[:10] + lines[11:] == sample[:10] + sample[11:]


def test_text_is_written_in_double_quotes_unless_it_holds_them():
    assert chapter_setup.literal("Akber Jum'at") == '"Akber Jum\'at"'
    assert chapter_setup.literal("Akber Solo") == '"Akber Solo"'
    assert chapter_setup.literal('Akber "Solo"') == "'Akber \"Solo\"'"
    assert chapter_setup.literal(None) == "None"


def test_a_key_the_block_lacks_is_added_before_its_closing_brace():
    source = 'CHAPTER = {\n    "name": "A",\n}\nCMS = {"branch": "main"}\n'
    added = chapter_setup.rewrite_settings(source, [Change("CHAPTER", "email", "a@b.example")])
    assert added == source.replace("}\n", '    "email": "a@b.example",\n}\n', 1)
    with pytest.raises(SettingsTextError, match="CMS has no 'repo'; add it by hand"):
        chapter_setup.rewrite_settings(source, [Change("CMS", "repo", None)])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("TIMEZONE = 'Asia/Jakarta'\nTIMEZONE = 'UTC'\n", "TIMEZONE is set more than once"),
        ("X = 1\n", "TIMEZONE is not set"),
        ("TIMEZONE = (\n", "line 1"),
    ],
)
def test_settings_laid_out_otherwise_are_refused_with_where(source, message):
    with pytest.raises(SettingsTextError, match=message):
        chapter_setup.rewrite_settings(source, [Change("TIMEZONE", None, "Asia/Makassar")])


def test_a_block_that_is_not_a_dict_literal_is_refused():
    with pytest.raises(SettingsTextError, match="CHAPTER is not a dict literal"):
        chapter_setup.rewrite_settings(
            "CHAPTER = dict(name='A')\n", [Change("CHAPTER", "name", "B")]
        )


def test_pages_get_the_new_names_in_one_pass_and_say_what_is_left():
    chapter = answers(name="Akademi Berbagi Palembang Raya", short_name="Akber Palembang Raya")
    pairs = chapter_setup.page_replacements(SAMPLE_CHAPTER, replace(chapter, twitter="AkberPR"))
    text = (
        "Akademi Berbagi Palembang, atau Akber Palembang, sejak Februari 2011.\n"
        "Sapa @AkberPLB (https://twitter.com/AkberPLB) atau halo@example.org.\n"
        "Kelas di Palembang.\n"
    )
    new = chapter_setup.rewrite_page(text, pairs)
    assert new == (
        "Akademi Berbagi Palembang Raya, atau Akber Palembang Raya, sejak Februari 2011.\n"
        "Sapa @AkberPR (https://twitter.com/AkberPR) atau halo@surabaya.akademiberbagi.example.\n"
        "Kelas di Palembang.\n"
    )
    assert chapter_setup.leftover_lines(new, ["Februari 2011"]) == [1]
    assert chapter_setup.leftover_lines("Palembangan\npalembang", ["Palembang"]) == [2]


def test_the_steps_for_secrets_quote_what_a_shell_would_split():
    chapter = answers(mailing_list="kelas@lists.example.org", mastodon="@a@mastodon.social")
    steps = chapter_setup.secret_steps(chapter)
    mail = next(step for step in steps if step.startswith("Mailing list"))
    words = shlex.split(mail.split(";")[1])
    assert words[-1] == "Akber Surabaya <halo@surabaya.akademiberbagi.example>"
    assert any("MASTODON_API_BASE_URL --body https://mastodon.social" in s for s in steps)
    assert not any("secret set TWITTER" in step for step in steps)  # secret values: names only


def test_the_photos_of_a_class_are_its_photo_lines():
    path = ROOT / "content" / "classes" / "2026-09-26-fotografi-ponsel.md"
    assert chapter_setup.photos_of(read(path.read_bytes(), path.name)) == [
        "images/kelas/fotografi-ponsel-kopi.jpg",
        "images/kelas/fotografi-ponsel-sepertiga.jpg",
    ]


def test_a_new_chapter_starts_the_networks_it_named_unless_known_classes_may_be_there():
    named = ["twitter", "mastodon"]
    started = chapter_setup.started_networks
    assert started(named, sample_kept=False, earlier=None) == (named, [])
    assert started(named, sample_kept=True, earlier=None) == ([], named)
    # A second run (a typo fixed) starts nothing the first did not: classes may be there by now.
    assert started(named, sample_kept=False, earlier={"twitter"}) == (["twitter"], ["mastodon"])
    assert started(named, sample_kept=False, earlier=set()) == ([], named)


def test_what_only_the_new_organizers_can_rewrite_is_the_old_citys_history():
    assert chapter_setup.leftover_words(SAMPLE_CHAPTER, answers()) == ["Palembang", "Februari 2011"]
    not_on_x = answers(twitter="")
    assert chapter_setup.leftover_words(SAMPLE_CHAPTER, not_on_x)[-1] == "@AkberPLB"
    assert chapter_setup.leftover_words({**SAMPLE_CHAPTER, "twitter": ""}, not_on_x) == [
        "Palembang", "Februari 2011",
    ]  # fmt: skip
