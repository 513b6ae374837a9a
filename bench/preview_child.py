"""Runs the Berbagi preview process on generated content, as `invoke regenerate` does.

Started by bench/edit_loop.py; prints one line per step (the parent times them) and, with
--trace-memory, the bytes tracemalloc holds after each step.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from berbagi.glue import runner  # noqa: E402
from berbagi.preview import Outcome, Preview  # noqa: E402
from berbagi.preview.serve import POLL_SECONDS, Alarm  # noqa: E402


def main() -> None:
    """Command line: `--content DIR --output DIR --cache DIR [--trace-memory]`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--trace-memory", action="store_true")
    args = parser.parse_args()
    if args.trace_memory:
        tracemalloc.start()
    # The bench ends the child with SIGTERM: leave through `finally`, removing the private folder.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    overrides = {"PATH": args.content, "CACHE_PATH": args.cache}
    preview = Preview(
        lambda: runner.load_settings(str(ROOT / "pelicanconf.py"), overrides),
        args.output,
        report=sys.stdout,
    )
    alarm = Alarm(preview)
    try:
        # The loop of berbagi.preview.serve.watch, with the step's memory on its line.
        began = time.process_time()
        outcome = preview.full_build("first build")
        while True:
            if outcome.kind != "unchanged":
                traced = (
                    f" traced_bytes={tracemalloc.get_traced_memory()[0]}"
                    if args.trace_memory
                    else ""
                )
                # The step's own CPU time: what it costs whatever else the machine runs.
                cpu = f" cpu_s={time.process_time() - began:.4f}"
                print(outcome.summary() + traced + cpu, flush=True)
            looking = alarm.wait(POLL_SECONDS)
            began = time.process_time()
            outcome = preview.update() if looking else Outcome("unchanged")
    except KeyboardInterrupt:
        pass
    finally:
        alarm.close()
        preview.close()


if __name__ == "__main__":
    main()
