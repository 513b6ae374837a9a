"""Tasks for building, checking, serving and publishing the chapter site (`invoke --list`)."""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from invoke import Exit, task

from berbagi import chapter_setup
from berbagi import settings as kit_settings
from berbagi.glue import runner

ROOT = Path(__file__).resolve().parent

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "host": "localhost",
    "port": 8000,
}


class _OneLinePerMessage(logging.Formatter):
    """A problem is its own line, `path:line: field: message`, whatever the terminal's width."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return message if record.levelno >= logging.ERROR else f"warning: {message}"


def _on_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _log_to_console(one_line: bool = False) -> None:
    """Pelican's coloured log in a terminal; plain lines for `check`, CI logs and pipes, where
    a wrapped, timestamped message could not be read or searched."""
    if one_line or _on_github_actions() or not sys.stderr.isatty():
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_OneLinePerMessage())
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(logging.WARNING)
        return
    from pelican.log import init

    init(logging.WARNING)


def _annotation(text: str, properties: bool = False) -> str:
    """Text escaped for a GitHub workflow command (its properties escape ':' and ',' too)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if properties else text


def _annotate(failure: runner.BuildFailed) -> None:
    """On GitHub Actions, put each problem on its line of the pull request's diff."""
    if not _on_github_actions():
        return
    for problem in failure.located:
        file, line, title = (
            _annotation(str(v), True) for v in (problem.path, problem.line, problem.field)
        )
        print(f"::error file={file},line={line},title={title}::{_annotation(problem.message)}")
    if not failure.located:
        for message in failure.problems:
            print(f"::error::{_annotation(message)}")


def _append_to_job_summary(markdown: str) -> bool:
    """Add `markdown` to the GitHub Actions job summary, when there is one."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(markdown + "\n")
    return True


def _summarise_check(failure: runner.BuildFailed) -> None:
    """On GitHub Actions, the check's problems as a table in the job summary too."""
    if not _on_github_actions():
        return
    from berbagi.glue.pr_summary import problems_of
    from berbagi.publish.summary import render_check_failure

    _append_to_job_summary(render_check_failure(problems_of(failure)))


def _raw_settings(settings_file: str, **overrides: Any) -> dict[str, Any]:
    """Pelican's settings from a file; a settings mistake ends the task with exit 2."""
    try:
        return runner.load_settings(str(ROOT / settings_file), overrides)
    except kit_settings.SettingsError as error:
        raise Exit(str(error), code=error.exitcode) from None


def _kit_view(raw: dict[str, Any]) -> kit_settings.Settings:
    """The kit's view of Pelican's settings; a settings mistake ends the task (exit 2)."""
    try:
        return kit_settings.load(raw)
    except kit_settings.SettingsError as error:
        raise Exit(str(error), code=error.exitcode) from None


def _site_settings(settings_file: str, **overrides: Any) -> tuple[dict, kit_settings.Settings]:
    """Pelican's settings and the kit's view of them; a settings mistake ends the task (exit 2)."""
    raw = _raw_settings(settings_file, **overrides)
    return raw, _kit_view(raw)


def _failure_message(command: str, failure: runner.BuildFailed) -> str:
    # A settings mistake is nothing but its lines, each naming the plugin and the key.
    if failure.code == runner.EXIT_SETTINGS:
        return "\n".join(failure.problems)
    return f"{command} failed: {failure}"


def _build(settings_file: str, report: bool = False, **overrides) -> None:
    """Build; `report`: leave the build's warnings and problems for `invoke pr-summary`."""
    _log_to_console()
    settings = _raw_settings(settings_file, **overrides)
    report_file = None
    if report:
        from berbagi.glue import pr_summary

        report_file = pr_summary.report_path(_kit_view(settings))
        pr_summary.remove_build_report(report_file)
    try:
        warnings = runner.build(settings)  # already printed by Pelican's log handler
    except runner.BuildFailed as failure:
        if report_file is not None:
            pr_summary.write_build_report(report_file, failure=failure)
        _annotate(failure)
        raise Exit(_failure_message("build", failure), code=failure.code) from None
    if report_file is not None:
        pr_summary.write_build_report(report_file, warnings)


@task
def clean(c):
    """Remove the generated site (and the folder builds are staged in)."""
    output = ROOT / CONFIG["deploy_path"]
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(output.with_name(f".{output.name}.building"), ignore_errors=True)
    output.with_name(f".{output.name}.building.lock").unlink(missing_ok=True)


