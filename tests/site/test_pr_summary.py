"""The pull request's job summary, end to end: a real git repository with a base and a head
commit, a real production build, the dry run on every network, then the Markdown read back
with Python-Markdown (an independent parser) and checked element by element."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import markdown
import network_servers as servers
import pytest
import yaml
from invoke import MockContext
from lxml import html
from PIL import Image

from berbagi.glue import pr_summary, runner
from berbagi.publish.summary import SHARE_IMAGES_ARTIFACT, ZWJ, render
from berbagi.settings import load as kit_settings

ROOT = Path(__file__).resolve().parents[2]
ALL = ["twitter", "facebook", "telegram", "mastodon", "bluesky", "email"]
TITLES = {
    "X (Twitter)": 280,
    "Facebook": 63206,
    "Telegram": 4096,
    "Mastodon": 500,
    "Bluesky": 300,
    "Mailing list": 10000,
}
HOSTILE = "`|<script>@everyone ** [x](javascript:alert(1)) # ~~gone~~ </details>"
NEW_CLASS = """Title: Menulis Cerpen: dari Ide sampai Terbit
Date: 2026-11-27 10:00
Start: 2027-01-16 15:00
End: 17:00
Venue: Perpustakaan Kota Contoh
Venue_Address: Jl. Merdeka No. 1, Palembang
Teacher: Sari Penulis (tokoh fiktif) | @penulis_fiktif @sari@mastodon.social sari.bsky.social
Summary: Dari ide sampai naskah yang siap dikirim.

Uraian kelas.
"""
# Announced later: its Date is still to come on 28 November.
HOSTILE_CLASS = f"""Title: {HOSTILE}
Date: 2026-12-20 10:00
Start: 2027-01-20 15:00
Venue: Aula <b>Contoh</b> | @venue_fiktif
Venue_Address: Jl. Contoh No. 2, Palembang
Teacher: Guru Contoh

