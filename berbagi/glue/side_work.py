"""Files a build writes beside the class pages (the calendars, the share images, the schedule
pages), made in a forked child process while the build renders the class pages, when the machine
has a core to spare.

At 1,000 classes a cold build spends some 2 s on .ics files, share images and the archive,
teacher and venue pages, none of which the class pages read: on two cores that time overlaps the
class pages instead of adding to them. A generator takes part by having `write_files()` and by
leaving that work out of its `generate_output` when `runs_elsewhere(self)` says so; one whose
pages go through Pelican's writer renders them in the child with a writer of its own, and in the
build announces them as written (page_memo.KeepingWriter.announce), so the sitemap lists them
and a second page at the same path still fails as in Pelican.

The child starts when Pelican makes the kit's writer (every generator has read its content by
then), so it sees the same schedule, settings and photo copies as the build. It sends back what
it logged and the fingerprints of what it wrote; the build re-logs the first (an error there
fails the build like any other) and holds the second with its own, so nothing is committed
unless the whole build goes into place. Where forking is not safe (another thread runs, as in
the preview or a test worker; one core; no fork on the system) each generator does its own work.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals

from . import output

logger = logging.getLogger(__name__)


@dataclass
class _Child:
    pid: int
    pipe: int
    generators: set[int] = field(default_factory=set)


@dataclass
class _Result:
    records: list[tuple[str, int, str]]
    fingerprints: list[tuple[Path, str, Path, Path | None, dict[str, Any]]]


_generators: list[Any] = []
_child: _Child | None = None
_in_child = False  # the worker itself starts no worker of its own


def _spare_core() -> bool:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores > 1


def can_fork() -> bool:
    """Whether a child can safely do side work now: a full build of the runner (whose
    fingerprints are committed once in place), one thread only, and a second core."""
    return (
        hasattr(os, "fork") and output.holding() and threading.active_count() == 1 and _spare_core()
    )


def keep_generators(generators: list[Any]) -> None:
    """Remember this build's generators (Pelican hands them over only here)."""
    _generators[:] = list(generators)


def _side_generators() -> list[Any]:
    return [generator for generator in _generators if hasattr(generator, "write_files")]


class _Buffer(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.records.append((record.name, record.levelno, record.getMessage()))


def _work_in_child(generators: Iterable[Any], pipe: int) -> None:
    global _in_child
    _in_child = True
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)  # the build prints what the child logs, once
    buffer = _Buffer()
    root.addHandler(buffer)
    held: list[output.Fingerprints] = []
    try:
        with output.holding_fingerprints() as held:
            for generator in generators:
                generator.write_files()
    except BaseException:
        buffer.records.append((__name__, logging.ERROR, traceback.format_exc()))
    fingerprints = [(f.path, f.version, f.output_path, f.previous_output, f.current) for f in held]
    data = pickle.dumps(_Result(buffer.records, fingerprints))
    with os.fdopen(pipe, "wb") as stream:
        stream.write(data)


def start() -> None:
    """Called as the kit's writer is made (every generator has read its content by then, and
    the pages go through that writer): fork the child that writes the side files, if it can be
    done safely."""
    global _child
    abandon()
    generators = _side_generators()
    if not generators or not can_fork():
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            os.close(read_end)
            _work_in_child(generators, write_end)
        except BaseException:
            code = 1
        finally:
            os._exit(code)  # no atexit handlers, no cleanup of the parent's files
    os.close(write_end)
    _child = _Child(pid, read_end, {id(generator) for generator in generators})


def runs_elsewhere(generator: Any) -> bool:
    """Whether the child writes this generator's files (its generate_output leaves them out)."""
    return _child is not None and id(generator) in _child.generators


def _read_all(pipe: int) -> bytes:
    with os.fdopen(pipe, "rb") as stream:
        return stream.read()


def finish() -> None:
    """Wait for the child; log what it logged, and hold its fingerprints with the build's."""
    global _child
    child, _child = _child, None
    _generators.clear()
    if child is None:
        return
    data = _read_all(child.pipe)
    _, status = os.waitpid(child.pid, 0)
    try:
        result: _Result = pickle.loads(data)
    except Exception:
        logger.error(
            "berbagi: the calendars and share images were not written (the worker ended with "
            "status %s before it reported)",
            os.waitstatus_to_exitcode(status),
        )
        return
    for name, level, message in result.records:
        logging.getLogger(name).log(level, "%s", message)
    for path, version, output_path, previous_output, current in result.fingerprints:
        fingerprints = output.Fingerprints(path, version, output_path, previous_output)
        fingerprints.current = current
        fingerprints.save()


def abandon() -> None:
    """Stop a child a failed build left behind (its files go with the failed build)."""
    global _child
    child, _child = _child, None
    if child is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(child.pid, signal.SIGKILL)
    os.waitpid(child.pid, 0)
    os.close(child.pipe)


def finish_at_the_end(pelican_object: Any) -> None:
    """Pelican's last signal: the child's errors must be logged before anyone judges the build
    by its log (the announce plan does, in its own `finalized` receiver: it calls `finish`)."""
    finish()


def register() -> None:
    """Connect the side work; the core's register() calls this."""
    signals.all_generators_finalized.connect(keep_generators)
    signals.finalized.connect(finish_at_the_end)
