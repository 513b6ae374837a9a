"""Tasks for building, checking, serving and publishing the chapter site (`invoke --list`)."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from class_schedule import runner  # noqa: E402

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "host": "localhost",
    "port": 8000,
}


def _log_to_console() -> None:
    import logging

    from pelican.log import init

    init(logging.WARNING)


def _build(settings_file: str, **overrides) -> None:
    _log_to_console()
    settings = runner.load_settings(str(ROOT / settings_file), overrides)
    try:
        for warning in runner.build(settings):
            del warning  # already printed by Pelican's log handler
    except runner.BuildFailed as failure:
        raise Exit(f"build failed: {failure}", code=1) from None


@task
def clean(c):
    """Remove the generated site."""
    shutil.rmtree(ROOT / CONFIG["deploy_path"], ignore_errors=True)


@task
def build(c):
    """Build the site locally (relative URLs, content cache on)."""
    _build(CONFIG["settings_base"])


@task(pre=[clean])
def rebuild(c):
    """Remove the output and build everything again (use after changing settings)."""
    _build(CONFIG["settings_base"], LOAD_CONTENT_CACHE=False)


@task
def regenerate(c):
    """Rebuild automatically whenever content, theme or plugins change."""
    c.run(f"{shlex.quote(sys.executable)} -m pelican -r -s {CONFIG['settings_base']}", pty=True)


@task
def serve(c):
    """Serve the built site on http://localhost:8000."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    server = AddressReuseTCPServer(
        CONFIG["deploy_path"], (CONFIG["host"], CONFIG["port"]), ComplexHTTPRequestHandler
    )
    print(f"Serving the site on http://{CONFIG['host']}:{CONFIG['port']} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def reserve(c):
    """Build, then serve on http://localhost:8000."""
    build(c)
    serve(c)


@task
def preview(c):
    """Build the production version of the site (absolute URLs)."""
    _build(CONFIG["settings_publish"])


@task
def livereload(c):
    """Serve on http://localhost:8000 and rebuild and reload the browser on every change."""
    from livereload import Server

    build(c)
    server = Server()
    watched = ["pelicanconf.py", "content/**/*", "theme/**/*", "plugins/**/*.py"]

    def rebuild_quietly():
        try:
            build(c)
        except Exit as failure:  # keep serving while the organizer fixes the file
            print(failure.message, file=sys.stderr)

    for pattern in watched:
        server.watch(pattern, rebuild_quietly)
    server.serve(host=CONFIG["host"], port=CONFIG["port"], root=CONFIG["deploy_path"])


@task
def check(c):
    """Validate every class file without building; exits non-zero listing every problem."""
    _log_to_console()
    settings = runner.load_settings(str(ROOT / CONFIG["settings_base"]), {})
    try:
        warnings = runner.check(settings)
    except runner.BuildFailed as failure:
        raise Exit(f"check failed: {failure}", code=1) from None
    del warnings  # printed by the log handler as they happened
    print("check: every class file is valid")
