"""One edited class file, applied to a finished build in memory: re-read, re-check, re-render.

Why the result equals a full build of the new content:

- Anything that is not an edit of one known class file (a template, a plugin, the settings, a
  page, a static file, a class file added, removed or renamed) never reaches this module.
- The file is read, checked and turned into a class by Pelican's own reader and the kit's own
  `read_classes`, exactly as in a full build. When anything a full build derives from the file
  besides the class itself differs (Pelican status, address, slug, language, date, tags,
  authors, category, template, static links, photos, held until its Date), `NeedsFullBuild`.
- The schedule is rebuilt from every class with the one replaced, so lists and groups are right.
  When the build's clock moved past any class's start, Date or share-image limit, a full build.
- Every output is re-rendered, through the generators' own `generate_output`, except outputs
  whose inputs are provably unchanged: another class's page (it reads only its own article,
  class and the build's moment: the article generator writes the edited one alone), a page of
  `classes.schedule_pages` (archive, teacher and venue lists) whose `shows` is equal to before,
  Pelican's tag, category, author and draft pages when their *_SAVE_AS is empty (Pelican writes
  nothing for them then), and the sitemap when neither the set of pages nor anything it reads
  of the edited article changed. Files written from fingerprints of their inputs (calendar.ics,
  each .ics, share images) are kept the same way as in a full build. Outputs keyed by an item
  that is gone (a teacher page, a share image) are removed.

A new schedule-wide page hooks in as one entry of `classes.schedule_pages` with what it shows;
a page written elsewhere is simply re-rendered on every step (correct, only slower).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from pelican import signals
from pelican.contents import Article, SkipStub

from ..model import ClassEvent
from ..schedule import Schedule
from . import classes, descriptions, output, share_images
from .page_memo import PELICAN_FIELDS, clock_moments
from .runner import ErrorCollector
from .state import ARTICLES_KEY, SCHEDULE_KEY, schedule_of

logger = logging.getLogger(__name__)

ARCHIVE_SETTINGS = ("YEAR_ARCHIVE_SAVE_AS", "MONTH_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_SAVE_AS")
# Steps of Pelican's article generator that write nothing when these settings are all empty
# (each page's save_as is then "", which Pelican's writer skips): not run at all in a step.
SILENT_UNLESS = {
    "generate_tags": ("TAG_SAVE_AS",),
    "generate_categories": ("CATEGORY_SAVE_AS",),
    "generate_authors": ("AUTHOR_SAVE_AS",),
    "generate_drafts": ("DRAFT_SAVE_AS", "DRAFT_LANG_SAVE_AS"),
}
# What pelican-sitemap reads of a page besides its path.
SITEMAP_FIELDS = (
    "url",
    "modified",
    "date",
    "private",
    "status",
    "changefreq",
    "priority",
    "translations",
)


class NeedsFullBuild(Exception):
    """This edit changes more than one class; the message says why (for the log)."""


class InvalidEdit(Exception):
    """The edited file does not validate; `problems` are its `path:line: field: message` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class State:
    """A finished build's objects, which each incremental step updates in place."""

    pelican: Any
    generators: list[Any]
    pelican_order: list[Any]
    written: dict[str, Any]  # site-relative path -> article or page, for the sitemap

    @property
    def articles(self) -> Any:
        return next(g for g in self.generators if hasattr(g, "dates"))

    def class_article(self, source_path: str) -> Any | None:
        """The class article read from this file, in the last good build."""
        generator = self.articles
        wanted = os.path.realpath(source_path)
        for article in (*generator.articles, *generator.hidden_articles):
            if os.path.realpath(article.source_path) == wanted and getattr(article, "event", None):
                return article
        return None


class _QuietScheduleWarning(logging.Filter):
    # Checking one class alone makes `read_classes` see a schedule of one; its "no class this
    # month" warning would be about that, not the site.
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


class _SelectiveWriter:
    """Pelican's writer, except that it skips the pages proven unchanged."""

    def __init__(self, writer: Any, skipped: set[str]) -> None:
        self._writer = writer
        self._skipped = skipped

    def write_file(self, name: Any, *args: Any, **kwargs: Any) -> Any:
        if name in self._skipped:
            return None
        return self._writer.write_file(name, *args, **kwargs)

    def will_write(self, name: str) -> bool:
        """Whether `write_file(name, ...)` writes: a generator skips the work of a skipped page."""
        return name not in self._skipped

    def __getattr__(self, name: str) -> Any:
        return getattr(self._writer, name)


def _read(generator: Any, source_path: str) -> Any:
    relative = os.path.relpath(source_path, generator.path)
    try:
        return generator.readers.read_file(
            base_path=generator.path,
            path=relative,
            content_class=Article,
            context=generator.context,
            preread_signal=signals.article_generator_preread,
            preread_sender=generator,
            context_signal=signals.article_generator_context,
            context_sender=generator,
        )
    except Exception as error:  # the full build logs it with Pelican's own words
        raise NeedsFullBuild(f"{relative} could not be read: {error}") from None


