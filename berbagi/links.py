"""Links that leave the site: add-to-calendar (Google, Outlook), webcal://, and Twitter intents
for sharing a class or registering "via Twitter" without any paid API."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from .model import Chapter, ClassEvent
from .wording import description_text, headline, location_line

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
INTENT_URL = "https://twitter.com/intent/tweet"


def _query(params: dict[str, str]) -> str:
    # %20, never "+": Outlook's compose page shows a "+" for every space encoded as one.
    return urlencode(params, quote_via=quote, safe="/:")


def webcal_url(url: str) -> str:
    """webcal://host/calendar.ics: the scheme that makes phones and desktops offer to subscribe."""
    scheme, separator, rest = url.partition("://")
    return f"webcal://{rest}" if separator and scheme in {"http", "https"} else url


def google_subscribe_url(calendar_url: str) -> str:
    """Opens Google Calendar's "add this calendar" dialog for the subscription."""
    return f"{GOOGLE_CALENDAR}?{_query({'cid': webcal_url(calendar_url)})}"


def google_calendar_url(event: ClassEvent, language: str) -> str:
    """Google Calendar's event template, with UTC times so no time zone guessing happens."""
    params = {
        "action": "TEMPLATE",
        "text": headline(event, language, with_reschedule=False),
        "dates": f"{_compact_utc(event.start)}/{_compact_utc(event.end)}",
        "details": description_text(event, event.url, language),
        "location": location_line(event),
    }
    return f"{GOOGLE_CALENDAR}?{_query(params)}"


def outlook_calendar_url(event: ClassEvent, language: str) -> str:
    """Outlook.com's compose deeplink, with UTC times ending in Z."""
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": headline(event, language, with_reschedule=False),
        "startdt": _iso_utc(event.start),
        "enddt": _iso_utc(event.end),
        "location": location_line(event),
        "body": description_text(event, event.url, language),
    }
    return f"{OUTLOOK_COMPOSE}?{_query(params)}"


def _compact_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def share_url(event: ClassEvent, chapter: Chapter) -> str:
    """A prefilled tweet that tells followers about the class."""
    text = f"{event.title} bersama @{chapter.twitter}"
    query = urlencode({"text": text, "url": event.url, "hashtags": chapter.hashtag})
    return f"{INTENT_URL}?{query}"


def registration_url(event: ClassEvent, chapter: Chapter) -> str:
    """The registration tweet: the organizer's own text, or one naming the chapter and the class."""
    text = event.registration.tweet_text or (
        f'Saya daftar kelas "{event.title}" @{chapter.twitter} #{chapter.hashtag}'
    )
    return f"{INTENT_URL}?{urlencode({'text': text, 'url': event.url})}"
