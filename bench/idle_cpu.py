"""CPU time a watcher uses while nobody edits: the preview (bench/preview_child.py) on N
generated classes, read from /proc/PID/stat over a window after its first build.

    .venv/bin/python bench/idle_cpu.py --size 5000 --seconds 60
    .venv/bin/python bench/idle_cpu.py --size 5000 --root OTHER_CHECKOUT   # another version
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import BENCH_NOW, generate

BENCH = Path(__file__).resolve().parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def main() -> None:
    """Command line: `--size N --seconds S [--root DIR]`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--root", type=Path, default=BENCH.parent, help="checkout to run")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="berbagi-idle-"))
    try:
        content = scratch / "content"
        generate(content, args.size)
        env = {**os.environ, "BERBAGI_NOW": BENCH_NOW, "PYTHONPATH": str(args.root)}
        child = subprocess.Popen(
            [
                sys.executable,
                str(args.root / "bench" / "preview_child.py"),
                f"--content={content}",
                f"--output={scratch / 'output'}",
                f"--cache={scratch / 'cache'}",
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("preview: full build"):
                break
        time.sleep(3)  # past the alarm's warm-up
        before, began = cpu_seconds(child.pid), time.monotonic()
        time.sleep(args.seconds)
        used, wall = cpu_seconds(child.pid) - before, time.monotonic() - began
        child.terminate()
        child.wait(timeout=30)
        print(
            f"{args.size} classes, {args.root}: {used:.2f} s CPU in {wall:.0f} s idle "
            f"({100 * used / wall:.1f} % of a core); load {os.getloadavg()[0]:.2f}"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
