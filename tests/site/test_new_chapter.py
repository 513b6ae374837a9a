"""`invoke new-chapter` as a new chapter meets it: a copy of the kit, answers, a build, a post."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import network_servers as servers
import pytest

from berbagi.publish.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
KIT = ("pelicanconf.py", "publishconf.py", "tasks.py", "announcements.json", "pyproject.toml")
NOW = "2026-12-03T10:00:00+08:00"
MAKASSAR = [
    "--name", "Akademi Berbagi Makassar", "--city", "Makassar", "--zone", "WITA",
    "--email", "halo@makassar.akademiberbagi.example",
    "--domain", "makassar.akademiberbagi.example",
    "--twitter", "@AkberMKS", "--mastodon", "@akbermks@mastodon.social",
    "--mailing-list", "akber-makassar@googlegroups.example",
]  # fmt: skip
FIRST_CLASS = [
    "--no-input", "--title", "Menulis Cerpen", "--start", "2027-01-09 14:00",
    "--venue", "Perpustakaan Kota Contoh", "--address", "Jl. Contoh No. 2, Makassar",
    "--teacher", "Penulis cerpen (tokoh fiktif) | @penulis_cerpen",
]  # fmt: skip
# No network's secrets reach the copy's tasks unless a test gives them.
SECRET_PREFIXES = ("TWITTER_", "FACEBOOK_", "TELEGRAM_", "MASTODON_", "BLUESKY_", "SMTP_")


@pytest.fixture
def kit(tmp_path) -> Path:
    """A fresh copy of the kit, as a fork starts: the sample chapter's settings and content."""
    site = tmp_path / "site"
    site.mkdir()
    for name in KIT:
        shutil.copy(ROOT / name, site / name)
    for folder in ("content", "theme", "plugins"):
        shutil.copytree(ROOT / folder, site / folder)
    return site


