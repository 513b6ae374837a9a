"""On a machine with a core to spare, a build writes the calendars and share images in a forked
worker while it renders the pages; the site comes out exactly as when one process does it all.

The builds run in a fresh interpreter: a test worker has threads, and the build (rightly) never
forks where another thread runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from berbagi.glue import output, runner, side_work
from tests.conftest import FIXED_NOW, ROOT
from tests.site.test_page_memo import tree

BUILD_IN_A_FRESH_PROCESS = textwrap.dedent(
    """
    import json, sys
    from berbagi.glue import runner, side_work

    content, output, cache, now, fail = sys.argv[1:6]
    side_work._spare_core = lambda: True  # the machine may have one core; forking still works
    forked = []
    real_start = side_work.start

    def start():
        real_start()
        if not side_work._in_child:
            forked.append(side_work._child is not None)

    side_work.start = start  # what register() connects, by its module-level name
    if fail == "fail":
        import berbagi.render.ical as ical

        def broken(*args):
            raise RuntimeError("the disk is full")

        ical._with_events = broken
    settings = runner.load_settings(
        "pelicanconf.py",
        {"PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache,
         "CLASS_SCHEDULE": {"now": now}},
    )
    try:
        runner.build(settings)
        problems = []
    except runner.BuildFailed as failure:
        problems = failure.problems
    print(json.dumps({"forked": forked, "problems": problems}))
    """
)


def build_in_a_fresh_process(content: Path, site: Path, cache: str = "cache", fail: bool = False):
    """Build into site/output with site/<cache>; returns whether it forked, and its problems."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            BUILD_IN_A_FRESH_PROCESS,
            str(content),
            str(site / "output"),
            str(site / cache),
            FIXED_NOW,
            "fail" if fail else "ok",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_worker_writes_the_same_site_as_one_process(site_settings, tmp_path, monkeypatch):
    content = ROOT / "content"
    result = build_in_a_fresh_process(content, tmp_path / "forked")
    assert result == {"forked": [True], "problems": []}
    monkeypatch.setattr(side_work, "can_fork", lambda: False)
    alone = tmp_path / "alone"
    runner.build(
        site_settings(content, OUTPUT_PATH=str(alone / "output"), CACHE_PATH=str(alone / "cache"))
    )
    forked = tree(tmp_path / "forked" / "output")
    assert forked == tree(alone / "output")
    assert "calendar.ics" in forked
    assert any(name.startswith("bagikan/") for name in forked)
    # Its fingerprints were kept: the next build in a fresh process keeps every .ics file.
    again = build_in_a_fresh_process(content, tmp_path / "forked")
    assert again["problems"] == []
    fingerprints = json.loads(
        (tmp_path / "forked" / "cache" / "ical_feed-fingerprints.json").read_text()
    )
    assert "calendar.ics" in fingerprints


def test_an_error_in_the_worker_fails_the_build_and_leaves_the_last_site(tmp_path):
    site = tmp_path / "site"
    assert build_in_a_fresh_process(ROOT / "content", site)["problems"] == []
    before = tree(site / "output")
    # A new cache folder: with the last one, every calendar file would be kept, not made.
    result = build_in_a_fresh_process(ROOT / "content", site, cache="cache-2", fail=True)
    assert result["forked"] == [True]
    assert any("the disk is full" in problem for problem in result["problems"])
    assert tree(site / "output") == before


def test_no_worker_is_forked_while_another_thread_runs(monkeypatch):
    monkeypatch.setattr(side_work, "_spare_core", lambda: True)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    with output.holding_fingerprints():
        assert side_work.can_fork()
    assert not side_work.can_fork()  # outside the runner's build (a preview step)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    with output.holding_fingerprints():
        assert not side_work.can_fork()
