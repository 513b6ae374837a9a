"""Localized dates and times for templates, tweets and feeds, all through Babel."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date, format_time, get_timezone_name


def long_date(moment: datetime, language: str) -> str:
    """ "Sabtu, 5 Desember 2026"."""
    return format_date(moment, "EEEE, d MMMM y", locale=language)


def short_date(moment: datetime, language: str) -> str:
    """ "5 Des 2026"."""
    return format_date(moment, "d MMM y", locale=language)


def clock(moment: datetime, language: str) -> str:
    """ "14.00 WIB" in Indonesian; the zone's short name as the locale knows it."""
    zone_name = get_timezone_name(moment, "short", locale=language)
    return f"{format_time(moment, 'short', locale=language)} {zone_name}"


def when(moment: datetime, language: str) -> str:
    """ "Sabtu, 5 Desember 2026 · 14.00 WIB"."""
    return f"{long_date(moment, language)} · {clock(moment, language)}"


def time_range(start: datetime, end: datetime, language: str) -> str:
    """ "14.00–16.00 WIB", or both full date-times when the class runs past midnight."""
    if start.date() != end.date():
        return f"{when(start, language)} – {when(end, language)}"
    zone_name = get_timezone_name(start, "short", locale=language)
    start_text = format_time(start, "short", locale=language)
    return f"{start_text}–{format_time(end, 'short', locale=language)} {zone_name}"
