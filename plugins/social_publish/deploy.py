"""Deploying the built site as DEPLOY in publishconf.py says: rsync to a server, or ghp-import."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from typing import Any

import ghp_import

METHODS = {"ghp-import": {"branch", "remote", "cname", "message"}, "rsync": {"target"}}


class DeployError(Exception):
    """DEPLOY is missing or wrong, or the deployment itself failed."""


def _options(settings: Mapping[str, Any]) -> dict[str, Any]:
    raw = settings.get("DEPLOY")
    if not raw:
        raise DeployError(
            "DEPLOY is not set in publishconf.py, so nothing was deployed; the site is built in "
            f"{settings['OUTPUT_PATH']} (GitHub Actions deploys it on each push to main)"
        )
    method = raw.get("method") if isinstance(raw, Mapping) else None
    if method not in METHODS:
        raise DeployError(f"DEPLOY['method'] must be one of {', '.join(METHODS)}, not {method!r}")
    unknown = set(raw) - METHODS[method] - {"method"}
    if unknown:
        raise DeployError(f"unknown key DEPLOY['{sorted(unknown)[0]}'] for {method}")
    if method == "rsync" and not raw.get("target"):
        raise DeployError("DEPLOY['target'] is missing; e.g. 'user@host:/var/www/site/'")
    return dict(raw)


def deploy(settings: Mapping[str, Any], run: Callable[[str], Any]) -> str:
    """Deploy OUTPUT_PATH; returns what was done."""
    options = _options(settings)
    output = str(settings["OUTPUT_PATH"])
    if options["method"] == "rsync":
        # -c compares checksums: Pelican rewrites every file, so times say nothing.
        target = shlex.quote(options["target"])
        run(f"rsync -e ssh -P -rvzc --delete {shlex.quote(output)}/ {target}")
        return f"synced {output} to {options['target']}"
    branch = options.get("branch", "gh-pages")
    try:
        ghp_import.ghp_import(
            output,
            mesg=options.get("message", "Publish the site"),
            branch=branch,
            remote=options.get("remote", "origin"),
            cname=options.get("cname"),
            push=True,
            force=True,
            nojekyll=True,
        )
    except ghp_import.GhpError as error:
        raise DeployError(f"ghp-import failed: {error}") from None
    return f"pushed {output} to the {branch} branch"
