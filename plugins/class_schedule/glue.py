"""Pelican glue: turns class files into ClassEvent objects and hands the schedule to templates."""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from pelican import signals

from . import formatting, jsonld, settings, share, translations
from .model import (
    ClassEvent,
    ValidationError,
    build_class,
    field_lines,
    find_duplicate_slugs,
    parse_local_datetime,
)
from .pages import SchedulePagesGenerator, url_for
from .schedule import Schedule

logger = logging.getLogger(__name__)

from .model import PELICAN_STATUSES  # noqa: E402

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


def _settings_of(generator) -> settings.ScheduleSettings:
    """The plugin's settings, loaded once per generator (signals fire once per file)."""
    loaded = getattr(generator, "_class_schedule_settings", None)
    if loaded is None:
        loaded = generator._class_schedule_settings = settings.load(generator.settings)
    return loaded


def _is_class_file(metadata: dict) -> bool:
    return metadata.get(CLASS_MARKER) == "class"


def prepare_class_metadata(generator, metadata: dict) -> None:
    """Keep every class file in the build so its problems are reported with its path.

    A class's own status (scheduled, cancelled, postponed) would make Pelican drop the file, and a
    missing title or date would too, with a message that names no field; move the status aside and
    fill placeholders, and let `validate_classes` report what is really wrong.
    """
    if not _is_class_file(metadata):
        return
    status = str(metadata.get("status", "")).strip().lower()
    if status and status not in PELICAN_STATUSES:
        metadata["class_status"] = status
        metadata["status"] = "published"
    metadata.setdefault("title", "")
    metadata.setdefault("template", "class")
    if "date" not in metadata:
        schedule_settings = _settings_of(generator)
        start = parse_local_datetime(str(metadata.get("start", "")), schedule_settings.zone)
        metadata["date"] = start or datetime(1970, 1, 1, tzinfo=schedule_settings.zone)


def site_relative_path(source_path: str | os.PathLike, content_path: str) -> str:
    """`content/classes/x.md`: relative to the site folder, as an organizer sees it in git."""
    return os.path.relpath(source_path, os.path.dirname(os.path.abspath(content_path)))


def _metadata_for_model(article) -> dict:
    metadata = dict(article.metadata)
    metadata["tags"] = [tag.name for tag in getattr(article, "tags", [])]
    return metadata


def _missing_photos(event: ClassEvent, source_text: str, content_path: str) -> list:
    """Photo lines naming a file that is not there, so `check` catches them before a build."""
    lines = field_lines(source_text).get("photo", [])
    return [
        ValidationError(
            event.source_path,
            lines[index] if index < len(lines) else 1,
            "photo",
            f"'{photo.path}' not found; put the file at content/{photo.path}",
        )
        for index, photo in enumerate(event.photos)
        if not Path(content_path, photo.path).is_file()
    ]


def validate_classes(generator) -> None:
    """Build the schedule from every class file, or stop the build listing every problem."""
    schedule_settings = _settings_of(generator)
    candidates = [
        article
        for article in (*generator.articles, *generator.hidden_articles, *generator.drafts)
        if _is_class_file(article.metadata)
    ]
    if not candidates:
        return
    events: list[ClassEvent] = []
    published: list[ClassEvent] = []
    errors: list[ValidationError] = []
    for article in candidates:
        display_path = site_relative_path(article.source_path, generator.settings["PATH"])
        source_text = Path(article.source_path).read_text(encoding="utf-8")
        event, problems = build_class(
            _metadata_for_model(article),
            display_path,
            source_text,
            schedule_settings.zone,
            schedule_settings.default_duration,
        )
        errors.extend(problems)
        if event is not None:
            errors.extend(_missing_photos(event, source_text, generator.settings["PATH"]))
            article.event = event
            events.append(event)
            if article.status == "published":
                published.append(event)
    errors.extend(find_duplicate_slugs(events))
    if errors:
        errors.sort(key=lambda e: (e.path, e.line))
        for error in errors:
            logger.error("%s", error)
        raise ContentErrors(errors)
    # Drafts are checked like every class but never written: a draft class must not appear
    # anywhere, and Pelican's draft writer needs the categories this site turns off.
    generator.drafts, generator.drafts_translations = [], []
    schedule = Schedule(published, schedule_settings.now)
    gap = schedule.monthly_promise_gap(schedule_settings.monthly_promise_days)
    if gap:
        logger.warning("class_schedule: %s", gap)
    generator.context["schedule"] = schedule
    # Class pages are ordered by start, newest first, wherever Pelican lists articles.
    generator.articles.sort(key=lambda a: a.event.start, reverse=True)


def setup_templates(generator) -> None:
    """Give every template the date formatters, translations and link builders."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    schedule_settings = _settings_of(generator)
    language = schedule_settings.language
    chapter = schedule_settings.chapter
    site_url = chapter.get("site_url", "").rstrip("/")
    article_url = generator.settings["ARTICLE_URL"]
    env.install_gettext_translations(
        translations.load(generator.settings["THEME"], language), newstyle=True
    )

    def absolute_url(path: str = "") -> str:
        return f"{site_url}/{path.lstrip('/')}"

    env.filters.update(
        long_date=lambda moment: formatting.long_date(moment, language),
        short_date=lambda moment: formatting.short_date(moment, language),
        clock=lambda moment: formatting.clock(moment, language),
        when=lambda moment: formatting.when(moment, language),
        time_range=lambda event: formatting.time_range(event.start, event.end, language),
    )
    env.globals.update(
        CHAPTER=chapter,
        url_for=url_for,
        class_url=lambda event: article_url.format(slug=event.slug),
        absolute_url=absolute_url,
        event_jsonld=lambda event, url: jsonld.event_jsonld(event, url, chapter, absolute_url()),
        share_url=lambda event, url: share.share_url(event, url, chapter),
        registration_url=lambda event, url: share.registration_url(event, url, chapter),
    )


def add_schedule_pages(pelican_object):
    return SchedulePagesGenerator


def check_settings_and_mark_classes(pelican_object) -> None:
    """Fail at start-up, naming the key, rather than halfway through a build; tag class files."""
    folder = settings.load(pelican_object.settings).content_folder
    extra = dict(pelican_object.settings.get("EXTRA_PATH_METADATA") or {})
    extra[folder] = {**extra.get(folder, {}), CLASS_MARKER: "class"}
    pelican_object.settings["EXTRA_PATH_METADATA"] = extra


def register() -> None:
    signals.initialized.connect(check_settings_and_mark_classes)
    signals.generator_init.connect(setup_templates)
    signals.article_generator_context.connect(prepare_class_metadata)
    signals.article_generator_finalized.connect(validate_classes)
    signals.get_generators.connect(add_schedule_pages)
