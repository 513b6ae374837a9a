"""What merging a pull request does, as GitHub-flavoured Markdown for the Actions job summary.

Pure: `render(PullRequestSummary)` takes what was gathered (the classes the change touches, the
check and the build with their problems and warnings, the dry run of `invoke announce` network by
network, the share images) and returns text; it reads no file and runs nothing. Everything that
comes from a class file is escaped: a title cannot open a link, a table cell, a heading or an HTML
tag, and cannot mention (notify) anybody on GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..model import ClassEvent
from .cli import NetworkOutcome, money
from .plan import Post

# The artifact pr.yml uploads the changed classes' share images as (the summary names it).
SHARE_IMAGES_ARTIFACT = "share-images"
# GitHub refuses a step summary over 1 MiB; stay well below, whatever a pull request holds.
MAX_BYTES = 900_000
ADDED, CHANGED, RENAMED, REMOVED = "added", "changed", "renamed", "removed"
# Backslash escapes both GitHub and Python-Markdown honour; <, >, & and ~ become entities.
_ESCAPED = re.compile(r"([\\`*_\[\]|#!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;"}
# "@name" or "@org/team" would notify on GitHub; a zero-width joiner after the @ stops that.
_AT = re.compile(r"[@＠](?=\S)")
ZWJ = "\u200d"


@dataclass(frozen=True)
class ShareImage:
    """A class's share image as the build wrote it."""

    path: str  # as the reviewer finds it: output/bagikan/kelas/x.png
    width: int
    height: int
    size_bytes: int
    url: str  # where it is published once merged


@dataclass(frozen=True)
class ClassChange:
    """One class file the pull request adds, changes, renames or removes."""

    change: str  # added | changed | renamed | removed
    path: str  # in the repository, as git shows it
    old_path: str = ""  # a renamed file's former path
    event: ClassEvent | None = None  # the class as the change leaves it (None: removed, invalid)
    before: ClassEvent | None = None  # as the base had it (changed, renamed, removed)
    visibility: str = ""  # published | hidden | draft | waiting (a Date still to come)
    upcoming: bool = False
    image: ShareImage | None = None
    image_note: str = ""  # why there is no share image of its own
    title: str = ""  # the Title line of a file that does not validate


@dataclass(frozen=True)
class Problem:
    """A problem `invoke check` or the build reported, with its place when it has one."""

    message: str
    path: str = ""
    line: int = 0
    field: str = ""


@dataclass(frozen=True)
class Step:
    """How `invoke check` or the production build went."""

    state: str  # passed | failed | not run
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    note: str = ""  # why it did not run, or what stopped it


@dataclass(frozen=True)
class PullRequestSummary:
    """Everything the summary shows, gathered by berbagi.glue.pr_summary."""

    base: str  # what the change was compared with ("origin/main at 1a2b3c4"); "" for a list
    changes: tuple[ClassChange, ...]
    check: Step
    build: Step
    networks: tuple[NetworkOutcome, ...] = ()
    announce_failure: str = ""  # the dry run stopped before any network (no plan, no ledger)
    now: datetime | None = None
    max_posts: int = 3
    ledger: str = "announcements.json"
    diff_problem: str = ""  # the base could not be compared with
    images_attached: bool = False  # the share images are uploaded as SHARE_IMAGES_ARTIFACT


def text(value: object) -> str:
    """`value` as literal inline Markdown on one line: no formatting, link, tag or mention."""
    one_line = _AT.sub(lambda found: found[0] + ZWJ, " ".join(str(value).split()))
    escaped = _ESCAPED.sub(r"\\\1", one_line)
    return "".join(_ENTITIES.get(char, char) for char in escaped)