@task
def build(c):
    """Build the site locally (relative URLs, content cache on)."""
    _build(CONFIG["settings_base"])


@task(pre=[clean])
def rebuild(c):
    """Remove the output and build everything again (use after changing settings)."""
    _build(CONFIG["settings_base"], LOAD_CONTENT_CACHE=False)


def _preview() -> Any:
    """The preview process for the local settings, serving `output/`."""
    from berbagi.preview import Preview

    _log_to_console()
    settings_file = ROOT / CONFIG["settings_base"]
    return Preview(
        lambda: runner.load_settings(str(settings_file)),
        ROOT / CONFIG["deploy_path"],
        watched=[settings_file],
        echo_problems=False,  # Pelican's log handler prints them
    )


@task
def regenerate(c):
    """Build once, then update the site within a moment of each change (Ctrl+C stops)."""
    from berbagi.preview.serve import watch

    preview = _preview()
    try:
        watch(preview)
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()


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
    _build(CONFIG["settings_publish"], report=True)


NATIONAL_SETTINGS = "nationalconf.py"
# The sample's chapters: Palembang is this site's own build; the two others are fictitious.
SAMPLE_CHAPTERS = {
    "makassar": ROOT / "national" / "sample" / "makassar" / "site",
    "jayapura": ROOT / "national" / "sample" / "jayapura" / "site",
}
SAMPLE_PORT = 8017  # fixed, so that the sample's last good copies keep their address


def _closed_port() -> int:
    """A loopback port nothing listens on: a chapter that is down (connection refused)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sample_chapters(chapters: list[dict], base: str, down: set[str]) -> list[dict]:
    """The listed chapters, those of the sample fetched from the loopback server."""
    served = []
    for chapter in chapters:
        chapter_id = chapter.get("id")
        if chapter_id == "palembang" or chapter_id in SAMPLE_CHAPTERS:
            host = f"http://127.0.0.1:{_closed_port()}" if chapter_id in down else base
            chapter = {
                **chapter,
                "calendar_url": f"{host}/{chapter_id}/calendar.ics",
                "feed_url": f"{host}/{chapter_id}/feeds/classes.atom.xml",
            }
        served.append(chapter)
    return served


@task(
    help={
        "sample": "serve the sample's chapters on 127.0.0.1 (Palembang from output/)",
        "down": "with --sample: chapter ids to leave unreachable, comma-separated",
        "production": "absolute links to CHAPTER['site_url'] (nationalconf.py's), for deploying",
    }
)
def national(c, sample=False, down="", production=False):
    """Build the national site (nationalconf.py) from every chapter's calendar and feed."""
    overrides: dict[str, Any] = {}
    if production:
        site_url = _raw_settings(NATIONAL_SETTINGS)["CHAPTER"]["site_url"]
        overrides = {"SITEURL": site_url, "RELATIVE_URLS": False}
    if not sample:
        _build(NATIONAL_SETTINGS, **overrides)
        return
    from berbagi.national import loopback

    _build(CONFIG["settings_base"])  # Palembang's calendar.ics and feed, as published
    raw = _raw_settings(NATIONAL_SETTINGS)
    national_site = dict(raw.get("NATIONAL_SITE") or {})
    folders = {"palembang": ROOT / CONFIG["deploy_path"], **SAMPLE_CHAPTERS}
    try:
        server = loopback.serve(folders, SAMPLE_PORT)
        base = server.__enter__()
    except OSError:  # the port is taken: any port (the kept copies are fetched again in full)
        server = loopback.serve(folders)
        base = server.__enter__()
    try:
        wanted_down = {name.strip() for name in down.split(",") if name.strip()}
        national_site["chapters"] = _sample_chapters(
            list(national_site.get("chapters") or []), base, wanted_down
        )
        _build(NATIONAL_SETTINGS, NATIONAL_SITE=national_site, **overrides)
    finally:
        server.__exit__(None, None, None)
    print(f"National site written to {raw['OUTPUT_PATH']}")