def invoke(site: Path, *arguments: str, stdin: str | None = None, **environ: str):
    """A task of the copy, run as a chapter runs it: its own folder, this kit's package."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(SECRET_PREFIXES)}
    clean["PYTHONPATH"] = os.pathsep.join([str(ROOT), clean.get("PYTHONPATH", "")])
    clean.pop("BERBAGI_NOW", None)
    return subprocess.run(
        [sys.executable, "-m", "invoke", *arguments],
        cwd=site,
        capture_output=True,
        text=True,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        env={**clean, **environ},
    )


def settings_of(site: Path) -> dict:
    """The copy's settings as Pelican reads them (in a child process: a settings file is code)."""
    script = (
        "import json, sys; from pelican.settings import read_settings; "
        "s = read_settings(sys.argv[1]); "
        "print(json.dumps({k: s[k] for k in ('CHAPTER', 'TIMEZONE', 'DEFAULT_LANG', 'SITEURL', "
        "'CLASS_FEEDS', 'CMS')}))"
    )
    for name in ("pelicanconf.py", "publishconf.py"):
        assert (site / name).exists()
    found = {}
    for name in ("pelicanconf.py", "publishconf.py"):
        result = subprocess.run(
            [sys.executable, "-c", script, str(site / name)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        found[name] = json.loads(result.stdout)
    return found


class _Title(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title, self._inside = "", False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "title"

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.title += data


def page_title(path: Path) -> str:
    parser = _Title()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.title.strip()


def test_answers_as_options_make_a_chapter_that_builds_with_its_name_zone_and_domain(kit):
    result = invoke(kit, "new-chapter", "--no-input", *MAKASSAR)
    assert result.returncode == 0, result.stderr
    assert "Akademi Berbagi Makassar is ready to build" in result.stdout
    assert 'TIMEZONE = "Asia/Makassar"' in result.stdout
    assert "removed the sample's 12 class files and 3 photos" in result.stdout
    assert "gh secret set MASTODON_API_BASE_URL --body https://mastodon.social" in result.stdout
    assert "1. `invoke rebuild` then `invoke serve`" in result.stdout

    settings = settings_of(kit)
    local, production = settings["pelicanconf.py"], settings["publishconf.py"]
    assert local["CHAPTER"]["short_name"] == "Akber Makassar"
    assert local["CHAPTER"]["hashtag"] == "AkberMKS"
    assert local["CHAPTER"]["logo"] == str(kit / "content" / "images" / "logo.png")
    assert local["CLASS_FEEDS"]["id_year"] == 2026
    assert production["SITEURL"] == "https://makassar.akademiberbagi.example"
    assert sorted(p.name for p in (kit / "content" / "classes").iterdir()) == ["_template.md"]
    assert not list((kit / "content" / "images" / "kelas").iterdir())
    assert (kit / "content" / "images" / "logo.png").exists()

    ledger = Ledger.load(kit / "announcements.json")
    assert ledger is not None
    assert ledger.records == []
    assert ledger.chapter == {"domain": "makassar.akademiberbagi.example", "twitter": "AkberMKS"}
    assert ledger.networks == ["email", "mastodon", "twitter"]

    asked = invoke(kit, "new-class", "--title", "Menulis Cerpen")  # input closed
    assert "no answer for 'Mulai (YYYY-MM-DD HH:MM, WITA)'" in asked.stderr  # the chapter's zone
    made = invoke(kit, "new-class", *FIRST_CLASS, BERBAGI_NOW=NOW)
    assert made.returncode == 0, made.stderr
    built = invoke(kit, "rebuild", BERBAGI_NOW=NOW)
    assert built.returncode == 0, built.stderr
    checked = invoke(kit, "check", BERBAGI_NOW=NOW)
    assert checked.returncode == 0, checked.stderr
    assert "every class file is valid" in checked.stdout

    output = kit / "output"
    assert page_title(output / "index.html").endswith("Akber Makassar")
    assert not (output / "kelas" / "jurnalistik-foto").exists()  # the sample's class is gone
    class_page = (output / "kelas" / "menulis-cerpen" / "index.html").read_text("utf-8")
    assert "14.00 WITA" in class_page
    calendar = icalendar.Calendar.from_ical((output / "calendar.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Kelas Akademi Berbagi Makassar"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).endswith("@makassar.akademiberbagi.example")
    start = event.decoded("DTSTART")
    assert (start.hour, str(start.tzinfo)) == (14, "Asia/Makassar")
    assert str(event["ORGANIZER"]) == "mailto:halo@makassar.akademiberbagi.example"
    about = (kit / "content" / "pages" / "kontak.md").read_text("utf-8")
    assert "Akademi Berbagi Makassar" in about and "@AkberMKS" in about
    assert "halo@makassar.akademiberbagi.example" in about
    assert "Palembang" not in about and "AkberPLB" not in about

    # The fork's own lint and format checks see a settings file like the one the kit ships.
    for command in (["check"], ["format", "--check"]):
        linted = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "pelicanconf.py"],
            cwd=kit,
            capture_output=True,
            text=True,
        )
        assert linted.returncode == 0, linted.stdout + linted.stderr


def test_answers_typed_at_the_prompts_a_wrong_one_asked_again_quotes_in_the_name_no_x(kit):
    name = 'Akademi Berbagi "Tanah Papua" Jum\'at'
    answers = [
        name, "Jayapura", "", "Asia/Palembang", "WIT", "halo@jayapura.akademiberbagi.example",
        "jayapura.akademiberbagi.example", "", "en", "", "", "", "@akberjyp@mastodon.social",
        "", "", "", "", "",
    ]  # fmt: skip
    result = invoke(kit, "new-chapter", stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    assert (
        "--zone: must be WIB, WITA, WIT or an IANA time zone like Asia/Makassar, "
        "not 'Asia/Palembang'"
    ) in result.stdout
    assert "Nama pendek [Akber Jayapura]: " in result.stdout  # the default, shown

    local = settings_of(kit)["pelicanconf.py"]
    assert local["CHAPTER"]["name"] == name
    assert local["CHAPTER"]["founded"] == "December 2026"
    assert (local["TIMEZONE"], local["DEFAULT_LANG"]) == ("Asia/Jayapura", "en")
    built = invoke(kit, "rebuild", BERBAGI_NOW=NOW)
    assert built.returncode == 0, built.stderr
    home = (kit / "output" / "index.html").read_text("utf-8")
    assert "Akademi Berbagi &#34;Tanah Papua&#34; Jum&#39;at" in home
    # Not on X: no account in the page, the hashtag from the short name, English throughout.
    assert "twitter:site" not in home and "twitter.com/AkberPLB" not in home
    assert "#AkberJayapura" in home
    assert "The next class is not scheduled yet.</p>" in home
    ledger = Ledger.load(kit / "announcements.json")
    assert ledger.chapter == {"domain": "jayapura.akademiberbagi.example", "twitter": ""}
    assert ledger.networks == ["mastodon"]
    assert invoke(kit, "check").returncode == 0


def test_every_wrong_answer_is_one_line_all_in_one_run_and_nothing_changes(kit):
    before = {name: (kit / name).read_bytes() for name in KIT}
    result = invoke(
        kit, "new-chapter", "--no-input", "--name", "Akademi Berbagi Bandung",
        "--zone", "Asia/Bandung", "--email", "halo at bandung", "--domain", "https://bandung.org/",
        "--twitter", "@akber bandung", "--bluesky", "@akberbdg@mastodon.social", "--lang", "su",
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "new-chapter: --city: missing; give the chapter's city, like Surabaya",
        "new-chapter: --zone: must be WIB, WITA, WIT or an IANA time zone like Asia/Makassar, "
        "not 'Asia/Bandung'",
        "new-chapter: --email: must be an e-mail address like halo@surabaya.akademiberbagi.org, "
        "not 'halo at bandung'",
        "new-chapter: --domain: must be a bare lower-case host name like "
        "surabaya.akademiberbagi.org (no https://, no path), not 'https://bandung.org/'",
        "new-chapter: --lang: must be id or en, not 'su'",
        "new-chapter: --twitter: must be an X handle like @AkberSBY (1-15 letters, digits or _), "
        "not '@akber bandung'",
        "new-chapter: --bluesky: must be a Bluesky handle like akbersby.bsky.social; "
        "'@akberbdg@mastodon.social' looks like a Mastodon handle",
    ]
    assert {name: (kit / name).read_bytes() for name in KIT} == before
    assert len(list((kit / "content" / "classes").glob("*.md"))) == 13


def test_closed_input_names_the_missing_answer_and_its_option(kit):
    result = invoke(kit, "new-chapter", "--name", "Akademi Berbagi Medan")
    assert result.returncode == 1
    assert "no answer for 'Kota' (input closed); give it as --city" in result.stderr
    assert (kit / "pelicanconf.py").read_bytes() == (ROOT / "pelicanconf.py").read_bytes()


def test_the_first_announce_posts_the_first_class_with_no_baseline(kit):
    assert invoke(kit, "new-chapter", "--no-input", *MAKASSAR).returncode == 0
    assert invoke(kit, "new-class", *FIRST_CLASS, BERBAGI_NOW=NOW).returncode == 0
    production = invoke(kit, "preview", BERBAGI_NOW=NOW)
    assert production.returncode == 0, production.stderr
    with servers.smtp_server() as (mailbox, port):
        mail = {
            "SMTP_HOST": servers.LOCAL, "SMTP_PORT": str(port), "SMTP_SECURITY": "none",
            "SMTP_USERNAME": servers.SMTP_USER, "SMTP_PASSWORD": servers.SMTP_PASSWORD,
            "ANNOUNCE_EMAIL_FROM": "Akber Makassar <halo@makassar.akademiberbagi.example>",
            "ANNOUNCE_EMAIL_TO": "akber-makassar@googlegroups.example",
        }  # fmt: skip
        announced = invoke(kit, "announce", BERBAGI_NOW=NOW, **mail)
    assert announced.returncode == 0, announced.stdout + announced.stderr
    (message,) = mailbox.messages
    assert "Menulis Cerpen" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "https://makassar.akademiberbagi.example/kelas/menulis-cerpen/" in body
    ledger = Ledger.load(kit / "announcements.json")
    assert ledger is not None
    assert [(r.slug, r.network, r.status) for r in ledger.records] == [
        ("menulis-cerpen", "email", "posted")
    ]

    # A chapter that has announced is not started again: its history would be lost.
    again = invoke(kit, "new-chapter", "--no-input", *MAKASSAR[:-2])
    assert again.returncode == 1
    assert "holds 1 records of makassar.akademiberbagi.example" in again.stderr
    assert len(Ledger.load(kit / "announcements.json").records) == 1


def test_kept_sample_classes_wait_for_a_baseline_instead_of_being_announced(kit):
    result = invoke(kit, "new-chapter", "--no-input", "--keep-sample", *MAKASSAR)
    assert result.returncode == 0, result.stderr
    assert "kept the sample's classes and photos (--keep-sample)" in result.stdout
    assert len(list((kit / "content" / "classes").glob("*.md"))) == 13
    ledger = Ledger.load(kit / "announcements.json")
    assert ledger is not None
    assert (ledger.records, ledger.networks) == ([], [])
    pages = (kit / "content" / "pages" / "tentang.md").read_text("utf-8")
    assert re.search(r"^Summary: Akademi Berbagi Makassar adalah", pages, re.MULTILINE)
    assert "content/pages/tentang.md lines 3, 9, 20" in result.stdout  # Palembang, Februari 2011


def test_settings_the_kit_refuses_are_never_left_in_place(kit):
    # A fork's production settings that a new city breaks: its check fails after the swap.
    production = kit / "publishconf.py"
    production.write_text(
        production.read_text("utf-8")
        + '\nif CHAPTER["city"] != "Palembang":\n    TIMEZONE = "Asia/Palembang"\n',
        "utf-8",
    )
    before = {name: (kit / name).read_bytes() for name in KIT}
    result = invoke(kit, "new-chapter", "--no-input", *MAKASSAR)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "new-chapter: the new settings were not written:",
        "class_schedule: TIMEZONE 'Asia/Palembang' is not an IANA zone like Asia/Jakarta",
    ]
    assert {name: (kit / name).read_bytes() for name in KIT} == before
    assert sorted(p.name for p in kit.iterdir() if p.name.startswith("pelicanconf")) == [
        "pelicanconf.py"
    ]  # no temporary file left behind


def test_a_second_run_fixes_a_typo_and_starts_no_network_the_first_did_not(kit):
    typo = ["Makasar" if arg == "Makassar" else arg for arg in MAKASSAR]  # the city misspelt
    assert invoke(kit, "new-chapter", "--no-input", *typo).returncode == 0
    assert invoke(kit, "new-class", *FIRST_CLASS, BERBAGI_NOW=NOW).returncode == 0
    again = invoke(kit, "new-chapter", "--no-input", *MAKASSAR, "--bluesky", "akbermks.bsky.social")
    assert again.returncode == 0, again.stderr
    assert "removed" not in again.stdout  # the class made in between is the chapter's own
    assert (kit / "content" / "classes" / "2027-01-09-menulis-cerpen.md").exists()
    assert "bluesky: no history yet" in again.stdout
    assert "run `invoke announce --baseline` once" in again.stdout
    settings = settings_of(kit)["pelicanconf.py"]
    assert settings["CHAPTER"]["city"] == "Makassar"
    ledger = Ledger.load(kit / "announcements.json")
    assert ledger.networks == ["email", "mastodon", "twitter"]
