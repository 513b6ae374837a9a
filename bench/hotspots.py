"""Profiles Berbagi and plain Pelican builds with cProfile and says where the time goes."""

from __future__ import annotations

import argparse
import json
import pstats
import sys
import sysconfig
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from generate import edit_class, generate
from run import SCENARIOS, SITES, build_in_child, edit_target

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"]).resolve()
Function = tuple[str, int, str]
# Pelican steps whose inclusive time is worth comparing between the two sites.
PHASES = (
    ("pelican/__init__.py", "__init__", "Pelican() setup, plugin loading"),
    ("pelican/cache.py", "__init__", "content cache load (unpickle)"),
    ("pelican/cache.py", "save_cache", "content cache save (pickle)"),
    ("pelican/generators.py", "generate_context", "generators: generate_context"),
    ("pelican/readers.py", "read_file", "  reading files (incl. cache hits)"),
    ("markdown/core.py", "convert", "  Markdown conversion"),
    ("pelican/generators.py", "generate_output", "generators: generate_output"),
    ("pelican/writers.py", "write_file", "  write_file (render + write)"),
    ("jinja2/environment.py", "render", "  Jinja render"),
    ("blinker/base.py", "send", "signal receivers (plugins)"),
)


def area_of(filename: str) -> str | None:
    """Who owns a code file: a plugin, the theme, a package; None for stdlib and C builtins."""
    if filename.startswith("~") or filename.startswith("<"):
        return None
    path = Path(filename).resolve()
    if path.is_relative_to(ROOT / "plugins"):
        return "plugin " + path.relative_to(ROOT / "plugins").parts[0]
    if path.is_relative_to(ROOT / "theme") or "themes" in path.parts:
        return "theme templates"
    if path.is_relative_to(SITE_PACKAGES):
        return path.relative_to(SITE_PACKAGES).parts[0].removesuffix(".py")
    if path.is_relative_to(BENCH):
        return "bench harness"
    if path.is_relative_to(STDLIB):
        return None
    return "other"


def self_time_by_area(stats: dict) -> dict[str, float]:
    """Self time per owner; stdlib and builtin calls are charged to the code that made them."""
    owners: dict[Function, dict[str, float]] = {}

    def owner(function: Function, seen: frozenset) -> dict[str, float]:
        if function in owners:
            return owners[function]
        area = area_of(function[0])
        if area is not None:
            share = {area: 1.0}
        else:
            callers = stats[function][4] if function in stats else {}
            total = sum(edge[3] for edge in callers.values()) or 1.0
            share: dict[str, float] = defaultdict(float)
            for caller, edge in callers.items():
                weight = (edge[3] or 0.0) / total
                if caller in seen or caller not in stats:
                    share["stdlib and builtins"] += weight
                    continue
                for name, part in owner(caller, seen | {function}).items():
                    share[name] += weight * part
            share = dict(share) or {"stdlib and builtins": 1.0}
        owners[function] = share
        return share

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    totals: dict[str, float] = defaultdict(float)
    for function, (_, _, self_time, _, _) in stats.items():
        for name, part in owner(function, frozenset()).items():
            totals[name] += self_time * part
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def label(function: Function) -> str:
    """Short name of a profiled function: path relative to the repo or site-packages."""
    filename, line, name = function
    if filename.startswith("~"):
        return name
    path = Path(filename).resolve()
    for base in (SITE_PACKAGES, ROOT, STDLIB):
        if path.is_relative_to(base):
            return f"{path.relative_to(base)}:{line} {name}"
    return f"{filename}:{line} {name}"


def phases(stats: dict) -> dict[str, float]:
    """Inclusive seconds of the Pelican steps in PHASES, nested matches (super()) counted once."""

    def matches(function: Function, suffix: str, name: str) -> bool:
        return function[0].endswith(suffix) and function[2] == name

    found: dict[str, float] = {}
    for suffix, name, title in PHASES:
        seconds = 0.0
        for function, (_, _, _, cumulative, callers) in stats.items():
            if matches(function, suffix, name):
                nested = sum(
                    edge[3] for caller, edge in callers.items() if matches(caller, suffix, name)
                )
                seconds += cumulative - nested
        found[title] = seconds
    return found


