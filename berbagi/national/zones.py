"""Indonesia's three time zones as people write them: WIB, WITA, WIT."""

from __future__ import annotations

from datetime import datetime, tzinfo

from ..formatting import zone_name


def zone_key(zone: tzinfo | None) -> str:
    """The IANA name of a zone object ('' for a fixed offset or an unnamed zone)."""
    return str(getattr(zone, "key", "") or "")


def zone_label(moment: datetime) -> str:
    """'WIB', 'WITA' or 'WIT' for a time in an Indonesian zone; elsewhere the zone's own
    abbreviation, or 'UTC+8' where it has none."""
    # Babel's Indonesian names are the ones the chapter pages show (formatting.zone_name):
    # WIB, WITA, WIT, and for zones it has no letters for, "+0800", left to the rules below.
    label = zone_name(moment, "id")
    if label.isalpha() and label not in {"UTC", "GMT"}:
        return label
    offset = moment.utcoffset()
    if offset is None:
        return ""
    name = moment.tzname() or ""
    if name and name[0].isalpha() and name not in {"UTC", "GMT"} or offset.total_seconds() == 0:
        return name or "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
