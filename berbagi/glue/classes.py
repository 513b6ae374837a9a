"""The core every plugin switches on: class files become validated classes, and the schedule.

Each plugin's `register()` calls `register()` here, so any subset of plugins, in any order, gets
the same core once (Pelican's signals keep one connection per receiver). It is the only place
that decides which articles are classes; it hands them to the rest of the build through
`state.schedule_of(context)`, `state.class_articles(context)` and, for the class template,
`article.event`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import logging
import posixpath
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator

from .. import classfile, photos
from ..model import (
    ClassEvent,
    ValidationError,
    build_class,
    find_duplicate_slugs,
    parse_moment,
    photo_entries,
    photo_path_problem,
)
from ..publish.ledger import Ledger, LedgerError
from ..schedule import Schedule, first_daily_build_after
from ..urls import url_for
from . import cms, descriptions, page_memo, report, share_images, side_work, site_files, theme
from .class_reader import CLASS_FILE_KEY, site_relative_path, use_class_reader
from .state import ARTICLES_KEY, SCHEDULE_KEY, schedule_of, site_settings

logger = logging.getLogger(__name__)

# Metadata key that marks files in the classes folder (set through EXTRA_PATH_METADATA, which
# Pelican applies to every file under a folder before any signal sees the metadata).
CLASS_MARKER = "content_kind"


class ContentErrors(Exception):
    """Class files that did not validate; each problem was logged on its own line before."""

    exitcode = 1

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        count = len(errors)
        super().__init__(
            f"class_schedule: {count} problem{'s' if count != 1 else ''} in class files; "
            "nothing was built"
        )


class _KitReportsDuplicateSlugs(logging.Filter):
    """Drops Pelican's own warnings about class files sharing a slug: they name the build
    machine's absolute paths and come before the kit's message, which says which file keeps the
    address (the announced one) and what to write in the other."""

    # Pelican's messages (pelican.utils.get_original_items), before its arguments are filled in.
    PELICAN_MESSAGES = ("There are %s items ", "There are %s original (not translated) items ")

    def __init__(self) -> None:
        super().__init__()
        self.class_folder = ""  # absolute; set when a build starts

    def filter(self, record: logging.LogRecord) -> bool:
        message, args = str(record.msg), record.args
        if not message.startswith(self.PELICAN_MESSAGES) or not isinstance(args, tuple | list):
            return True
        count = args[0] if args and isinstance(args[0], int) else 0
        paths = [str(path) for path in args[len(args) - count :]] if count else []
        inside = self.class_folder and paths
        return not (inside and all(p.startswith(self.class_folder + "/") for p in paths))


_DUPLICATE_SLUG_FILTER = _KitReportsDuplicateSlugs()
logging.getLogger("pelican.utils").addFilter(_DUPLICATE_SLUG_FILTER)


def _is_class_file(metadata: Mapping[str, Any]) -> bool:
    return metadata.get(CLASS_MARKER) == "class"


def check_settings_and_mark_classes(pelican_object: Any) -> None:
    """Fail at start-up, naming every bad key, rather than halfway through a build; tag class
    files so that the rest of the build knows them by one mark."""
    site = site_settings(pelican_object.settings)
    folder = site.schedule.content_folder
    _DUPLICATE_SLUG_FILTER.class_folder = str((site.content_path / folder).resolve())
    extra = dict(pelican_object.settings.get("EXTRA_PATH_METADATA") or {})
    extra[folder] = {**extra.get(folder, {}), CLASS_MARKER: "class"}
    pelican_object.settings["EXTRA_PATH_METADATA"] = extra


def prepare_class_metadata(generator: Generator, metadata: dict[str, Any]) -> None:
    """Keep every class file in the build so its problems are reported with its path.

    A missing title or date would make Pelican drop the file with a message that names no field;
    fill placeholders, and let `read_classes` report what is really wrong.
    """
    if not _is_class_file(metadata):
        return
    metadata.setdefault("title", "")
    metadata.setdefault("template", "class")
    if "date" not in metadata:
        zone = site_settings(generator.settings).zone
        parsed = metadata.get(CLASS_FILE_KEY)
        start = parse_moment(parsed.single("start"), zone) if parsed else None
        metadata["date"] = start or datetime(1970, 1, 1, tzinfo=zone)


def _metadata_for_model(article: Any) -> dict[str, Any]:
    return {"tags": [tag.name for tag in getattr(article, "tags", [])]}


# What an organizer most likely meant by a file in the classes folder that is not `*.md`.
_WORD_PROCESSOR = (".docx", ".doc", ".odt", ".rtf", ".pdf", ".pages")
_PICTURES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".gif")


def _not_a_class_file(name: str) -> str:
    lower = name.lower()
    stem = name.rsplit(".", 1)[0]
    if lower.endswith(".md"):
        return (
            f"'{name}' is not read: a class file ends in lower-case .md; rename it to '{stem}.md'"
        )
    if lower.endswith(".md.txt"):
        return f"'{name}' is not read (Notepad added .txt); rename it to '{stem}'"
    if lower.endswith((".markdown", ".mkd", ".mdown", ".txt")):
        return f"'{name}' is not read: a class file ends in .md; rename it to '{stem}.md'"
    if lower.endswith(_WORD_PROCESSOR):
        return (
            f"'{name}' is a word-processor file; a class is a plain text file named like "
            "2026-12-05-slug.md: copy content/classes/_template.md and paste the text in"
        )
    if lower.endswith(_PICTURES):
        return f"'{name}' is a picture; put photos in content/images/ and name them in 'Photo:'"
    return f"'{name}' is not read: class files are named like 2026-12-05-slug.md"


def _stray_files(folder: Path, content_path: Path, ignored: list[str]) -> list[ValidationError]:
    """Files in the classes folder that Pelican would skip or misread: anything but `*.md`."""
    problems = []
    for path in sorted(folder.rglob("*")):
        name = path.name
        if not path.is_file() or name.endswith(".md") or name.startswith("."):
            continue
        if any(fnmatch.fnmatch(name, pattern) for pattern in ignored):
            continue
        shown = site_relative_path(path, content_path)
        problems.append(ValidationError(shown, 1, "file name", _not_a_class_file(name)))
    return problems


def _photo_problems(parsed: classfile.ClassFile, content: Path) -> list[ValidationError]:
    """Photo lines naming a file that is not there or not a picture, so `check` finds what the
    build would, whatever else is wrong in the file (`content`: the resolved content folder)."""
    problems = []
    for path, _, _, line in photo_entries(parsed):
        if photo_path_problem(path):
            continue  # the model reports it
        source = (content / path).resolve()
        if not source.is_relative_to(content) or not source.is_file():
            message = f"'{path}' not found; put the file at content/{posixpath.normpath(path)}"
        else:
            reason = photos.unreadable_reason(source)
            message = f"'{path}' {reason}" if reason else ""
        if message:
            problems.append(ValidationError(parsed.path, line, "photo", message))
    return problems


def _announced_starts(ledger_path: Path) -> dict[str, set[datetime]]:
    """By slug, every start the ledger's posts told followers (an unreadable ledger is
    `invoke announce`'s to report; here it only settles which of two files keeps a slug)."""
    try:
        ledger = Ledger.load(ledger_path)
    except LedgerError:
        return {}
    starts: dict[str, set[datetime]] = {}
    for record in ledger.records if ledger else ():
        with contextlib.suppress(KeyError, TypeError, ValueError):
            starts.setdefault(record.slug, set()).add(datetime.fromisoformat(record.state["start"]))
    return starts