def plugin_entry_points(stats: dict) -> list[dict[str, Any]]:
    """Plugin functions called from outside their plugin, by inclusive time (they may overlap)."""
    entries = []
    for function, (_, calls, _, cumulative, callers) in stats.items():
        area = area_of(function[0])
        if not area or not area.startswith("plugin "):
            continue
        if any(area_of(caller[0]) != area for caller in callers):
            entries.append({"function": label(function), "calls": calls, "seconds": cumulative})
    return sorted(entries, key=lambda entry: -entry["seconds"])[:15]


def top_self(stats: dict, count: int = 15) -> list[dict[str, Any]]:
    """Functions with the most self time."""
    rows = sorted(stats.items(), key=lambda item: -item[1][2])[:count]
    return [{"function": label(f), "calls": v[1], "seconds": v[2]} for f, v in rows]


def analyse(profile: Path) -> dict[str, Any]:
    """Everything the report prints about one profile."""
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    total = sum(value[2] for value in stats.values())
    return {
        "profile": str(profile.relative_to(ROOT) if profile.is_relative_to(ROOT) else profile),
        "total_s": total,
        "self_by_area": self_time_by_area(stats),
        "phases": phases(stats),
        "plugin_entry_points": plugin_entry_points(stats),
        "top_self": top_self(stats),
    }


def profile_size(size: int, results: Path, scratch: Path) -> dict[str, Any]:
    """Cold, warm and one-edit builds of both sites, each profiled in its own subprocess."""
    content = scratch / "content"
    classes = generate(content, size)
    report: dict[str, Any] = {"size": size, "sites": {}}
    for site in SITES:
        work = Path(tempfile.mkdtemp(prefix=f"{site}-", dir=scratch))
        report["sites"][site] = {}
        for scenario in SCENARIOS:
            original = edit_class(edit_target(classes)) if scenario == "edit" else None
            try:
                profile = results / f"profile-{size}-{site}-{scenario}.prof"
                figures = build_in_child(site, content, work, work / "result.json", profile)
            finally:
                if original is not None:
                    edit_target(classes).write_text(original, encoding="utf-8")
            report["sites"][site][scenario] = {"build_s": figures["build_s"], **analyse(profile)}
    return report


def print_report(report: dict[str, Any]) -> None:
    """Side-by-side tables: areas and phases per scenario, then the plugins' own hot spots."""
    sites = report["sites"]
    print(f"\ncProfile, {report['size']} classes (profiled seconds, about 1.3-1.5x real time)")
    for scenario in SCENARIOS:
        berbagi, plain = sites["berbagi"][scenario], sites["plain"][scenario]
        print(
            f"\n== {scenario}: build {berbagi['build_s']:.2f} s Berbagi, "
            f"{plain['build_s']:.2f} s plain (both profiled)"
        )
        print(f"{'self time by owner':<44} {'berbagi':>8} {'plain':>8}")
        areas = list(dict.fromkeys([*berbagi["self_by_area"], *plain["self_by_area"]]))
        for area in areas:
            b, p = berbagi["self_by_area"].get(area, 0.0), plain["self_by_area"].get(area, 0.0)
            if max(b, p) >= 0.01:
                print(f"{area:<44} {b:>8.2f} {p:>8.2f}")
        print(f"{'inclusive time of Pelican steps':<44} {'berbagi':>8} {'plain':>8}")
        for title, seconds in berbagi["phases"].items():
            print(f"{title:<44} {seconds:>8.2f} {plain['phases'][title]:>8.2f}")
        print("plugin entry points (inclusive, may overlap):")
        for entry in berbagi["plugin_entry_points"][:8]:
            print(f"  {entry['seconds']:>6.2f} s {entry['calls']:>7} calls  {entry['function']}")
        print("top self time, Berbagi:")
        for entry in berbagi["top_self"][:10]:
            print(f"  {entry['seconds']:>6.2f} s {entry['calls']:>7} calls  {entry['function']}")


def main() -> None:
    """Command line: `python bench/hotspots.py --size 1000`; profiles land in bench/results/."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="berbagi-hotspots-") as scratch:
        report = profile_size(args.size, args.results.resolve(), Path(scratch))
    path = args.results / f"hotspots-{args.size}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_report(report)
    print(f"\nwritten: {path} (and the .prof files: python -m pstats <file>)")


if __name__ == "__main__":
    main()