@task
def livereload(c):
    """Serve on http://localhost:8000, update the site on each change, reload once written."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    from berbagi.preview.serve import first_build, livereload_watcher

    preview = _preview()
    # An invalid edit writes nothing: the browser keeps the last good site, the terminal says why.
    first_build(preview)
    # The watcher reloads only after a step that wrote something; livereload's own pause of 3 s
    # between reloads would skip a second quick edit.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = Server(watcher=livereload_watcher(preview))
    try:
        server.serve(host=CONFIG["host"], port=CONFIG["port"], root=CONFIG["deploy_path"])
    finally:
        preview.close()


@task(help={"settings": "settings file to check with (default: pelicanconf.py)"})
def check(c, settings=""):
    """Validate every class file without building; exits non-zero listing every problem."""
    _log_to_console(one_line=True)
    settings = _raw_settings(settings or CONFIG["settings_base"])
    try:
        warnings = runner.check(settings)
    except runner.BuildFailed as failure:
        _annotate(failure)
        _summarise_check(failure)
        raise Exit(_failure_message("check", failure), code=failure.code) from None
    del warnings  # printed by the log handler as they happened
    print("check: every class file is valid")


NEW_CLASS_PROMPTS = {
    "title": "Judul kelas",
    "start": "Mulai (YYYY-MM-DD HH:MM, {zone})",  # the chapter's zone: WIB, WITA, WIT...
    "end": "Selesai (HH:MM, boleh kosong: 2 jam)",
    "venue": "Nama tempat",
    "address": "Alamat tempat",
    "teacher": "Guru (Nama | @akun_x @akun@mastodon.social akun.bsky.social | bio singkat)",
    "summary": "Ringkasan (boleh kosong)",
    "registration": "Pendaftaran (https://..., 'via Twitter', atau kosong)",
}


@task(
    help={
        name: f"{prompt.format(zone='zona chapter')}; asked for when omitted"
        for name, prompt in NEW_CLASS_PROMPTS.items()
    }
    | {
        "no_input": "never prompt; fail if a required value is missing",
        "content": "content folder to write into (default: the site's)",
    }
)
def new_class(
    c,
    title="",
    start="",
    end="",
    venue="",
    address="",
    teacher="",
    summary="",
    registration="",
    no_input=False,
    content="",
):
    """Create a correctly named, valid class file in content/classes/ from options or prompts."""
    from berbagi import scaffold

    overrides = {"PATH": os.path.abspath(content)} if content else {}
    _, site = _site_settings(CONFIG["settings_base"], **overrides)
    zone = site.zone
    values = dict(
        title=title,
        start=start,
        end=end,
        venue=venue,
        address=address,
        teacher=teacher,
        summary=summary,
        registration=registration,
    )
    if not no_input:
        from berbagi.formatting import zone_name

        # The chapter's own zone (WITA in Makassar), as the start is read in it.
        local = zone_name(site.now().astimezone(zone), site.language)
        for name, template in NEW_CLASS_PROMPTS.items():
            prompt = template.format(zone=local)
            if not values[name]:
                try:
                    values[name] = input(f"{prompt}: ").strip()
                except EOFError:  # stdin closed or not a terminal (CI, a pipe)
                    option = "--" + name.replace("_", "-")
                    raise Exit(
                        f"\nnew-class: no answer for '{prompt}' (input closed); give it as "
                        f'{option} "..." and pass --no-input',
                        code=1,
                    ) from None
    # Date: is when the class is announced, which is now, on the chapter's clock.
    new = scaffold.NewClass(**values, date=site.now().astimezone(zone))
    folder = site.content_path / site.schedule.content_folder
    display_folder = os.path.relpath(folder, site.site_folder)
    wanted = new.slug or scaffold.class_slug(new.title)
    new = scaffold.with_free_slug(new, zone, scaffold.taken_slugs(folder))
    if new.slug != wanted:
        print(f"new-class: '{wanted}' is another class's address; this one gets '{new.slug}'")
    errors = scaffold.validate_new_class(new, display_folder, zone)
    if errors:
        raise Exit("\n".join(str(error) for error in errors), code=1)
    target = folder / scaffold.file_name(new, zone)
    if target.exists():
        raise Exit(f"{target} already exists; choose another title", code=1)
    target.write_text(scaffold.class_file_text(new), encoding="utf-8")
    print(f"created {os.path.relpath(target)}; run `invoke check`, then commit it")


def _ask_chapter(given: Mapping[str, str], today: date) -> dict[str, str]:
    """Each answer not given (or given wrong) asked for until it is right; input closed ends
    the task naming the answer and its option."""
    known: dict[str, str] = {}
    for question in chapter_setup.QUESTIONS:
        text = given.get(question.key, "")
        asked = not text
        while True:
            if asked:
                default = chapter_setup.default_answer(question.key, known, today)
                shown = f" [{default}]" if default else ""
                try:
                    text = input(f"{question.prompt}{shown}: ")
                except EOFError:  # stdin closed or not a terminal (CI, a pipe)
                    raise Exit(
                        f"\nnew-chapter: no answer for '{question.prompt}' (input closed); give "
                        f'it as {question.option} "..." and pass --no-input',
                        code=1,
                    ) from None
            value, problem = chapter_setup.check_answer(question.key, text, known, today)
            if not problem and value is not None:
                known[question.key] = value
                break
            print(problem)
            asked = True
    return known


def _accepted(settings_file: Path) -> None:
    """Pelican and the kit accept the settings file; otherwise the task ends (exit 2)."""
    try:
        kit_settings.load(runner.load_settings(str(settings_file)))
    except kit_settings.SettingsError as error:
        raise Exit(f"new-chapter: the new settings were not written:\n{error}", code=2) from None


def _replace_settings(path: Path, text: str, production: Path) -> None:
    """Write `text` over the settings file at `path` only once Pelican and the kit accept it,
    and the production settings built on it: a crash or a mistake leaves the old file."""
    import tempfile

    from berbagi.publish.ledger import atomic_write_bytes

    old = path.read_bytes()
    # Next to the real file, so that its own folder (_SITE) and the rename are the same.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f"{path.stem}-new-", suffix=".py")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        _accepted(temporary)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    try:
        _accepted(production)  # it reads pelicanconf.py by its own name
    except Exit:
        atomic_write_bytes(path, old)
        raise


def _remove_sample_classes(site: kit_settings.Settings) -> tuple[int, int]:
    """Delete the sample's class files and the photos they show; the template stays."""
    from berbagi import classfile

    folder = site.content_path / site.schedule.content_folder
    classes = photos = 0
    for path in sorted(folder.rglob("*.md")):
        if path.name.startswith("_"):
            continue
        for photo in chapter_setup.photos_of(classfile.read(path.read_bytes(), path.name)):
            picture = site.content_path / photo
            if picture.is_file() and picture.resolve().is_relative_to(site.content_path.resolve()):
                picture.unlink()
                photos += 1
        path.unlink()
        classes += 1
    return classes, photos


