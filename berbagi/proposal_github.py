"""The GitHub side of a proposal: push the draft's branch, open or update its pull request, and
answer on the issue, through the REST API with the workflow's GITHUB_TOKEN.

The token is only ever put in the Authorization header: no message, log line or error of this
module contains it. An edited issue updates the pull request and the comment it already has.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import requests

from .proposal import COMMENT_MARKER

logger = logging.getLogger(__name__)

API_URL = "https://api.github.com"
BOT_LOGIN = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
# Every commit the workflow makes on a proposal's branch carries this trailer; a commit without
# it was pushed by an organizer, whose work an edited issue must never overwrite.
TRAILER = "Usulan-Issue"
RETRIES = 2  # after a 5xx or a dropped connection
HINTS = {
    401: "the token was refused; the workflow must pass GITHUB_TOKEN",
    403: "the token may not do this; the workflow needs `contents: write`, `pull-requests: write` "
    "and `issues: write`, and Settings → Actions → General must allow GitHub Actions to create "
    "pull requests",
    404: "the repository, issue or pull request was not found (or the token cannot see it)",
    422: "GitHub refused the request as invalid",
}


class GitHubError(Exception):
    """A GitHub API call that failed, said in one line without the token."""


@dataclass(frozen=True)
class Pull:
    """A pull request of a proposal."""

    number: int
    url: str  # its page, https://github.com/owner/repo/pull/7
    branch: str
    head_sha: str
    is_open: bool = True


class GitHub:
    """The few REST calls a proposal needs, for one repository."""

    def __init__(
        self,
        repository: str,
        token: str,
        api_url: str = API_URL,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token:
            raise GitHubError("GITHUB_TOKEN is not set; the workflow must pass it in env")
        self.repository = repository
        self._token = token
        self.api_url = api_url.rstrip("/")
        self.session = session or requests.Session()
        self.sleep = sleep

    def __repr__(self) -> str:  # never shows the token
        return f"GitHub({self.repository!r})"

    def _safe(self, text: str) -> str:
        return text.replace(self._token, "***")

    def request(self, method: str, path: str, **payload: Any) -> Any:
        """One API call; its JSON answer, or GitHubError saying what failed and why."""
        url = f"{self.api_url}/repos/{self.repository}{path}"
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }
        what = f"GitHub {method} /repos/{self.repository}{path.split('?')[0]}"
        for attempt in range(RETRIES + 1):
            try:
                response = self.session.request(
                    method, url, headers=headers, json=payload or None, timeout=30
                )
            except requests.RequestException as error:
                if attempt < RETRIES:
                    self.sleep(2**attempt)
                    continue
                raise GitHubError(
                    self._safe(f"{what}: no answer ({type(error).__name__})")
                ) from None
            if response.status_code >= 500 and attempt < RETRIES:
                logger.warning("%s: HTTP %s, trying again", what, response.status_code)
                self.sleep(2**attempt)
                continue
            if response.status_code >= 400:
                raise GitHubError(self._safe(f"{what}: {_explain(response)}"))
            return response.json() if response.content else None
        raise AssertionError("unreachable")  # pragma: no cover

    def _pages(self, path: str, query: str = "") -> Iterator[dict[str, Any]]:
        for page in range(1, 11):  # the newest 1,000: far more than a chapter's proposals
            items = self.request(
                "GET", f"{path}?{query}&per_page=100&page={page}".replace("?&", "?")
            )
            yield from items
            if len(items) < 100:
                return

    def find_pull(self, issue: int) -> Pull | None:
        """The pull request made for issue `issue` (its branch is `usulan/<issue>-...`), open
        or not: a merged or closed one is never followed by a second."""
        prefix = f"usulan/{issue}-"
        for pull in self._pages("/pulls", "state=all"):
            head = pull.get("head") or {}
            same_repository = (head.get("repo") or {}).get("full_name") == self.repository
            if same_repository and str(head.get("ref", "")).startswith(prefix):
                return Pull(
                    pull["number"],
                    pull["html_url"],
                    head["ref"],
                    head.get("sha", ""),
                    is_open=pull.get("state", "open") == "open",
                )
        return None

    def touched_by_hand(self, pull: Pull, issue: int) -> bool:
        """Whether a commit on the pull request lacks the workflow's trailer (an organizer's)."""
        mark = f"{TRAILER}: {issue}"
        commits = self.request("GET", f"/pulls/{pull.number}/commits?per_page=100")
        return any(mark not in commit["commit"]["message"] for commit in commits)

    def open_pull(self, branch: str, base: str, title: str, body: str) -> Pull:
        """Open a pull request from `branch` into `base`."""
        pull = self.request(
            "POST", "/pulls", title=title, head=branch, base=base, body=body, draft=False
        )
        return Pull(pull["number"], pull["html_url"], branch, pull["head"]["sha"])

    def update_pull(self, pull: Pull, title: str, body: str) -> Pull:
        """Give an open pull request a new title and description."""
        self.request("PATCH", f"/pulls/{pull.number}", title=title, body=body)
        return pull

    def find_comment(self, issue: int) -> int | None:
        """The id of the workflow's own answer on the issue, if it has written one."""
        for comment in self._pages(f"/issues/{issue}/comments"):
            author = (comment.get("user") or {}).get("login")
            if author == BOT_LOGIN and COMMENT_MARKER in (comment.get("body") or ""):
                return int(comment["id"])
        return None

    def answer(self, issue: int, body: str) -> str:
        """Write the answer on the issue, replacing the earlier one; the comment's address."""
        existing = self.find_comment(issue)
        if existing is None:
            comment = self.request("POST", f"/issues/{issue}/comments", body=body)
        else:
            comment = self.request("PATCH", f"/issues/comments/{existing}", body=body)
        return str(comment["html_url"])


