"""Times the national site at scale: 40 chapters x 1,000 classes, served on 127.0.0.1, against
the same 40,000 classes built as one big chapter site.

    .venv/bin/python bench/national.py [--chapters 40] [--classes 1000] [--runs 3] [--big-runs 1]
        [--whole-archive]

The classes are bench/generate.py's class files; each chapter's calendar.ics and Atom feed are
made from them with the kit's own renderers (in its own zone: WIB, WITA or WIT), and the national
build fetches them over HTTP like any chapter's. The national calendar keeps the default
window (the last 30 days and on); --whole-archive makes it keep all 40,000 classes, its worst
case. Figures: median of --runs, with min and max.
Cold: no last good copies (every file downloaded and read); warm: every chapter answers 304.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402  (bench/generate.py)

from berbagi import classfile  # noqa: E402
from berbagi.glue import runner  # noqa: E402
from berbagi.model import Chapter, build_class  # noqa: E402
from berbagi.national import loopback  # noqa: E402
from berbagi.render.feeds import FeedSite, latest_entries, render_atom  # noqa: E402
from berbagi.render.ical import CalendarSite, render_calendar  # noqa: E402

WORK = ROOT / "bench" / "work" / "national"
RESULTS = ROOT / "bench" / "results"
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Asia/Pontianak")


def chapter_id(index: int) -> str:
    return f"kota-{index + 1:02d}"


def make_chapters(chapters: int, classes: int) -> tuple[Path, Path]:
    """The big site's content folder (chapters x classes files) and every chapter's published
    files, made once per size and kept in bench/work/national/."""
    folder = WORK / f"{chapters}x{classes}"
    content, served = folder / "content", folder / "served"
    if (folder / "done").exists():
        return content, served
    shutil.rmtree(folder, ignore_errors=True)
    files = generate.generate(content, chapters * classes, now=generate.BENCH_NOW)
    files = sorted(files)
    for index in range(chapters):
        zone = ZoneInfo(ZONES[index % len(ZONES)])
        cid = chapter_id(index)
        site_url = f"https://{cid}.akademiberbagi.example"
        events = []
        for path in files[index::chapters]:
            parsed = classfile.read(path.read_bytes(), f"content/classes/{path.name}")
            event, problems = build_class({"tags": []}, parsed.path, parsed, zone)
            assert event is not None, problems
            events.append(
                replace(
                    event, page_path=f"kelas/{event.slug}/", url=f"{site_url}/kelas/{event.slug}/"
                )
            )
        name = f"Akademi Berbagi Kota {index + 1}"
        calendar_site = CalendarSite(
            domain=f"{cid}.akademiberbagi.example",
            zone=zone,
            organizer_name=name,
            organizer_email=f"halo@{cid}.akademiberbagi.example",
            name=f"Kelas {name}",
        )
        chapter = Chapter(
            name=name,
            short_name=name,
            city=f"Kota {index + 1}",
            twitter="akber",
            hashtag="akber",
            domain=f"{cid}.akademiberbagi.example",
            site_url=site_url,
        )
        feed_site = FeedSite(
            domain=chapter.domain,
            id_year=2011,
            home_url=site_url + "/",
            title=f"Kelas {name}",
            subtitle=name,
            author=name,
            atom_url=f"{site_url}/feeds/classes.atom.xml",
            rss_url=f"{site_url}/feeds/classes.rss.xml",
            chapter=chapter,
        )
        target = served / cid
        (target / "feeds").mkdir(parents=True, exist_ok=True)
        (target / "calendar.ics").write_bytes(render_calendar(events, calendar_site))
        atom = render_atom(latest_entries(events, 50), feed_site)
        (target / "feeds" / "classes.atom.xml").write_bytes(atom)
        print(f"  {cid}: {len(events)} classes, {zone}", flush=True)
    (folder / "done").write_text("ok\n")
    return content, served


def national_settings(base: str, chapters: int, work: Path, whole_archive: bool) -> dict:
    entries = [
        {
            "id": chapter_id(index),
            "name": f"Akademi Berbagi Kota {index + 1}",
            "city": f"Kota {index + 1}",
            "timezone": ZONES[index % len(ZONES)],
            "site_url": f"https://{chapter_id(index)}.akademiberbagi.example",
            "calendar_url": f"{base}/{chapter_id(index)}/calendar.ics",
            "feed_url": f"{base}/{chapter_id(index)}/feeds/classes.atom.xml",
        }
        for index in range(chapters)
    ]
    return runner.load_settings(
        str(ROOT / "nationalconf.py"),
        {
            "OUTPUT_PATH": str(work / "output"),
            "CACHE_PATH": str(work / "cache"),
            "CLASS_SCHEDULE": {"now": generate.BENCH_NOW},
            "NATIONAL_SITE": {
                "chapters": entries,
                "timeout_seconds": 60,
                # The default keeps 30 days of past classes; the whole archive is the worst case.
                **({"days_past": 36_600} if whole_archive else {}),
            },
        },
    )


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the calendar readers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_national(
    served: Path, chapters: int, runs: int, whole_archive: bool
) -> dict[str, list[float]]:
    """Seconds of each cold and each warm national build (in this process)."""
    work = WORK / "national-build"
    found: dict[str, list[float]] = {"cold": [], "warm": [], "cold_cpu": [], "warm_cpu": []}
    folders = {chapter_id(index): served / chapter_id(index) for index in range(chapters)}
    with loopback.serve(folders) as base:
        for _ in range(runs):
            shutil.rmtree(work, ignore_errors=True)
            for kind in ("cold", "warm"):
                settings = national_settings(base, chapters, work, whole_archive)
                began, cpu = time.perf_counter(), cpu_seconds()
                runner.build(settings)
                found[kind].append(time.perf_counter() - began)
                found[f"{kind}_cpu"].append(cpu_seconds() - cpu)
    events = (work / "output" / "calendar.ics").read_bytes().count(b"BEGIN:VEVENT")
    found["events_in_national_calendar"] = [float(events)]
    return found


def time_big_site(content: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds of a cold build of all the classes as one chapter site (bench/build_once.py in
    a fresh interpreter, as bench/run.py does)."""
    seconds, cpu = [], []
    for _ in range(runs):
        work = WORK / "big-site"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        command = [
            sys.executable,
            str(ROOT / "bench" / "build_once.py"),
            "--site=berbagi",
            f"--content={content}",
            f"--output={work / 'output'}",
            f"--cache={work / 'cache'}",
            f"--result={work / 'result.json'}",
        ]
        env = {**os.environ, "BERBAGI_NOW": generate.BENCH_NOW, "PYTHONHASHSEED": "0"}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"big site build failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        seconds.append(json.loads((work / "result.json").read_text())["build_s"])
    return seconds, cpu


