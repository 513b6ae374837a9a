"""What a pull request changes, gathered for its job summary: the class files git says it adds,
changes or removes, the check, the production build's report, the dry run and the share images.

`invoke pr-summary` calls `gather` and hands the result to `berbagi.publish.summary.render`.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image

from .. import classfile
from ..model import ClassEvent, build_class
from ..publish.summary import (
    ADDED,
    CHANGED,
    REMOVED,
    RENAMED,
    ClassChange,
    Problem,
    PullRequestSummary,
    ShareImage,
    Step,
)
from ..schedule import Schedule
from ..settings import Settings, SettingsError
from ..settings import load as load_settings
from . import runner
from .share_images import class_image_path, has_own_image

logger = logging.getLogger(__name__)

BUILD_REPORT = "build-report.json"
GIT_STATUSES = {"A": ADDED, "M": CHANGED, "T": CHANGED, "R": RENAMED, "C": ADDED, "D": REMOVED}


class ChangesUnknown(Exception):
    """git could not say what the pull request changes (no repository, an unknown base)."""


@dataclass(frozen=True)
class FileChange:
    """One line of `git diff --name-status`: what happened to a file, paths from the top."""

    change: str  # added | changed | renamed | removed
    path: str
    old_path: str = ""


def report_path(settings: Settings) -> Path:
    """Where a production build leaves its report: beside the announce plan."""
    return settings.publish.plan_path.with_name(BUILD_REPORT)


def write_build_report(
    path: Path, warnings: Sequence[str] = (), failure: runner.BuildFailed | None = None
) -> None:
    """What the build said, for the summary step after it: passed or failed, every message."""
    problems = [
        {"message": p.message, "path": p.path, "line": p.line, "field": p.field}
        for p in (problems_of(failure) if failure else ())
    ]
    data = {
        "version": 1,
        "state": "failed" if failure else "passed",
        "warnings": list(warnings),
        "problems": problems,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def remove_build_report(path: Path) -> None:
    """A build starting removes the last report, so a build that crashes leaves none."""
    path.unlink(missing_ok=True)


def read_build_report(path: Path) -> Step:
    """The report of the last production build, or a step that did not run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Step("not run", note="no production build ran before this step")
    except (OSError, ValueError) as error:
        return Step("not run", note=f"its report {path.name} is unreadable ({error})")
    problems = tuple(
        Problem(
            str(p.get("message", "")),
            str(p.get("path") or ""),
            int(p.get("line") or 0),
            str(p.get("field") or ""),
        )
        for p in data.get("problems", [])
    )
    return Step(str(data.get("state", "failed")), problems, tuple(data.get("warnings", [])))


def _git(top: Path, *arguments: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(top), *arguments],
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ChangesUnknown(f"git could not run ({error})") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangesUnknown(f"git {arguments[0]} failed: {said[-1] if said else done.returncode}")
    return done.stdout.decode("utf-8", "surrogateescape")


def repository_top(folder: Path) -> Path:
    """The top of the git work tree that holds `folder`."""
    return Path(_git(folder, "rev-parse", "--show-toplevel").strip())


def merge_base(top: Path, base: str) -> str:
    """The commit the pull request started from: what `base...HEAD` compares with."""
    return _git(top, "merge-base", base, "HEAD").strip()


def changed_files(top: Path, base: str, folder: Path) -> list[FileChange]:
    """`git diff --name-status base...HEAD -- folder`: every file the change touches there."""
    relative = os.path.relpath(folder, top)
    listed = _git(
        top, "diff", "--name-status", "-z", "-M", "--no-color", f"{base}...HEAD", "--", relative
    )
    fields = listed.split("\0")
    changes = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        kind = GIT_STATUSES.get(status[:1], CHANGED)
        if status[:1] in "RC":
            old, new = fields[index + 1], fields[index + 2]
            changes.append(FileChange(kind, new, old if kind == RENAMED else ""))
            index += 3
        else:
            changes.append(FileChange(kind, fields[index + 1]))
            index += 2
    return changes