def _carry_pages_over(
    site: kit_settings.Settings,
    page_folders: list[str],
    old: Mapping[str, Any],
    answers: chapter_setup.Answers,
) -> tuple[list[str], list[str]]:
    """The old chapter's names, account and e-mail replaced in the pages and the class
    template; returns the files changed and, per file, the lines still about the old chapter."""
    from berbagi.publish.ledger import atomic_write_bytes

    replacements = chapter_setup.page_replacements(old, answers)
    words = chapter_setup.leftover_words(old, answers)
    pages = [
        page
        for folder in page_folders
        for page in sorted((site.content_path / folder).rglob("*.md"))
    ]
    pages += sorted((site.content_path / site.schedule.content_folder).glob("_*.md"))
    changed, leftovers = [], []
    for page in pages:
        shown = os.path.relpath(page, site.site_folder)
        text = page.read_text(encoding="utf-8")
        new = chapter_setup.rewrite_page(text, replacements)
        if new != text:
            atomic_write_bytes(page, new.encode("utf-8"))
            changed.append(shown)
        lines = chapter_setup.leftover_lines(new, words)
        if lines:
            leftovers.append(
                f"{shown} line{'s' if len(lines) > 1 else ''} "
                + ", ".join(str(number) for number in lines)
            )
    return changed, leftovers


NEW_CHAPTER_HELP = {
    "no_input": "never prompt; list every missing or wrong answer and stop",
    "keep_sample": "keep the sample's classes and photos (removed by default)",
}


