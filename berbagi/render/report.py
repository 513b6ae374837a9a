"""The chapter's report: classes per year, registered against came and seats, as data, SVG and JSON.

Pure: it takes the classes that have taken place (or were due to) and returns values and text.
A sum skips the classes that did not give a number, and says how many did: 52 registered "from
2 of 3 classes" is what the chapter knows, not a guess for the third. The charts are drawn here,
at build time, as SVG without script; their words come through the theme's catalog (`gettext`),
so they read in the site's language, and the page puts the same numbers in a table beside them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape

from .. import formatting
from ..model import ClassEvent, ClassStatus, Photo

Translate = Callable[[str], str]
# (class, photo) -> the photo's absolute address, or None when no copy was made.
PhotoUrl = Callable[[ClassEvent, Photo], str | None]

JSON_VERSION = 1


def N_(message: str) -> str:
    """Marks a message for `invoke update-translations`; translated when the chart is drawn."""
    return message


# The charts' words (extracted from this file by babel.cfg, translated in theme/translations).
ATTENDANCE_TITLE = N_("Pendaftar, peserta hadir dan kursi per tahun")
ATTENDANCE_DESC = N_(
    "Diagram batang per tahun, %(first)s sampai %(last)s: berapa orang mendaftar, berapa yang "
    "datang dan berapa kursi tersedia. Angka yang sama ada di tabel di bawahnya."
)
SHOW_UP_TITLE = N_("Tingkat kehadiran per tahun")
SHOW_UP_DESC = N_(
    "Diagram batang per tahun, %(first)s sampai %(last)s: bagian pendaftar yang datang, dari "
    "kelas yang mencatat keduanya. Angka yang sama ada di tabel di bawahnya."
)
SERIES_LABELS = {
    "registered": N_("Terdaftar"),
    "participants": N_("Hadir"),
    "capacity": N_("Kursi"),
}
NOT_RECORDED = N_("tidak dicatat")
NONE_HELD = N_("tidak ada kelas")  # a year whose every class was cancelled or postponed

# Drawing: a 320-unit-wide view box, so on a 320 px phone one unit is one pixel and text is 12 px.
WIDTH = 320
LABEL_COLUMN = 80  # series names, right-aligned against the bars
BAR_START = 84
BAR_ROOM = 192  # the longest bar; its number still fits after it
BAR_HEIGHT = 12
ROW = 16
YEAR_ROW = 20
GROUP_GAP = 8
FONT_SIZE = 12
# On white: text 16:1 and 7.6:1; bars 6.9:1, 6.6:1, and a 7.6:1 outline (WCAG non-text >= 3:1).
# The seats bar is an outline, so the three differ by shape and label as well as colour.
INK = "#1b1f24"
MUTED = "#4a5360"
STYLES = {
    "registered": 'fill="#0a5a9c"',
    "participants": 'fill="#0b6b3a"',
    "capacity": f'fill="#ffffff" stroke="{MUTED}" stroke-width="1.5"',
}


@dataclass(frozen=True)
class Tally:
    """A sum over the classes that gave the number, and how many of them did."""

    total: int
    reported: int

    @property
    def known(self) -> bool:
        return self.reported > 0


@dataclass(frozen=True)
class ShowUp:
    """Who came of those who registered, over classes that recorded both numbers."""

    came: int
    registered: int
    classes: int

    @property
    def rate(self) -> float | None:
        return self.came / self.registered if self.registered else None


@dataclass(frozen=True)
class Period:
    """One year's numbers (or every year's, with `year` None)."""

    year: int | None
    held: int
    cancelled: int
    postponed: int
    registered: Tally
    participants: Tally
    capacity: Tally
    show_up: ShowUp

    def tally(self, series: str) -> Tally:
        found: Tally = getattr(self, series)
        return found

    def partial(self, series: str) -> bool:
        """True when some classes held gave this number and some did not."""
        found = self.tally(series)
        return found.known and found.reported < self.held


@dataclass(frozen=True)
class Report:
    """The years, newest first, their totals, and the classes they count (newest first)."""

    years: tuple[Period, ...]
    totals: Period
    classes: tuple[ClassEvent, ...]

    @property
    def gallery(self) -> tuple[ClassEvent, ...]:
        """Classes held that have photos, newest first."""
        return tuple(c for c in self.classes if c.photos and held(c))


def held(event: ClassEvent) -> bool:
    """A class that was due and was neither cancelled nor postponed."""
    return event.status is ClassStatus.SCHEDULED


def _tally(values: Iterable[int | None]) -> Tally:
    given = [value for value in values if value is not None]
    return Tally(sum(given), len(given))


def _period(year: int | None, events: list[ClassEvent]) -> Period:
    took_place = [event for event in events if held(event)]
    both = [e for e in took_place if e.registered is not None and e.participants is not None]
    return Period(
        year=year,
        held=len(took_place),
        cancelled=sum(event.status is ClassStatus.CANCELLED for event in events),
        postponed=sum(event.status is ClassStatus.POSTPONED for event in events),
        registered=_tally(event.registered for event in took_place),
        participants=_tally(event.participants for event in took_place),
        capacity=_tally(event.capacity for event in took_place),
        show_up=ShowUp(
            came=sum(e.participants or 0 for e in both),
            registered=sum(e.registered or 0 for e in both),
            classes=len(both),
        ),
    )


def build_report(past: Iterable[ClassEvent]) -> Report:
    """The report of classes whose start has come (cancelled and postponed ones counted apart)."""
    classes = tuple(sorted(past, key=lambda c: (c.start, c.slug), reverse=True))
    by_year: dict[int, list[ClassEvent]] = {}
    for event in classes:
        by_year.setdefault(event.start.year, []).append(event)
    years = tuple(_period(year, events) for year, events in by_year.items())
    return Report(years, _period(None, list(classes)), classes)


# --- Charts ------------------------------------------------------------------------------------


def _text(x: float, y: float, content: str, *extra: str) -> str:
    attributes = " ".join((f'x="{x:g}"', f'y="{y:g}"', *extra))
    return f"<text {attributes}>{escape(content)}</text>"


def _svg(chart_id: str, height: float, title: str, desc: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-image" id="{chart_id}" '
            f'viewBox="0 0 {WIDTH} {height:g}" width="{WIDTH}" height="{height:g}" '
            f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'font-size="{FONT_SIZE}" fill="{INK}">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _span(report: Report, language: str) -> dict[str, str]:
    years = [period.year for period in report.years if period.year is not None]
    if not years:
        return {"first": "", "last": ""}
    return {
        "first": formatting.year(min(years), language),
        "last": formatting.year(max(years), language),
    }


def _bar(x: float, y: float, length: float, style: str) -> str:
    return f'<rect x="{x:g}" y="{y:g}" width="{length:g}" height="{BAR_HEIGHT}" {style}/>'


def attendance_chart(report: Report, gettext: Translate, language: str) -> str:
    """Bars per year, newest first: registered, came and seats, each with its number."""
    series = tuple(SERIES_LABELS)
    largest = max(
        (period.tally(name).total for period in report.years for name in series), default=0
    )
    body: list[str] = []
    y = 0.0
    for period in report.years:
        assert period.year is not None
        y += YEAR_ROW
        body.append(_text(0, y - 6, formatting.year(period.year, language), 'font-weight="bold"'))
        for name in series:
            tally = period.tally(name)
            middle = y + BAR_HEIGHT / 2 + 4  # a 12-unit text's baseline, centred on the bar
            body.append(
                _text(LABEL_COLUMN, middle, gettext(SERIES_LABELS[name]), 'text-anchor="end"')
            )
            if not tally.known:
                missing = gettext(NOT_RECORDED if period.held else NONE_HELD)
                body.append(_text(BAR_START, middle, missing, f'fill="{MUTED}"'))
            else:
                length = round(tally.total / largest * BAR_ROOM, 1) if largest else 0
                body.append(_bar(BAR_START, y, length, STYLES[name]))
                figure = formatting.number(tally.total, language)
                figure += "*" if period.partial(name) else ""
                body.append(_text(BAR_START + length + 4, middle, figure))
            y += ROW
        y += GROUP_GAP
    title = gettext(ATTENDANCE_TITLE)
    desc = gettext(ATTENDANCE_DESC) % _span(report, language)
    return _svg("grafik-kehadiran", max(y, ROW), title, desc, body)


def show_up_chart(report: Report, gettext: Translate, language: str) -> str:
    """One bar per year, newest first: the share of those registered who came (0 to 100%)."""
    body: list[str] = []
    y = 0.0
    room = WIDTH - 48 - 48
    for period in report.years:
        assert period.year is not None
        middle = y + BAR_HEIGHT / 2 + 4
        body.append(_text(40, middle, formatting.year(period.year, language), 'text-anchor="end"'))
        rate = period.show_up.rate
        if rate is None:
            missing = gettext(NOT_RECORDED if period.held else NONE_HELD)
            body.append(_text(48, middle, missing, f'fill="{MUTED}"'))
        else:
            length = round(min(rate, 1.0) * room, 1)
            body.append(_bar(48, y, room, f'fill="#ffffff" stroke="{MUTED}" stroke-width="1"'))
            body.append(_bar(48, y, length, STYLES["participants"]))
            body.append(_text(48 + room + 4, middle, formatting.percent(rate, language)))
        y += ROW + 4
    title = gettext(SHOW_UP_TITLE)
    desc = gettext(SHOW_UP_DESC) % _span(report, language)
    return _svg("grafik-tingkat-kehadiran", max(y, ROW), title, desc, body)


# --- JSON --------------------------------------------------------------------------------------


def _period_json(period: Period) -> dict[str, object]:
    rate = period.show_up.rate
    found: dict[str, object] = {
        "held": period.held,
        "cancelled": period.cancelled,
        "postponed": period.postponed,
        **{
            name: {"total": period.tally(name).total, "reported": period.tally(name).reported}
            for name in SERIES_LABELS
        },
        "show_up": {
            "came": period.show_up.came,
            "registered": period.show_up.registered,
            "classes": period.show_up.classes,
            "rate": round(rate, 4) if rate is not None else None,
        },
    }
    if period.year is not None:
        found["year"] = period.year
    return found


def _class_json(event: ClassEvent, photo_url: PhotoUrl) -> dict[str, object]:
    return {
        "slug": event.slug,
        "title": event.title,
        "start": event.start.isoformat(),
        "url": event.url,
        "status": event.status.value,
        "registered": event.registered,
        "participants": event.participants,
        "capacity": event.capacity,
        "recap": event.recap or None,
        "photos": [{"url": photo_url(event, photo), "alt": photo.alt} for photo in event.photos],
    }


def report_json(report: Report, *, chapter: str, page_url: str, photo_url: PhotoUrl) -> str:
    """The report as JSON (fields in the README): sorted keys, so two builds write equal bytes."""
    data = {
        "version": JSON_VERSION,
        "chapter": chapter,
        "page": page_url,
        "totals": _period_json(report.totals),
        "years": [_period_json(period) for period in report.years],
        "classes": [_class_json(event, photo_url) for event in report.classes],
    }
    # No indent: json's C encoder works only without one, ten times faster at 5,000 classes.
    return json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
