"""The proposal's GitHub calls through `responses`: requests' own code runs, GitHub does not."""

from __future__ import annotations

import json
import logging

import pytest
import responses
from responses import matchers

from berbagi import proposal_github
from berbagi.proposal import COMMENT_MARKER

API = "https://api.github.com/repos/akber/situs"
TOKEN = "ghs_secret_token_0123456789"
AUTH = matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"})
BRANCH = "usulan/42-menulis-cerpen"


def github() -> proposal_github.GitHub:
    return proposal_github.GitHub("akber/situs", TOKEN, sleep=lambda seconds: None)


def pull_json(number=7, ref=BRANCH, sha="abc123", repo="akber/situs", state="open"):
    return {
        "number": number,
        "state": state,
        "html_url": f"https://github.com/akber/situs/pull/{number}",
        "head": {"ref": ref, "sha": sha, "repo": {"full_name": repo}},
    }


def comment_json(comment_id, login, body):
    return {
        "id": comment_id,
        "user": {"login": login},
        "body": body,
        "html_url": f"https://github.com/akber/situs/issues/42#issuecomment-{comment_id}",
    }


class Pushes(list):
    def __call__(self, branch: str, expected: str) -> None:
        self.append((branch, expected))


def submit(pushes: Pushes) -> proposal_github.Submitted:
    return proposal_github.submit(
        github(),
        42,
        BRANCH,
        "main",
        "Usulan kelas #42: Menulis Cerpen",
        "Draf otomatis dari usulan https://github.com/akber/situs/issues/42",
        pushes,
        lambda pull, pushed: f"{COMMENT_MARKER}\nDraf: {pull.url} ({pushed})",
    )


@responses.activate
def test_a_new_proposal_opens_a_pull_request_and_answers_the_issue(caplog):
    caplog.set_level(logging.DEBUG)
    responses.get(f"{API}/pulls", json=[pull_json(3, "other-branch")], match=[AUTH])
    opened = responses.post(f"{API}/pulls", status=201, json=pull_json(), match=[AUTH])
    responses.get(f"{API}/issues/42/comments", json=[], match=[AUTH])
    posted = responses.post(
        f"{API}/issues/42/comments", status=201, json=comment_json(9, "x", ""), match=[AUTH]
    )
    pushes = Pushes()
    done = submit(pushes)
    assert pushes == [(BRANCH, "")]
    assert done.pull.url == "https://github.com/akber/situs/pull/7"
    assert done.pushed
    sent = json.loads(opened.calls[0].request.body)
    assert sent["head"] == BRANCH and sent["base"] == "main"
    assert sent["title"] == "Usulan kelas #42: Menulis Cerpen"
    assert "issues/42" in sent["body"] and "Closes" not in sent["body"]
    request = posted.calls[0].request
    assert request.headers["Accept"] == "application/vnd.github+json"
    assert "https://github.com/akber/situs/pull/7" in json.loads(request.body)["body"]
    assert done.comment_url.endswith("#issuecomment-9")
    assert TOKEN not in caplog.text and TOKEN not in repr(github())


@responses.activate
def test_an_edited_issue_updates_its_pull_request_and_answer_instead_of_adding_more():
    responses.get(f"{API}/pulls", json=[pull_json(sha="old-sha")])
    responses.get(
        f"{API}/pulls/7/commits",
        json=[{"commit": {"message": "Draf kelas dari usulan #42\n\nUsulan-Issue: 42"}}],
    )
    patched = responses.patch(f"{API}/pulls/7", json=pull_json())
    forged = comment_json(5, "someone", f"{COMMENT_MARKER} not the bot's")
    ours = comment_json(8, "github-actions[bot]", f"{COMMENT_MARKER}\nearlier answer")
    responses.get(f"{API}/issues/42/comments", json=[forged, ours])
    updated = responses.patch(f"{API}/issues/comments/8", json=ours)
    pushes = Pushes()
    done = submit(pushes)
    assert pushes == [(BRANCH, "old-sha")]  # replaces only the commit it saw
    assert json.loads(patched.calls[0].request.body)["title"] == "Usulan kelas #42: Menulis Cerpen"
    assert updated.call_count == 1
    assert done.pushed
    methods = [
        (call.request.method, call.request.path_url.split("?")[0]) for call in responses.calls
    ]
    assert ("POST", "/repos/akber/situs/pulls") not in methods
    assert ("POST", "/repos/akber/situs/issues/42/comments") not in methods