Uraian.
"""


def git(repo: Path, *arguments: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=Test",
            "-c",
            "user.email=t@example.org",
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path, content_dir):
    """A git repository in tmp_path whose base commit holds the sample's past classes only
    (nothing within 30 days: the check warns), with a branch `change` checked out."""
    content = content_dir()
    for path in (content / "classes").glob("202[67]-*.md"):
        if path.name >= "2026-12":
            path.unlink()
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "change")
    return tmp_path


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A", "content")
    git(repo, "commit", "-q", "-m", message)


def started_ledger(path: Path, networks: list[str]) -> None:
    chapter = {"domain": "palembang.akademiberbagi.example", "twitter": "AkberPLB"}
    path.write_text(
        json.dumps({"version": 2, "chapter": chapter, "networks": networks, "records": []})
    )


@pytest.fixture
def production(repo, site_settings, monkeypatch):
    """`production(networks)`: a production build of the repository's content as CI's
    `invoke preview` makes it (plan and build report), returning the settings."""
    monkeypatch.delenv("BERBAGI_NOW", raising=False)

    def build(networks: list[str] | None = ALL) -> dict:
        ledger = repo / "announcements.json"
        started_ledger(ledger, networks or ["twitter"])
        social = {"write_plan": True, "ledger": str(ledger), "networks": networks}
        settings = site_settings(repo / "content", SOCIAL_PUBLISH=social)
        report = pr_summary.report_path(kit_settings(settings))
        try:
            warnings = runner.build(settings)
        except runner.BuildFailed as failure:
            pr_summary.write_build_report(report, failure=failure)
        else:
            pr_summary.write_build_report(report, warnings)
        return settings

    return build


SITE = "https://palembang.akademiberbagi.example"


def parsed(summary: str) -> html.HtmlElement:
    rendered = markdown.markdown(summary, extensions=["tables", "fenced_code"])
    return html.fromstring(f"<div>{rendered}</div>")


def section(tree: html.HtmlElement, heading: str) -> list[html.HtmlElement]:
    """The elements after the h3 `heading`, up to the next h3."""
    found = tree.xpath(f"//h3[normalize-space()='{heading}']")
    assert found, f"no section {heading!r}"
    elements = []
    for element in found[0].itersiblings():
        if element.tag == "h3":
            break
        elements.append(element)
    return elements


def table_rows(elements: list[html.HtmlElement]) -> list[list[str]]:
    table = next(e for e in elements if e.tag == "table")
    return [[cell.text_content().strip() for cell in row] for row in table.xpath(".//tbody/tr")]


def test_a_new_class_is_listed_posted_once_per_network_with_its_image_and_warnings(
    repo, production, networks, tmp_path
):
    (repo / "content/classes/2027-01-16-menulis-cerpen.md").write_text(NEW_CLASS)
    (repo / "content/classes/2027-01-20-kelas-judul-aneh.md").write_text(HOSTILE_CLASS)
    commit(repo)
    settings = production()
    plan = json.loads((tmp_path / "cache/announce-plan.json").read_text())

    summary = render(pr_summary.gather(settings, base="main", images=tmp_path / "artifact"))

    tree = parsed(summary)
    verdict = tree.xpath("//p/strong")[0].text_content()
    assert verdict == (
        "Merging publishes 1 new class and adds 1 class that appears later; it posts 6 times "
        "(about 0.20 USD on X (Twitter))."
    )
    classes = table_rows(section(tree, "Classes in this change"))
    assert [row[0] for row in classes] == ["added", "added"]
    new = classes[0]
    assert (
        new[1]
        == "Menulis Cerpen: dari Ide sampai Terbitcontent/classes/2027-01-16-menulis-cerpen.md"
    )
    assert new[2:5] == ["2027-01-16 15:00 WIB", "Perpustakaan Kota Contoh", "scheduled, upcoming"]
    assert new[5] == f"{SITE}/kelas/menulis-cerpen/"
    assert classes[1][4] == "scheduled, upcoming, appears on 2026-12-20 10:00 WIB"

    posts = section(tree, "What merging would post")
    rows = {row[0]: row for row in table_rows(posts)}
    texts = plan["items"][0]["texts"]
    assert [item["slug"] for item in plan["items"] if item["type"] == "class"] == ["menulis-cerpen"]
    for title, limit in TITLES.items():
        assert rows[title][1] == "1"
        assert rows[title][2].endswith(f"/{limit}")
    assert rows["X (Twitter)"][3] == "about 0.20 USD"
    headings = [e.text_content() for e in posts if e.tag == "h4"]
    assert headings == [
        "X (Twitter): 1 post, about 0.20 USD (0.20 a post with a link)",
        *(f"{title}: 1 post" for title in list(TITLES)[1:]),
    ]
    blocks = [e.text_content().rstrip("\n") for e in posts if e.tag == "pre"]
    assert blocks == [texts[network]["announcement"]["text"] for network in ALL]
    lengths = [
        e.text_content() for e in posts if e.tag == "p" and e.text_content().startswith("1/1")
    ]
    assert lengths == [
        f"1/1 announcement menulis-cerpen: {texts[network]['announcement']['weighted_length']}/"
        f"{limit}"
        for network, limit in zip(ALL, TITLES.values(), strict=True)
    ]

    images = table_rows(section(tree, "Share images"))
    assert images[0][0] == "Menulis Cerpen: dari Ide sampai Terbit"
    assert images[0][1] == "output/bagikan/kelas/menulis-cerpen.png"
    with Image.open(tmp_path / images[0][1]) as picture:
        assert picture.size == (1200, 630)
    assert images[0][2].startswith("1200 × 630 px")
    assert images[1][1] == "drawn when the class appears (2026-12-20)"
    assert (tmp_path / "artifact/menulis-cerpen.png").is_file()
    assert f"`{SHARE_IMAGES_ARTIFACT}` artifact" in summary

    warnings = [li.text_content() for li in section(tree, "Warnings")[0].xpath("./li")]
    assert warnings[0] == (
        "class_schedule: no class is scheduled between 2026-11-28 and 2026-12-28; the chapter "
        "promises at least one class a month (check and build)"
    )
    assert "its Date is still to come, so it appears on 2026-12-20 10:00 WIB" in warnings[1]

    # The hostile title is shown as written, and it neither builds markup nor mentions anybody.
    shown_title = HOSTILE.replace("@", "@" + ZWJ)
    assert classes[1][1].startswith(shown_title)
    assert tree.xpath("//script") == [] and tree.xpath("//a[contains(@href, 'javascript')]") == []
    assert tree.xpath("//del | //s | //strike | //details | //h1") == []
    assert "@everyone" not in summary and "@venue_fiktif" not in summary
    for secret in servers.SECRETS.values():
        assert secret not in summary


def test_a_change_without_class_files_says_so(repo, production):
    (repo / "content/pages/tentang.md").write_text(
        (repo / "content/pages/tentang.md").read_text() + "\nSatu kalimat lagi.\n"
    )
    commit(repo)
    settings = production(["twitter"])

    summary = render(pr_summary.gather(settings, base="main"))

    tree = parsed(summary)
    assert tree.xpath("//p/strong")[0].text_content() == (
        "Merging changes no class and posts nothing."
    )
    assert [e.text_content() for e in section(tree, "Classes in this change")] == [
        "This pull request changes no class file."
    ]
    assert section(tree, "What merging would post")
    assert not tree.xpath("//h3[normalize-space()='Share images']")


def test_a_changed_and_a_removed_class_say_what_changed(repo, production):
    classes = repo / "content/classes"
    moved = classes / "2025-10-11-public-speaking.md"
    moved.write_text(moved.read_text().replace("Venue: ", "Venue: Gedung Baru, ", 1))
    (classes / "2011-05-14-menulis-blog-untuk-pemula.md").unlink()
    commit(repo)
    settings = production(["twitter"])

    found = pr_summary.gather(settings, base="main")

    tree = parsed(render(found))
    rows = table_rows(section(tree, "Classes in this change"))
    assert [row[0] for row in rows] == ["removed", "changed"]
    assert rows[1][4] == "scheduled, past"
    notes = [li.text_content() for li in tree.xpath("//ul/li")]
    assert any(note.startswith("Public Speaking") and "Venue: " in note for note in notes)
    assert any("is removed: its page and calendar entry disappear" in note for note in notes)
    assert any("has already started" in note for note in notes)


def test_a_failed_check_blocks_and_tables_every_problem(repo, production):
    (repo / "content/classes/2027-01-16-menulis-cerpen.md").write_text(
        NEW_CLASS.replace("Start: 2027-01-16 15:00", "Start: 2027-13-16 15:00")
    )
    commit(repo)
    settings = production(["twitter"])

    tree = parsed(render(pr_summary.gather(settings, base="main")))

    verdict = tree.xpath("//p/strong")[0].text_content()
    assert verdict.startswith("Merging is blocked: invoke check found 1 problem in 1 file")
    problems = table_rows(section(tree, "Problems"))
    assert problems[0][:3] == ["content/classes/2027-01-16-menulis-cerpen.md", "3", "start"]
    assert "is not a date-time" in problems[0][3]
    classes = table_rows(section(tree, "Classes in this change"))
    assert classes[0][1] == (
        "Menulis Cerpen: dari Ide sampai Terbitcontent/classes/2027-01-16-menulis-cerpen.md"
    )
    assert classes[0][4] == "invalid (see Problems)"
    posts = section(tree, "What merging would post")
    assert posts[0].text_content().startswith("Unknown: the production build failed")


def test_the_task_writes_the_job_summary_and_check_adds_its_table_on_actions(
    repo, tmp_path, monkeypatch, capsys
):
    import importlib.util

    spec = importlib.util.spec_from_file_location("chapter_tasks", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    monkeypatch.setattr(tasks, "_log_to_console", lambda one_line=False: None)
    settings_file = tmp_path / "publishconf_test.py"
    settings_file.write_text(
        "import runpy\n"
        f"_local = runpy.run_path({str(ROOT / 'publishconf.py')!r})\n"
        "globals().update({k: v for k, v in _local.items() if k.isupper()})\n"
        f"PATH = {str(repo / 'content')!r}\n"
        f"OUTPUT_PATH = {str(tmp_path / 'output')!r}\n"
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n"
        "CLASS_SCHEDULE = {'now': '2026-11-28T09:00:00+07:00'}\n"
        "SOCIAL_PUBLISH = {**SOCIAL_PUBLISH, "
        f"'ledger': {str(tmp_path / 'announcements.json')!r}, "
        f"'plan': {str(tmp_path / 'cache/plan.json')!r}}}\n"
    )
    started_ledger(tmp_path / "announcements.json", ["twitter"])
    monkeypatch.setitem(tasks.CONFIG, "settings_publish", str(settings_file))
    monkeypatch.setitem(tasks.CONFIG, "settings_base", str(settings_file))
    for name in servers.SECRETS:
        monkeypatch.delenv(name, raising=False)
    (repo / "content/classes/2027-01-16-menulis-cerpen.md").write_text(NEW_CLASS)
    commit(repo)
    job_summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(job_summary))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")

    tasks.preview(MockContext())
    tasks.pr_summary(MockContext(), base="main", images=str(tmp_path / "share-images"))

    written = job_summary.read_text(encoding="utf-8")
    assert written.startswith("## What merging this pull request does\n\n**Merging publishes 1")
    assert "| X (Twitter) | 1 | " in written
    assert "secrets not available to pull requests" in written
    assert "| Facebook | - | - | - | not set up: no history in the ledger" in written
    assert (tmp_path / "share-images/menulis-cerpen.png").is_file()

    job_summary.unlink()
    broken = repo / "content/classes/2027-01-16-menulis-cerpen.md"
    broken.write_text(NEW_CLASS.replace("Venue: ", "Venue : "))
    with pytest.raises(Exception, match="check failed"):
        tasks.check(MockContext())
    table = job_summary.read_text(encoding="utf-8")
    assert table.startswith(
        "### `invoke check` found 2 problems\n\n| File | Line | Field | Problem |"
    )
    assert "| content/classes/2027\\-01\\-16" not in table  # paths are not over-escaped
    assert "content/classes/2027-01-16-menulis-cerpen.md | 5 |" in table
    capsys.readouterr()


def test_the_workflow_summarises_after_the_build_whatever_failed_without_injection():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pr.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    names = [step.get("name", "") for step in steps]
    summary = steps[names.index("Summary for the reviewer")]
    assert names.index("Summary for the reviewer") > names.index("Build the production site")
    assert "!cancelled()" in summary["if"]
    assert summary["run"] == '.venv/bin/invoke pr-summary --base "$BASE_SHA" --images share-images'
    assert summary["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    upload = next(
        step for step in steps if step.get("uses", "").startswith("actions/upload-artifact")
    )
    assert upload["with"]["name"] == SHARE_IMAGES_ARTIFACT and "!cancelled()" in upload["if"]
    for step in steps:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_a_base_git_does_not_know_is_said_in_the_summary(repo, production):
    settings = production(["twitter"])

    tree = parsed(render(pr_summary.gather(settings, base="no-such-branch")))

    said = section(tree, "Classes in this change")[0].text_content()
    assert said.startswith("The change could not be compared with its base: git merge-base failed")


def test_git_lists_renames_with_both_paths(repo):
    classes = repo / "content/classes"
    shutil.move(
        classes / "2025-10-11-public-speaking.md", classes / "2025-10-18-public-speaking.md"
    )
    commit(repo)

    changes = pr_summary.changed_files(repo, "main", repo / "content/classes")

    assert changes == [
        pr_summary.FileChange(
            "renamed",
            "content/classes/2025-10-18-public-speaking.md",
            "content/classes/2025-10-11-public-speaking.md",
        )
    ]