def code_block(content: str, info: str = "text") -> str:
    """`content` in a fenced code block that nothing inside it can close."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{content}\n{fence}"


def _moment(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} {value.tzname() or ''}".strip() if value else "-"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _posts(summary: PullRequestSummary) -> list[Post]:
    return [post for network in summary.networks for post in network.posts]


def _slug_of(change: ClassChange) -> str:
    event = change.event or change.before
    return event.slug if event else ""


def verdict(summary: PullRequestSummary) -> str:
    """The one line at the top: "Merging publishes 1 new class and posts 6 times"."""
    if summary.check.state == "failed":
        files = {problem.path for problem in summary.check.problems if problem.path}
        where = f" in {_plural(len(files), 'file')}" if files else ""
        count = _plural(len(summary.check.problems), "problem")
        return f"Merging is blocked: `invoke check` found {count}{where}; nothing is published"
    if summary.build.state == "failed":
        count = _plural(len(summary.build.problems), "problem")
        return f"Merging is blocked: the production build failed ({count}); nothing is published"
    parts = []
    new = [c for c in summary.changes if c.change == ADDED and c.visibility == "published"]
    later = [c for c in summary.changes if c.change == ADDED and c.visibility == "waiting"]
    other_new = [c for c in summary.changes if c.change == ADDED and c not in new + later]
    changed = [c for c in summary.changes if c.change in (CHANGED, RENAMED)]
    removed = [c for c in summary.changes if c.change == REMOVED]
    if new:
        parts.append(f"publishes {_plural(len(new), 'new class', 'new classes')}")
    if later:
        verb = "appears" if len(later) == 1 else "appear"
        parts.append(f"adds {_plural(len(later), 'class', 'classes')} that {verb} later")
    if other_new:
        parts.append(f"adds {_plural(len(other_new), 'class', 'classes')} not listed on the site")
    if changed:
        parts.append(f"changes {_plural(len(changed), 'class', 'classes')}")
    if removed:
        parts.append(f"removes {_plural(len(removed), 'class', 'classes')}")
    if not parts:
        parts.append("changes no class")
    posts = len(_posts(summary))
    if summary.build.state != "passed" or summary.announce_failure:
        said = "the posts are unknown (see below)"
    else:
        said = f"posts {_times(posts)}" if posts else "posts nothing"
    head = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    line = f"Merging {head}; it {said}" if len(parts) > 1 else f"Merging {head} and {said}"
    if posts:
        costs = [
            f"about {money(n.cost.total)} {n.cost.currency} on {n.title}"
            for n in summary.networks
            if n.cost and n.posts
        ]
        line += f" ({', '.join(costs)})" if costs else ""
    return line


def _status(change: ClassChange) -> str:
    event = change.event
    if event is None:
        return "invalid (see Problems)" if change.change != REMOVED else "-"
    when = "upcoming" if change.upcoming else "past"
    shown = {
        "published": "",
        "hidden": ", hidden (its page is listed nowhere)",
        "draft": ", draft (shown nowhere)",
        "waiting": f", appears on {_moment(event.announced)}",
    }.get(change.visibility, "")
    return f"{event.status}, {when}{shown}"


def _differences(before: ClassEvent, after: ClassEvent) -> list[str]:
    found = []
    pairs: list[tuple[str, str, str]] = [
        ("Title", before.title, after.title),
        ("Start", _moment(before.start), _moment(after.start)),
        ("End", _moment(before.end), _moment(after.end)),
        ("Venue", before.venue.name, after.venue.name),
        ("Status", str(before.status), str(after.status)),
        ("Date", _moment(before.announced), _moment(after.announced)),
        ("Slug", before.slug, after.slug),
    ]
    for name, old, new in pairs:
        if old != new:
            found.append(f"{name}: {text(old)} → {text(new)}")
    if (before.summary, before.teachers) != (after.summary, after.teachers):
        found.append("summary or teachers edited")
    return found


def _classes_section(summary: PullRequestSummary) -> list[str]:
    lines = ["### Classes in this change", ""]
    if summary.diff_problem:
        lines += [
            f"The change could not be compared with its base: {text(summary.diff_problem)}",
            "",
        ]
    if not summary.changes:
        lines += ["This pull request changes no class file.", ""]
        return lines
    lines += [
        "| Change | Class | Start | Venue | Status | Page |",
        "|---|---|---|---|---|---|",
    ]
    for change in summary.changes:
        event = change.event or change.before
        path = text(change.path)
        if change.old_path:
            path = f"{text(change.old_path)} → {path}"
        name = event.title if event else change.title
        title = f"**{text(name)}**<br>{path}" if name else path
        page = "-"
        if change.event is not None and change.visibility in ("published", "hidden"):
            page = f"<{change.event.url}>"
        elif change.event is not None:
            page = f"{text(change.event.url)} (not yet)"
        elif change.change == REMOVED and event is not None:
            page = f"~~{text(event.url or event.slug)}~~ removed"
        lines.append(
            f"| {change.change} | {title} | {_moment(event.start) if event else '-'} | "
            f"{text(event.venue.name) if event else '-'} | {_status(change)} | {page} |"
        )
    lines.append("")
    edited = [c for c in summary.changes if c.event and c.before]
    for change in edited:
        assert change.event is not None and change.before is not None
        found = _differences(change.before, change.event)
        what = "; ".join(found) if found else "only the description or other details"
        lines.append(f"- {text(change.event.title)}: {what}")
    if edited:
        lines.append("")
    return lines


def _post_header(number: int, total: int, post: Post, network: NetworkOutcome) -> str:
    kind = post.kind + (f" ({post.change})" if post.change else "")
    reply = ", a reply to the announcement" if post.reply_to else ""
    over = " **too long**" if post.weighted_length > network.limit else ""
    return (
        f"**{number}/{total} {kind}** {text(post.slug)}{reply}: "
        f"{post.weighted_length}/{network.limit}{over}"
    )


def _network_row(network: NetworkOutcome) -> str:
    if network.state == "skipped":
        return (
            f"| {network.title} | - | - | - | not set up: no history in the ledger, and "
            f"{text(', '.join(network.missing))} not set (see {text(network.message)}) |"
        )
    if network.state == "refused":
        return f"| {network.title} | - | - | - | a real run stops here: {text(network.message)} |"
    longest = max((p.weighted_length for p in network.posts), default=0)
    measured = f"{longest}/{network.limit}" if network.posts else f"-/{network.limit}"
    cost = f"about {money(network.cost.total)} {network.cost.currency}" if network.cost else "-"
    notes = []
    if network.missing:
        notes.append("secrets not available to pull requests; shown as the merge would post")
    if network.waiting:
        notes.append(f"{network.waiting} more wait for the next run")
    return (
        f"| {network.title} | {len(network.posts)} | {measured} | {cost} | "
        f"{'; '.join(notes) or 'set up'} |"
    )


def _posts_section(summary: PullRequestSummary) -> list[str]:
    lines = ["### What merging would post", ""]
    if summary.build.state != "passed":
        reason = "failed" if summary.build.state == "failed" else "did not run"
        lines += [
            f"Unknown: the production build {reason}, so there is no announce plan. "
            "Fix the problems above; the next push shows the posts.",
            "",
        ]
        return lines
    if summary.announce_failure:
        lines += [f"The dry run stopped: {text(summary.announce_failure)}", ""]
        return lines
    lines += [
        f"`invoke announce --dry-run` against `{text(summary.ledger)}`: what the merge's run "
        f"posts on each network, at most {summary.max_posts} per network per run. Lengths are "
        "measured as each network counts them.",
        "",
        "| Network | Posts | Longest / limit | Cost | |",
        "|---|---|---|---|---|",
    ]
    lines += [_network_row(network) for network in summary.networks]
    lines.append("")
    for network in summary.networks:
        if network.state != "posts" or not network.posts:
            continue
        cost = f", {network.cost}" if network.cost else ""
        lines += [f"#### {network.title}: {_plural(len(network.posts), 'post')}{cost}", ""]
        for number, post in enumerate(network.posts, start=1):
            lines += [_post_header(number, len(network.posts), post, network), ""]
            lines += [code_block(post.text), ""]
    return lines


def _images_section(summary: PullRequestSummary) -> list[str]:
    shown = [c for c in summary.changes if c.change != REMOVED and c.event is not None]
    if not shown:
        return []
    lines = ["### Share images", ""]
    if any(change.image for change in shown):
        where = (
            f"download the `{SHARE_IMAGES_ARTIFACT}` artifact of this run (its Summary page, "
            "Artifacts) to look at them"
            if summary.images_attached
            else "build the site (`invoke preview`) to look at them"
        )
        lines += [
            "The picture a shared link of the class shows. It is not published before the "
            f"merge, so it cannot be shown here: {where}.",
            "",
        ]
    lines += ["| Class | Image | Size | Published at |", "|---|---|---|---|"]
    for change in shown:
        assert change.event is not None
        image = change.image
        if image is None:
            note = text(change.image_note or "none")
            lines.append(f"| {text(change.event.title)} | {note} | - | - |")
            continue
        size = f"{image.width} × {image.height} px, {image.size_bytes / 1024:.0f} KB"
        if change.image_note:
            size += f" ({text(change.image_note)})"
        lines.append(
            f"| {text(change.event.title)} | {text(image.path)} | {size} | {text(image.url)} |"
        )
    lines.append("")
    return lines


def _class_warnings(summary: PullRequestSummary) -> Iterable[str]:
    posted = {post.slug for post in _posts(summary)}
    for change in summary.changes:
        event = change.event
        known = event or change.before
        name = text(known.title) if known else ""
        where = f"{name} ({text(change.path)})" if name else text(change.path)
        if change.change == REMOVED:
            yield (
                f"{where} is removed: its page and calendar entry disappear without telling "
                "anyone. To call a class off, keep the file with `Status: cancelled`."
            )
            continue
        if event is None:
            continue
        if change.visibility == "waiting":
            yield (
                f"{where}: its `Date` is still to come, so it appears on "
                f"{_moment(event.announced)} (the evening build after it publishes it and "
                "announces it); merging posts nothing about it yet."
            )
        elif change.visibility == "draft":
            yield f"{where} is a draft: shown nowhere and never posted."
        elif change.visibility == "hidden":
            yield f"{where} is hidden: its page exists but is listed nowhere and never posted."
        elif not change.upcoming:
            yield f"{where} has already started: it goes to the archive and is never posted."
        elif change.change == ADDED and event.status != "scheduled":
            yield f"{where} is new and already {event.status}: nobody is told about it."
        elif (
            summary.build.state == "passed"
            and not summary.announce_failure
            and event.slug not in posted
        ):
            yield (
                f"{where}: no network posts it in this run (see What merging would post)."
                if change.change == ADDED
                else f"{where}: nothing is posted about this change (only a new time, venue or "
                "status is announced, and only for a class announced before)."
            )


# The check's warning of a Date still to come; each class in the change says it in its own words.
DATE_TO_COME = re.compile(r"^\S+:\d+: date: .* is still to come; ")


def _warnings(summary: PullRequestSummary) -> list[str]:
    found: dict[str, list[str]] = {}
    for source, messages in (
        ("check", summary.check.warnings),
        ("build", summary.build.warnings),
    ):
        for message in messages:
            if not DATE_TO_COME.match(message):
                found.setdefault(text(message), []).append(source)
    lines = [f"{message} ({' and '.join(sources)})" for message, sources in found.items()]
    lines += list(_class_warnings(summary))
    for network in summary.networks:
        if network.waiting:
            lines.append(
                f"{network.title}: {_plural(network.waiting, 'more post')} due; at most "
                f"{summary.max_posts} go out per run, the rest on the next run."
            )
        for pending in network.pending:
            lines.append(
                f"{network.title}: {text(pending)} may have been posted just before a run "
                "stopped; it waits for `invoke settle`."
            )
        if any(post.weighted_length > network.limit for post in network.posts):
            lines.append(f"{network.title}: a post is longer than {network.limit}.")
    return lines


def problems_table(problems: Sequence[Problem]) -> list[str]:
    """Problems as a table (file, line, field, message), or one per line when not located."""
    located = [p for p in problems if p.path]
    lines = []
    if located:
        lines += ["| File | Line | Field | Problem |", "|---|---|---|---|"]
        lines += [
            f"| {text(p.path)} | {p.line or '-'} | {text(p.field) or '-'} | {text(p.message)} |"
            for p in located
        ]
        lines.append("")
    lines += [f"- {text(p.message)}" for p in problems if not p.path]
    if len(located) < len(problems):
        lines.append("")
    return lines


def render_check_failure(problems: Sequence[Problem]) -> str:
    """The job summary of a failed `invoke check`: every problem, one row each."""
    head = f"### `invoke check` found {_plural(len(problems), 'problem')}"
    return "\n".join([head, "", *problems_table(problems)]).rstrip() + "\n"


def _steps_line(summary: PullRequestSummary) -> str:
    def said(name: str, step: Step) -> str:
        extra = []
        if step.problems:
            extra.append(_plural(len(step.problems), "problem"))
        if step.warnings:
            extra.append(_plural(len(step.warnings), "warning"))
        if step.note:
            extra.append(text(step.note))
        return f"{name}: {step.state}" + (f" ({', '.join(extra)})" if extra else "")

    base = f" · compared with {text(summary.base)}" if summary.base else ""
    return (
        f"{said('`invoke check`', summary.check)} · {said('production build', summary.build)}{base}"
    )


def render(summary: PullRequestSummary) -> str:
    """The whole job summary, GitHub-flavoured Markdown."""
    lines = [
        "## What merging this pull request does",
        "",
        f"**{verdict(summary)}.**",
        "",
        _steps_line(summary),
        "",
    ]
    problems = [*summary.check.problems]
    problems += [p for p in summary.build.problems if p not in problems]
    if problems:
        lines += ["### Problems", "", *problems_table(problems)]
        if lines[-1]:
            lines.append("")
    lines += _classes_section(summary)
    lines += _posts_section(summary)
    lines += _images_section(summary)
    warnings = _warnings(summary)
    lines += ["### Warnings", ""]
    lines += [f"- {line}" for line in warnings] if warnings else ["None."]
    rendered = "\n".join(lines).rstrip() + "\n"
    return _bounded(rendered)


def _bounded(rendered: str) -> str:
    data = rendered.encode("utf-8")
    if len(data) <= MAX_BYTES:
        return rendered
    cut = data[:MAX_BYTES].decode("utf-8", errors="ignore")
    # Close an open code block so the note after it reads as text.
    if len(re.findall(r"^`{3,}", cut, flags=re.MULTILINE)) % 2:
        cut += "\n```"
    return cut + "\n\n**The summary was cut here: GitHub shows at most 1 MiB.**\n"
