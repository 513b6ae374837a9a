"""A teacher's handles on several networks: `@user` on X, `@user@server` on Mastodon, a domain
name on Bluesky; each checked with its file and line."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from berbagi.model import Teacher, build_class

PATH = "content/classes/2026-12-05-fotografi.md"
VALID = {
    "title": "Fotografi Ponsel",
    "start": "2026-12-05 14:00",
    "venue": "Kafe Kopi Contoh",
    "venue_address": "Jl. Kapten A. Rivai No. 27, Palembang",
}


def teachers(*lines: str) -> tuple[tuple[Teacher, ...] | None, list[str]]:
    metadata = {**VALID, "teacher": list(lines)}
    source = "\n".join(
        [f"{key.title()}: {value}" for key, value in VALID.items()]
        + [f"Teacher: {line}" for line in lines]
    )
    event, errors = build_class(metadata, PATH, source + "\n\nUraian.\n", ZoneInfo("Asia/Jakarta"))
    return (event.teachers if event else None), [str(error) for error in errors]


def test_one_twitter_handle_means_what_it_always_did():
    found, errors = teachers("Rina | @guru_foto | Fotografer lepas")

    assert errors == []
    assert found == (Teacher("Rina", "guru_foto", "Fotografer lepas"),)
    assert found[0].handles == {"twitter": "guru_foto"}


def test_handles_on_three_networks_are_told_apart_by_their_form():
    found, errors = teachers(
        "Rina | @guru_foto @Rina@Mastodon.Social Rina.bsky.social | Fotografer lepas"
    )

    assert errors == []
    assert found[0].handles == {
        "twitter": "guru_foto",
        "mastodon": "Rina@mastodon.social",
        "bluesky": "rina.bsky.social",
    }
    assert found[0].bio == "Fotografer lepas"


def test_a_bluesky_handle_may_start_with_an_at_sign_and_commas_separate_too():
    found, errors = teachers("Budi | @budi.example.org, @budi@kolektiva.social")

    assert errors == []
    assert found[0].handles == {"bluesky": "budi.example.org", "mastodon": "budi@kolektiva.social"}


@pytest.mark.parametrize(
    ("handles", "message"),
    [
        (
            "@nama-dengan-strip",
            "'@nama-dengan-strip' is not a Twitter handle like @AkberPLB",
        ),
        (
            "@rina@mastodon",
            "'@rina@mastodon' is not a Mastodon handle like @rina@mastodon.social",
        ),
        ("rina..bsky.social", "'rina..bsky.social' is not a Bluesky handle like rina.bsky.social"),
        ("@satu @dua", "'@satu @dua' gives two X (Twitter) handles; keep one"),
    ],
)
def test_check_names_the_file_line_and_the_wrong_handle(handles, message):
    _, errors = teachers("Rina | @guru_foto | Fotografer", f"Budi | {handles} | Penulis")

    assert len(errors) == 1
    assert errors[0].startswith(f"{PATH}:6: teacher: {message}")


def test_each_handle_links_to_its_profile():
    found, _ = teachers("Rina | @guru_foto @rina@mastodon.social rina.bsky.social | Fotografer")

    assert found[0].profiles == [
        ("@guru_foto", "https://twitter.com/guru_foto"),
        ("@rina@mastodon.social", "https://mastodon.social/@rina"),
        ("@rina.bsky.social", "https://bsky.app/profile/rina.bsky.social"),
    ]