def is_class_file(path: str) -> bool:
    """A file the check reads (or reports) in the classes folder: not the template (`_*`)."""
    name = path.rsplit("/", 1)[-1]
    return not name.startswith((".", "_"))


def problems_of(failure: runner.BuildFailed) -> tuple[Problem, ...]:
    """A failed check's or build's problems, each with its place when it has one."""
    located = [Problem(p.message, p.path, p.line, p.field) for p in failure.located]
    shown = {str(p) for p in failure.located}
    return tuple(located + [Problem(m) for m in failure.problems if m not in shown])


def check_step(raw: dict[str, Any]) -> tuple[Step, Schedule | None]:
    """`invoke check` with these settings: its step, and the schedule when it passed."""
    try:
        schedule, warnings = runner.check_schedule(raw)
    except runner.BuildFailed as failure:
        return Step("failed", problems_of(failure)), None
    return Step("passed", warnings=tuple(warnings)), schedule


def _page_url(settings: Settings, event: ClassEvent) -> str:
    """A class's address when the build did not give it one (a file of the base, say)."""
    try:
        path = settings.article_url.format(
            slug=event.slug,
            date=event.announced,
            lang=settings.language,
            category="classes",
            author="",
            path_no_ext=event.source_path.removesuffix(".md"),
        )
    except (KeyError, ValueError, IndexError, AttributeError):
        return ""
    return settings.absolute_url(path)


def read_class(settings: Settings, data: bytes, shown: str) -> ClassEvent | None:
    """The class a file's bytes describe, or None when it does not validate."""
    parsed = classfile.read(data, shown)
    event, problems = build_class(
        {}, shown, parsed, settings.zone, settings.schedule.default_duration
    )
    if event is None or problems:
        return None
    return _with_url(settings, event)


def _with_url(settings: Settings, event: ClassEvent) -> ClassEvent:
    return replace(event, url=_page_url(settings, event)) if not event.url else event


def _base_class(settings: Settings, top: Path, commit: str, path: str) -> ClassEvent | None:
    """The class as the base commit had it, or None (not there, or not valid there)."""
    try:
        data = _git(top, "show", f"{commit}:{path}")
    except ChangesUnknown:
        return None
    return read_class(settings, data.encode("utf-8", "surrogateescape"), path)


def _visibility(schedule: Schedule, event: ClassEvent) -> str:
    if any(e is event for e in schedule.hidden):
        return "hidden"
    if any(e is event for e in schedule.drafts):
        return "waiting" if event.announced > schedule.now else "draft"
    return "published"


def _share_image(
    settings: Settings, output: Path, event: ClassEvent, now: datetime
) -> tuple[ShareImage | None, str]:
    if not has_own_image(event, now):
        return None, "none of its own: an older class shares the chapter's image"
    relative = class_image_path(event.slug)
    path = output / relative
    try:
        with Image.open(path) as picture:
            width, height = picture.size
        size = path.stat().st_size
    except FileNotFoundError:
        return None, f"{relative} was not built"
    except OSError as error:
        return None, f"{relative} is unreadable ({error})"
    shown = os.path.relpath(path, settings.site_folder)
    if shown.startswith(".."):
        shown = str(path)
    # With photos, a shared link shows the first of them; the share image is drawn all the same.
    note = "shared links show its first photo instead" if event.photos else ""
    return ShareImage(shown, width, height, size, settings.absolute_url(relative)), note


def _by_path(settings: Settings, schedule: Schedule | None) -> dict[Path, ClassEvent]:
    if schedule is None:
        return {}
    every = (*schedule.all, *schedule.hidden, *schedule.drafts)
    return {(settings.site_folder / e.source_path).resolve(): e for e in every}