def _warn_of_dates_to_come(to_come: list[tuple[ClassEvent, int]]) -> None:
    """One warning per class whose Date (at `line`) is still to come, saying when it appears."""
    for event, line in to_come:
        appears = first_daily_build_after(event.announced)
        logger.warning(
            "%s:%d: date: %s is still to come; until then the class is on no page, in no "
            "calendar and in no post; it appears, and is announced, with the first build after "
            "it (at the latest the daily build on %s)",
            event.source_path,
            line,
            f"{event.announced:%Y-%m-%d %H:%M}",
            f"{appears:%Y-%m-%d %H:%M}",
        )


def read_classes(generator: ArticlesGenerator, whole_folder: bool = True) -> None:
    """Build the schedule from every class file, or stop the build listing every problem.

    `whole_folder=False` leaves out the look for stray files in the classes folder: the
    preview's check of one edited file, whose folder holds the same files as in the last
    good build (a file added or removed is a full build).
    """
    settings = site_settings(generator.settings)
    now = settings.now()  # read once: the same moment validates the classes and splits them
    groups: dict[str, list[ClassEvent]] = {"published": [], "hidden": [], "draft": []}
    pages: dict[str, Any] = {}
    held: set[int] = set()
    errors: list[ValidationError] = []
    to_come: list[tuple[ClassEvent, int]] = []  # published once their Date (at line) has come
    folder = settings.content_path / settings.schedule.content_folder
    # Resolved once, not once per class file (a thousand resolve() calls cost 0.03 s).
    content = settings.content_path.resolve()
    if whole_folder:
        ignored = generator.settings["IGNORE_FILES"]
        errors.extend(_stray_files(folder, settings.content_path, ignored))
    for article in (*generator.articles, *generator.hidden_articles, *generator.drafts):
        if not _is_class_file(article.metadata):
            continue
        if not article.source_path.endswith(".md"):
            held.add(id(article))  # read by another of Pelican's readers: see _stray_files
            continue
        parsed = article.metadata.get(CLASS_FILE_KEY)
        if not isinstance(parsed, classfile.ClassFile) or parsed.version != classfile.VERSION:
            shown = site_relative_path(article.source_path, settings.content_path)
            parsed = classfile.read(Path(article.source_path).read_bytes(), shown)
        errors.extend(_photo_problems(parsed, content))
        event, problems = build_class(
            _metadata_for_model(article),
            parsed.path,
            parsed,
            settings.zone,
            settings.schedule.default_duration,
            now=now,
            min_notice=settings.schedule.min_notice,
        )
        errors.extend(problems)
        if event is None:
            continue
        # Pelican's own URL, whatever ARTICLE_URL says: every output links to this one.
        event = dataclasses.replace(
            event, page_path=article.url, url=settings.absolute_url(article.url)
        )
        article.event = event  # the class template reads it
        # A Date still to come is when the class goes public: until then it is checked like a
        # draft and shown nowhere, so no page, feed, calendar or post carries a future date.
        status = "draft" if event.announced > now else article.status
        groups.setdefault(status, []).append(event)
        if event.announced > now and article.status != "draft":
            to_come.append((event, parsed.line_of("date")))
        if status == "draft":
            held.add(id(article))
        else:
            pages[event.slug] = article
    every_class = [event for group in groups.values() for event in group]
    # The ledger only settles which of two files keeps a slug: read it when there are two.
    shared = len({event.slug for event in every_class}) < len(every_class)
    announced = _announced_starts(settings.publish.ledger_path) if shared else {}
    errors.extend(find_duplicate_slugs(every_class, announced))
    _warn_of_dates_to_come(to_come)
    if errors:
        errors.sort(key=lambda e: (e.path, e.line))
        for error in errors:
            logger.error("%s", error)
        raise ContentErrors(errors)
    # Drafts are checked like every class but never written: a draft class must not appear
    # anywhere, and Pelican's draft writer needs the categories this site turns off.
    generator.drafts, generator.drafts_translations = [], []
    # In place: Pelican's context holds these same lists.
    for listed in (generator.articles, generator.hidden_articles, generator.dates):
        listed[:] = [article for article in listed if id(article) not in held]
    schedule = Schedule(groups["published"], now, hidden=groups["hidden"], drafts=groups["draft"])
    gap = schedule.monthly_promise_gap(settings.schedule.monthly_promise_days)
    if gap and schedule.all:
        logger.warning("class_schedule: %s", gap)
    generator.context[SCHEDULE_KEY] = schedule
    generator.context[ARTICLES_KEY] = pages
    # Class pages are ordered by start, newest first, wherever Pelican lists articles.
    generator.articles.sort(key=_start_or_date, reverse=True)


