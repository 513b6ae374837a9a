"""Pelican glue: at the end of a successful production build, write the announce plan.

Nothing here posts. `invoke announce` reads the plan later, so no build, local or production,
can reach Twitter by itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from class_schedule import settings as schedule_settings
from pelican import signals
from pelican.generators import Generator

from . import settings
from .ledger import Ledger, LedgerError

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"


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


def check_settings(pelican_object) -> None:
    """Fail at start-up, naming the key, rather than at the end of a build."""
    settings.load(pelican_object.settings)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def start_build(pelican_object):
    """A production build first removes the previous plan, so a failed build leaves none."""
    cfg = settings.load(pelican_object.settings)
    if not cfg.write_plan:
        return None
    _remove(cfg.plan_path)
    _remove(cfg.plan_path.with_name(cfg.plan_path.name + PARTIAL_SUFFIX))
    _install_error_counter()
    return AnnouncePlanGenerator


class AnnouncePlanGenerator(Generator):
    """Composes every post the build's classes and pages allow, into a partial plan file."""

    def generate_output(self, writer) -> None:
        # Composing needs twitter_text and tweepy (0.3 s to import); only production builds
        # reach this point, so local builds never pay for them.
        from . import plan, twitter

        cfg = settings.load(self.settings)
        schedule = self.context.get("schedule")
        now = schedule.now if schedule else schedule_settings.load(self.settings).now
        site_url = cfg.chapter["site_url"].rstrip("/")
        urls = {
            article.event.slug: f"{site_url}/{article.url}"
            for article in self.context.get("articles", [])
            if getattr(article, "event", None) is not None
        }
        items = [
            plan.class_item(event, urls[event.slug], cfg)
            for event in (schedule.upcoming if schedule else ())
            if event.slug in urls
        ]
        items += [
            plan.page_item(page.slug, page.title, f"{site_url}/{page.url}", cfg)
            for page in self.context.get("pages", [])
        ]
        try:
            ledger = Ledger.load(cfg.ledger_path)
        except LedgerError as error:
            logger.error("social_publish: %s", error)
            return
        content = plan.make_plan(
            items,
            built_at=datetime.now(UTC),
            now=now,
            content_path=self.settings["PATH"],
            cfg=cfg,
            ledger=ledger,
            network=twitter.NETWORK,
        )
        plan.write(cfg.plan_path.with_name(cfg.plan_path.name + PARTIAL_SUFFIX), content)


def finish_build(pelican_object) -> None:
    """Publish the plan only if nothing logged an error; otherwise leave no plan at all."""
    cfg = settings.load(pelican_object.settings)
    if not cfg.write_plan:
        return
    counter = _take_error_counter()
    partial = cfg.plan_path.with_name(cfg.plan_path.name + PARTIAL_SUFFIX)
    if not partial.exists():
        return
    if counter is not None and counter.count:
        _remove(partial)
        logger.warning("social_publish: the build logged errors, so no announce plan was written")
        return
    from . import plan

    os.replace(partial, cfg.plan_path)
    written = plan.read(cfg.plan_path)
    if not written["ledger"]["exists"]:
        logger.warning(
            "social_publish: no ledger at %s yet; run `invoke announce --baseline` once before "
            "announcing",
            cfg.ledger_path,
        )
    else:
        logger.info(
            "social_publish: %d post(s) waiting for `invoke announce`; plan in %s",
            len(written["posts"]),
            cfg.plan_path,
        )


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(start_build)
    signals.finalized.connect(finish_build)