def figures(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):6.1f} s  min {min(values):6.1f} s  "
        f"max {max(values):6.1f} s  (n={len(values)})"
    )


def main() -> None:
    """Make the chapters once, then time the national build and the one big site."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chapters", type=int, default=40)
    parser.add_argument("--classes", type=int, default=1000, help="per chapter")
    parser.add_argument("--runs", type=int, default=3, help="national builds, cold and warm")
    parser.add_argument("--big-runs", type=int, default=1, help="0 skips the one big site")
    parser.add_argument(
        "--whole-archive",
        action="store_true",
        help="the national calendar keeps every class, not only the last 30 days and on",
    )
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"Making {args.chapters} chapters x {args.classes} classes (kept in {WORK})", flush=True)
    began = time.perf_counter()
    content, served = make_chapters(args.chapters, args.classes)
    print(f"  ready in {time.perf_counter() - began:.0f} s", flush=True)
    national = time_national(served, args.chapters, args.runs, args.whole_archive)
    big, big_cpu = time_big_site(content, args.big_runs) if args.big_runs else ([], [])
    total = args.chapters * args.classes
    print()
    print(f"{args.chapters} chapters x {args.classes} classes = {total:,} classes")
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"national build, cold (download, read, write): {figures(national['cold'])}")
    print(f"  CPU time (all processes):                   {figures(national['cold_cpu'])}")
    print(f"national build, warm (every chapter 304):     {figures(national['warm'])}")
    print(f"  CPU time (all processes):                   {figures(national['warm_cpu'])}")
    print(f"  events in the national calendar: {int(national['events_in_national_calendar'][0]):,}")
    if big:
        print(f"one big chapter site of the same classes:      {figures(big)}")
        print(f"  CPU time (the build's process):             {figures(big_cpu)}")
    print(f"load average after:  {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "chapters": args.chapters,
        "classes_per_chapter": args.classes,
        "whole_archive": args.whole_archive,
        "national": national,
        "big_site": big,
        "big_site_cpu": big_cpu,
        "load_before": load,
        "load_after": os.getloadavg(),
        "python": platform.python_version(),
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    (RESULTS / "national.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
