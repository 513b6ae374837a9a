"""Tweet composition: exact texts, Twitter's weighted length, and shortening that spares the URL."""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twitter_text import extract_urls

from berbagi.glue.runner import BuildFailed
from berbagi.model import Chapter, build_class
from berbagi.publish import compose
from berbagi.publish.networks.x import NETWORK as X

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
# A real top-level domain: twitter-text counts it as 23 whatever its length.
URL = "https://palembang.akademiberbagi.org/kelas/jurnalistik-foto/"
TEMPLATES = compose.TEMPLATES["id"]


def make_class(**fields):
    metadata = {
        "title": "Jurnalistik Foto: Bercerita dengan Gambar",
        "start": "2026-12-05 14:00",
        "end": "16:30",
        "venue": "Studio Radio Suara Contoh FM",
        "venue_address": "Jl. Demang Lebar Daun No. 45, Palembang",
        "teacher": "Rina Fotografer | @rina_foto_fiksi | Fotografer lepas",
        **fields,
    }
    event, errors = build_class(
        metadata, "content/classes/2026-12-05-jurnalistik-foto.md", "", ZONE
    )
    assert not errors
    return dataclasses.replace(event, url=URL)


def compose_class(kind: str = "announcement", **fields) -> compose.Composed:
    return compose.compose_class(kind, make_class(**fields), CHAPTER, "id", TEMPLATES, X.rules)


def test_announcement_names_title_day_time_venue_teacher_url_and_hashtag():
    composed = compose_class()

    assert composed.text == (
        "Kelas baru #AkberPLB: Jurnalistik Foto: Bercerita dengan Gambar\n"
        "Sabtu, 5 Desember 2026, 14.00 WIB\n"
        "Tempat: Studio Radio Suara Contoh FM\n"
        "Bersama @rina_foto_fiksi\n"
        f"Info & daftar: {URL}"
    )
    # The URL weighs 23 however long it is.
    assert composed.weighted_length == len(composed.text) - len(URL) + 23 == 198


def test_long_title_and_venue_are_cut_with_an_ellipsis_and_the_url_kept():
    composed = compose_class(
        title="Belajar Menulis Cerita Pendek yang Menyentuh Hati Pembaca dari Nol sampai Terbit "
        "di Media Nasional, Lengkap dengan Kiat Menghadapi Penolakan Redaksi dan Menjaga "
        "Semangat Menulis Setiap Hari bersama Komunitas Penulis Muda Palembang",
        venue="Aula Serbaguna Lantai Tiga Gedung Perpustakaan Daerah Provinsi Sumatera Selatan "
        "(masuk dari pintu samping dekat parkiran motor)",
    )

    assert composed.text == (
        "Kelas baru #AkberPLB: Belajar Menulis Cerita Pendek yang Menyentuh Hati Pembaca dari "
        "Nol sampai Terbit di Media Nasional, Lengkap dengan…\n"
        "Sabtu, 5 Desember 2026, 14.00 WIB\n"
        "Tempat: Aula Serbaguna Lantai Tiga Gedung…\n"
        "Bersama @rina_foto_fiksi\n"
        f"Info & daftar: {URL}"
    )
    assert composed.weighted_length == 280


def test_emoji_and_cjk_weigh_two_each():
    composed = compose_class(title="Masak Hemat 🍳🔥 untuk Anak Kos 👩‍🍳 日本の料理")

    assert composed.text.startswith(
        "Kelas baru #AkberPLB: Masak Hemat 🍳🔥 untuk Anak Kos 👩\u200d🍳 日本の料理\n"
    )
    # 3 emoji (the cook is one ZWJ sequence) and 5 CJK characters: 8 characters of weight 2.
    plain = compose_class(title="Masak Hemat xx untuk Anak Kos x xxxxx")
    assert composed.weighted_length == plain.weighted_length + 8 == 202


