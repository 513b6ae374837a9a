"""Localized dates and times for templates, tweets and feeds, all through Babel.

Each function is cached on its arguments (aware datetimes and a language code): one class's start
is shown on its page, the home page, the archive, the teacher and venue pages, the feeds and the
calendar, and Babel's formatting is the costliest part of rendering a class list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from functools import lru_cache, wraps
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_name
from babel.numbers import format_decimal, format_percent


def _cached(function: Callable[..., str]) -> Callable[..., str]:
    """Memoize, keying on each datetime's zone too: 14.00 WIB and 15.00 WITA are equal instants
    (so equal dictionary keys) but must not be written the same way."""

    @lru_cache(maxsize=16_384)
    def by_zone(zones: tuple[tzinfo | None, ...], *args: Any) -> str:
        return function(*args)

    @wraps(function)
    def wrapper(*args: Any) -> str:
        return by_zone(tuple(arg.tzinfo for arg in args if isinstance(arg, datetime)), *args)

    return wrapper


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    # Babel parses a language code on every call; a parsed Locale halves a date's cost.
    return Locale.parse(language)


@_cached
def long_date(moment: datetime, language: str) -> str:
    """ "Sabtu, 5 Desember 2026"."""
    return format_date(moment, "EEEE, d MMMM y", locale=_locale(language))


@_cached
def short_date(moment: datetime, language: str) -> str:
    """ "5 Des 2026"."""
    return format_date(moment, "d MMM y", locale=_locale(language))


@_cached
def zone_name(moment: datetime, language: str) -> str:
    """The zone's short name: "WIB", also in English, where the locale only knows "+0700"."""
    name = get_timezone_name(moment, "short", locale=_locale(language))
    if name[:1] in "+-" or name.startswith("GMT"):
        # Babel's English has no names for Indonesia's zones; everyone there says WIB, WITA, WIT.
        local = get_timezone_name(moment, "short", locale=_locale("id"))
        if local.isalpha():
            return str(local)
    return str(name)


@_cached
def _short_time(moment: datetime, language: str) -> str:
    """ "14.00" in Indonesian, "2:00 PM" in English (a class's start is in its clock and range)."""
    return str(format_time(moment, "short", locale=_locale(language)))


@_cached
def clock(moment: datetime, language: str) -> str:
    """ "14.00 WIB" in Indonesian, "2:00 PM WIB" in English."""
    return f"{_short_time(moment, language)} {zone_name(moment, language)}"


@_cached
def when(moment: datetime, language: str) -> str:
    """ "Sabtu, 5 Desember 2026 · 14.00 WIB"."""
    return f"{long_date(moment, language)} · {clock(moment, language)}"


@_cached
def time_range(start: datetime, end: datetime, language: str) -> str:
    """ "14.00–16.00 WIB", or both full date-times when the class runs past midnight."""
    if start.date() != end.date():
        return f"{when(start, language)} – {when(end, language)}"
    start_text, end_text = _short_time(start, language), _short_time(end, language)
    return f"{start_text}–{end_text} {zone_name(start, language)}"


def number(value: int, language: str) -> str:
    """ "1.234" in Indonesian, "1,234" in English."""
    return str(format_decimal(value, locale=_locale(language)))


def percent(value: float, language: str) -> str:
    """ "40%": a share as a whole percentage."""
    return str(format_percent(value, locale=_locale(language)))


def year(value: int, language: str) -> str:
    """ "2026": a year as the locale writes it (never with a thousands separator)."""
    return str(format_date(date(value, 1, 1), "y", locale=_locale(language)))
