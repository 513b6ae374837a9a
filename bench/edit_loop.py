"""Times the edit-to-visible loop: Berbagi's preview, plain `pelican -r` and `hugo server`.

Each loop watches its own copy of the same generated classes. Rounds are interleaved: in each
round every loop gets the same one-line edit of the same class (the order alternates), and the
time until the edited page holds the new line is measured ("visible"), and until the loop says
its build is done ("done"). Ratios are taken per round (paired), and reported with their spread.
Resident memory of each watcher is read after every edit.

    .venv/bin/python bench/edit_loop.py --sizes 100 1000 --rounds 20
    .venv/bin/python bench/edit_loop.py --sizes 1000 --rounds 100 --loops berbagi --trace-memory
    .venv/bin/python bench/edit_loop.py --sizes 1000 --loops berbagi before --before-root DIR
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generate import BENCH_NOW, generate

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
LOOPS = ("berbagi", "pelican", "hugo", "before")
DONE_LINE = {
    "berbagi": re.compile(r"^preview: (incremental|full) build"),
    "pelican": re.compile(r"Done: Processed"),
    "before": re.compile(r"Done: Processed"),
    "hugo": re.compile(r"^(Total|Built) in \d+ ms"),
}
POLL = 0.005  # how often the edited page is read
STARTUP = 2.0
SETTLE = 0.4  # pause after each measured edit, so no loop folds two edits into one build
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "300"))
VISIBLE_TARGET = 0.5  # seconds, Berbagi's preview at 1,000 classes (median)


@dataclass
class Loop:
    """One running watcher with its content copy, its edited page and the lines it printed."""

    name: str
    process: subprocess.Popen[str]
    source: Path
    page: Path | None = None
    lines: queue.Queue[tuple[float, str]] = field(default_factory=queue.Queue)
    visible: list[float] = field(default_factory=list)
    done: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    traced_mb: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)  # the preview's CPU seconds per step


def _read_lines(loop: Loop) -> None:
    assert loop.process.stdout is not None
    for line in loop.process.stdout:
        loop.lines.put((time.perf_counter(), line.rstrip()))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait_line(loop: Loop, after: float, timeout: float = TIMEOUT) -> tuple[float, str]:
    deadline = time.perf_counter() + timeout
    seen: list[str] = []
    while time.perf_counter() < deadline:
        if loop.process.poll() is not None:
            raise RuntimeError(f"{loop.name} stopped with code {loop.process.returncode}")
        try:
            moment, line = loop.lines.get(timeout=0.05)
        except queue.Empty:
            continue
        seen = [*seen[-5:], line]
        if moment >= after and DONE_LINE[loop.name].search(line):
            if loop.name == "berbagi" and (found := re.search(r"traced_bytes=(\d+)", line)):
                loop.traced_mb.append(int(found.group(1)) / 2**20)
            if loop.name == "berbagi" and (found := re.search(r"cpu_s=([\d.]+)", line)):
                loop.cpu_s.append(float(found.group(1)))
            return moment, line
    raise TimeoutError(f"{loop.name}: no build done within {timeout} s; last lines: {seen}")


def _hugo_content(classes: Path, target: Path) -> None:
    """The same classes as Hugo pages: the title and date as front matter, the same body."""
    (target / "content" / "kelas").mkdir(parents=True)
    (target / "layouts" / "_default").mkdir(parents=True)
    layout = "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}"
    listing = (
        "<!doctype html><title>{{ .Title }}</title><ul>{{ range .Pages }}"
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ .Summary }}</li>{{ end }}</ul>'
    )
    (target / "layouts" / "_default" / "single.html").write_text(layout)
    (target / "layouts" / "_default" / "list.html").write_text(listing)
    (target / "layouts" / "index.html").write_text(listing)
    (target / "config.toml").write_text(
        'baseURL = "http://localhost/"\ntitle = "Bench"\ndisableKinds = ["RSS"]\n'
    )
    for path in sorted(classes.glob("*.md")):
        header, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        meta = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
        start = meta["Start"].replace(" ", "T") + ":00+07:00"
        tags = ", ".join(f'"{t.strip()}"' for t in meta.get("Tags", "").split(",") if t.strip())
        title = meta["Title"].replace('"', '\\"')
        front = f'---\ntitle: "{title}"\ndate: {start}\ntags: [{tags}]\n---\n\n'
        (target / "content" / "kelas" / path.name).write_text(front + body, encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(
    name: str, content: Path, work: Path, trace_memory: bool = False, before: Path | None = None
) -> Loop:
    env = {**os.environ, "BERBAGI_NOW": BENCH_NOW, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    output, cache = work / "output", work / "cache"
    if name == "berbagi":
        command = [
            sys.executable,
            str(BENCH / "preview_child.py"),
            f"--content={content}",
            f"--output={output}",
            f"--cache={cache}",
            # tracemalloc slows Python several times over: only for the memory run.
            *(["--trace-memory"] if trace_memory else []),
        ]
        source = content / "classes"
    elif name == "pelican":
        settings = work / "plainconf.py"
        settings.write_text(
            f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(output)!r}\nCACHE_PATH = {str(cache)!r}\n"
            "CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\nPLUGINS = []\n"
            'TIMEZONE = "Asia/Jakarta"\n'
        )
        command = [sys.executable, "-m", "pelican", "-r", "-s", str(settings)]
        source = content / "classes"
    elif name == "before":
        # What `invoke regenerate` ran before the preview: `pelican -r` with the kit's settings,
        # on another checkout of the kit (--before-root), whose package is imported first.
        assert before is not None, "--before-root is needed for the 'before' loop"
        env["PYTHONPATH"] = str(before)
        command = [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-r",
            "-s",
            str(before / "pelicanconf.py"),
            "-o",
            str(output),
            "--cache-path",
            str(cache),
        ]
        source = content / "classes"
    else:
        site = work / "hugo"
        _hugo_content(content / "classes", site)
        command = [
            "hugo",
            "server",
            "--renderToDisk",
            "--disableFastRender",
            "--disableLiveReload",
            "--bind=127.0.0.1",
            f"--port={_free_port()}",
            f"--source={site}",
            f"--destination={output}",
        ]
        source = site / "content" / "kelas"
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    loop = Loop(name, process, source)
    threading.Thread(target=_read_lines, args=(loop,), daemon=True).start()
    return loop


def _find_page(output: Path, marker: str) -> Path:
    """The one page of a class: the HTML file holding the marker that is not a list of many."""
    found = []
    for path in output.rglob("*.html"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if marker in text:
            found.append((text.count("<h2") + text.count("<li"), len(str(path)), path))
    if not found:
        raise RuntimeError(f"no page in {output} shows {marker}")
    return min(found)[2]


def _wait_visible(page: Path, marker: str, began: float) -> float:
    deadline = began + TIMEOUT
    while time.perf_counter() < deadline:
        try:
            if marker in page.read_text(encoding="utf-8", errors="replace"):
                return time.perf_counter() - began
        except FileNotFoundError:
            pass
        time.sleep(POLL)
    raise TimeoutError(f"{page} never showed {marker}")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "min": min(values),
        "median": statistics.median(values),
        "max": max(values),
        "n": len(values),
    }


def bench_size(
    size: int,
    rounds: int,
    loops: list[str],
    scratch: Path,
    trace_memory: bool = False,
    before: Path | None = None,
) -> dict[str, Any]:
    """Start every loop on `size` classes, then run `rounds` interleaved one-line edits."""
    content = scratch / f"content-{size}"
    classes = generate(content, size)
    edited = classes[len(classes) // 2].name  # a past class in the middle, as bench/run.py
    running: list[Loop] = []
    try:
        for name in loops:
            work = scratch / f"{name}-{size}"
            work.mkdir()
            copy = work / "content"
            shutil.copytree(content, copy)
            began = time.perf_counter()
            loop = _start(name, copy, work, trace_memory, before)
            running.append(loop)
            _wait_line(loop, began)
            time.sleep(STARTUP)  # pelican -r sets up its watcher only after the first build
            anchor = f"bench-anchor-{name}"
            # The anchor edit also finds the page the class is written to.
            began = time.perf_counter()
            _append(loop.source / edited, f"\n\n{anchor}\n")
            _wait_line(loop, began)
            loop.page = _find_page(work / "output", anchor)
            print(f"  {size}: {name} watching {loop.page.relative_to(work)}", flush=True)
            time.sleep(SETTLE)
        for index in range(rounds):
            order = running if index % 2 == 0 else list(reversed(running))
            for loop in order:
                assert loop.page is not None
                marker = f"bench-edit-{index}-{loop.name}"
                began = time.perf_counter()
                _append(loop.source / edited, f"\n{marker}\n")
                loop.visible.append(_wait_visible(loop.page, marker, began))
                moment, _ = _wait_line(loop, began)
                loop.done.append(moment - began)
                loop.rss_mb.append(_rss_mb(loop.process.pid))
                time.sleep(SETTLE)
            if (index + 1) % 10 == 0:
                print(f"  {size}: round {index + 1}/{rounds}", flush=True)
    finally:
        for loop in running:
            loop.process.terminate()
            try:
                loop.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                loop.process.kill()
    report: dict[str, Any] = {"size": size, "rounds": rounds, "edited_file": edited, "loops": {}}
    for loop in running:
        report["loops"][loop.name] = {
            "visible_s": _spread(loop.visible),
            "done_s": _spread(loop.done),
            "rss_mb_first": loop.rss_mb[0],
            "rss_mb_last": loop.rss_mb[-1],
            "rss_mb_per_100_edits": (loop.rss_mb[-1] - loop.rss_mb[0]) * 100 / max(1, rounds - 1),
            "traced_mb_first": loop.traced_mb[0] if loop.traced_mb else None,
            "traced_mb_last": loop.traced_mb[-1] if loop.traced_mb else None,
            # The first entries are the first build and the anchor edit: steps are the rest.
            "step_cpu_s": _spread(loop.cpu_s[2:]) if len(loop.cpu_s) > 2 else None,
            "runs": {"visible_s": loop.visible, "done_s": loop.done, "rss_mb": loop.rss_mb},
        }
    names = [loop.name for loop in running]
    if "berbagi" in names:
        berbagi = report["loops"]["berbagi"]["runs"]["visible_s"]
        report["paired_visible_ratio"] = {
            other: _spread(
                [
                    b / o
                    for b, o in zip(
                        berbagi, report["loops"][other]["runs"]["visible_s"], strict=True
                    )
                ]
            )
            for other in names
            if other != "berbagi"
        }
    return report


def print_report(report: dict[str, Any]) -> None:
    """A table per size: visible and done (min/median/max), memory, paired ratios."""
    size, rounds, edited = report["size"], report["rounds"], report["edited_file"]
    print(f"\n{size} classes, {rounds} interleaved edits of {edited}")
    header = f"{'visible s (min/med/max)':>26} {'done s (med)':>13} {'RSS MB first->last':>19}"
    print(f"{'loop':<8} {header}")
    for name, row in report["loops"].items():
        v, d = row["visible_s"], row["done_s"]
        traced = (
            f"  traced {row['traced_mb_first']:.1f}->{row['traced_mb_last']:.1f} MB"
            if row["traced_mb_first"] is not None
            else ""
        )
        print(
            f"{name:<8} {v['min']:>8.3f}/{v['median']:.3f}/{v['max']:.3f} {d['median']:>13.3f} "
            f"{row['rss_mb_first']:>9.1f}->{row['rss_mb_last']:.1f}{traced}"
        )
    cpu = report["loops"].get("berbagi", {}).get("step_cpu_s")
    if cpu:
        print(
            f"berbagi CPU per step: median {cpu['median']:.3f} s "
            f"(min {cpu['min']:.3f}, max {cpu['max']:.3f}, n={cpu['n']})"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    for other, spread in report.get("paired_visible_ratio", {}).items():
        print(
            f"paired visible ratio berbagi/{other}: median {spread['median']:.3f} "
            f"(min {spread['min']:.3f}, max {spread['max']:.3f}, n={spread['n']})"
        )


def main() -> None:
    """Command line: `python bench/edit_loop.py --sizes 100 1000 [--rounds N] [--loops ...]`."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--loops", nargs="+", choices=LOOPS, default=list(LOOPS[:3]))
    parser.add_argument(
        "--before-root",
        type=Path,
        help="a checkout of the kit before the preview (e.g. `git archive 417c45d`), for 'before'",
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="also report the preview's tracemalloc bytes per edit (slows it several times)",
    )
    args = parser.parse_args()
    loops = [name for name in args.loops if name != "hugo" or shutil.which("hugo")]
    if len(loops) < len(args.loops):
        print("hugo is not installed (Debian: apt-get install hugo); it is left out")
    args.results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="berbagi-edit-loop-") as scratch:
        for size in args.sizes:
            report = bench_size(
                size, args.rounds, loops, Path(scratch), args.trace_memory, args.before_root
            )
            path = args.results / f"edit-loop-{size}.json"
            path.write_text(json.dumps(report, indent=2), encoding="utf-8")
            print_report(report)
            print(f"written: {path}")


if __name__ == "__main__":
    main()
