"""Running the preview: a polling loop (`invoke regenerate`) and a livereload watcher."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .process import Outcome, Preview

# Checking some thousand files' times takes a few milliseconds; a tenth of a second between
# checks keeps an edit's wait short without keeping a core busy.
POLL_SECONDS = 0.1


def _say(preview: Preview, outcome: Outcome) -> None:
    if outcome.kind not in ("unchanged", "failed"):  # a failure has said so already
        print(outcome.summary(), file=preview.report, flush=True)


def first_build(preview: Preview) -> Outcome:
    """The preview's first full build, reported on one line."""
    outcome = preview.full_build("first build")
    _say(preview, outcome)
    return outcome


def watch(
    preview: Preview, interval: float = POLL_SECONDS, stop: Callable[[], bool] | None = None
) -> None:
    """Build once, then bring the site up to date after every change until `stop()` (or Ctrl+C)."""
    first_build(preview)
    while stop is None or not stop():
        _say(preview, preview.update())
        time.sleep(interval)


def livereload_watcher(preview: Preview, interval: float = POLL_SECONDS) -> Any:
    """A watcher for livereload's Server: the preview finds the changes and brings the site up
    to date; the browser reloads only after a step that wrote something, once it is written."""
    from livereload.watcher import Watcher  # type: ignore[import-untyped]
    from tornado.ioloop import PeriodicCallback

    class PreviewWatcher(Watcher):  # type: ignore[misc]
        def examine(self) -> tuple[str | None, None]:
            outcome = preview.update()
            _say(preview, outcome)
            pages = [p for p in outcome.changes.written if p.endswith(".html")]
            changed = outcome.changes.written or outcome.changes.removed
            # livereload.js reloads the page for any path but a stylesheet or an image.
            self.filepath = (pages[0] if pages else "*") if changed else None
            return self.filepath, None

        def start(self, callback: Callable[[], None]) -> bool:
            # livereload's own loop looks every 0.8 s; look as often as the polling loop does.
            PeriodicCallback(callback, interval * 1000).start()
            return True

    return PreviewWatcher()
