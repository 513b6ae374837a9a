"""Chapter sites on 127.0.0.1 for the national tests: real HTTP, with ETags and 304s, and
chapters that misbehave on purpose (slow, HTML instead of a calendar, cut short, stopped)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from berbagi.national import loopback

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "national"


@dataclass
class Request:
    path: str
    if_none_match: str | None
    status: int


@dataclass
class Behaviour:
    """What each chapter (URL prefix) does this build: 'ok', 'slow', or a file served instead."""

    modes: dict[str, str] = field(default_factory=dict)
    substitutes: dict[str, Path] = field(default_factory=dict)
    delay: float = 2.0
    log: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requests_for(self, prefix: str) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.path.startswith(f"/{prefix}/")]


def handler_for(behaviour: Behaviour) -> type[loopback.FolderHandler]:
    class Handler(loopback.FolderHandler):
        status = 0

        def send_response(self, code, message=None):
            self.status = code
            super().send_response(code, message)

        def do_GET(self):
            prefix = self.path.lstrip("/").split("/", 1)[0]
            mode = behaviour.modes.get(prefix, "ok")
            if mode == "slow":
                time.sleep(behaviour.delay)
            substitute = behaviour.substitutes.get(prefix)
            if substitute is not None and self.path.endswith(".ics"):
                self.send_body(200, substitute.read_bytes(), {"Content-Type": "text/html"})
            else:
                super().do_GET()
            with behaviour.lock:
                behaviour.log.append(
                    Request(self.path, self.headers.get("If-None-Match"), self.status)
                )

    return Handler


def chapter_folder(root: Path, chapter_id: str, calendar: Path, feed: Path | None = None) -> Path:
    """A chapter's files laid out as the kit publishes them (calendar.ics, feeds/...)."""
    folder = root / chapter_id
    (folder / "feeds").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(calendar, folder / "calendar.ics")
    if feed is not None:
        shutil.copyfile(feed, folder / "feeds" / "classes.atom.xml")
    return folder


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused."""
    with socket.socket() as probe:
        probe.bind((loopback.LOOPBACK, 0))
        return int(probe.getsockname()[1])


class StoppableSite:
    """One chapter's own server, which a test stops and starts again on the same port."""

    def __init__(self, folders: dict[str, Path], behaviour: Behaviour) -> None:
        self.folders, self.behaviour = folders, behaviour
        self.port = closed_port()
        self._stack: ExitStack | None = None

    @property
    def base(self) -> str:
        return f"http://{loopback.LOOPBACK}:{self.port}"

    def start(self) -> None:
        self._stack = ExitStack()
        self._stack.enter_context(
            loopback.serve(self.folders, self.port, handler_for(self.behaviour))
        )

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None


@contextmanager
def serving(folders: dict[str, Path], behaviour: Behaviour) -> Iterator[str]:
    with loopback.serve(folders, 0, handler_for(behaviour)) as base:
        yield base
