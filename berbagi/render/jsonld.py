"""schema.org Event data for a class page; the template serializes it with Jinja's `tojson`,
which escapes <, >, & and ' so that a title containing </script> cannot leave the script tag."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..model import Chapter, ClassEvent, ClassStatus

EVENT_STATUS = {
    ClassStatus.SCHEDULED: "https://schema.org/EventScheduled",
    ClassStatus.CANCELLED: "https://schema.org/EventCancelled",
    ClassStatus.POSTPONED: "https://schema.org/EventPostponed",
}
# Whether a seat can still be had: only a scheduled class that has not started is open.
AVAILABILITY = {
    ClassStatus.SCHEDULED: "https://schema.org/InStock",
    ClassStatus.CANCELLED: "https://schema.org/Discontinued",
    # Registration is not open while the new date is unknown.
    ClassStatus.POSTPONED: "https://schema.org/OutOfStock",
}
STARTED = "https://schema.org/SoldOut"


def availability(event: ClassEvent, now: datetime | None = None) -> str:
    """schema.org availability of the class's (free) offer at `now`; None: not started yet."""
    if event.status is ClassStatus.SCHEDULED and now is not None and event.has_started(now):
        return STARTED
    return AVAILABILITY[event.status]


def event_jsonld(
    event: ClassEvent,
    chapter: Chapter,
    home_url: str,
    *,
    now: datetime | None = None,
    image_url: str | None = None,
) -> dict[str, Any]:
    """The Event object for one class, ready for `tojson`; `home_url` is the site's address.

    `now` is the build's moment (None: the class has not started); `image_url`, an absolute
    address of the class's share image or photo, becomes the Event's `image`.
    """
    status = EVENT_STATUS[event.status]
    if event.is_rescheduled:
        status = "https://schema.org/EventRescheduled"
    place: dict[str, Any] = {
        "@type": "Place",
        "name": event.venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": event.venue.address,
            "addressLocality": chapter.city,
            "addressCountry": "ID",
        },
    }
    if event.venue.geo:
        latitude, longitude = event.venue.geo
        place["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": event.start.isoformat(),
        "endDate": event.end.isoformat(),
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {
            "@type": "Organization",
            "name": chapter.name,
            "url": home_url,
        },
        "performer": [_person(teacher.name, teacher.profiles) for teacher in event.teachers],
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "IDR",
            "availability": availability(event, now),
            "url": event.registration.url or event.url,
            "validFrom": event.announced.isoformat(),
        },
        "url": event.url,
    }
    if event.summary:
        data["description"] = event.summary
    if image_url:
        data["image"] = [image_url]
    if event.is_rescheduled:
        data["previousStartDate"] = [moment.isoformat() for moment in event.previous_starts]
    if event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
    if event.partners:
        data["sponsor"] = [
            {"@type": "Organization", "name": partner.name}
            | ({"url": partner.url} if partner.url else {})
            for partner in event.partners
        ]
    return data


def _person(name: str, profiles: list[tuple[str, str]]) -> dict[str, Any]:
    """A teacher; sameAs is one address, or a list when the teacher is on several networks."""
    addresses = [address for _, address in profiles]
    if not addresses:
        return {"@type": "Person", "name": name}
    return {
        "@type": "Person",
        "name": name,
        "sameAs": addresses[0] if len(addresses) == 1 else addresses,
    }
