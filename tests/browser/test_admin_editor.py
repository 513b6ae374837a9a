"""The organizers' editor, end to end: the real Decap CMS in Chromium at a phone's width, against
decap-server on a temporary copy of the repository, adds a class that the kit then checks and
builds. Nothing leaves the machine: the browser may reach only 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import LOCAL_HOST, ROOT, QuietHandler, is_local, keep_local

from berbagi import cms
from berbagi.glue import runner

pytestmark = pytest.mark.browser

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
PHOTO = ROOT / "content" / "images" / "kelas" / "fotografi-ponsel-kopi.jpg"
PHONE_WIDTH = 390
PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 844}, "is_mobile": True, "has_touch": True}
TITLE = "Menulis Cerita Pendek"
SLUG = "menulis-cerita-pendek"
ZONE = ZoneInfo("Asia/Jakarta")
# A month ahead of the real clock: the editor writes Date: (the announcement) from the clock.
DAY = (datetime.now(ZONE) + timedelta(days=30)).date().isoformat()
NAME = f"content/classes/{DAY}-{SLUG}.md"
START, END = f"{DAY} 14:00", f"{DAY} 16:30"  # WIB, as typed
# The phone is elsewhere: what is typed is the chapter's time all the same.
PHONE_ZONE = "America/Sao_Paulo"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL_HOST, 0))
        return int(probe.getsockname()[1])


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository holding a copy of the sample's content, on branch main."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "sample")
    return repo


@pytest.fixture
def decap_server(repository) -> Iterator[str]:
    """decap-server (git mode: editorial workflow on branches) on a free loopback port."""
    if shutil.which("node") is None or not DECAP_SERVER.is_file():
        pytest.fail(f"{DECAP_SERVER} is missing; run `npm ci` (./run test does)")
    port = _free_port()
    environment = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": LOCAL_HOST,
        "GIT_REPO_DIRECTORY": str(repository),
        "MODE": "git",
        "LOG_LEVEL": "error",
        "GIT_AUTHOR_NAME": "Relawan",
        "GIT_AUTHOR_EMAIL": "relawan@example.org",
        "GIT_COMMITTER_NAME": "Relawan",
        "GIT_COMMITTER_EMAIL": "relawan@example.org",
    }
    process = subprocess.Popen(
        ["node", str(DECAP_SERVER)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection((LOCAL_HOST, port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("decap-server did not start") from None
                time.sleep(0.1)
        yield f"http://{LOCAL_HOST}:{port}/api/v1"
    finally:
        process.terminate()
        process.wait(timeout=5)


@pytest.fixture
def admin_url(tmp_path, decap_server) -> Iterator[str]:
    """/admin/ as the build writes it, served on loopback, its config pointing at decap-server."""
    site = tmp_path / "site"
    admin = site / cms.ADMIN_FOLDER
    admin.mkdir(parents=True)
    settings = cms.CmsSettings(repo=None, local_backend=decap_server)
    (admin / "index.html").write_text(cms.index_html("id", "Akber", "Asia/Jakarta"), "utf-8")
    (admin / "config.yml").write_text(cms.config_text(settings, "classes", "id"), "utf-8")
    (admin / "class-format.js").write_text(cms.format_script(), "utf-8")
    for path in cms.vendor_files():
        (admin / path.name).symlink_to(path)
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/admin/"
    finally:
        server.shutdown()
        server.server_close()


def _field(page, label: str):
    """The input labelled `label` (Decap adds "optional" to the label of optional fields)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)")).first


def _press(button) -> None:
    """Press a button as the keyboard does: Decap's sticky bars cover some buttons at 390
    pixels once they are scrolled into view."""
    button.focus()
    button.press("Enter")


def _fill_form(page, photo: Path) -> None:
    _field(page, "Judul kelas").fill(TITLE)
    _field(page, "Mulai").fill(START.replace(" ", "T"))
    _field(page, "Selesai").fill(END.replace(" ", "T"))
    _field(page, "Tempat").fill("Perpustakaan Kota")
    _field(page, "Alamat tempat").fill("Jl. Merdeka No. 1, Palembang")
    _field(page, "Nama").fill("Sari (tokoh fiktif)")
    _field(page, "Akun").fill("@sari_menulis")
    _field(page, "Bio singkat").fill("Penulis cerpen")
    _field(page, "Ringkasan").fill("Dari ide\nsampai cerita utuh.")
    _press(page.get_by_role("button", name=re.compile("^Add foto", re.IGNORECASE)))
    _press(page.get_by_role("button", name="Choose an image"))
    page.locator("input[type='file']").set_input_files(str(photo))
    page.get_by_text(photo.name).wait_for()
    # The media dialog fits the phone's width: its button is tapped, not reached by keyboard.
    choose = page.get_by_role("button", name="Choose selected")
    box = choose.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    choose.click()
    _field(page, "Teks alternatif").fill("Peserta menulis di buku catatan")