def test_hostile_title_is_sent_as_plain_text_without_hidden_characters_or_mentions():
    composed = compose_class(
        title='</script><script>alert("judul")</script> & "Kutip"\u202e evil\u200b @everyone',
        venue='<img src=x onerror=alert(1)> Kafe "Kopi"\t\x07',
    )

    assert composed.text == (
        'Kelas baru #AkberPLB: </script><script>alert("judul")</script> & "Kutip" evil everyone\n'
        "Sabtu, 5 Desember 2026, 14.00 WIB\n"
        'Tempat: <img src=x onerror=alert(1)> Kafe "Kopi"\n'
        "Bersama @rina_foto_fiksi\n"
        f"Info & daftar: {URL}"
    )
    assert composed.weighted_length == 233


def test_updates_say_what_changed():
    cancelled = compose_class("cancelled", status="cancelled", status_note="Gedung dipakai ujian.")
    postponed = compose_class("postponed", status="postponed")
    moved = compose_class("rescheduled", previous_start="2026-11-21 14:00")

    assert cancelled.text == (
        "DIBATALKAN: Jurnalistik Foto: Bercerita dengan Gambar (Sabtu, 5 Desember 2026, "
        f"14.00 WIB)\nGedung dipakai ujian.\n{URL} #AkberPLB"
    )
    # No status note: its line disappears instead of staying empty.
    assert postponed.text == (
        "DITUNDA: Jurnalistik Foto: Bercerita dengan Gambar, semula Sabtu, 5 Desember 2026\n"
        f"{URL} #AkberPLB"
    )
    assert moved.text.startswith("JADWAL BARU: Jurnalistik Foto")
    assert (cancelled.weighted_length, postponed.weighted_length) == (145, 115)


def test_co_teachers_give_way_to_dkk_and_handles_are_never_cut():
    teachers = [f"Guru {n} | @guru_nomor_{n:04d}" for n in range(12)]
    composed = compose_class(teacher=teachers)

    line = next(line for line in composed.text.splitlines() if line.startswith("Bersama"))
    assert line.endswith(" dkk.")
    assert all(len(word) == 16 for word in line[len("Bersama ") : -len(" dkk.")].split(", "))
    assert composed.weighted_length <= 280


def test_chapter_account_and_emails_stay_as_written_in_notes():
    composed = compose_class(
        "postponed", status="postponed", status_note="Kabar lewat @AkberPLB atau halo@example.org"
    )

    assert "Kabar lewat @AkberPLB atau halo@example.org" in composed.text


def test_unknown_placeholder_fails_the_build(build_site):
    with pytest.raises(
        BuildFailed, match=r"SOCIAL_PUBLISH\['templates'\]\['page'\] uses \{judul\}"
    ):
        build_site(SOCIAL_PUBLISH={"templates": {"page": "{judul} {url}"}})


def test_a_template_without_room_for_a_title_stops_a_production_build(build_site, tmp_path):
    wordy = "Jangan lewatkan kelas gratis kami yang sangat menarik minggu ini! " * 4
    social = {"templates": {"reminder": wordy + "{title} {url}"}}
    # A local build composes nothing, so it does not measure either.
    build_site(SOCIAL_PUBLISH=social)

    with pytest.raises(BuildFailed) as failure:
        build_site(
            SOCIAL_PUBLISH={**social, "write_plan": True, "ledger": str(tmp_path / "l.json")}
        )

    assert failure.value.code == 2
    (problem,) = failure.value.problems
    assert problem.startswith(
        "social_publish: SOCIAL_PUBLISH['templates']['reminder'] leaves no room for the title "
        "on X (Twitter): its fixed text weighs "
    )


pieces = st.sampled_from(
    [
        "…",
        " ",
        "\n",
        "👩‍👩‍👧",
        "🍳",
        "日本語",
        "\u0301",
        "\u200d",
        "\u202e",
        "https://evil.example.com/x",
        "akber.id",
        "@someone",
        "#tagar",
        "{url}",
        "a" * 50,
    ]
)
free_text = st.lists(st.one_of(st.text(max_size=30), pieces), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=free_text, venue=free_text, note=free_text)
def test_any_title_venue_or_note_fits_in_280_with_the_url_intact(title, venue, note):
    fields = {
        "title": compose.clean(title),
        "date": "Sabtu, 5 Desember 2026",
        "time": "14.00 WIB",
        "venue": compose.clean(venue),
        "note": compose.clean(note),
        "url": URL,
        "hashtag": "#AkberPLB",
        "account": "@AkberPLB",
        "chapter": "Akber Palembang",
    }
    for kind in ("announcement", "cancelled", "rescheduled"):
        composed = compose.fit(TEMPLATES[kind], fields, X.rules, ["@rina_foto_fiksi"])

        assert composed.weighted_length <= 280
        assert composed.weighted_length == X.rules.length(composed.text)
        assert URL in extract_urls(composed.text)


