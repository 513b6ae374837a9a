"""What `invoke announce` and `invoke remind` do: the only place that posts."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .. import formatting
from ..settings import Settings, SettingsError
from . import plan as plans
from . import send
from .ledger import (
    ANNOUNCE_KINDS,
    PENDING,
    Ledger,
    LedgerError,
    Record,
    chapter_identity,
    exclusive,
    new_record,
    settle,
)
from .networks import NETWORKS, Network, check_templates
from .plan import Plan, PlanError, Post

EXIT_FAILED = 1  # Twitter refused or was unreachable; whatever did go out is recorded
EXIT_SETUP = 2  # fix something first: plan, ledger, credentials or permissions, settings
EXIT_ATTENTION = 3  # a post may have gone out just before a crash; see the README
README_SECTION = 'README, "Publishing and announcing"'


class PublishFailed(Exception):
    """The run stopped; the message says what happened and what to do, `code` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Options:
    """How one command runs, as its flags say; `sleep` and `environ` are swapped out by tests."""

    dry_run: bool = False
    max_posts: int | None = None
    retry_pending: bool = False
    sleep: Callable[[float], None] = time.sleep
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


@dataclass(frozen=True)
class _Run:
    command: str
    settings: Settings
    plan: Plan
    now: datetime
    out: Callable[[str], None]
    options: Options

    def say(self, message: str) -> None:
        self.out(f"{self.command}: {message}")


def _prepare(
    settings: Settings, command: str, out: Callable[[str], None], options: Options
) -> _Run:
    try:
        check_templates(settings)
        plan = plans.read(settings.publish.plan_path)
    except SettingsError as error:
        raise PublishFailed(str(error), EXIT_SETUP) from None
    except PlanError as error:
        raise PublishFailed(f"{command}: {error}", EXIT_SETUP) from None
    now = settings.now().astimezone(settings.zone)
    return _Run(command, settings, plan, now, out, options)


def _ledger(run: _Run, create: bool = False) -> Ledger:
    """The chapter's ledger, checked against the plan; a new empty one only for a baseline."""
    ledger_path = run.settings.publish.ledger_path
    try:
        ledger = Ledger.load(ledger_path)
        plans.check_current(run.plan, run.settings, ledger)
    except (LedgerError, PlanError) as error:
        raise PublishFailed(f"{run.command}: {error}", EXIT_SETUP) from None
    identity = chapter_identity(run.settings.chapter)
    if ledger is None:
        if create:
            return Ledger(ledger_path, identity)
        raise PublishFailed(
            f"{run.command}: there is no ledger at {ledger_path} yet. If the site already "
            "has classes that people know about, run `invoke announce --baseline` once: it "
            "records everything current without posting.",
            EXIT_SETUP,
        )
    if ledger.chapter != identity:
        raise PublishFailed(
            f"{run.command}: {ledger_path} belongs to @{ledger.chapter['twitter']} "
            f"({ledger.chapter['domain']}), not to @{identity['twitter']} ({identity['domain']}). "
            "A new chapter starts its own: delete the file and run `invoke announce --baseline`.",
            EXIT_SETUP,
        )
    return ledger


@contextlib.contextmanager
def _locked(run: _Run, dry_run: bool) -> Iterator[None]:
    if dry_run:  # a dry run writes nothing, so it may watch a real run
        yield
        return
    try:
        with exclusive(run.settings.publish.lock_path):
            yield
    except LedgerError as error:
        raise PublishFailed(f"{run.command}: {error}", EXIT_SETUP) from None


def _sender(run: _Run, network: Network) -> send.Sender | None:
    environ = run.options.environ
    if run.options.dry_run:
        return None
    missing = network.missing_credentials(environ)
    if missing:
        run.say(
            f"{', '.join(missing)} not set, so this is a dry run for {network.title}: nothing is "
            f"posted or recorded (setting up the secrets: {README_SECTION})"
        )
        return None
    return network.connect(environ, run.settings.chapter)


def _save(run: _Run, ledger: Ledger) -> None:
    ledger.save(run.plan.build)


def _header(number: int, total: int, post: Post, limit: int) -> str:
    reply = f", in reply to {post.reply_to}" if post.reply_to else ""
    return f"[{number}/{total}] {post.describe()}{reply} ({post.weighted_length}/{limit})"


def _report_pending(run: _Run, pending: Sequence[Record]) -> None:
    for record in pending:
        run.say(
            f"{record.describe()} may have been posted at {record.recorded_at} just "
            "before a run stopped; it is not posted again until you resolve it "
            f"({README_SECTION}, after a crash)"
        )


def _publish(
    run: _Run,
    ledger: Ledger,
    due: Sequence[Post],
    pending: Sequence[Record],
    sender: send.Sender | None,
    network: Network,
) -> None:
    cap = run.options.max_posts or run.settings.publish.max_posts
    chosen, waiting = list(due[:cap]), len(due) - min(len(due), cap)
    _report_pending(run, pending)
    if not chosen:
        run.say("nothing to post")
    elif sender is None:
        run.say(f"dry run: {len(chosen)} post(s) would be sent; nothing is posted or recorded")
        for number, post in enumerate(chosen, start=1):
            run.out(f"\n{_header(number, len(chosen), post, network.rules.limit)}\n{post.text}")
        run.out("")
    else:
        for number, post in enumerate(chosen, start=1):
            _send(run, ledger, sender, network, post, (number, len(chosen), waiting))
    if waiting:
        run.say(f"{waiting} more post(s) wait for the next run (at most {cap} per run)")
    if pending and sender is not None:
        raise PublishFailed(
            f"{run.command}: {len(pending)} post(s) need checking by hand (see above)",
            EXIT_ATTENTION,
        )


