"""The chapter's classes seen from one moment: what is next, what is upcoming, what is past."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from itertools import groupby

from .model import ClassEvent, Teacher, Venue

# When .github/workflows/deploy.yml rebuilds the site every day (its cron, in UTC): the build that
# publishes a class whose Date has come.
DAILY_BUILD_UTC = time(12, 0)


def first_daily_build_after(moment: datetime) -> datetime:
    """The first daily build at or after `moment`, in `moment`'s own zone."""
    utc = moment.astimezone(UTC)
    build = datetime.combine(utc.date(), DAILY_BUILD_UTC, tzinfo=UTC)
    if build < utc:
        build += timedelta(days=1)
    return build.astimezone(moment.tzinfo)


@dataclass(frozen=True)
class TeacherClasses:
    """A guru with every class they taught or will teach, newest first."""

    teacher: Teacher
    classes: tuple[ClassEvent, ...]

    @property
    def slug(self) -> str:
        return self.teacher.slug


@dataclass(frozen=True)
class VenueClasses:
    """A place with the classes held there, newest first, and the partners who lent it."""

    venue: Venue
    classes: tuple[ClassEvent, ...]

    @property
    def slug(self) -> str:
        return self.venue.slug

    @property
    def partners(self) -> tuple[str, ...]:
        names = {partner.name: None for item in self.classes for partner in item.partners}
        return tuple(names)


class Schedule:
    """Classes sorted by start and split at `now` (a class that has started counts as past).

    `all` holds the published classes, the only ones listed anywhere; `hidden` classes have a
    page (and a calendar file) reachable only by its link; `drafts` are validated, never shown.
    """

    def __init__(
        self,
        classes: Iterable[ClassEvent],
        now: datetime,
        hidden: Iterable[ClassEvent] = (),
        drafts: Iterable[ClassEvent] = (),
    ) -> None:
        self.now = now
        self.all: tuple[ClassEvent, ...] = tuple(sorted(classes, key=lambda c: (c.start, c.slug)))
        self.hidden: tuple[ClassEvent, ...] = tuple(hidden)
        self.drafts: tuple[ClassEvent, ...] = tuple(drafts)
        self.upcoming: tuple[ClassEvent, ...] = tuple(c for c in self.all if not c.has_started(now))
        self.past: tuple[ClassEvent, ...] = tuple(
            reversed([c for c in self.all if c.has_started(now)])
        )
        # Grouping slugs every teacher's and venue's name; the pages, the lists and the preview
        # ask for the same groups several times per build.
        self._teachers: list[TeacherClasses] | None = None
        self._venues: list[VenueClasses] | None = None

    @property
    def next_class(self) -> ClassEvent | None:
        """The first upcoming class that will really happen (not cancelled or postponed)."""
        return next((c for c in self.upcoming if c.status == "scheduled"), None)

    @property
    def later(self) -> tuple[ClassEvent, ...]:
        """Upcoming classes other than the next one."""
        return tuple(c for c in self.upcoming if c is not self.next_class)

    def past_by_year(self) -> list[tuple[int, tuple[ClassEvent, ...]]]:
        return [
            (year, tuple(group)) for year, group in groupby(self.past, key=lambda c: c.start.year)
        ]

    @property
    def with_pages(self) -> tuple[ClassEvent, ...]:
        """Every class that has a page of its own: published and hidden."""
        return self.all + self.hidden

    def teachers(self) -> list[TeacherClasses]:
        """Every guru, alphabetically, with their classes newest first."""
        if self._teachers is None:
            self._teachers = self._group_teachers()
        return list(self._teachers)

    def _group_teachers(self) -> list[TeacherClasses]:
        grouped: dict[str, list[ClassEvent]] = {}
        profile: dict[str, Teacher] = {}
        for item in reversed(self.all):
            for teacher in item.teachers:
                grouped.setdefault(teacher.slug, []).append(item)
                # The newest class's handle and bio describe the teacher best.
                profile.setdefault(teacher.slug, teacher)
        return [
            TeacherClasses(profile[slug], tuple(grouped[slug]))
            for slug in sorted(grouped, key=lambda s: profile[s].name.lower())
        ]

    def venues(self) -> list[VenueClasses]:
        """Every place, alphabetically, with the classes held there newest first."""
        if self._venues is None:
            self._venues = self._group_venues()
        return list(self._venues)

    def _group_venues(self) -> list[VenueClasses]:
        grouped: dict[str, list[ClassEvent]] = {}
        profile: dict[str, Venue] = {}
        for item in reversed(self.all):
            grouped.setdefault(item.venue.slug, []).append(item)
            profile.setdefault(item.venue.slug, item.venue)
        return [
            VenueClasses(profile[slug], tuple(grouped[slug]))
            for slug in sorted(grouped, key=lambda s: profile[s].name.lower())
        ]

    def monthly_promise_gap(self, days: int = 30) -> str | None:
        """A warning when no class will happen within `days`: the chapter promises one a month."""
        horizon = self.now + timedelta(days=days)
        if any(c.start <= horizon and c.status == "scheduled" for c in self.upcoming):
            return None
        return (
            f"no class is scheduled between {self.now:%Y-%m-%d} and {horizon:%Y-%m-%d}; "
            "the chapter promises at least one class a month"
        )
