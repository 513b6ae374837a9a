"""Settings are validated once into frozen objects; a mistake is one line naming plugin and key."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from berbagi import settings
from berbagi.settings import SettingsError

CHAPTER = {
    "name": "Akademi Berbagi Palembang",
    "short_name": "Akber Palembang",
    "city": "Palembang",
    "twitter": "AkberPLB",
    "hashtag": "AkberPLB",
    "domain": "palembang.akademiberbagi.example",
    "site_url": "https://palembang.akademiberbagi.example/",
    "email": "halo@palembang.akademiberbagi.example",
}
BASE = {
    "CHAPTER": CHAPTER,
    "TIMEZONE": "Asia/Jakarta",
    "DEFAULT_LANG": "id",
    "PATH": "content",
    "SITEURL": "",
    "ARTICLE_URL": "kelas/{slug}/",
    "ARTICLE_SAVE_AS": "kelas/{slug}/index.html",
    "CLASS_FEEDS": {"id_year": 2011},
}


def load(**overrides):
    return settings.load({**BASE, **overrides})


def problems(**overrides) -> list[str]:
    with pytest.raises(SettingsError) as failure:
        load(**overrides)
    assert failure.value.exitcode == 2
    return failure.value.problems


def test_defaults_fill_every_section_into_frozen_objects():
    loaded = load()
    assert loaded.chapter.site_url == "https://palembang.akademiberbagi.example"
    assert loaded.photos == settings.PhotoSettings((480, 960, 1440), 80, "foto")
    assert loaded.calendar.name == "Kelas Akademi Berbagi Palembang"
    assert loaded.feeds.title == "Kelas Akademi Berbagi Palembang"
    assert loaded.schedule.default_duration == timedelta(hours=2)
    assert loaded.publish.max_posts == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.language = "en"  # type: ignore[misc]


def test_absolute_links_use_siteurl_when_it_is_absolute_and_the_chapter_url_otherwise():
    assert load().absolute_url("kelas/x/") == "https://palembang.akademiberbagi.example/kelas/x/"
    staging = load(SITEURL="https://staging.example.org/akber/")
    assert staging.absolute_url("kelas/x/") == "https://staging.example.org/akber/kelas/x/"


def test_the_clock_is_read_only_when_asked_and_a_fixed_now_wins(monkeypatch):
    monkeypatch.delenv(settings.NOW_ENVIRONMENT_VARIABLE, raising=False)
    fixed = load(CLASS_SCHEDULE={"now": "2026-11-28T09:00"})
    assert fixed.now() == datetime.fromisoformat("2026-11-28T09:00+07:00")
    assert load().schedule.fixed_now is None
    monkeypatch.setenv(settings.NOW_ENVIRONMENT_VARIABLE, "2026-12-04T19:00+07:00")
    assert load().now() == datetime.fromisoformat("2026-12-04T19:00+07:00")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"ICAL_FEED": {"refresh": 12}}, "ical_feed: unknown key ICAL_FEED['refresh']"),
        ({"ICAL_FEED": {"path": "/calendar.ics"}}, "ical_feed: ICAL_FEED['path']"),
        ({"ICAL_FEED": {"path": "calendar.txt"}}, "ical_feed: ICAL_FEED['path']"),
        ({"ICAL_FEED": {"refresh_hours": 0}}, "ical_feed: ICAL_FEED['refresh_hours']"),
        ({"ICAL_FEED": {"name": ""}}, "ical_feed: ICAL_FEED['name']"),
        ({"ICAL_FEED": ["path"]}, "ical_feed: ICAL_FEED must be a dict"),
        ({"CLASS_FEEDS": {}}, "class_feeds: CLASS_FEEDS['id_year']"),
        ({"CLASS_FEEDS": {"id_year": 2011, "colour": "red"}}, "unknown key CLASS_FEEDS['colour']"),
        ({"CLASS_FEEDS": {"id_year": "2011"}}, "class_feeds: CLASS_FEEDS['id_year']"),
        ({"CLASS_FEEDS": {"id_year": 2011, "atom_path": "../a.xml"}}, "CLASS_FEEDS['atom_path']"),
        ({"CLASS_FEEDS": {"id_year": 2011, "rss_path": "f/c.rss"}}, "CLASS_FEEDS['rss_path']"),
        (
            {"CLASS_FEEDS": {"id_year": 2011, "rss_path": "feeds/classes.atom.xml"}},
            "CLASS_FEEDS['rss_path'] is the same file as atom_path",
        ),
        ({"CLASS_FEEDS": {"id_year": 2011, "title": 3}}, "CLASS_FEEDS['title']"),
        ({"CLASS_PHOTOS": {"widht": [480]}}, "class_photos: unknown key CLASS_PHOTOS['widht']"),
        ({"CLASS_PHOTOS": {"widths": []}}, "class_photos: CLASS_PHOTOS['widths']"),
        ({"CLASS_PHOTOS": {"widths": [480, "960"]}}, "class_photos: CLASS_PHOTOS['widths']"),
        ({"CLASS_PHOTOS": {"widths": [0]}}, "class_photos: CLASS_PHOTOS['widths']"),
        ({"CLASS_PHOTOS": {"quality": 100}}, "class_photos: CLASS_PHOTOS['quality']"),
        ({"CLASS_PHOTOS": {"quality": "80"}}, "class_photos: CLASS_PHOTOS['quality']"),
        ({"CLASS_PHOTOS": {"output_dir": "../luar"}}, "class_photos: CLASS_PHOTOS['output_dir']"),
        ({"CLASS_PHOTOS": {"output_dir": ""}}, "class_photos: CLASS_PHOTOS['output_dir']"),
        ({"SOCIAL_PUBLISH": {"max_post": 3}}, "unknown key SOCIAL_PUBLISH['max_post']"),
        ({"SOCIAL_PUBLISH": {"max_posts": 0}}, "social_publish: SOCIAL_PUBLISH['max_posts']"),
        ({"SOCIAL_PUBLISH": {"kinds": ["tweet"]}}, "social_publish: SOCIAL_PUBLISH['kinds']"),
        (
            {"SOCIAL_PUBLISH": {"recap_window_days": 0}},
            "social_publish: SOCIAL_PUBLISH['recap_window_days'] must be a whole number",
        ),
        (
            {"SOCIAL_PUBLISH": {"recap_window_days": "30"}},
            "social_publish: SOCIAL_PUBLISH['recap_window_days'] must be a whole number",
        ),
        (
            {"SOCIAL_PUBLISH": {"templates": {"recap": "Terima kasih, {peserta}! {url}"}}},
            "social_publish: SOCIAL_PUBLISH['templates']['recap'] uses {peserta}",
        ),
        (
            {"SOCIAL_PUBLISH": {"templates": {"reminder": "Besok: {title}"}}},
            "social_publish: SOCIAL_PUBLISH['templates']['reminder'] has no {url}",
        ),
        (
            {"SOCIAL_PUBLISH": {"templates": {"remind": "{url}"}}},
            "social_publish: SOCIAL_PUBLISH['templates'] has an unknown template 'remind'",
        ),
        (
            {"SOCIAL_PUBLISH": {"templates": {"email": {"reminder": "Besok: {title}"}}}},
            "social_publish: SOCIAL_PUBLISH['templates']['email']['reminder'] has no {url}",
        ),
        (
            {"SOCIAL_PUBLISH": {"templates": {"mastodon": {"remind": "{url}"}}}},
            "social_publish: SOCIAL_PUBLISH['templates']['mastodon'] has an unknown template",
        ),
        (
            {"SOCIAL_PUBLISH": {"networks": ["twitter", "threads"]}},
            "social_publish: SOCIAL_PUBLISH['networks'] must list some of twitter, facebook",
        ),
        ({"TIMEZONE": "Asia/Palembang"}, "class_schedule: TIMEZONE 'Asia/Palembang'"),
        ({"DEFAULT_LANG": "fr"}, "class_schedule: DEFAULT_LANG 'fr'"),
        ({"CLASS_SCHEDULE": {"now": "besok"}}, "class_schedule: CLASS_SCHEDULE['now']"),
        ({"CLASS_SCHEDULE": {"default_duration_minutes": 0}}, "default_duration_minutes"),
        ({"CHAPTER": {**CHAPTER, "domain": "https://x.example"}}, "CHAPTER['domain']"),
        ({"CHAPTER": {**CHAPTER, "site_url": "/"}}, "CHAPTER['site_url']"),
        ({"CHAPTER": {**CHAPTER, "hastag": "x"}}, "unknown key CHAPTER['hastag']"),
        ({"CHAPTER": {**CHAPTER, "twitter": "Akber PLB"}}, "CHAPTER['twitter'] 'Akber PLB'"),
        ({"CHAPTER": {**CHAPTER, "hashtag": "#Akber-PLB"}}, "CHAPTER['hashtag'] 'Akber-PLB'"),
        ({"CHAPTER": {**CHAPTER, "name": 3}}, "CHAPTER['name'] must be text"),
        ({"CHAPTER": {k: v for k, v in CHAPTER.items() if k != "city"}}, "CHAPTER['city']"),
        (
            {"CHAPTER": {k: v for k, v in CHAPTER.items() if k != "email"}},
            "class_schedule: CHAPTER['email'] is missing in the settings",
        ),
        ({"CHAPTER": {**CHAPTER, "email": " "}}, "CHAPTER['email'] is missing"),
        ({"CHAPTER": {**CHAPTER, "email": None}}, "CHAPTER['email'] must be text"),
    ],
)
def test_each_mistake_is_one_line_naming_plugin_and_key(overrides, expected):
    found = problems(**overrides)
    assert len(found) == 1, found
    assert expected in found[0]
    assert "\n" not in found[0]


def test_a_chapter_not_on_x_leaves_out_its_handle():
    without_x = {key: value for key, value in CHAPTER.items() if key != "twitter"}
    assert load(CHAPTER=without_x).chapter.twitter == ""
    assert load(CHAPTER={**CHAPTER, "twitter": ""}).chapter.twitter == ""


@pytest.mark.parametrize(
    "email",
    [
        "halo",
        "halo@",
        "@example.org",
        "halo@example",
        "halo@@example.org",
        "halo @example.org",
        "halo@example..org",
        "halo@-example.org",
        "mailto:halo@example.org",
        "halo?subject=x@example.org",
        "Halo <halo@example.org>",
    ],
)
def test_a_chapter_email_that_is_not_an_address_is_one_line_naming_it(email):
    found = problems(CHAPTER={**CHAPTER, "email": email})
    assert found == [
        f"class_schedule: CHAPTER['email'] '{email}' is not an e-mail address like "
        "halo@palembang.akademiberbagi.org"
    ]


@pytest.mark.parametrize(
    "email",
    ["halo@example.org", "kelas.gratis+plb@mail.akademi-berbagi.or.id", " x_y@EXAMPLE.ORG "],
)
def test_a_chapter_email_address_is_accepted(email):
    assert load(CHAPTER={**CHAPTER, "email": email}).chapter.email == email.strip()


def test_every_mistake_is_reported_in_one_run():
    found = problems(
        TIMEZONE="Mars/Olympus",
        ICAL_FEED={"refresh_hours": 0},
        CLASS_PHOTOS={"quality": 0},
        SOCIAL_PUBLISH={"max_posts": -1},
    )
    assert [line.split(":")[0] for line in found] == [
        "class_schedule",
        "ical_feed",
        "class_photos",
        "social_publish",
    ]


@pytest.mark.parametrize(
    ("url", "save_as"),
    [
        ("kelas/{slug}/", "kelas/{slug}/index.html"),
        ("kelas/{date:%Y}/{slug}/", "kelas/{date:%Y}/{slug}/index.html"),
        ("{slug}.html", "{slug}.html"),
        ("{lang}/kelas/{slug}.html", "{lang}/kelas/{slug}.html"),
    ],
)
def test_class_page_patterns_pelican_can_fill_are_accepted(url, save_as):
    assert load(ARTICLE_URL=url, ARTICLE_SAVE_AS=save_as)


@pytest.mark.parametrize(
    ("url", "save_as", "expected"),
    [
        ("kelas/{title}/", "kelas/{title}/index.html", "ARTICLE_URL 'kelas/{title}/' cannot be"),
        ("kelas/", "kelas/index.html", "ARTICLE_URL 'kelas/' has no {slug}"),
        ("kelas/{slug}/", "", "ARTICLE_SAVE_AS is empty"),
        ("kelas/{slug}/", "kelas/{slug}.html", "does not reach the file ARTICLE_SAVE_AS"),
        ("kelas/{slug", "kelas/{slug}.html", "ARTICLE_URL 'kelas/{slug' cannot be filled"),
    ],
)
def test_class_page_patterns_that_cannot_work_are_refused_naming_the_setting(
    url, save_as, expected
):
    found = problems(ARTICLE_URL=url, ARTICLE_SAVE_AS=save_as)
    assert any(expected in line for line in found), found


def test_a_network_template_applies_to_that_network_only():
    social = {"templates": {"announcement": "Baru: {title} {url}", "bluesky": {"page": "{url}"}}}

    found = load(SOCIAL_PUBLISH=social).publish

    assert found.network_templates["twitter"]["announcement"] == "Baru: {title} {url}"
    assert found.network_templates["bluesky"]["page"] == "{url}"
    assert found.network_templates["twitter"]["page"] == found.templates["page"]
    # The mailing list keeps its own default, with a subject line.
    assert found.network_templates["email"]["announcement"].startswith("Kelas baru: {title}")
    assert found.networks is None
    assert load(SOCIAL_PUBLISH={"networks": ["email"]}).publish.networks == ("email",)