@responses.activate
def test_a_draft_an_organizer_already_edited_is_not_overwritten():
    responses.get(f"{API}/pulls", json=[pull_json()])
    responses.get(
        f"{API}/pulls/7/commits",
        json=[
            {"commit": {"message": "Draf kelas dari usulan #42\n\nUsulan-Issue: 42"}},
            {"commit": {"message": "Isi alamat tempat"}},
        ],
    )
    responses.get(f"{API}/issues/42/comments", json=[])
    posted = responses.post(
        f"{API}/issues/42/comments", status=201, json=comment_json(9, "github-actions[bot]", "")
    )
    pushes = Pushes()
    done = submit(pushes)
    assert pushes == [] and not done.pushed
    assert "(False)" in json.loads(posted.calls[0].request.body)["body"]


@responses.activate
def test_a_refused_pull_request_is_a_clear_error_without_the_token():
    responses.get(f"{API}/pulls", json=[])
    responses.post(
        f"{API}/pulls",
        status=422,
        json={
            "message": "Validation Failed",
            "errors": [{"message": f"A pull request already exists for akber:{BRANCH}."}],
        },
    )
    with pytest.raises(proposal_github.GitHubError) as raised:
        submit(Pushes())
    message = str(raised.value)
    assert message.startswith("GitHub POST /repos/akber/situs/pulls: HTTP 422: Validation Failed")
    assert f"A pull request already exists for akber:{BRANCH}." in message
    assert TOKEN not in message


@responses.activate
def test_actions_not_allowed_to_open_pull_requests_says_which_setting():
    responses.get(f"{API}/pulls", json=[])
    responses.post(
        f"{API}/pulls",
        status=403,
        json={"message": "GitHub Actions is not permitted to create or approve pull requests."},
    )
    with pytest.raises(proposal_github.GitHubError, match="allow GitHub Actions to create"):
        submit(Pushes())


@responses.activate
def test_a_server_error_is_tried_again_then_reported():
    failing = responses.get(f"{API}/pulls", status=502, body="<html>Bad gateway</html>")
    with pytest.raises(proposal_github.GitHubError) as raised:
        submit(Pushes())
    assert failing.call_count == proposal_github.RETRIES + 1
    assert "HTTP 502" in str(raised.value) and "run the workflow again" in str(raised.value)


@responses.activate
def test_a_passing_server_error_does_not_fail_the_run(caplog):
    responses.get(f"{API}/issues/42/comments", status=503)
    responses.get(f"{API}/issues/42/comments", json=[])
    responses.post(f"{API}/issues/42/comments", status=201, json=comment_json(1, "x", ""))
    assert github().answer(42, "hai").endswith("#issuecomment-1")
    assert "HTTP 503, trying again" in caplog.text


@responses.activate
def test_no_answer_at_all_is_reported_without_the_token():
    import requests

    responses.get(f"{API}/pulls", body=requests.ConnectionError(f"refused {TOKEN}"))
    with pytest.raises(proposal_github.GitHubError) as raised:
        github().find_pull(42)
    assert "no answer (ConnectionError)" in str(raised.value)
    assert TOKEN not in str(raised.value)


def test_a_missing_token_is_said_before_any_call():
    with pytest.raises(proposal_github.GitHubError, match="GITHUB_TOKEN is not set"):
        proposal_github.GitHub("akber/situs", "")


@responses.activate
def test_a_fork_branch_of_the_same_name_is_not_the_proposals():
    responses.get(f"{API}/pulls", json=[pull_json(repo="someone/fork")])
    assert github().find_pull(42) is None


@responses.activate
def test_a_merged_or_closed_draft_gets_no_second_pull_request():
    every_state = matchers.query_param_matcher({"state": "all", "per_page": "100", "page": "1"})
    responses.get(f"{API}/pulls", json=[pull_json(state="closed")], match=[every_state])
    responses.get(f"{API}/issues/42/comments", json=[])
    posted = responses.post(
        f"{API}/issues/42/comments", status=201, json=comment_json(9, "github-actions[bot]", "")
    )
    pushes = Pushes()
    done = submit(pushes)
    assert pushes == [] and not done.pushed and not done.pull.is_open
    assert posted.call_count == 1
    assert [call.request.method for call in responses.calls] == ["GET", "GET", "POST"]