def _start_or_date(article: Any) -> datetime:
    event: ClassEvent | None = getattr(article, "event", None)
    date: datetime = article.date
    return event.start if event is not None else date


@dataclasses.dataclass(frozen=True)
class SchedulePage:
    """One page made from the schedule: its template, the variables it gets, and `shows`,
    everything of the schedule it shows (the rest of its context is the site's, which an edit
    of one class never changes). Equal `shows`, equal page: the preview skips it."""

    kind: str
    variables: Mapping[str, Any]
    shows: object

    @property
    def save_as(self) -> str:
        return url_for(self.kind, str(self.variables.get("slug", ""))) + "index.html"


def schedule_pages(schedule: Schedule) -> list[SchedulePage]:
    """The pages that list classes, by year, by teacher and by venue, and the report.

    A new schedule-wide page (a report, a national list) is one more entry here, with what it
    shows: the build writes it and the preview re-renders it only when that changed.
    """
    teachers, venues = tuple(schedule.teachers()), tuple(schedule.venues())
    pages = [
        SchedulePage("archive", {}, schedule.past),
        SchedulePage("teachers", {}, teachers),
        SchedulePage("venues", {}, venues),
        # The report's numbers, recaps and photos come from the classes that have started.
        SchedulePage("report", {}, schedule.past),
    ]
    pages += [SchedulePage("teacher", {"group": g, "slug": g.slug}, g) for g in teachers]
    pages += [SchedulePage("venue", {"group": g, "slug": g.slug}, g) for g in venues]
    return pages


