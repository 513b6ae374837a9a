"""Runs a Pelican build, or a content check, in-process and fails on any logged error.

Pelican exits 0 after logging errors unless run with --fatal, and --fatal stops at the first one;
this runner lets every problem be logged, then fails once, so organizers see all of them.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import blinker
import pelican.plugins as pelican_plugins
from pelican import Pelican
from pelican.generators import ArticlesGenerator
from pelican.log import LimitFilter
from pelican.plugins import signals
from pelican.settings import read_settings

from ..classfile import ValidationError
from ..schedule import Schedule
from ..settings import SettingsError
from . import output, side_work
from .classes import ContentErrors
from .state import schedule_of
from .theme import kit_filter_in_theme

EXIT_CONTENT = 1  # a class file or the build itself has a problem
EXIT_SETTINGS = 2  # a setting has to be fixed first
# The kit's plugins; each one switches on class_schedule, which gives the theme its filters.
KIT_PLUGINS = (
    "class_schedule", "ical_feed", "class_feeds", "class_photos", "social_publish", "national_site"
)  # fmt: skip


class BuildFailed(Exception):
    """The build or check logged errors; `problems` holds each message, in order; `code` is the
    exit code a task should end with."""

    def __init__(
        self,
        message: str,
        problems: list[str],
        code: int = EXIT_CONTENT,
        located: list[ValidationError] | None = None,
    ) -> None:
        super().__init__(message)
        self.problems = problems
        self.code = code
        self.located = located or []  # the problems that name a file and line


class ErrorCollector(logging.Handler):
    """Collects the messages of errors logged while it is attached."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.messages.append(record.getMessage())


