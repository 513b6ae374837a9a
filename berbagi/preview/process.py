"""The preview process: a full build kept in memory, then one cheap step per edited class."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..settings import SettingsError
from .mirror import Changes, mirror
from .sources import Diff, Sources

if TYPE_CHECKING:
    from ..glue.incremental import State

# Pelican is imported when the first build starts (berbagi.glue holds everything that touches
# it), so that the package outside berbagi/glue imports no Pelican.

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What one step did: `kind` is full, incremental, failed or unchanged."""

    kind: str
    seconds: float = 0.0
    changes: Changes = field(default_factory=Changes)
    problems: list[str] = field(default_factory=list)
    reason: str = ""

    def summary(self) -> str:
        """One line for the terminal."""
        if self.kind == "failed":
            return f"preview: nothing written, the last good site stays ({self.seconds:.2f} s)"
        if self.kind == "unchanged":
            return "preview: nothing changed"
        why = f" ({self.reason})" if self.reason else ""
        return (
            f"preview: {self.kind} build{why}, {len(self.changes.written)} file(s) written, "
            f"{len(self.changes.removed)} removed in {self.seconds:.2f} s"
        )


class Preview:
    """Builds the site once into a private folder, serves a copy, and keeps it up to date.

    `load_settings` returns fresh Pelican settings (it runs again after a settings change);
    `output` is the folder served. A private folder keeps every output of the last good build;
    a step writes there first and copies only changed bytes to `output`, so a failed step leaves
    `output` as it was.
    """

    def __init__(
        self,
        load_settings: Callable[[], dict[str, Any]],
        output: Path,
        *,
        watched: list[Path] | None = None,
        report: TextIO | None = None,
        echo_problems: bool = True,
        workspace: Path | None = None,
    ) -> None:
        self.load_settings = load_settings
        self.output = Path(output).resolve()
        self.report = report if report is not None else sys.stderr
        # Off where Pelican's log handler prints the problems already (the tasks).
        self.echo_problems = echo_problems
        self.extra_watched = [Path(p) for p in watched or []]
        self.state: State | None = None
        self.built: Path | None = None
        self.sources: Sources | None = None
        # Class files that failed to validate since the last good build: while only they change,
        # a step can still start from that build.
        self.invalid: set[Path] = set()
        # The private copy of the site (and runner.build's staging folder beside it).
        self.workspace = Path(tempfile.mkdtemp(prefix="berbagi-preview-", dir=workspace))

    def close(self) -> None:
        """Remove the private build folders."""
        shutil.rmtree(self.workspace, ignore_errors=True)

    def _say(self, text: str) -> None:
        print(text, file=self.report, flush=True)

    def _watch_roots(self, settings: dict[str, Any]) -> list[Path]:
        roots = [Path(settings["PATH"]), Path(settings["THEME"])]
        roots += [Path(path) for path in settings.get("PLUGIN_PATHS") or []]
        roots.append(Path(__file__).resolve().parents[1])  # the kit's own code
        return roots + self.extra_watched

    def full_build(self, reason: str = "") -> Outcome:
        """Build everything into a new private folder; copy changed bytes to the served one."""
        from ..glue import capture, runner
        from ..glue.incremental import State

        began = time.perf_counter()
        try:
            settings = self.load_settings()
        except SettingsError as error:
            return self._failed(error.problems, began)
        if self.sources is None or self.sources.roots != [
            p.resolve() for p in self._watch_roots(settings)
        ]:
            self.sources = Sources(self._watch_roots(settings))
        # Snapshot first: an edit made during the build is seen by the next step.
        self.sources.take()
        # runner.build stages the build beside this folder and moves in only changed files, so it
        # stays one clean full build, and files kept by fingerprint are not drawn again.
        target = self.workspace / "site"
        settings["OUTPUT_PATH"] = str(target)
        settings["CHECK_MODIFIED_METHOD"] = "md5"
        settings["PLUGINS"] = [*settings.get("PLUGINS", []), capture]
        recorded = capture.begin()
        try:
            runner.build(settings)
        except runner.BuildFailed as failure:
            self.state = None
            return self._failed(failure.problems, began)
        finally:
            capture.end()
        self.state = State(
            recorded.pelican,
            recorded.generators,
            recorded.pelican_order,
            recorded.relative_written(),
        )
        self.invalid.clear()
        self.built = target
        changes = mirror(target, self.output)
        return Outcome("full", time.perf_counter() - began, changes, reason=reason)

    def _failed(self, problems: list[str], began: float) -> Outcome:
        if self.echo_problems:
            for line in problems:
                self._say(line)
        outcome = Outcome("failed", time.perf_counter() - began, problems=list(problems))
        self._say(outcome.summary())
        return outcome

    def update(self) -> Outcome:
        """Look for changed sources and bring the served site up to date with them."""
        if self.sources is None:
            return self.full_build("first build")
        diff = self.sources.changes()
        if not diff:
            return Outcome("unchanged")
        return self.apply(diff)

    def apply(self, diff: Diff) -> Outcome:
        """One step for these changed sources: incremental when it is one class, else full."""
        from ..glue.incremental import InvalidEdit, NeedsFullBuild, apply_edit
        from ..glue.runner import ErrorCollector

        began = time.perf_counter()
        edited = set(diff.modified) | self.invalid
        if self.state is None or self.built is None:
            return self.full_build("the last build failed")
        if diff.added or diff.removed:
            return self.full_build("files added or removed")
        if len(edited) != 1:
            return self.full_build(f"{len(edited)} files changed")
        path = next(iter(edited))
        errors = ErrorCollector()
        logging.getLogger().addHandler(errors)
        try:
            files = apply_edit(self.state, str(path), str(self.built))
        except InvalidEdit as invalid:
            self.invalid = {path}
            return self._failed(invalid.problems, began)
        except NeedsFullBuild as reason:
            return self.full_build(f"{path.name}: {reason}")
        except Exception:
            # The build in memory may be half updated: rebuild it from the files.
            logger.exception("preview: %s could not be applied", path)
            return self.full_build("an error in the incremental step")
        finally:
            logging.getLogger().removeHandler(errors)
        if errors.messages:
            # Logged errors make a full build fail; let one say so, with every message.
            return self.full_build("errors were logged")
        self.invalid.clear()
        changes = mirror(self.built, self.output, files.written, tuple(files.removed))
        return Outcome("incremental", time.perf_counter() - began, changes)