def _explain(response: requests.Response) -> str:
    """`HTTP 422: Validation Failed (A pull request already exists ...); <hint>`."""
    try:
        data = response.json()
    except ValueError:
        data = {}
    message = str(data.get("message", "")) if isinstance(data, dict) else ""
    details = [
        str(item.get("message") or item.get("code"))
        for item in (data.get("errors") or [] if isinstance(data, dict) else [])
        if isinstance(item, dict)
    ]
    text = f"HTTP {response.status_code}"
    if message:
        text += f": {message}"
    if details:
        text += f" ({'; '.join(details)})"
    hint = HINTS.get(response.status_code)
    if response.status_code >= 500:
        hint = "GitHub had a problem; run the workflow again later (Actions → Re-run jobs)"
    return f"{text}; {hint}" if hint else text


@dataclass(frozen=True)
class Submitted:
    """What `submit` did: the pull request, whether the branch was pushed, the comment."""

    pull: Pull
    pushed: bool
    comment_url: str


def submit(
    github: GitHub,
    issue: int,
    branch: str,
    base: str,
    title: str,
    body: str,
    push: Callable[[str, str], None],
    comment: Callable[[Pull, bool], str],
) -> Submitted:
    """Push the draft and open its pull request, or update the one the issue already has.

    `push(branch, expected_sha)` pushes the local commit to `branch` (replacing the commit at
    `expected_sha`, '' for a new branch); `comment(pull, pushed)` is the answer's text.
    """
    existing = github.find_pull(issue)
    if existing is None:
        push(branch, "")
        pull = github.open_pull(branch, base, title, body)
        pushed = True
    elif not existing.is_open or github.touched_by_hand(existing, issue):
        # An organizer already works on the draft, or merged or closed it: the issue's edit is
        # left for them to apply.
        pull, pushed = existing, False
    else:
        push(existing.branch, existing.head_sha)
        pull = github.update_pull(existing, title, body)
        pushed = True
    return Submitted(pull, pushed, github.answer(issue, comment(pull, pushed)))