@task(
    help={q.key: f"{q.prompt}; asked for when omitted" for q in chapter_setup.QUESTIONS}
    | NEW_CHAPTER_HELP,
    auto_shortflags=False,  # seventeen answers: long options only, none shadowing -h
)
def new_chapter(
    c,
    name="",
    city="",
    short_name="",
    zone="",
    email="",
    domain="",
    site_url="",
    lang="",
    founded="",
    twitter="",
    hashtag="",
    mastodon="",
    bluesky="",
    telegram="",
    facebook="",
    mailing_list="",
    repo="",
    no_input=False,
    keep_sample=False,
):
    """Make this copy of the kit a new chapter: its settings from answers, an empty ledger."""
    from datetime import datetime

    from berbagi.publish.ledger import Ledger, LedgerError, chapter_identity

    given = dict(
        name=name, city=city, short_name=short_name, zone=zone, email=email, domain=domain,
        site_url=site_url, lang=lang, founded=founded, twitter=twitter, hashtag=hashtag,
        mastodon=mastodon, bluesky=bluesky, telegram=telegram, facebook=facebook,
        mailing_list=mailing_list, repo=repo,
    )  # fmt: skip
    raw, site = _site_settings(CONFIG["settings_base"])
    old = dict(raw.get("CHAPTER") or {})
    today = datetime.now(site.zone).date()
    if no_input:
        answers, problems = chapter_setup.check_answers(given, today)
        if answers is None:
            raise Exit("\n".join(f"new-chapter: {problem}" for problem in problems), code=1)
    else:
        answers = chapter_setup.Answers(**_ask_chapter(given, today))

    # A chapter that has posted keeps its history: renaming it is a hand edit, not a new start.
    ledger_path = site.publish.ledger_path
    try:
        ledger = Ledger.load(ledger_path)
    except LedgerError as error:
        raise Exit(f"new-chapter: {error}", code=1) from None
    if ledger and ledger.records and ledger.chapter["domain"] != chapter_setup.SAMPLE_DOMAIN:
        raise Exit(
            f"new-chapter: {os.path.relpath(ledger_path)} holds {len(ledger.records)} records "
            f"of {ledger.chapter['domain']}: this chapter has announced classes already. "
            "new-chapter starts a chapter; change a running one's CHAPTER block by hand",
            code=1,
        )
    is_sample = old.get("domain") == chapter_setup.SAMPLE_DOMAIN

    settings_file = ROOT / CONFIG["settings_base"]
    changes = chapter_setup.settings_changes(answers, old, today.year)
    try:
        text = chapter_setup.rewrite_settings(settings_file.read_text("utf-8"), changes)
    except chapter_setup.SettingsTextError as error:
        raise Exit(f"new-chapter: {CONFIG['settings_base']}: {error}", code=2) from None
    _replace_settings(settings_file, text, ROOT / CONFIG["settings_publish"])
    _, site = _site_settings(CONFIG["settings_base"])

    said = [f"{CONFIG['settings_base']}:" + "".join(f"\n    {c.describe()}" for c in changes)]
    said.append(
        f"{CONFIG['settings_publish']}: unchanged; its SITEURL is CHAPTER['site_url'], "
        f"{answers.site_url}"
    )
    if is_sample and not keep_sample:
        removed = _remove_sample_classes(site)  # (class files, photos)
        said.append(
            f"removed the sample's {removed[0]} class files and {removed[1]} photos; "
            f"{os.path.relpath(site.content_path / site.schedule.content_folder)}/_template.md "
            "stays for your first class"
        )
    elif is_sample:
        said.append(
            "kept the sample's classes and photos (--keep-sample): delete them before "
            "your first announcement"
        )
    # A first run replaces the sample's ledger (or none); a second knows what the first started.
    first_run = ledger is None or ledger.chapter["domain"] == chapter_setup.SAMPLE_DOMAIN
    started, waiting = chapter_setup.started_networks(
        answers.networks(),
        sample_kept=is_sample and keep_sample,
        earlier=None if first_run or ledger is None else set(ledger.networks),
    )
    Ledger(ledger_path, chapter_identity(site.chapter), started=set(started)).save()
    shown_ledger = os.path.relpath(ledger_path)
    said.append(
        f"{shown_ledger}: a new, empty ledger for {answers.domain}"
        + (
            f"; the first `invoke announce` posts your new classes on {', '.join(started)}"
            if started
            else ""
        )
    )
    if waiting:
        said.append(
            f"{', '.join(waiting)}: no history yet, and the site may hold classes people know "
            "of (kept, or made before this run): after `invoke preview`, run `invoke announce "
            "--baseline` once; it records them without posting"
        )
    changed, leftovers = _carry_pages_over(site, raw.get("PAGE_PATHS") or [], old, answers)
    if changed:
        said.append("the chapter's names, account and e-mail written into " + ", ".join(changed))
    if leftovers:
        said.append(
            "still about the sample chapter (its city, founding, account): edit by hand "
            + "; ".join(leftovers)
        )
    if site.chapter.logo and is_sample:
        said.append(
            f"{os.path.relpath(site.content_path / site.chapter.logo)} is still the sample's "
            "logo: put yours there (a square PNG, at least 180 pixels)"
        )
    print(f"new-chapter: {answers.name} is ready to build.")
    for line in said:
        print(f"- {line}")
    print("Next:")
    print("1. `invoke rebuild` then `invoke serve`, and look at http://localhost:8000;")
    print("   `invoke check` after each edit. Commit when it looks right.")
    steps = chapter_setup.secret_steps(answers)
    print(
        "2. In GitHub (Settings, Secrets and variables, Actions), add the secrets of each network"
        + (":" if steps else ' you post to (README: "Where the chapter posts").')
    )
    for step in steps:
        print(f"   - {step}")


