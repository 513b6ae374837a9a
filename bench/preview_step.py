"""Profiles one incremental preview step (one edited class) with cProfile, in CPU time.

Builds the generated site once in this process with the preview, then edits the same past class
`--steps` times, profiling each step (the step itself and the copy into the served folder):

    .venv/bin/python bench/preview_step.py --size 5000 --steps 5
    .venv/bin/python bench/preview_step.py --size 5000 --steps 8 --no-profile --root OTHER
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# `--root DIR` profiles another checkout of the kit (its package is imported first).
ROOT = (
    Path(sys.argv[sys.argv.index("--root") + 1]).resolve() if "--root" in sys.argv else BENCH.parent
)
sys.path.insert(0, str(ROOT))

from generate import BENCH_NOW, generate  # noqa: E402

from berbagi.glue import runner  # noqa: E402
from berbagi.preview import Preview  # noqa: E402


def main() -> None:
    """Command line: `--size N --steps K [--top T] [--profile FILE]`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--profile", type=Path, default=BENCH / "results" / "preview-step.prof")
    parser.add_argument("--no-profile", action="store_true", help="only time the steps")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout of the kit to run")
    args = parser.parse_args()
    os.environ["BERBAGI_NOW"] = BENCH_NOW
    with tempfile.TemporaryDirectory(prefix="berbagi-step-") as scratch:
        content = Path(scratch, "content")
        classes = generate(content, args.size)
        edited = classes[len(classes) // 2]
        overrides = {"PATH": str(content), "CACHE_PATH": str(Path(scratch, "cache"))}
        preview = Preview(
            lambda: runner.load_settings(str(ROOT / "pelicanconf.py"), overrides),
            Path(scratch, "output"),
            workspace=Path(scratch),
        )
        try:
            print(preview.full_build("first build").summary(), flush=True)
            profiler = cProfile.Profile(time.process_time)
            cpu, wall = [], []
            for index in range(args.steps):
                with edited.open("a", encoding="utf-8") as file:
                    file.write(f"\n\nbench-step-{index}\n")
                began, began_cpu = time.perf_counter(), time.process_time()
                if not args.no_profile:
                    profiler.enable()
                outcome = preview.update()
                if not args.no_profile:
                    profiler.disable()
                wall.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
                print(outcome.summary(), f"cpu {cpu[-1]:.3f} s", flush=True)
                assert outcome.kind == "incremental", outcome.reason
        finally:
            preview.close()
    print(
        f"\n{args.size} classes, {args.steps} steps: wall median {statistics.median(wall):.3f} s"
        f" ({min(wall):.3f}-{max(wall):.3f}), CPU median {statistics.median(cpu):.3f} s"
        f" ({min(cpu):.3f}-{max(cpu):.3f}); load {os.getloadavg()[0]:.2f}; code {ROOT}"
    )
    if not args.no_profile:
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(args.profile))
        stats = pstats.Stats(str(args.profile))
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