def gather(
    raw: dict[str, Any],
    *,
    base: str | None,
    changes: Sequence[FileChange] | None = None,
    environ: Mapping[str, str] | None = None,
    images: Path | None = None,
) -> PullRequestSummary:
    """Everything the summary shows, for the site of the production settings `raw`.

    `base` is what git compares HEAD with (`base...HEAD`); `changes`, when given, is used
    instead of git. `images`: copy the changed classes' share images into this folder (the
    workflow uploads it as an artifact).
    """
    from ..publish import cli

    try:
        settings = load_settings(raw)
    except SettingsError as error:
        failed = Step("failed", tuple(Problem(line) for line in error.problems))
        return PullRequestSummary("", (), failed, Step("not run", note="the settings are wrong"))
    check, schedule = check_step(raw)
    build = read_build_report(report_path(settings))
    folder = settings.content_path / settings.schedule.content_folder
    now = schedule.now if schedule else settings.now()
    diff_problem, shown_base, before_commit, top = "", "", "", settings.site_folder
    if changes is None:
        try:
            top = repository_top(settings.site_folder)
            before_commit = merge_base(top, base or "HEAD")
            changes = changed_files(top, base or "HEAD", folder)
            shown_base = f"{base} at {before_commit[:7]}"
        except ChangesUnknown as error:
            diff_problem, changes = str(error), []
    else:
        shown_base = base or ""
        try:
            top = repository_top(settings.site_folder)
            before_commit = merge_base(top, base) if base else ""
        except ChangesUnknown:
            before_commit = ""
    found = _by_path(settings, schedule)
    output = Path(raw["OUTPUT_PATH"]).resolve()
    listed = []
    for change in changes:
        if not is_class_file(change.path):
            continue
        absolute = (top / change.path).resolve()
        event, title = None, ""
        if change.change != REMOVED:
            event = found.get(absolute)
            if event is None and absolute.is_file():  # the check failed: read the file alone
                shown = os.path.relpath(absolute, settings.site_folder)
                data = absolute.read_bytes()
                event = read_class(settings, data, shown)
                title = classfile.read(data, shown).single("title")
        before = None
        if before_commit and change.change != ADDED:
            before = _base_class(settings, top, before_commit, change.old_path or change.path)
        visibility, image, note = "", None, ""
        if event is not None and schedule is not None and absolute in found:
            visibility = _visibility(schedule, event)
            if visibility in ("published", "hidden") and build.state == "passed":
                image, note = _share_image(settings, output, event, now)
            elif visibility == "waiting":
                note = f"drawn when the class appears ({event.announced:%Y-%m-%d})"
            elif visibility == "draft":
                note = "none: a draft has no page"
            else:
                note = "the production build did not pass"
        elif event is not None:
            note = "the check did not pass"
        listed.append(
            ClassChange(
                change.change,
                change.path,
                change.old_path,
                event,
                before,
                visibility,
                upcoming=bool(event and event.start > now),
                image=image,
                image_note=note,
                title=title,
            )
        )
    attached = False
    if images is not None:
        attached = _copy_images(listed, settings, images)
    networks: list[cli.NetworkOutcome] = []
    announce_failure = ""
    if build.state == "passed":
        networks, _, failure = cli.preview_announce(settings, environ)
        announce_failure = str(failure).removeprefix("announce: ") if failure else ""
    return PullRequestSummary(
        base=shown_base,
        changes=tuple(listed),
        check=check,
        build=build,
        networks=tuple(networks),
        announce_failure=announce_failure,
        now=now,
        max_posts=settings.publish.max_posts,
        ledger=os.path.relpath(settings.publish.ledger_path, settings.site_folder),
        diff_problem=diff_problem,
        images_attached=attached,
    )


def _copy_images(changes: Sequence[ClassChange], settings: Settings, folder: Path) -> bool:
    """Copy each share image into `folder`; whether any was copied."""
    copied = False
    for change in changes:
        if change.image is None:
            continue
        source = Path(change.image.path)
        if not source.is_absolute():
            source = settings.site_folder / source
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / source.name)
        copied = True
    return copied
