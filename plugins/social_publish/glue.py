"""Pelican glue: at the end of a successful production build, write the announce plan.

Nothing here posts. `invoke announce` reads the plan later, so no build, local or production,
can reach Twitter by itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from berbagi.glue import classes, side_work
from berbagi.glue.output import final_output_of
from berbagi.glue.state import PHOTOS_KEY, schedule_of, site_settings
from berbagi.model import ClassEvent
from berbagi.publish.compose import can_recap, clean
from berbagi.publish.ledger import Ledger, LedgerError
from berbagi.schedule import Schedule

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
RECAP_PHOTOS = 4  # no network takes more in one post


class _ErrorCounter(logging.Handler):
    """Counts errors logged during a build: Pelican carries on after them, the plan must not."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _take_error_counter() -> _ErrorCounter | None:
    """Detach and return this build's counter (and any left behind by a build that crashed)."""
    root = logging.getLogger()
    found = [h for h in root.handlers if isinstance(h, _ErrorCounter)]
    for handler in found:
        root.removeHandler(handler)
    return found[-1] if found else None


def _install_error_counter() -> None:
    _take_error_counter()
    logging.getLogger().addHandler(_ErrorCounter())


def check_templates(pelican_object: Any) -> None:
    """A production build refuses, at start-up, templates that leave no room for a title.

    Only production builds measure texts: measuring needs twitter-text (a second to import),
    which a local preview never pays for.
    """
    settings = site_settings(pelican_object.settings)
    if settings.publish.write_plan:
        from berbagi.publish.networks import check_templates as check

        check(settings)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _partial(plan_path: Path) -> Path:
    return plan_path.with_name(plan_path.name + PARTIAL_SUFFIX)


def start_build(pelican_object: Any) -> type[Generator] | None:
    """A production build first removes the previous plan, so a failed build leaves none."""
    own = site_settings(pelican_object.settings).publish
    if not own.write_plan:
        return None
    _remove(own.plan_path)
    _remove(_partial(own.plan_path))
    _install_error_counter()
    return AnnouncePlanGenerator


class AnnouncePlanGenerator(Generator):  # type: ignore[misc]
    """Composes every post the build's classes and pages allow, into a partial plan file."""

    def generate_output(self, writer: Any) -> None:
        # Composing needs twitter_text and tweepy (0.3 s to import); only production builds
        # reach this point, so local builds never pay for them.
        from berbagi.publish import plan
        from berbagi.publish.compose import ComposeError
        from berbagi.publish.networks import chosen

        settings = site_settings(self.settings)
        own = settings.publish
        networks = chosen(settings)
        templates = own.network_templates
        schedule = schedule_of(self.context)
        output = final_output_of(self.settings)
        items = []
        for event in _announceable(schedule, own.recap_window_days) if schedule else ():
            try:
                items.append(
                    plan.class_item(
                        event,
                        settings.chapter,
                        settings.language,
                        templates,
                        networks,
                        _card(settings, event, output),
                        _recap_photos(settings, self.context, event, output),
                    )
                )
            except ComposeError as error:  # logged: the build fails and writes no plan
                logger.error("social_publish: %s: no post fits: %s", event.source_path, error)
        for page in self.context.get("pages", []):
            url = settings.absolute_url(page.url)
            try:
                items.append(
                    plan.page_item(
                        page.slug, page.title, url, settings.chapter, templates, networks
                    )
                )
            except ComposeError as error:
                logger.error("social_publish: %s: no post fits: %s", page.source_path, error)
        try:
            ledger = Ledger.load(own.ledger_path)
        except LedgerError as error:
            logger.error("social_publish: %s", error)
            return
        content = plan.make_plan(
            items,
            built_at=datetime.now(UTC),
            now=schedule.now if schedule else settings.now(),
            settings=settings,
            ledger=ledger,
            networks=networks,
        )
        plan.write(_partial(own.plan_path), content)


def _announceable(schedule: Schedule, window_days: int) -> list[ClassEvent]:
    """The classes to come, and those under way or over within the recap window that may have
    a recap (`invoke announce` decides against its own clock whether it is due)."""
    oldest = schedule.now - timedelta(days=window_days)
    recent = [event for event in schedule.past if oldest <= event.end and can_recap(event)]
    return [*schedule.upcoming, *recent]


def _recap_photos(
    settings: Any, context: Any, event: ClassEvent, output: Path
) -> list[dict[str, str]]:
    """A recap's photos: the largest copy the class_photos plugin made of each of the first
    four (none without that plugin), where the built site has it, its address and alt text."""
    catalog = context.get(PHOTOS_KEY)
    found = []
    for photo in event.photos:
        largest = catalog.largest(event.slug, photo.path) if catalog is not None else None
        if largest is None:
            continue
        relative = largest[0]
        found.append(
            {
                "path": str(output / relative),
                "url": settings.absolute_url(relative),
                "alt": clean(photo.alt),  # one line, no control or disguising characters
            }
        )
    return found[:RECAP_PHOTOS]


def _card(settings: Any, event: Any, output: Path) -> dict[str, str]:
    """What a link card or an e-mail shows beside a class's text: its share image (in the site
    this build leaves in the output folder; read when a post is sent) and its calendar file."""
    from berbagi.glue.share_images import class_image_path
    from berbagi.render.ical import CalendarSite, render_class_calendar

    image = class_image_path(event.slug)
    return {
        "image_path": str(output / image),
        "image_url": settings.absolute_url(image),
        "ics": render_class_calendar(event, CalendarSite.of(settings)).decode("utf-8"),
    }


def finish_build(pelican_object: Any) -> None:
    """Publish the plan only if nothing logged an error; otherwise leave no plan at all."""
    side_work.finish()  # what the calendar and share-image worker logged counts too
    own = site_settings(pelican_object.settings).publish
    if not own.write_plan:
        return
    counter = _take_error_counter()
    partial = _partial(own.plan_path)
    if not partial.exists():
        return
    if counter is not None and counter.count:
        _remove(partial)
        logger.warning("social_publish: the build logged errors, so no announce plan was written")
        return
    from berbagi.publish import plan

    os.replace(partial, own.plan_path)
    written = plan.read(own.plan_path)
    if not written.ledger_exists:
        logger.warning(
            "social_publish: no ledger at %s yet; run `invoke announce --baseline` once before "
            "announcing",
            own.ledger_path,
        )
    else:
        logger.info(
            "social_publish: %d post(s) waiting for `invoke announce`; plan in %s",
            len(written.posts),
            own.plan_path,
        )


def register() -> None:
    classes.register()
    signals.initialized.connect(check_templates)
    signals.get_generators.connect(start_build)
    signals.finalized.connect(finish_build)