def _send(
    run: _Run,
    ledger: Ledger,
    sender: send.Sender,
    network: Network,
    post: Post,
    position: tuple[int, int, int],
) -> None:
    number, total, waiting = position
    # The intent is on disk before the request: a crash after Twitter accepted the post leaves
    # a pending record, and a pending record is never posted again without a person looking.
    record = ledger.begin(
        new_record(post.slug, network.name, post.kind, PENDING, post.state, run.now, post.change)
    )
    _save(run, ledger)

    def on_retry(error: send.Unavailable, delay: float) -> None:
        run.say(f"{error}; trying again in {delay:g} s")

    try:
        sent = send.post_with_retries(
            sender,
            post.text,
            post.reply_to,
            run.settings.publish.retry_delays,
            run.options.sleep,
            on_retry,
        )
    except send.Duplicate as error:
        settle(record, None, None, run.now, duplicate=True)
        _save(run, ledger)
        run.say(f"{post.describe()}: {error}; recorded as posted")
        return
    except send.SendError as error:
        ledger.forget(record)
        _save(run, ledger)
        raise PublishFailed(
            _explain(run, error, post, network, (number, total, waiting)), _code(error)
        ) from None
    settle(record, sent.post_id, sent.url, run.now)
    try:
        _save(run, ledger)
    except OSError as error:
        raise PublishFailed(
            f"{run.command}: posted {post.describe()} as {sent.url} but could not record it "
            f"({error}). The ledger keeps it as pending, so it will not be posted again; "
            f"mark it posted with post id {sent.post_id} ({README_SECTION}, after a crash).",
            EXIT_ATTENTION,
        ) from None
    run.say(f"posted {post.describe()}: {sent.url}")


def _code(error: send.SendError) -> int:
    return EXIT_SETUP if isinstance(error, send.NotAllowed) else EXIT_FAILED


def _explain(
    run: _Run,
    error: send.SendError,
    post: Post,
    network: Network,
    position: tuple[int, int, int],
) -> str:
    number, total, waiting = position
    done = f"{number - 1} of {total} post(s) went out and are recorded"
    left = total - number + 1 + waiting
    if isinstance(error, send.NotAllowed):
        return f"{run.command}: {error}. {done}; nothing else was recorded as sent."
    if isinstance(error, send.RateLimited):
        when = ""
        if error.reset_at:
            local = error.reset_at.astimezone(run.now.tzinfo)
            when = f" after {formatting.when(local, run.settings.language)}"
        return f"{run.command}: {error}. {done}; the other {left} wait for a run{when}."
    if isinstance(error, send.Unavailable):
        attempts = len(run.settings.publish.retry_delays) + 1
        return (
            f"{run.command}: {error}, {attempts} attempts for {post.describe()}. {done}; the "
            f"other {left} wait for the next run."
        )
    return (
        f"{run.command}: {error} for {post.describe()} "
        f"({post.weighted_length}/{network.rules.limit}). {done}; "
        "check the text (SOCIAL_PUBLISH['templates']) and run again."
    )


def _post_due(
    run: _Run, due: Callable[[Ledger, Network], Sequence[Post]], pending_kinds: tuple[str, ...]
) -> None:
    """On each network in turn: work out what is due against the ledger, then post it."""
    for network in NETWORKS.values():
        sender = _sender(run, network)
        with _locked(run, sender is None):
            ledger = _ledger(run)
            pending = [] if run.options.retry_pending else ledger.pending(pending_kinds)
            _publish(run, ledger, due(ledger, network), pending, sender, network)


def announce(
    settings: Settings,
    options: Options = Options(),
    *,
    baseline: bool = False,
    out: Callable[[str], None] = print,
) -> None:
    """Post the announcements and updates due in the plan, at most max_posts, recording each."""
    run = _prepare(settings, "announce", out, options)
    if baseline:
        _baseline(run)
        return

    def due(ledger: Ledger, network: Network) -> list[Post]:
        return plans.due_posts(
            run.plan.items,
            ledger,
            run.now,
            settings.publish.kinds,
            network.name,
            options.retry_pending,
        )

    _post_due(run, due, ANNOUNCE_KINDS)


def remind(
    settings: Settings, options: Options = Options(), *, out: Callable[[str], None] = print
) -> None:
    """Post one reminder for each class starting within reminder_hours, recording each."""
    run = _prepare(settings, "remind", out, options)

    def due(ledger: Ledger, network: Network) -> list[Post]:
        return plans.due_reminders(
            run.plan.items,
            ledger,
            run.now,
            settings.publish.reminder_hours,
            network.name,
            options.retry_pending,
        )

    _post_due(run, due, ("reminder",))


def _baseline(run: _Run) -> None:
    dry_run = run.options.dry_run
    with _locked(run, dry_run):
        ledger = _ledger(run, create=True)
        records = [
            record
            for network in NETWORKS.values()
            for record in plans.baseline_records(run.plan.items, ledger, run.now, network.name)
        ]
        _report_pending(run, ledger.pending())
        for record in records:
            state = record.state
            when = f" {state['start']} {state['status']}" if "start" in state else ""
            run.say(f"baseline {record.describe()}{when}")
        if dry_run:
            run.say(f"dry run: {len(records)} item(s) would be recorded; nothing was written")
            return
        ledger.records.extend(records)
        _save(run, ledger)
        run.say(
            f"recorded {len(records)} item(s) as already public in "
            f"{run.settings.publish.ledger_path}; nothing was posted"
        )