def test_a_chapter_not_on_x_is_named_by_its_short_name_and_its_sign_up_mentions_nobody():
    from urllib.parse import parse_qs, urlsplit

    from berbagi.links import registration_url

    not_on_x = dataclasses.replace(CHAPTER, twitter="")
    assert compose.account(not_on_x, "twitter") == "Akber Palembang"
    assert compose.account(CHAPTER, "twitter") == "@AkberPLB"
    event = make_class()
    text = parse_qs(urlsplit(registration_url(event, not_on_x, "id")).query)["text"][0]
    assert text == 'Saya daftar kelas "Jurnalistik Foto: Bercerita dengan Gambar" #AkberPLB'


def test_a_post_on_x_by_a_chapter_whose_handle_is_not_set_has_an_address_all_the_same():
    import responses

    from berbagi.publish.networks.x import CREDENTIALS, TwitterSender, post_id_from_url
    from berbagi.publish.send import Message

    environ = {name: f"fake-{name.lower()}" for name in CREDENTIALS}
    with responses.RequestsMock() as mock:
        mock.post(
            "https://api.twitter.com/2/tweets",
            status=201,
            json={"data": {"id": "1864", "text": "Kelas baru"}},
        )
        sent = TwitterSender(environ, "").post(Message(text="Kelas baru", link=URL))
    assert sent.url == "https://twitter.com/i/status/1864"
    assert post_id_from_url(sent.url) == "1864"


def test_a_recap_thanks_with_the_count_the_words_and_the_teacher_mentioned_on_x():
    event = make_class(participants="21", recap="Terima kasih Radio Suara Contoh FM!")

    composed = compose.compose_class("recap", event, CHAPTER, "id", TEMPLATES, X.rules)

    assert composed.text == (
        "Terima kasih sudah datang ke Jurnalistik Foto: Bercerita dengan Gambar bersama "
        "@rina_foto_fiksi!\nTerima kasih Radio Suara Contoh FM!\nHadir: 21 peserta\n"
        f"Foto & cerita: {URL} #AkberPLB"
    )
    assert composed.weighted_length <= 280


def test_a_recap_without_a_count_or_words_leaves_their_lines_out():
    composed = compose.compose_class(
        "recap", make_class(), CHAPTER, "en", compose.TEMPLATES["en"], X.rules
    )

    assert composed.text == (
        "Thank you for coming to Jurnalistik Foto: Bercerita dengan Gambar with "
        f"@rina_foto_fiksi!\nPhotos: {URL} #AkberPLB"
    )
    assert "None" not in composed.text


def test_the_chapters_words_give_way_first_and_never_the_link():
    words = "Terima kasih semuanya, " * 11 + "sampai jumpa!"  # 266 characters
    event = make_class(participants="21", recap=words[:280])

    composed = compose.compose_class("recap", event, CHAPTER, "id", TEMPLATES, X.rules)

    assert composed.weighted_length <= 280
    assert "Jurnalistik Foto: Bercerita dengan Gambar" in composed.text  # the title kept whole
    assert "…" in composed.text.splitlines()[1]
    assert composed.text.endswith(f"{URL} #AkberPLB")


def test_a_mention_in_the_chapters_words_notifies_nobody():
    event = make_class(recap="Terima kasih @orang_lain dan @AkberPLB!")

    composed = compose.compose_class("recap", event, CHAPTER, "id", TEMPLATES, X.rules)

    assert "Terima kasih orang_lain dan @AkberPLB!" in composed.text
