"""How the kit words a class in plain text, in the site's language, for every output.

One place decides how a class's status, teachers, registration and revision time read, so the
calendar, the Google and Outlook links, the feeds and the posts cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from . import formatting
from .model import ClassEvent, ClassStatus

WORDS: dict[str, dict[str, str]] = {
    "id": {
        "cancelled": "DIBATALKAN",
        "postponed": "DITUNDA",
        "rescheduled": "JADWAL BARU",
        "cancelled_default": "kelas ini tidak jadi diadakan.",
        "postponed_default": "tanggal baru akan diumumkan.",
        "previously": "sebelumnya",
        "when": "Waktu",
        "where": "Tempat",
        "teacher": "Guru",
        "bring": "Yang perlu dibawa",
        "registration": "Pendaftaran",
        "via_twitter": "lewat Twitter (tautannya ada di halaman kelas)",
        "twitter_link": "Daftar lewat Twitter",
        "no_registration": "tidak perlu mendaftar, datang saja.",
        "free": "Gratis, terbuka untuk siapa saja.",
        "page": "Halaman kelas",
        "calendar_name": "Kelas {name}",
        "calendar_description": (
            "Jadwal kelas gratis {name}: guru relawan, terbuka untuk siapa saja."
        ),
        "feed_title": "Kelas {name}",
        "feed_subtitle": "Kelas gratis {name}: pengumuman, perubahan jadwal dan pembatalan.",
        "share_text": "Kelas gratis {chapter}: {title}, {when}. Info dan pendaftaran:",
        "share_subject": "Kelas gratis: {title}",
        "register_tweet": 'Saya daftar kelas "{title}" @{account} #{hashtag}',
        "register_tweet_no_account": 'Saya daftar kelas "{title}" #{hashtag}',
    },
    "en": {
        "cancelled": "CANCELLED",
        "postponed": "POSTPONED",
        "rescheduled": "RESCHEDULED",
        "cancelled_default": "this class will not take place.",
        "postponed_default": "a new date will be announced.",
        "previously": "previously",
        "when": "When",
        "where": "Where",
        "teacher": "Teacher",
        "bring": "What to bring",
        "registration": "Registration",
        "via_twitter": "via Twitter (the link is on the class page)",
        "twitter_link": "Register via Twitter",
        "no_registration": "no need to register, just come.",
        "free": "Free and open to everyone.",
        "page": "Class page",
        "calendar_name": "{name} classes",
        "calendar_description": "Free classes by {name}: volunteer teachers, open to everyone.",
        "feed_title": "{name} classes",
        "feed_subtitle": "Free classes by {name}: announcements, new dates and cancellations.",
        "share_text": "Free class by {chapter}: {title}, {when}. Details and registration:",
        "share_subject": "Free class: {title}",
        "register_tweet": 'Signing up for "{title}" by @{account} #{hashtag}',
        "register_tweet_no_account": 'Signing up for "{title}" #{hashtag}',
    },
}
# Control characters other than newline and tab are invalid in iCalendar and XML text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def words(language: str) -> Mapping[str, str]:
    """The wording for `language`, Indonesian when the language is not known."""
    return WORDS.get(language, WORDS["id"])


def clean_text(text: str) -> str:
    """Newlines as \\n and no other control characters, so every format can carry the text."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def status_label(event: ClassEvent, language: str) -> str:
    """DIBATALKAN, DITUNDA, JADWAL BARU, or "" for a class that simply happens as announced."""
    said = words(language)
    if event.status is ClassStatus.CANCELLED:
        return said["cancelled"]
    if event.status is ClassStatus.POSTPONED:
        return said["postponed"]
    if event.is_rescheduled:
        return said["rescheduled"]
    return ""


def status_line(event: ClassEvent, language: str) -> str:
    """The first line every channel shows for a changed class, e.g. "DIBATALKAN: <reason>"."""
    label = status_label(event, language)
    if not label:
        return ""
    said = words(language)
    if event.status is ClassStatus.CANCELLED:
        reason = event.status_note or said["cancelled_default"]
    elif event.status is ClassStatus.POSTPONED:
        reason = event.status_note or said["postponed_default"]
    else:
        new = formatting.when(event.start, language)
        old = formatting.when(event.previous_starts[-1], language)
        reason = f"{new} ({said['previously']} {old}). {event.status_note}".strip()
    return f"{label}: {reason}"


def headline(event: ClassEvent, language: str, *, with_reschedule: bool = True) -> str:
    """The title with its status in front, so a list of titles alone tells what changed."""
    label = status_label(event, language)
    if not label or (event.is_rescheduled and not with_reschedule):
        return event.title
    return f"{label}: {event.title}"


def location_line(event: ClassEvent) -> str:
    """ "Kafe Kopi Contoh, Jl. Kapten A. Rivai No. 27, Palembang": one line geocoders understand."""
    venue = event.venue
    if venue.address.lower().startswith(venue.name.lower()):
        return venue.address
    return f"{venue.name}, {venue.address}"


def teacher_line(event: ClassEvent) -> str:
    """ "Rina (@rina_foto), Budi": every teacher, with the handle when there is one."""
    return ", ".join(
        f"{teacher.name} (@{teacher.twitter})" if teacher.twitter else teacher.name
        for teacher in event.teachers
    )


def when_line(event: ClassEvent, language: str) -> str:
    """ "Sabtu, 5 Desember 2026, 14.00–16.30 WIB", Babel-formatted like the class page."""
    if event.start.date() != event.end.date():
        return formatting.time_range(event.start, event.end, language)
    times = formatting.time_range(event.start, event.end, language)
    return f"{formatting.long_date(event.start, language)}, {times}"


def registration_line(event: ClassEvent, language: str) -> str:
    """The registration URL, or how to register when there is none."""
    said = words(language)
    if event.registration.url:
        return event.registration.url
    if event.registration.via_twitter:
        return said["via_twitter"]
    return said["no_registration"]


def description_text(event: ClassEvent, page_url: str, language: str) -> str:
    """What will be taught, by whom, what to bring and how to register, then the page URL."""
    said = words(language)
    paragraphs = [status_line(event, language), event.summary]
    facts = [f"{said['teacher']}: {teacher_line(event)}"]
    if event.bring:
        facts.append(f"{said['bring']}: {event.bring}")
    facts.append(f"{said['registration']}: {registration_line(event, language)}")
    facts.append(said["free"])
    paragraphs.append("\n".join(facts))
    paragraphs.append(f"{said['page']}: {page_url}")
    return clean_text("\n\n".join(part for part in paragraphs if part))


def revised_at(event: ClassEvent) -> datetime:
    """When the class last changed, the same in every build: DTSTAMP, LAST-MODIFIED, <updated>.

    The announcement (or the file's own `Modified:` date when it is later), plus one second per
    SEQUENCE step: a reschedule, cancellation or postponement always moves it forward even when
    the organizer does not touch `Modified:`, and nothing depends on the clock of the build.
    """
    base = event.announced if event.modified is None else max(event.announced, event.modified)
    return base + timedelta(seconds=event.sequence)
