"""Shared fixtures: real Pelican builds of the sample site or of a small fixture site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parent.parent

FIXED_NOW = "2026-11-28T09:00:00+07:00"
FIXTURES = ROOT / "tests" / "fixtures"


def _settings(tmp_path: Path, content: Path, now: str, overrides: dict) -> dict:
    class_schedule = {"now": now, **overrides.pop("CLASS_SCHEDULE", {})}
    return runner.load_settings(
        str(ROOT / "pelicanconf.py"),
        {
            "PATH": str(content),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            "CLASS_SCHEDULE": class_schedule,
            **overrides,
        },
    )


@pytest.fixture
def site_settings(tmp_path):
    """Settings for a build in tmp_path: `site_settings(content=None, now=FIXED_NOW, **over)`."""

    def make(content: Path | None = None, now: str = FIXED_NOW, **overrides) -> dict:
        return _settings(tmp_path, Path(content or ROOT / "content"), now, overrides)

    return make


@pytest.fixture
def build_site(site_settings, tmp_path):
    """Run a real Pelican build into tmp_path/output and return that folder.

    `build_site(content=None, now=FIXED_NOW, **setting_overrides)`; content defaults to the sample
    site in content/. Raises runner.BuildFailed when the build logs errors.
    """

    def build(content: Path | None = None, now: str = FIXED_NOW, **overrides) -> Path:
        runner.build(site_settings(content, now, **overrides))
        return tmp_path / "output"

    return build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample chapter site, built once per test session at FIXED_NOW (read-only for tests)."""
    tmp_path = tmp_path_factory.mktemp("sample")
    runner.build(_settings(tmp_path, ROOT / "content", FIXED_NOW, {}))
    return tmp_path / "output"


@pytest.fixture
def content_dir(tmp_path):
    """A writable copy of a content tree: `content_dir()` copies the sample, or pass a folder.

    Returns the copy's path; tests add or edit class files in it before building.
    """

    def copy(source: Path | None = None) -> Path:
        target = tmp_path / "content"
        shutil.copytree(source or ROOT / "content", target)
        return target

    return copy