@task
def update_translations(c):
    """Collect the templates' interface strings into theme/translations (then translate the .po)."""
    python = shlex.quote(sys.executable)
    pot = "theme/translations/messages.pot"
    c.run(f"{python} -m babel.messages.frontend extract -F babel.cfg --no-location -o {pot} .")
    po = ROOT / "theme/translations/en/LC_MESSAGES/messages.po"
    action = "update" if po.exists() else "init"
    c.run(f"{python} -m babel.messages.frontend {action} -i {pot} -d theme/translations -l en")


@task
def test(c, fast=False):
    """Lint and type-check, then run every test (--fast skips the browser and validator tests)."""
    python = shlex.quote(sys.executable)
    c.run(f"{python} -m ruff check .", pty=False)
    c.run(f"{python} -m ruff format --check .", pty=False)
    c.run(f"{python} -m mypy", pty=False)  # strict on the berbagi package (pyproject.toml)
    marks = '-m "not browser and not slow"' if fast else ""
    c.run(f"{python} -m pytest -n 2 {marks}", pty=False)


def _publishing(command: str, **flags: Any) -> None:
    """Run a publisher command with the production settings; its failures become exit codes."""
    from berbagi.publish import cli as publishing

    _, settings = _site_settings(CONFIG["settings_publish"])
    baseline = {"baseline": flags.pop("baseline")} if "baseline" in flags else {}
    try:
        getattr(publishing, command)(settings, publishing.Options(**flags), **baseline)
    except publishing.PublishFailed as failure:
        raise Exit(str(failure), code=failure.code) from None


@task(
    help={
        "base": "what the pull request is compared with, base...HEAD (default: origin/main)",
        "output": "write the summary here (default: $GITHUB_STEP_SUMMARY, else print it)",
        "images": "copy the changed classes' share images into this folder (for an artifact)",
    }
)
def pr_summary(c, base="origin/main", output="", images=""):
    """Write the pull request's job summary: classes, posts, share images, warnings (Markdown).

    Run after `invoke preview`, whose build report and announce plan it reads.
    """
    from berbagi.glue import pr_summary as gathering
    from berbagi.publish.summary import render

    _log_to_console(one_line=True)
    settings = _raw_settings(CONFIG["settings_publish"])
    found = gathering.gather(
        settings, base=base or None, images=Path(images).resolve() if images else None
    )
    markdown = render(found)
    if output:
        Path(output).write_text(markdown, encoding="utf-8")
        print(f"pr-summary: written to {output}")
    elif _append_to_job_summary(markdown):
        print("pr-summary: added to the job summary")
    else:
        print(markdown, end="")


DEPLOY_METHODS = {"ghp-import": {"branch", "remote", "cname", "message"}, "rsync": {"target"}}


def _deploy_options(raw: Mapping[str, Any]) -> dict[str, Any]:
    """DEPLOY from publishconf.py, checked; a mistake ends the task with exit 2."""
    options = raw.get("DEPLOY")
    if not options:
        raise Exit(
            "publish: DEPLOY is not set in publishconf.py, so nothing was deployed; the site is "
            f"built in {raw['OUTPUT_PATH']} (GitHub Actions deploys it on each push to main)",
            code=2,
        )
    method = options.get("method") if isinstance(options, Mapping) else None
    if method not in DEPLOY_METHODS:
        raise Exit(
            f"publish: DEPLOY['method'] must be one of {', '.join(DEPLOY_METHODS)}, not {method!r}",
            code=2,
        )
    unknown = set(options) - DEPLOY_METHODS[method] - {"method"}
    if unknown:
        raise Exit(f"publish: unknown key DEPLOY['{sorted(unknown)[0]}'] for {method}", code=2)
    if method == "rsync" and not options.get("target"):
        raise Exit("publish: DEPLOY['target'] is missing; e.g. 'user@host:/var/www/site/'", code=2)
    return dict(options)


