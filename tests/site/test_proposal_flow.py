"""Proposals end to end: the draft in a copy of the sample site, `check` on it, the task."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import responses

from berbagi import proposal, scaffold
from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "proposals"
FIXED_NOW = "2026-11-28T09:00:00+07:00"  # as in conftest.py


def add_draft(content: Path, name: str, number: int = 42) -> proposal.Draft:
    """The draft of fixture `name`, written into the content copy as the task writes it."""
    folder = content / "classes"
    now = datetime.fromisoformat(FIXED_NOW)
    found = proposal.parse_issue((FIXTURES / name).read_text(encoding="utf-8"), number)
    draft = proposal.compose_draft(found, now.tzinfo, now, scaffold.taken_slugs(folder))
    (folder / draft.file_name).write_text(draft.text, encoding="utf-8")
    return draft


def test_the_complete_proposal_passes_the_sites_check(content_dir, site_settings):
    content = content_dir()
    add_draft(content, "class_complete.md")
    runner.check(site_settings(content))  # raises BuildFailed on any problem


def test_the_hostile_proposal_passes_the_sites_check_and_is_never_shown(content_dir, build_site):
    content = content_dir()
    draft = add_draft(content, "class_hostile.md")
    output = build_site(content)
    assert not (output / "kelas" / draft.slug).exists()  # a draft has no page
    site = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in output.rglob("*")
        if path.is_file() and path.suffix in {".html", ".ics", ".xml", ".json", ".txt"}
    )
    assert "Keren 🎉📸" not in site and "kontak dihapus" not in site


def test_the_incomplete_proposal_fails_the_check_on_its_own_file(content_dir, site_settings):
    content = content_dir()
    draft = add_draft(content, "class_without_date_and_teacher.md")
    with pytest.raises(runner.BuildFailed) as failed:
        runner.check(site_settings(content))
    assert {problem.path.rsplit("/", 1)[-1] for problem in failed.value.located} == {
        draft.file_name
    }
    assert {problem.field for problem in failed.value.located} == {"start", "venue", "teacher"}


def test_the_task_reads_the_event_file_and_writes_the_draft(tmp_path, content_dir):
    content = content_dir()
    body = (FIXTURES / "class_complete.md").read_text(encoding="utf-8")
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps(
            {
                "action": "opened",
                "issue": {
                    "number": 42,
                    "body": body,
                    "title": "Usulan kelas: $(touch /tmp/pwned) `id`",
                    "html_url": "https://github.com/akber/situs/issues/42",
                    "user": {"login": "rina-foto"},
                    "labels": [{"name": "usulan-kelas"}],
                },
                "repository": {"full_name": "akber/situs", "default_branch": "main"},
            }
        ),
        encoding="utf-8",
    )
    result = tmp_path / "proposal.json"
    run = subprocess.run(
        [
            sys.executable, "-m", "invoke", "proposal", "--event", str(event),
            "--result", str(result), "--content", str(content),
        ],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env={**os.environ, "BERBAGI_NOW": FIXED_NOW},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    written = content / "classes" / "2027-01-09-menulis-cerpen-untuk-pemula.md"
    assert written.read_text(encoding="utf-8").startswith("Title: Menulis Cerpen untuk Pemula\n")
    assert "usulan/42-menulis-cerpen-untuk-pemula" in run.stdout
    assert "Tidak ada yang diterbitkan sebelum pengurus" in run.stdout
    data = json.loads(result.read_text(encoding="utf-8"))
    assert data["base"] == "main"
    assert data["issue_url"] == "https://github.com/akber/situs/issues/42"
    assert data["branch"] == "usulan/42-menulis-cerpen-untuk-pemula"
    assert Path(data["file"]) == written.resolve()
    assert proposal.draft_from_json(data).text == written.read_text(encoding="utf-8")


def test_the_task_without_an_issue_says_how_to_give_one():
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "proposal"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 2
    assert "give --event FILE, or --issue-file FILE and --number N" in run.stderr


def git(folder: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=folder, check=True, capture_output=True, text=True
    ).stdout


@responses.activate
def test_submit_pushes_the_draft_opens_the_pull_request_and_answers(tmp_path, monkeypatch, capsys):
    import importlib.util

    from invoke import Context

    spec = importlib.util.spec_from_file_location("berbagi_tasks", ROOT / "tasks.py")
    assert spec is not None and spec.loader is not None
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    origin, site = tmp_path / "origin.git", tmp_path / "site"
    git(tmp_path, "init", "--quiet", "--bare", str(origin))
    git(tmp_path, "clone", "--quiet", str(origin), str(site))
    (site / "content" / "classes").mkdir(parents=True)
    (site / "content" / "classes" / ".keep").write_text("", encoding="utf-8")
    git(site, "add", ".")
    git(site, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm", "base")
    git(site, "push", "--quiet", "origin", "HEAD:refs/heads/main")
    draft = add_draft(site / "content", "class_complete.md")
    result = tmp_path / "proposal.json"
    data = proposal.draft_to_json(draft) | {
        "file": str(site / "content" / "classes" / draft.file_name),
        "path": f"content/classes/{draft.file_name}",
        "issue_url": "https://github.com/akber/situs/issues/42",
        "base": "main",
    }
    result.write_text(json.dumps(data), encoding="utf-8")
    token = "ghs_never_printed_42"
    monkeypatch.setenv("GITHUB_TOKEN", token)
    monkeypatch.setenv("GITHUB_REPOSITORY", "akber/situs")
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    api = "https://api.github.com/repos/akber/situs"
    responses.get(f"{api}/pulls", json=[])
    opened = responses.post(
        f"{api}/pulls",
        status=201,
        json={
            "number": 7,
            "html_url": "https://github.com/akber/situs/pull/7",
            "head": {"ref": draft.branch, "sha": "x"},
        },
    )
    responses.get(f"{api}/issues/42/comments", json=[])
    answered = responses.post(
        f"{api}/issues/42/comments",
        status=201,
        json={"id": 1, "html_url": "https://github.com/akber/situs/issues/42#issuecomment-1"},
    )
    tasks.proposal_submit(Context(), result=str(result), check_outcome="failure")
    pushed = git(origin, "log", "-1", "--format=%an%n%B", draft.branch)
    assert pushed.startswith("github-actions[bot]\nDraf kelas dari usulan #42\n")
    assert "Usulan-Issue: 42" in pushed
    shown = git(origin, "show", f"{draft.branch}:content/classes/{draft.file_name}")
    assert shown == draft.text
    assert (
        "`invoke check` dengan draf ini: belum lulus"
        in json.loads(opened.calls[0].request.body)["body"]
    )
    comment = json.loads(answered.calls[0].request.body)["body"]
    assert "https://github.com/akber/situs/pull/7" in comment
    assert "Pemeriksaan otomatis situs gagal" in comment
    printed = capsys.readouterr()
    assert "proposal-submit: https://github.com/akber/situs/pull/7 pushed" in printed.out
    assert token not in printed.out + printed.err
