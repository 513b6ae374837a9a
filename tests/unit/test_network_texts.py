"""Each network's text: its own template, its own measure, its own mentions; the link never cut."""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from berbagi.model import Chapter, build_class
from berbagi.publish import compose
from berbagi.publish.networks import NETWORKS

ZONE = ZoneInfo("Asia/Jakarta")
CHAPTER = Chapter(
    name="Akademi Berbagi Palembang",
    short_name="Akber Palembang",
    city="Palembang",
    twitter="AkberPLB",
    hashtag="AkberPLB",
    domain="palembang.akademiberbagi.example",
    site_url="https://palembang.akademiberbagi.org",
)
URL = "https://palembang.akademiberbagi.org/kelas/jurnalistik-foto/"
TEMPLATES = compose.network_templates("id", compose.TEMPLATES["id"], {})
TEACHER = "Rina Fotografer | @rina_foto @rina@mastodon.social rina.bsky.social | Fotografer"


def make_class(**fields):
    metadata = {
        "title": "Jurnalistik Foto: Bercerita dengan Gambar",
        "start": "2026-12-05 14:00",
        "end": "16:30",
        "venue": "Studio Radio Suara Contoh FM",
        "venue_address": "Jl. Demang Lebar Daun No. 45, Palembang",
        "teacher": TEACHER,
        "summary": "Belajar memotret dan menulis keterangan foto yang bercerita.",
        **fields,
    }
    event, errors = build_class(
        metadata, "content/classes/2026-12-05-jurnalistik-foto.md", "", ZONE
    )
    assert not errors
    return dataclasses.replace(event, url=URL)


def compose_for(network: str, kind: str = "announcement", **fields) -> compose.Composed:
    rules = NETWORKS[network].rules
    event = make_class(**fields)
    return compose.compose_class(kind, event, CHAPTER, "id", TEMPLATES[network], rules)


@pytest.mark.parametrize(
    ("network", "teachers"),
    [
        ("twitter", "Bersama @rina_foto"),
        ("mastodon", "Bersama @rina@mastodon.social"),
        ("bluesky", "Bersama @rina.bsky.social"),
        ("telegram", "Bersama Rina Fotografer"),
        ("facebook", "Bersama Rina Fotografer"),
        ("email", "Bersama Rina Fotografer"),
    ],
)
def test_a_handle_is_a_mention_only_on_its_own_network(network, teachers):
    assert teachers in compose_for(network).text.splitlines()


def test_mastodon_counts_a_link_as_23_and_a_remote_mention_by_its_user_name():
    text = f"Kelas {URL} bersama @rina@mastodon.social"

    assert NETWORKS["mastodon"].rules.length(text) == len("Kelas ") + 23 + len(" bersama @rina")


def test_bluesky_counts_graphemes_and_telegram_utf16_units():
    family = "👩‍👩‍👧"
    assert NETWORKS["bluesky"].rules.length(f"Masak {family}") == 7
    assert (
        NETWORKS["telegram"].rules.length(f"Masak {family}")
        == 6 + len(family.encode("utf-16-le")) // 2
    )


def test_telegram_and_facebook_have_room_for_the_summary_and_x_does_not_need_it():
    assert "Belajar memotret" in compose_for("telegram").text
    assert "Belajar memotret" in compose_for("facebook").text
    assert "Belajar memotret" not in compose_for("twitter").text


def test_an_email_has_a_subject_line_and_paragraphs():
    composed = compose_for("email")

    subject, blank, summary, *_ = composed.text.split("\n")
    assert (
        subject == "Kelas baru: Jurnalistik Foto: Bercerita dengan Gambar (Sabtu, 5 Desember 2026)"
    )
    assert (blank, summary) == ("", "Belajar memotret dan menulis keterangan foto yang bercerita.")
    assert composed.text.endswith("Sampai jumpa di kelas!\nAkber Palembang")
    assert "#AkberPLB" not in composed.text


def test_a_cancellation_email_without_a_note_leaves_no_empty_paragraph():
    composed = compose_for("email", "cancelled", status="cancelled")

    assert "\n\n\n" not in composed.text
    assert composed.text.split("\n")[2] == (
        "Kelas Jurnalistik Foto: Bercerita dengan Gambar pada Sabtu, 5 Desember 2026, "
        "14.00 WIB dibatalkan."
    )


long_text = st.text(min_size=0, max_size=400).map(compose.clean)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=long_text, summary=long_text)
def test_every_network_fits_its_limit_and_keeps_the_link_whole(title, summary):
    fields = {
        "title": title or "x",
        "date": "Sabtu, 5 Desember 2026",
        "time": "14.00 WIB",
        "venue": "Kafe " * 20,
        "note": "",
        "summary": summary * 20,
        "url": URL,
        "hashtag": "#AkberPLB",
        "account": "Akber Palembang",
        "chapter": "Akber Palembang",
    }
    for name in ("mastodon", "bluesky", "telegram"):
        rules = NETWORKS[name].rules
        composed = compose.fit(TEMPLATES[name]["announcement"], fields, rules, ["Rina"])
        assert composed.weighted_length <= rules.limit
        assert URL in composed.text.split()


def test_a_telegram_caption_longer_than_1024_is_cut_with_an_ellipsis():
    from berbagi.publish.networks.telegram import caption_of, length

    short = "Terima kasih! 🙏"
    long = "Terima kasih! 🙏 " * 100

    assert caption_of(short) == short
    assert length(caption_of(long)) <= 1024
    assert caption_of(long).endswith("…")
