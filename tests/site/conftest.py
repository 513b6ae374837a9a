"""Fixtures for the publishing tests: a production build, fake credentials, intercepted HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
import responses

from berbagi.glue import runner
from berbagi.publish.networks.x import CREDENTIALS


@pytest.fixture
def credentials(monkeypatch):
    """The four X secrets, set to values that must never show up anywhere."""
    monkeypatch.delenv("BERBAGI_NOW", raising=False)
    for name in CREDENTIALS:
        monkeypatch.setenv(name, f"fake-{name.lower()}")


@pytest.fixture
def twitter():
    """Intercepts every HTTP request; an unexpected one fails the test instead of leaving."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def site(tmp_path, site_settings, monkeypatch):
    """`site(content=None, now=FIXED_NOW, **social)`: a production build writing the plan.

    The chapter posts to X alone unless `networks` says otherwise. Returns the settings, which
    `cli.announce` takes exactly as `invoke announce` does.
    """
    monkeypatch.delenv("BERBAGI_NOW", raising=False)

    def build(content: Path | None = None, now: str | None = None, **social) -> dict:
        social = {
            "write_plan": True,
            "ledger": str(tmp_path / "announcements.json"),
            "networks": ["twitter"],
            **social,
        }
        settings = site_settings(content, **({"now": now} if now else {}), SOCIAL_PUBLISH=social)
        runner.build(settings)
        return settings

    return build