def _check_pelican_view(old: Any, new: Any) -> None:
    if isinstance(new, SkipStub) or not new.is_valid():
        raise NeedsFullBuild("Pelican skips the file now")
    for name in PELICAN_FIELDS:
        if getattr(old, name, None) != getattr(new, name, None):
            raise NeedsFullBuild(f"its {name} changed")
    if old.get_static_links() != new.get_static_links():
        raise NeedsFullBuild("its static links changed")


def _check_class(generator: Any, new: Any) -> tuple[ClassEvent, datetime]:
    """The kit's own reading of the file: its class and the moment it was checked at."""
    alone = SimpleNamespace(
        settings=generator.settings,
        context={},
        articles=[new] if new.status == "published" else [],
        hidden_articles=[new] if new.status == "hidden" else [],
        drafts=[new] if new.status == "draft" else [],
        drafts_translations=[],
        translations=[],
        hidden_translations=[],
        dates=[new] if new.status == "published" else [],
    )
    quiet = _QuietScheduleWarning()
    errors = ErrorCollector()
    logging.getLogger(classes.__name__).addFilter(quiet)
    logging.getLogger().addHandler(errors)
    try:
        classes.read_classes(alone, whole_folder=False)
        descriptions.clean_articles(alone)
    except classes.ContentErrors as failure:
        raise InvalidEdit([str(error) for error in failure.errors]) from None
    finally:
        logging.getLogger(classes.__name__).removeFilter(quiet)
        logging.getLogger().removeHandler(errors)
    if errors.messages:
        raise InvalidEdit(errors.messages)
    schedule = schedule_of(alone.context)
    event: ClassEvent | None = getattr(new, "event", None)
    if schedule is None or event is None or (new.status == "published" and not alone.articles):
        raise NeedsFullBuild("the class is held until its Date now")
    new.refresh_metadata_intersite_links()
    return event, schedule.now


def _check_clock(old: Schedule, now: datetime, events: Iterable[ClassEvent]) -> None:
    if now == old.now:
        return
    low, high = sorted((old.now, now))
    for event in events:
        if any(low < moment <= high for moment in clock_moments(event)):
            raise NeedsFullBuild(f"the clock passed a moment of {event.slug}")


def _swap(items: Iterable[Any], old: Any, new: Any) -> list[Any]:
    return [new if item is old else item for item in items]


def _replace_in_lists(generator: Any, old: Any, new: Any) -> None:
    """Put the new article wherever Pelican's lists held the old one (in place: the context
    holds the same lists)."""
    lists = [generator.dates, generator.hidden_articles]
    lists += [listed for _, listed in generator.categories]
    lists += [listed for _, listed in generator.authors]
    lists += list(generator.tags.values())
    for listed in lists:
        listed[:] = _swap(listed, old, new)
    generated = generator.context["generated_content"]
    for key, value in list(generated.items()):
        if value is old:
            generated[key] = new


def _schedule_pages(schedule: Schedule) -> dict[str, object]:
    return {page.save_as: page.shows for page in classes.schedule_pages(schedule)}


@dataclass
class StepFiles:
    """Site-relative paths a step wrote (some with the same bytes as before) and removed."""

    written: set[str]
    removed: list[str]


def apply_edit(state: State, source_path: str, output_path: str) -> StepFiles:
    """Update the build in memory for one edited class file and re-render what it changes.

    Returns the outputs it wrote and those that no longer exist. Raises InvalidEdit (nothing
    changed, in memory or on disk) or NeedsFullBuild.
    """
    generator = state.articles
    settings = generator.settings
    if generator.translations or generator.hidden_translations:
        raise NeedsFullBuild("the site has translations")
    if any(settings.get(name) for name in ARCHIVE_SETTINGS):
        raise NeedsFullBuild("period archives are on")
    if settings.get("ARTICLE_ORDER_BY", "reversed-date") not in ("reversed-date", "date"):
        # Pelican's order then depends on what an edit may change; by date it cannot (a changed
        # date is a full build).
        raise NeedsFullBuild("articles are ordered by something other than their date")
    if settings.get("SOCIAL_PUBLISH", {}).get("write_plan"):
        raise NeedsFullBuild("a production build writes the announce plan")
    old = state.class_article(source_path)
    if old is None:
        raise NeedsFullBuild("it was not a class with a page in the last build")
    new = _read(generator, old.source_path)
    _check_pelican_view(old, new)
    event, now = _check_class(generator, new)
    before: ClassEvent = old.event
    if (event.slug, event.page_path, event.url) != (before.slug, before.page_path, before.url):
        raise NeedsFullBuild("its address changed")
    if event.photos != before.photos:
        raise NeedsFullBuild("its photos changed")
    schedule = schedule_of(generator.context)
    assert schedule is not None
    _check_clock(schedule, now, (*schedule.with_pages, *schedule.drafts, event))

    # From here on the edit is valid: update the build in memory as a full build would have it.
    updated = Schedule(
        _swap(schedule.all, before, event),
        now,
        hidden=_swap(schedule.hidden, before, event),
        drafts=schedule.drafts,
    )
    old_pages, new_pages = _schedule_pages(schedule), _schedule_pages(updated)
    generator.context[SCHEDULE_KEY] = updated
    generator.context[ARTICLES_KEY] = {
        slug: (new if article is old else article)
        for slug, article in generator.context[ARTICLES_KEY].items()
    }
    state.pelican_order = _swap(state.pelican_order, old, new)
    present = {id(article) for article in generator.articles}
    # A full build sorts Pelican's order (stable) by start, newest first: the same sort here.
    generator.articles[:] = sorted(
        (a for a in state.pelican_order if id(a) in present or a is new),
        key=classes._start_or_date,
        reverse=True,
    )
    _replace_in_lists(generator, old, new)

    skipped = {
        path for path, shows in new_pages.items() if path in old_pages and old_pages[path] == shows
    }
    removed = [path for path in old_pages if path not in new_pages]
    if share_images.has_own_image(before, schedule.now) and not share_images.has_own_image(
        event, now
    ):
        removed.append(share_images.class_image_path(event.slug))
    written = _render(state, old, new, skipped, removed, output_path)
    return StepFiles(written, removed)


