"""Runs one Pelican build (Berbagi or plain) in this process and writes its timings as JSON."""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SITES = ("berbagi", "plain")


class _LevelCounter(logging.Handler):
    """Counts warnings and errors logged anywhere during the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.counts = {"warnings": 0, "errors": 0}
        self.samples: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.counts["errors" if record.levelno >= logging.ERROR else "warnings"] += 1
        if len(self.samples) < 3:
            self.samples.append(f"{record.levelname}: {record.getMessage()[:200]}")


_article_counts: list[int] = []


def _count_articles(generator: Any) -> None:
    """Signal receiver (module level: Pelican's signals keep weak references)."""
    _article_counts.append(len(generator.articles))


def _berbagi_build(args: argparse.Namespace) -> tuple[dict, Any]:
    """Our pelicanconf.py, theme and plugins, pointed at the generated content."""
    from berbagi.glue import runner  # noqa: PLC0415

    settings = runner.load_settings(
        str(ROOT / "pelicanconf.py"),
        {"PATH": args.content, "OUTPUT_PATH": args.output, "CACHE_PATH": args.cache},
    )
    return settings, lambda: runner.build(settings)


def _plain_build(args: argparse.Namespace) -> tuple[dict, Any]:
    """Pelican's defaults (notmyidea theme, no plugins) with the same content cache settings."""
    from pelican import Pelican  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(
        None,
        override={
            "PATH": args.content,
            "OUTPUT_PATH": args.output,
            "CACHE_PATH": args.cache,
            "CACHE_CONTENT": True,
            "LOAD_CONTENT_CACHE": True,
            "PLUGINS": [],
            # Only silences the "assuming UTC" warning; no effect on the work done.
            "TIMEZONE": "Asia/Jakarta",
        },
    )
    return settings, lambda: Pelican(settings).run()


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build once; return seconds, peak memory and what was produced."""
    started = time.perf_counter()
    import pelican  # noqa: PLC0415
    from pelican import signals  # noqa: PLC0415

    imported = time.perf_counter()
    counter = _LevelCounter()
    logging.getLogger().addHandler(counter)
    signals.article_generator_finalized.connect(_count_articles)
    begin = time.perf_counter()
    profiler = None
    if args.profile:
        import cProfile  # noqa: PLC0415

        profiler = cProfile.Profile()
        profiler.enable()
    settings, action = (_berbagi_build if args.site == "berbagi" else _plain_build)(args)
    action()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    end = time.perf_counter()
    html_files = sum(1 for _ in Path(args.output).rglob("*.html"))
    return {
        "site": args.site,
        "import_s": imported - started,
        "build_s": end - begin,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "articles": _article_counts[-1] if _article_counts else 0,
        "html_files": html_files,
        "plugins": [str(getattr(p, "__name__", p)) for p in settings.get("PLUGINS") or []],
        "theme": os.path.relpath(settings["THEME"], ROOT),
        "pelican": pelican.__version__,
        "profiled": bool(args.profile),
        **counter.counts,
        "log_samples": counter.samples,
    }


def main() -> None:
    """Command line used by bench/run.py: one build, result JSON to --result."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", choices=SITES, required=True)
    parser.add_argument("--content", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--profile", help="write cProfile stats of the build to this file")
    args = parser.parse_args()
    args.result.write_text(json.dumps(run(args), indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