def load_settings(settings_file: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Pelican's settings from a settings file, with `overrides` on top.

    Pelican refuses some settings itself (no content folder, a file that does not run); those
    become the kit's SettingsError too, one line naming the file.
    """
    try:
        settings: dict[str, Any] = read_settings(settings_file, override=dict(overrides or {}))
    except FileNotFoundError as error:
        raise SettingsError([f"{settings_file}: not found ({error.strerror})"]) from None
    except (ValueError, TypeError, ImportError, SyntaxError, NameError) as error:
        raise SettingsError([f"{settings_file}: {type(error).__name__}: {error}"]) from None
    return settings


def _forget_earlier_builds() -> None:
    # Pelican hides a warning or info message it has already shown in this process. That suits
    # one build per process; livereload and tests build many times, and each build must report
    # its own warnings (a class still missing next month is worth saying again).
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def _defined_under(receiver: object, roots: list[Path]) -> bool:
    module = sys.modules.get(getattr(receiver, "__module__", "") or "")
    file = getattr(module, "__file__", None)
    return bool(file) and any(Path(str(file)).resolve().is_relative_to(root) for root in roots)


def _forget_plugins_of_earlier_builds(settings: Mapping[str, Any]) -> None:
    """Disconnect the kit's receivers, so that this build connects exactly its own PLUGINS.

    Pelican's signals are global to the process and a plugin module is imported once: without
    this, a second build in one process (tests, livereload) would still run every plugin an
    earlier build listed. Only receivers defined in the plugin folders or in this package go.
    """
    roots = [Path(path).resolve() for path in settings.get("PLUGIN_PATHS") or []]
    roots.append(Path(__file__).resolve().parents[1])
    # Installed plugins (pelican-sitemap) live in the pelican.plugins namespace, whose folders
    # hold nothing else that connects to a signal.
    roots += [Path(path).resolve() for path in pelican_plugins.__path__]
    for signal in vars(signals).values():
        if not isinstance(signal, blinker.Signal):
            continue
        for reference in list(signal.receivers.values()):
            receiver = reference() if isinstance(reference, weakref.ref) else reference
            if receiver is not None and _defined_under(receiver, roots):
                signal.disconnect(receiver)


def _run(action: Callable[[dict[str, Any]], object], settings: dict[str, Any]) -> list[str]:
    _forget_earlier_builds()
    _forget_plugins_of_earlier_builds(settings)
    errors, warnings = ErrorCollector(), _WarningCollector()
    root = logging.getLogger()
    root.addHandler(errors)
    root.addHandler(warnings)
    try:
        action(settings)
    except ContentErrors as failure:
        problems = [str(error) for error in failure.errors]
        raise BuildFailed(str(failure), problems, located=failure.errors) from None
    except SettingsError as failure:
        raise BuildFailed(str(failure), failure.problems, EXIT_SETTINGS) from None
    finally:
        root.removeHandler(errors)
        root.removeHandler(warnings)
    if errors.messages:
        count = len(errors.messages)
        raise BuildFailed(
            f"{count} error{'s' if count != 1 else ''} logged above; nothing is usable",
            errors.messages,
        )
    return warnings.messages


def _forget_sitemap_of_earlier_builds() -> None:
    """pelican-sitemap keeps its pages and "the" Pelican run in one module-level object, reset
    only when a build finishes: after a failed build, the next one in the process would write
    no sitemap at all (and queue the failed build's pages)."""
    module = sys.modules.get("pelican.plugins.sitemap.sitemap")
    generator = getattr(module, "generator", None)
    if generator is not None:
        generator._main_pelican = None
        generator.page_queue = []


def _build(settings: dict[str, Any]) -> None:
    _forget_sitemap_of_earlier_builds()
    try:
        Pelican(settings).run()
    except BaseException:
        side_work.abandon()
        raise
    side_work.finish()  # its log and fingerprints belong to this build (done at `finalized`)


def _check(settings: dict[str, Any]) -> Schedule | None:
    # Reading the articles runs the plugin's validation (article_generator_finalized) without
    # rendering or writing anything.
    pelican = Pelican(settings)
    context = settings.copy()
    context.update(static_links=set(), static_content={}, generated_content={}, localsiteurl="")
    generator = ArticlesGenerator(
        context=context,
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=pelican.output_path,
    )
    generator.generate_context()
    return schedule_of(generator.context)


@contextlib.contextmanager
def _staging_folder(final: Path) -> Iterator[Path]:
    """The folder a build of `final` writes into: `.output.building` beside it, kept between
    builds with its folders (making ~1,300 folders anew costs more than the sync) but emptied
    of files. A second build of the same site at the same time gets a throwaway folder."""
    kept = final.parent / f".{final.name}.building"
    with open(final.parent / f".{final.name}.building.lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            throwaway = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
            try:
                yield throwaway
            finally:
                shutil.rmtree(throwaway, ignore_errors=True)
            return
        output.empty_files(kept)
        kept.mkdir(exist_ok=True)
        try:
            yield kept
        finally:
            output.empty_files(kept)  # no second copy of the site left lying about


def _refuse_an_output_that_holds_sources(settings: Mapping[str, Any], final: Path) -> None:
    """A build leaves in the output folder only what it wrote: an OUTPUT_PATH that is, or
    holds, the content or the cache folder would lose them."""
    for key in ("PATH", "CACHE_PATH"):
        value = settings.get(key)
        if not value:
            continue
        source = Path(value).resolve()
        if source == final or final in source.parents:
            problem = (
                f"OUTPUT_PATH: {final} holds {key} ({source}); a build replaces everything in "
                "its output folder, so give it a folder of its own, like 'output'"
            )
            raise BuildFailed(problem, [problem], EXIT_SETTINGS)


def _refuse_a_theme_without_its_plugin(settings: Mapping[str, Any]) -> None:
    """A theme whose templates use the kit's filters cannot build unless one of the kit's
    plugins is on: refused at start, in one line, instead of a Jinja error half-way through."""
    names = {
        str(getattr(plugin, "__name__", plugin)).rsplit(".", 1)[-1]
        for plugin in settings.get("PLUGINS") or ()
    }
    if names & set(KIT_PLUGINS) or not settings.get("THEME"):
        return
    extensions = (settings.get("JINJA_ENVIRONMENT") or {}).get("extensions", ())
    found = kit_filter_in_theme(str(settings["THEME"]), extensions)
    if found is None:
        return
    name, template = found
    problem = (
        f"class_schedule: PLUGINS {list(settings.get('PLUGINS') or [])} has none of the kit's "
        f"plugins, but the theme's {template} uses its filter '{name}'; add \"class_schedule\" "
        "to PLUGINS (or any of the kit's plugins, which switch it on)"
    )
    raise BuildFailed(problem, [problem], EXIT_SETTINGS)


def _build_in_place(settings: dict[str, Any], final: Path) -> list[str]:
    """The first build into an empty folder: no site to protect, so no staging folder to fill
    and move (on a slow disk, making ~2,000 folders twice); a failure leaves no site at all."""
    existed = final.exists()
    try:
        with output.holding_fingerprints() as fingerprints:
            warnings = _run(_build, {**settings, output.FINAL_OUTPUT: str(final)})
        output.commit_fingerprints(fingerprints, final)
        return warnings
    except BaseException:
        if existed:
            for entry in list(final.iterdir()):
                output.remove(entry)
        else:
            shutil.rmtree(final, ignore_errors=True)
        raise


def build(settings: dict[str, Any]) -> list[str]:
    """Build the site; returns the warnings, raises BuildFailed after any error.

    Pelican writes into a staging folder beside the output folder; only a build that logged no
    error is moved into place (changed files only), so a failed build leaves the last good site
    as it was, and a half-written site is never served or deployed. Into an empty or missing
    output folder (a first build, CI's fresh checkout) it writes directly, and a failure
    empties the folder again.
    """
    final = Path(settings["OUTPUT_PATH"]).resolve()
    _refuse_an_output_that_holds_sources(settings, final)
    _refuse_a_theme_without_its_plugin(settings)
    if not final.exists() or not any(final.iterdir()):
        return _build_in_place(settings, final)
    with _staging_folder(final) as staging:
        staged = {**settings, "OUTPUT_PATH": str(staging), output.FINAL_OUTPUT: str(final)}
        staged[output.PREVIOUS_OUTPUT] = str(final)
        with output.holding_fingerprints() as fingerprints:
            warnings = _run(_build, staged)
        output.sync_tree(staging, final, keep=settings.get("OUTPUT_RETENTION") or ())
    # Only now are the files where the fingerprints say; a failed build commits none of them.
    output.commit_fingerprints(fingerprints, final)
    return warnings


def check(settings: dict[str, Any]) -> list[str]:
    """Validate every class file without writing output; returns warnings, raises on errors."""
    return check_schedule(settings)[1]


def check_schedule(settings: dict[str, Any]) -> tuple[Schedule | None, list[str]]:
    """Like `check`, and the schedule it read: every valid class with its page address (drafts
    and classes whose Date is still to come included); raises BuildFailed on errors."""
    _refuse_a_theme_without_its_plugin(settings)
    found: list[Schedule | None] = []
    warnings = _run(lambda checked: found.append(_check(checked)), settings)
    return (found[0] if found else None), warnings