def _write_only(generator: Any, new: Any) -> dict[str, Any]:
    """Replacements for the article generator's steps in this step: its article pages are the
    edited one alone (Pelican's own loop, for one article), and the steps that write nothing
    for these settings are not run."""

    def generate_articles(write: Any) -> None:
        signals.article_generator_write_article.send(generator, content=new)
        write(
            new.save_as,
            generator.get_template(new.template),
            generator.context,
            article=new,
            category=getattr(new, "category", None),
            override_output=hasattr(new, "override_save_as"),
            url=new.url,
            blog=True,
        )

    def nothing(write: Any) -> None:
        return None

    steps: dict[str, Any] = {"generate_articles": generate_articles}
    for step, names in SILENT_UNLESS.items():
        if not any(generator.settings.get(name) for name in names):
            steps[step] = nothing
    return steps


def _render(
    state: State, old: Any, new: Any, skipped: set[str], removed: list[str], output_path: str
) -> set[str]:
    """Every generator's output, as in Pelican.run, except the pages proven unchanged; returns
    the site-relative paths written: through Pelican's writer (pages, feeds), the kit's
    `output.write_output` (calendars, share images, the CMS files) and the sitemap. Output
    written any other way would not reach the served folder in a step: write it with these."""
    pelican = state.pelican
    pelican.output_path = output_path
    for generator in state.generators:
        generator.output_path = output_path
    writer = pelican._get_writer()
    writer.output_path = output_path
    selective = _SelectiveWriter(writer, skipped)
    written: dict[str, Any] = {}

    def remember(path: str, context: dict[str, Any]) -> None:
        written[os.path.relpath(path, output_path)] = context.get("article") or context.get("page")

    articles = state.articles
    steps = _write_only(articles, new)
    vars(articles).update(steps)  # on the instance, for this step only
    feeds: list[str] = []

    def remember_feed(path: str, **_: Any) -> None:
        feeds.append(path)

    signals.content_written.connect(remember)
    signals.feed_written.connect(remember_feed)
    try:
        with output.recording_writes() as files:
            for generator in state.generators:
                if hasattr(generator, "generate_output"):
                    generator.generate_output(selective)
    finally:
        signals.content_written.disconnect(remember)
        signals.feed_written.disconnect(remember_feed)
        for step in steps:
            vars(articles).pop(step, None)
    pages_before = set(state.written)
    for path in removed:
        target = os.path.join(output_path, path)
        if os.path.exists(target):
            os.remove(target)
        state.written.pop(path, None)
    state.written.update(written)
    sitemap_unchanged = set(state.written) == pages_before and all(
        getattr(old, name, None) == getattr(new, name, None) for name in SITEMAP_FIELDS
    )
    touched = {*written, *(os.path.relpath(path, output_path) for path in (*files, *feeds))}
    touched |= _finish(state, sitemap_unchanged)
    return touched


def _finish(state: State, sitemap_unchanged: bool) -> set[str]:
    """What Pelican does after writing: `finalized`, with the sitemap's queue of every page.

    pelican-sitemap queues the pages written in this run; here that would be only the pages
    re-rendered, so it gets every page of the build instead, or, when it would write the same
    file (the same pages, the same dates and URLs), is left out of this `finalized`. Returns
    the sitemap's path when it wrote one.
    """
    sitemap = sys.modules.get("pelican.plugins.sitemap.sitemap")
    wrote: set[str] = set()
    if sitemap is not None:
        queue = sitemap.generator
        queue._main_pelican = None
        queue.page_queue = []
        if not sitemap_unchanged:
            queue.init(state.pelican)
            root = state.pelican.output_path
            queue.page_queue = [
                (os.path.join(root, path), obj) for path, obj in state.written.items()
            ]
            fmt = (state.pelican.settings.get("SITEMAP") or {}).get("format", "xml")
            wrote.add(f"sitemap.{fmt}")
    signals.finalized.send(state.pelican)
    return wrote
