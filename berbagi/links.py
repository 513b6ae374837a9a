"""Links that leave the site: add-to-calendar (Google, Outlook), webcal://, sharing a class on
WhatsApp, Telegram, Facebook, X and e-mail, and registering "via Twitter" without any paid API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from . import formatting
from .model import Chapter, ClassEvent
from .wording import description_text, headline, location_line, words

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
INTENT_URL = "https://twitter.com/intent/tweet"
WHATSAPP = "https://wa.me/"
TELEGRAM = "https://t.me/share/url"
FACEBOOK = "https://www.facebook.com/sharer/sharer.php"


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


@dataclass(frozen=True)
class ShareLink:
    """One way to pass a class on: the network's key (for the label) and the address."""

    network: str
    url: str


def share_links(event: ClassEvent, chapter: Chapter, language: str) -> list[ShareLink]:
    """Links that open each app with the class ready to send; WhatsApp first, as Indonesians
    share. Plain links: no script and no request to anyone until somebody taps one."""
    said = words(language)
    when = formatting.when(event.start, language)
    text = headline(event, language)
    message = said["share_text"].format(chapter=chapter.short_name, title=text, when=when)
    subject = said["share_subject"].format(title=text)
    body = f"{message}\n{event.url}"
    return [
        ShareLink("whatsapp", f"{WHATSAPP}?{_form({'text': f'{message} {event.url}'})}"),
        ShareLink("telegram", f"{TELEGRAM}?{_form({'url': event.url, 'text': message})}"),
        ShareLink("facebook", f"{FACEBOOK}?{_form({'u': event.url})}"),
        ShareLink("x", share_url(event, chapter, language)),
        ShareLink("email", f"mailto:?{_form({'subject': subject, 'body': body})}"),
    ]


def _form(params: dict[str, str]) -> str:
    return urlencode(params, quote_via=quote, safe="")


def share_url(event: ClassEvent, chapter: Chapter, language: str) -> str:
    """A prefilled post on X that tells followers about the class, in the site's language."""
    text = f"{headline(event, language)} · {formatting.when(event.start, language)}"
    query = urlencode({"text": text, "url": event.url, "hashtags": chapter.hashtag})
    return f"{INTENT_URL}?{query}"


def registration_url(event: ClassEvent, chapter: Chapter, language: str) -> str:
    """The registration tweet: the organizer's own text, or one naming the chapter and the class."""
    template = "register_tweet" if chapter.twitter else "register_tweet_no_account"
    text = event.registration.tweet_text or words(language)[template].format(
        title=event.title, account=chapter.twitter, hashtag=chapter.hashtag
    )
    return f"{INTENT_URL}?{urlencode({'text': text, 'url': event.url})}"
