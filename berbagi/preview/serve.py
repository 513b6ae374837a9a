"""Running the preview: a polling loop (`invoke regenerate`) and a livereload watcher."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .process import Outcome, Preview
from .sources import ChangeAlarm

# The longest wait between a change and the look at it where the file system reports nothing
# (while the alarm warms up, or cannot watch); where it reports, the look follows at once.
POLL_SECONDS = 0.1


def _say(preview: Preview, outcome: Outcome) -> None:
    if outcome.kind not in ("unchanged", "failed"):  # a failure has said so already
        print(outcome.summary(), file=preview.report, flush=True)


def first_build(preview: Preview) -> Outcome:
    """The preview's first full build, reported on one line."""
    outcome = preview.full_build("first build")
    _say(preview, outcome)
    return outcome


class Alarm:
    """The preview's `ChangeAlarm`, following its watched folders (a full build after a change
    of settings may watch others)."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self._alarm: ChangeAlarm | None = None

    def _current(self) -> ChangeAlarm | None:
        sources = self.preview.sources
        if sources is None:
            return None
        if self._alarm is None or self._alarm.roots != sources.roots:
            self.close()
            self._alarm = ChangeAlarm(sources.roots)
        return self._alarm

    def wait(self, interval: float) -> bool:
        """Wait for a reason to look (at most `interval`); whether to call `update()` now."""
        alarm = self._current()
        if alarm is None:
            time.sleep(interval)
            return True
        return alarm.wait(interval)

    def due(self) -> bool:
        """Whether to call `update()` now, without waiting."""
        alarm = self._current()
        return alarm is None or alarm.due()

    def close(self) -> None:
        """Stop watching."""
        if self._alarm is not None:
            self._alarm.close()
            self._alarm = None


def watch(
    preview: Preview, interval: float = POLL_SECONDS, stop: Callable[[], bool] | None = None
) -> None:
    """Build once, then bring the site up to date after every change until `stop()` (or Ctrl+C)."""
    first_build(preview)
    alarm = Alarm(preview)
    try:
        while stop is None or not stop():
            if alarm.wait(interval):
                _say(preview, preview.update())
    finally:
        alarm.close()


def livereload_watcher(preview: Preview, interval: float = POLL_SECONDS) -> Any:
    """A watcher for livereload's Server: the preview finds the changes and brings the site up
    to date; the browser reloads only after a step that wrote something, once it is written."""
    from livereload.watcher import Watcher  # type: ignore[import-untyped]
    from tornado.ioloop import PeriodicCallback

    alarm = Alarm(preview)

    class PreviewWatcher(Watcher):  # type: ignore[misc]
        def examine(self) -> tuple[str | None, None]:
            outcome = preview.update() if alarm.due() else Outcome("unchanged")
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