class SchedulePagesGenerator(Generator):  # type: ignore[misc]
    """Writes the pages that list classes by year, by teacher and by venue, and the report."""

    def generate_output(self, writer: Any) -> None:
        schedule = schedule_of(self.context)
        if schedule is None:
            return
        if side_work.runs_elsewhere(self):
            # The side worker renders them meanwhile: here they only count as written.
            for page, variables in self._pages(schedule):
                writer.announce(page.save_as, self.context, **variables)
            return
        self._write(writer, schedule)

    def write_files(self) -> None:
        """In the side worker: the same pages, through a writer of its own."""
        schedule = schedule_of(self.context)
        if schedule is None:
            return
        self._write(page_memo.KeepingWriter(self.output_path, settings=self.settings), schedule)
        page_memo.save_memo(None)

    def _pages(self, schedule: Schedule) -> Iterator[tuple[SchedulePage, dict[str, Any]]]:
        for page in schedule_pages(schedule):
            yield (
                page,
                {
                    "relative_urls": self.settings["RELATIVE_URLS"],
                    "url": page.save_as.removesuffix("index.html"),
                    "page_name": page.kind,
                    **page.variables,
                },
            )

    def _write(self, writer: Any, schedule: Schedule) -> None:
        # A preview step's writer skips the pages whose classes are unchanged; Pelican's own
        # writes every page. The report's numbers, charts and JSON are made only when written.
        will_write = getattr(writer, "will_write", lambda name: True)
        report_page: dict[str, Any] | None = None
        for page, variables in self._pages(schedule):
            if page.kind == "report":
                if not will_write(page.save_as):
                    continue
                report_page = report.page_context(self, schedule)
            writer.write_file(
                page.save_as,
                self.get_template(page.kind),
                self.context,
                **variables,
                **(report_page if page.kind == "report" and report_page else {}),
            )
        if report_page is not None:
            report.write_json(self, report_page["report"])


def add_schedule_pages(pelican_object: Any) -> type[Generator]:
    """Hand Pelican the generator of the archive, teacher, venue and report pages."""
    return SchedulePagesGenerator


def register() -> None:
    """Connect the core; every plugin calls this, and a second call changes nothing."""
    signals.initialized.connect(check_settings_and_mark_classes)
    signals.readers_init.connect(use_class_reader)
    signals.generator_init.connect(theme.install_helpers)
    signals.article_generator_context.connect(prepare_class_metadata)
    signals.article_generator_finalized.connect(read_classes)
    signals.get_generators.connect(add_schedule_pages)
    descriptions.register()
    share_images.register()
    page_memo.register()
    side_work.register()
    site_files.register()
    cms.register()
