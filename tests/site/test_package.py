"""The package's boundaries: the core imports no Pelican, and a local build measures no tweets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def python(code: str) -> dict:
    """Run `code` in a fresh interpreter (so nothing is imported yet) and read its JSON answer."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nothing_outside_berbagi_glue_imports_pelican():
    found = python(
        "import importlib, json, pkgutil, sys, berbagi\n"
        "names = [m.name for m in pkgutil.walk_packages(berbagi.__path__, 'berbagi.')]\n"
        "core = [n for n in names if not n.startswith('berbagi.glue')]\n"
        "for name in core: importlib.import_module(name)\n"
        "print(json.dumps({'core': core, 'pelican': 'pelican' in sys.modules}))"
    )
    assert "berbagi.publish.networks.x" in found["core"]
    assert found["pelican"] is False


def test_a_local_build_imports_neither_twitter_text_nor_tweepy(tmp_path):
    overrides = {
        "OUTPUT_PATH": str(tmp_path / "o"),
        "CACHE_PATH": str(tmp_path / "c"),
        "CLASS_SCHEDULE": {"now": "2026-11-28T09:00"},
    }
    found = python(
        "import json, sys\n"
        "from berbagi.glue import runner\n"
        f"runner.build(runner.load_settings('pelicanconf.py', {overrides!r}))\n"
        "print(json.dumps({name: name in sys.modules for name in ('twitter_text', 'tweepy')}))"
    )
    assert found == {"twitter_text": False, "tweepy": False}
    assert (tmp_path / "o" / "index.html").is_file()