def test_organizer_adds_a_class_from_a_phone(
    browser, admin_url, repository, site_settings, screenshot_dir
):
    started = time.monotonic()
    context = browser.new_context(**PHONE, timezone_id=PHONE_ZONE, service_workers="block")
    context.route("**/*", keep_local)  # anything but 127.0.0.1 is aborted, and recorded below
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(admin_url)
    page.get_by_role("button", name="Login").click()
    page.goto(admin_url + "#/collections/classes/new")
    photo = repository.parent / "cerpen-buku-catatan.jpg"
    shutil.copyfile(PHOTO, photo)
    _fill_form(page, photo)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    page.get_by_label("Judul kelas").scroll_into_view_if_needed()
    # docs/cms-class-form.png is a copy of this picture: the whole form, 390 pixels wide.
    page.set_viewport_size({"width": 390, "height": 3400})
    page.screenshot(path=str(screenshot_dir / "cms-class-form.png"))
    page.set_viewport_size(PHONE["viewport"])
    typed_at = datetime.now(ZONE)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Entry saved").wait_for()
    on_branch = _git(repository, "show", f"cms/classes/{DAY}-{SLUG}:{NAME}")
    assert not _git(repository, "ls-tree", "main", "--", NAME).strip()  # for review, not on main

    # Ready, then Publish now: what merging the pull request does on GitHub.
    page.on("dialog", lambda dialog: dialog.accept())
    _press(page.get_by_role("button", name=re.compile("^Status")))
    _press(page.get_by_role("menuitem", name="Ready"))
    page.get_by_text("Entry status updated").wait_for()
    _press(page.get_by_role("button", name="Publish", exact=True))
    _press(page.get_by_role("menuitem", name="Publish now"))
    page.get_by_text("Entry published").wait_for()

    # Published: the branch is merged into main, which is what the site is built from.
    assert not _git(repository, "branch", "--list", "cms/*").strip()
    context.close()  # nothing more is asked of decap-server, which may still be switching back
    deadline = time.monotonic() + 5
    while _git(repository, "branch", "--show-current").strip() != "main":
        assert time.monotonic() < deadline, "decap-server left the repository off main"
        time.sleep(0.1)
    assert _git(repository, "show", f"main:{NAME}") == on_branch
    text = (repository / NAME).read_text(encoding="utf-8")
    assert text == on_branch
    date_line = re.search(r"^Date: (\d{4}-\d\d-\d\d \d\d:\d\d)\n", text, re.MULTILINE)
    assert date_line, text
    announced = datetime.strptime(date_line[1], "%Y-%m-%d %H:%M").replace(tzinfo=ZONE)
    assert abs(announced - typed_at) < timedelta(minutes=2)  # the chapter's time, not UTC
    assert text == (
        f"Title: {TITLE}\n"
        f"Date: {date_line[1]}\n"
        f"Start: {START}\n"
        f"End: {END}\n"
        "Venue: Perpustakaan Kota\n"
        "Venue_Address: Jl. Merdeka No. 1, Palembang\n"
        "Teacher: Sari (tokoh fiktif) | @sari_menulis | Penulis cerpen\n"
        "Summary: Dari ide sampai cerita utuh.\n"
        "Status: scheduled\n"
        "Photo: images/kelas/cerpen-buku-catatan.jpg | Peserta menulis di buku catatan\n"
        "\n"
    )
    assert (repository / "content" / "images" / "kelas" / photo.name).read_bytes() == (
        photo.read_bytes()
    )

    # The kit accepts the file as it is, and builds the class page at the times typed.
    settings = site_settings(repository / "content", now=typed_at.isoformat())
    runner.check(settings)
    runner.build(settings)
    built = Path(settings["OUTPUT_PATH"]) / "kelas" / SLUG / "index.html"
    html = built.read_text(encoding="utf-8")
    assert f'<time class="dt-start" datetime="{DAY}T14:00:00+07:00">' in html
    assert f'<time class="dt-end" datetime="{DAY}T16:30:00+07:00" hidden>' in html
    assert "Sari (tokoh fiktif)" in html and "Peserta menulis di buku catatan" in html

    assert not errors
    foreign = [url for url in requests if not is_local(url)]
    assert not foreign, foreign
    assert time.monotonic() - started < 60
