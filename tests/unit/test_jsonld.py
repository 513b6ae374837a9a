"""The schema.org Event of a class: whether a seat can still be had, and its picture."""

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from berbagi.model import Chapter, ClassEvent, ClassStatus, Teacher, Venue
from berbagi.render.jsonld import event_jsonld

JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 12, 5, 14, 0, tzinfo=JAKARTA)
HOME = "https://palembang.akademiberbagi.example/"
CHAPTER = Chapter(
    name="Akademi Berbagi Palembang",
    short_name="Akber Palembang",
    city="Palembang",
    twitter="AkberPLB",
    hashtag="AkberPLB",
    domain="palembang.akademiberbagi.example",
    site_url="https://palembang.akademiberbagi.example",
    email="halo@example.org",
)
EVENT = ClassEvent(
    slug="fotografi-ponsel",
    title="Fotografi Ponsel",
    start=START,
    end=START + timedelta(hours=2),
    venue=Venue("Kafe Kopi Contoh", "Jl. Kapten A. Rivai No. 27, Palembang"),
    teachers=(Teacher("Rina Fotografer", "rina_foto"),),
    source_path="content/classes/2026-12-05-fotografi-ponsel.md",
    announced=datetime(2026, 11, 1, 9, 0, tzinfo=JAKARTA),
    url="https://palembang.akademiberbagi.example/kelas/fotografi-ponsel/",
)
BEFORE = START - timedelta(days=7)
DURING = START + timedelta(hours=1)
AFTER = START + timedelta(days=1)


def availability(status: ClassStatus, now: datetime | None) -> str:
    return event_jsonld(replace(EVENT, status=status), CHAPTER, HOME, now=now)["offers"][
        "availability"
    ]


@pytest.mark.parametrize("now", [None, BEFORE])
def test_a_scheduled_class_that_has_not_started_is_in_stock(now):
    assert availability(ClassStatus.SCHEDULED, now) == "https://schema.org/InStock"


@pytest.mark.parametrize("now", [START, DURING, AFTER])
def test_a_class_that_has_started_or_is_over_is_sold_out(now):
    assert availability(ClassStatus.SCHEDULED, now) == "https://schema.org/SoldOut"


@pytest.mark.parametrize("now", [None, BEFORE, AFTER])
def test_a_cancelled_class_is_discontinued(now):
    assert availability(ClassStatus.CANCELLED, now) == "https://schema.org/Discontinued"


@pytest.mark.parametrize("now", [None, BEFORE, AFTER])
def test_a_postponed_class_is_out_of_stock_while_its_date_is_unknown(now):
    assert availability(ClassStatus.POSTPONED, now) == "https://schema.org/OutOfStock"


def test_a_moved_class_is_in_stock_at_its_new_date():
    moved = replace(EVENT, previous_starts=(START - timedelta(days=14),))
    data = event_jsonld(moved, CHAPTER, HOME, now=BEFORE)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_the_image_is_there_only_when_given():
    assert "image" not in event_jsonld(EVENT, CHAPTER, HOME)
    assert "image" not in event_jsonld(EVENT, CHAPTER, HOME, image_url=None)
    image = "https://palembang.akademiberbagi.example/kelas/fotografi-ponsel/share.png"
    assert event_jsonld(EVENT, CHAPTER, HOME, image_url=image)["image"] == [image]


def test_the_old_positional_call_still_works():
    data = event_jsonld(EVENT, CHAPTER, HOME)
    assert data["@type"] == "Event"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Akademi Berbagi Palembang",
        "url": HOME,
    }
    assert data["offers"]["validFrom"] == "2026-11-01T09:00:00+07:00"
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_a_teacher_on_several_networks_has_every_profile_in_same_as():
    rina = Teacher("Rina Fotografer", "rina_foto", bluesky="rina.bsky.social")
    budi = Teacher("Budi", mastodon="budi@mastodon.social")
    event = replace(EVENT, teachers=(rina, budi, Teacher("Sari")))

    performers = event_jsonld(event, CHAPTER, HOME, now=BEFORE)["performer"]

    assert [performer.get("sameAs") for performer in performers] == [
        ["https://twitter.com/rina_foto", "https://bsky.app/profile/rina.bsky.social"],
        "https://mastodon.social/@budi",
        None,
    ]