@task
def publish(c):
    """Build the production site, then deploy it as DEPLOY in publishconf.py says (never posts)."""
    raw, _ = _site_settings(CONFIG["settings_publish"])
    options = _deploy_options(raw)  # before building: a wrong DEPLOY wastes no build
    _build(CONFIG["settings_publish"])  # raises Exit on a failed build: nothing is deployed
    output = str(raw["OUTPUT_PATH"])
    if options["method"] == "rsync":
        # -c compares checksums: Pelican rewrites every file, so times say nothing.
        target = shlex.quote(options["target"])
        c.run(f"rsync -e ssh -P -rvzc --delete {shlex.quote(output)}/ {target}")
        print(f"publish: synced {output} to {options['target']}")
        return
    import ghp_import

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
        raise Exit(f"publish: ghp-import failed: {error}", code=1) from None
    print(f"publish: pushed {output} to the {branch} branch")


def _cap(max_posts: str | None) -> int | None:
    from berbagi.publish import cli as publishing

    try:
        return publishing.parse_cap(max_posts)
    except publishing.PublishFailed as failure:
        raise Exit(str(failure), code=failure.code) from None


@task(
    help={
        "dry-run": "print the posts with their lengths and estimated cost; post and record nothing",
        "baseline": "record everything current as already announced, without posting",
        "max-posts": "post at most this many per network (default: SOCIAL_PUBLISH['max_posts'])",
        "retry-pending": "send again posts left pending by a crash (see the README first)",
        "network": "only this network: twitter, facebook, telegram, mastodon, bluesky or email",
    }
)
def announce(c, dry_run=False, baseline=False, max_posts=None, retry_pending=False, network=""):
    """Post new classes and changes found by the last production build, and record them."""
    _publishing(
        "announce",
        dry_run=dry_run,
        baseline=baseline,
        max_posts=_cap(max_posts),
        retry_pending=retry_pending,
        network=network or None,
    )


@task(
    help={
        "dry-run": "print the reminders with their lengths and estimated cost; post nothing",
        "max-posts": "remind of at most this many now (default: SOCIAL_PUBLISH['max_reminders'])",
        "retry-pending": "send again reminders left pending by a crash (see the README first)",
        "network": "only this network: twitter, facebook, telegram, mastodon, bluesky or email",
    }
)
def remind(c, dry_run=False, max_posts=None, retry_pending=False, network=""):
    """Post one reminder for each class starting within the next 24 hours."""
    _publishing(
        "remind",
        dry_run=dry_run,
        max_posts=_cap(max_posts),
        retry_pending=retry_pending,
        network=network or None,
    )


@task(
    help={
        "slug": "the class (or page:slug) whose post was left pending",
        "posted": "the post's address, when it is on the account",
        "not-posted": "the post is not on the account; the next run sends it if still due",
        "kind": "announcement, update, reminder or recap, when the slug has several pending",
        "network": "twitter, facebook, ..., when the slug is pending on several networks",
    }
)
def settle(c, slug, posted="", not_posted=False, kind="", network=""):
    """Record by hand whether a post left pending by a crash went out (see the README)."""
    from berbagi.publish import cli as publishing

    _, settings = _site_settings(CONFIG["settings_publish"])
    try:
        publishing.settle(
            settings,
            slug,
            posted_url=posted or None,
            not_posted=not_posted,
            kind=kind or None,
            network=network or None,
        )
    except publishing.PublishFailed as failure:
        raise Exit(str(failure), code=failure.code) from None


@task
def update_cms(c):
    """Copy Decap CMS (the version pinned in package.json) from node_modules into berbagi/cms."""
    from berbagi import cms

    found = cms.npm_files(ROOT / "node_modules")
    if "decap-cms.js" not in found:
        raise Exit("update-cms: node_modules/decap-cms is missing; run `npm ci` first", code=1)
    for old in cms.vendor_files():
        old.unlink()
    for name, path in found.items():
        shutil.copyfile(path, cms.VENDOR / name)
    print(f"update-cms: copied {len(found)} files into {os.path.relpath(cms.VENDOR, ROOT)}")


def _issue_from(event: str, issue_file: str, number: int, author: str) -> dict[str, Any]:
    """The issue a proposal came in: from the workflow's event file, or a body file by hand."""
    import json

    if event:
        data = json.loads(Path(event).read_text(encoding="utf-8"))
        issue = data.get("issue") or {}
        return {
            "body": issue.get("body") or "",
            "number": int(issue.get("number") or 0),
            "author": (issue.get("user") or {}).get("login", ""),
            "labels": [label.get("name", "") for label in issue.get("labels") or []],
            "url": issue.get("html_url", ""),
            "base": (data.get("repository") or {}).get("default_branch", ""),
        }
    if not issue_file or not number:
        raise Exit("proposal: give --event FILE, or --issue-file FILE and --number N", code=2)
    return {
        "body": Path(issue_file).read_text(encoding="utf-8"),
        "number": number,
        "author": author,
        "labels": [],
        "url": f"#{number}",
        "base": "",
    }


@task(
    help={
        "event": "the GitHub event JSON of the issue ($GITHUB_EVENT_PATH in a workflow)",
        "issue-file": "instead of --event: a file holding the issue's body as GitHub renders it",
        "number": "with --issue-file: the issue's number",
        "author": "with --issue-file: the GitHub login of the issue's author",
        "result": "where to write what proposal-submit needs (JSON; default proposal.json)",
        "content": "content folder to write into (default: the site's)",
    }
)
def proposal(c, event="", issue_file="", number=0, author="", result="proposal.json", content=""):
    """Write the draft class file of a proposal issue and print the answer it would get."""
    import json

    from berbagi import proposal as proposals
    from berbagi import scaffold

    issue = _issue_from(event, issue_file, int(number), author)
    overrides = {"PATH": os.path.abspath(content)} if content else {}
    _, site = _site_settings(CONFIG["settings_base"], **overrides)
    folder = site.content_path / site.schedule.content_folder
    display_folder = os.path.relpath(folder, site.site_folder)
    found = proposals.parse_issue(
        issue["body"], issue["number"], author=issue["author"], labels=issue["labels"]
    )
    draft = proposals.compose_draft(
        found, site.zone, site.now(), scaffold.taken_slugs(folder), display_folder
    )
    target = folder / draft.file_name
    target.write_text(draft.text, encoding="utf-8")
    data = proposals.draft_to_json(draft) | {
        "path": os.path.relpath(target, site.site_folder),
        "file": str(target.resolve()),
        "issue_url": issue["url"],
        "base": issue["base"],
    }
    Path(result).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"proposal: wrote {data['path']} for issue #{found.number} (branch {draft.branch})")
    print(proposals.answer_comment(draft, "(pull request belum dibuat)"))


def _git(folder: Path, *arguments: str) -> None:
    """Run git in the repository holding `folder`; a failure ends the task (exit 1)."""
    import subprocess

    try:
        subprocess.run(["git", *arguments], cwd=folder, check=True)
    except subprocess.CalledProcessError as error:
        raise Exit(
            f"proposal-submit: git {arguments[0]} failed (exit {error.returncode})"
        ) from None


@task(
    help={
        "result": "the JSON written by `invoke proposal` (default proposal.json)",
        "check-outcome": "what `invoke check` said: success or failure (a workflow step outcome)",
    }
)
def proposal_submit(c, result="proposal.json", check_outcome=""):
    """Commit the draft, push its branch, open or update the pull request, answer the issue."""
    import json

    from berbagi import proposal as proposals
    from berbagi import proposal_github

    data = json.loads(Path(result).read_text(encoding="utf-8"))
    draft = proposals.draft_from_json(data)
    number = draft.proposal.number
    passed = {"success": True, "failure": False}.get(check_outcome)
    bot = proposal_github.BOT_LOGIN
    file = Path(data["file"])
    _git(file.parent, "add", "--", file.name)
    _git(
        file.parent,
        "-c", f"user.name={bot}", "-c", f"user.email={proposal_github.BOT_EMAIL}",
        "commit", "--quiet", "-m", f"Draf kelas dari usulan #{number}",
        "-m", f"{proposal_github.TRAILER}: {number}",
    )  # fmt: skip

    def push(branch: str, expected: str) -> None:
        lease = f"--force-with-lease=refs/heads/{branch}:{expected}" if expected else "--force"
        _git(file.parent, "push", "--quiet", lease, "origin", f"HEAD:refs/heads/{branch}")

    try:
        github = proposal_github.GitHub(
            os.environ.get("GITHUB_REPOSITORY", ""),
            os.environ.get("GITHUB_TOKEN", ""),
            os.environ.get("GITHUB_API_URL", proposal_github.API_URL),
        )
        done = proposal_github.submit(
            github,
            number,
            draft.branch,
            data["base"] or "main",
            proposals.pull_title(draft),
            proposals.pull_body(draft, data["issue_url"], passed),
            push,
            lambda pull, pushed: proposals.answer_comment(draft, pull.url, passed, pushed),
        )
    except proposal_github.GitHubError as error:
        raise Exit(f"proposal-submit: {error}", code=1) from None
    state = "pushed" if done.pushed else "left as the organizer edited it"
    print(f"proposal-submit: {done.pull.url} {state}; answered at {done.comment_url}")
