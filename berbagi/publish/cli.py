"""What `invoke announce`, `invoke remind` and `invoke settle` do: the only place that posts."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import formatting
from ..settings import Settings, SettingsError
from . import plan as plans
from . import send
from .ledger import (
    PENDING,
    RECAP,
    Ledger,
    LedgerError,
    Record,
    chapter_identity,
    exclusive,
    identity_name,
    new_record,
)
from .ledger import (
    settle as settle_record,
)
from .media import MediaError, fit_photo
from .networks import NETWORKS, Network, check_templates, chosen
from .plan import Plan, PlanError, PlanItem, Post

EXIT_FAILED = 1  # a network refused or was unreachable, or a reminder did not fit; all recorded
EXIT_SETUP = 2  # fix something first: plan, ledger, credentials, credits, settings, flags
EXIT_ATTENTION = 3  # a post may have gone out just before a crash: `invoke settle` it
README_SECTION = 'README, "Publishing and announcing"'
LINK = re.compile(r"https?://")
# What `invoke settle --posted` takes, per network: the address of the post as the network shows it.
EXAMPLE_URLS = {
    "twitter": "https://x.com/AkberPLB/status/1864000000000000000",
    "facebook": "https://www.facebook.com/123456789_987654321",
    "telegram": "https://t.me/akberplb/42",
    "mastodon": "https://mastodon.social/@akberplb/113456789012345678",
    "bluesky": "https://bsky.app/profile/akberplb.bsky.social/post/3kabcdefghi2x",
    "email": "mid:<the Message-ID header of the e-mail in the list's archive>",
}


class PublishFailed(Exception):
    """The run stopped; the message says what happened and what to do, `code` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


class NetworkFailed(PublishFailed):
    """One network stopped (refused, unreachable, not baselined); the others carry on."""


@dataclass(frozen=True)
class Options:
    """How one command runs, as its flags say; `sleep` and `environ` are swapped out by tests."""

    dry_run: bool = False
    max_posts: int | None = None
    retry_pending: bool = False
    network: str | None = None  # only this network (its ledger name: twitter, mastodon, ...)
    sleep: Callable[[float], None] = time.sleep
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


@dataclass(frozen=True)
class Cost:
    """What a network charges for some posts (SOCIAL_PUBLISH['prices'])."""

    total: float
    currency: str
    each: str  # "0.20 a post with a link"

    def __str__(self) -> str:
        return f"about {money(self.total)} {self.currency} ({self.each})"


@dataclass(frozen=True)
class NetworkOutcome:
    """What one network would do in this run, as its dry run says: for the pull request summary.

    `state` is "posts" (posts shown, maybe none), "skipped" (not set up: no secrets and no
    history in the ledger; `message` names the README section on its secrets) or "refused" (a
    real run would stop this network; `message` says why). `missing` names the secrets not set
    where the run happens (none reach a pull request).
    """

    name: str
    title: str
    limit: int
    state: str
    message: str = ""
    missing: tuple[str, ...] = ()
    posts: tuple[Post, ...] = ()
    waiting: int = 0  # due but beyond the cap: they go out on a later run
    cost: Cost | None = None
    pending: tuple[str, ...] = ()  # records left pending by a crash, described


@dataclass(frozen=True)
class _Run:
    command: str
    settings: Settings
    plan: Plan
    now: datetime
    out: Callable[[str], None]
    options: Options
    observe: Callable[[NetworkOutcome], None] | None = None

    def say(self, message: str) -> None:
        self.out(f"{self.command}: {message}")

    def saw(self, outcome: NetworkOutcome) -> None:
        if self.observe is not None:
            self.observe(outcome)


def parse_cap(text: object) -> int | None:
    """`--max-posts` as given on the command line: None, or a whole number of at least 1."""
    if text is None or text == "":
        return None
    value = str(text).strip()
    if not (value.isascii() and value.isdigit()) or int(value) < 1:  # "¹" is a digit too
        raise PublishFailed(
            f"--max-posts must be a whole number of at least 1, not {text!r}", EXIT_SETUP
        )
    return int(value)


def _prepare(
    settings: Settings,
    command: str,
    out: Callable[[str], None],
    options: Options,
    observe: Callable[[NetworkOutcome], None] | None = None,
) -> _Run:
    parse_cap(options.max_posts)  # the same rule for a value given in code as on the command line
    try:
        check_templates(settings)
        plan = plans.read(settings.publish.plan_path)
    except SettingsError as error:
        raise PublishFailed(str(error), EXIT_SETUP) from None
    except PlanError as error:
        raise PublishFailed(f"{command}: {error}", EXIT_SETUP) from None
    if options.network is not None and options.network not in NETWORKS:
        raise PublishFailed(
            f"{command}: --network must be one of {', '.join(NETWORKS)}, not {options.network!r}",
            EXIT_SETUP,
        )
    now = settings.now().astimezone(settings.zone)
    return _Run(command, settings, plan, now, out, options, observe)


def _networks(run: _Run) -> list[Network]:
    """The networks this run works on: those the settings choose, or the one --network names."""
    networks = chosen(run.settings)
    if run.options.network is None:
        return networks
    found = [network for network in networks if network.name == run.options.network]
    if not found:
        raise PublishFailed(
            f"{run.command}: SOCIAL_PUBLISH['networks'] does not list {run.options.network}",
            EXIT_SETUP,
        )
    return found


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
            created = Ledger(ledger_path, identity)
            created.knows_recaps_from(run.now)  # a new ledger: every class before it is old
            return created
        raise PublishFailed(
            f"{run.command}: there is no ledger at {ledger_path} yet. If the site already "
            "has classes that people know about, run `invoke announce --baseline` once: it "
            "records everything current without posting.",
            EXIT_SETUP,
        )
    if ledger.chapter != identity:
        raise PublishFailed(
            f"{run.command}: {ledger_path} belongs to {identity_name(ledger.chapter)}, not to "
            f"{identity_name(identity)}. "
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
    """The network's sender, or None for a dry run; raises NetworkFailed when it is set up wrong.

    Called only for networks whose secrets are set (or in a dry run).
    """
    if run.options.dry_run:
        return None
    try:
        return network.connect(run.options.environ, run.settings.chapter)
    except send.SendError as error:
        raise NetworkFailed(f"{run.command}: {network.title}: {error}", EXIT_SETUP) from None


def _skip_line(run: _Run, network: Network, missing: Sequence[str]) -> str:
    where = f'README, "{network.setup}"' if network.setup else README_SECTION
    return (
        f"{', '.join(missing)} not set, so {network.title} is skipped: nothing is posted or "
        f"recorded there (setting up the secrets: {where})"
    )


def _save(run: _Run, ledger: Ledger) -> None:
    ledger.save(run.plan.build)


def _header(number: int, total: int, post: Post, network: Network) -> str:
    reply = f", in reply to {post.reply_to}" if post.reply_to and network.threads else ""
    limit = network.recap_rules.limit if post.kind == RECAP else network.rules.limit
    measured = f"{post.weighted_length}/{limit}"
    return f"[{number}/{total}] {post.describe()}{reply} ({measured})"


def _photo_lines(run: _Run, post: Post, network: Network) -> list[str]:
    """A dry run's line per photo of a recap: its size in pixels and bytes on this network."""
    item = _item(run, post.slug)
    if post.kind != RECAP or item is None:
        return []
    chosen = _chosen_photos(item, network)
    lines = []
    for number, photo in enumerate(chosen, start=1):
        alt = f'alt "{photo["alt"]}"'
        where = f"photo {number}/{len(chosen)}"
        try:
            if network.photos is None:
                width, height, size = _copy_size(photo["path"])
                lines.append(
                    f"{where}: linked, not attached: {photo['url']} "
                    f"({width}×{height} px, {size:,} bytes), {alt}"
                )
                continue
            fitted = fit_photo(photo["path"], network.photos)
        except MediaError as error:
            lines.append(f"{where}: {error}")
            continue
        lines.append(
            f"{where}: {fitted.width}×{fitted.height} px, {len(fitted.data):,} bytes "
            f"(JPEG, no metadata; at most {network.photos.bytes:,}), {alt}"
        )
    return lines


def _chosen_photos(item: PlanItem, network: Network) -> tuple[Mapping[str, str], ...]:
    """The recap's photos this network takes: the first few, as many as it allows."""
    if network.photos is None:
        return tuple(item.photos)
    return tuple(item.photos[: network.photos.count])


def _copy_size(path: str) -> tuple[int, int, int]:
    """The kit's copy of a photo: its width and height in pixels, and its bytes."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            width, height = image.size
        return width, height, os.path.getsize(path)
    except (OSError, ValueError):
        raise MediaError(
            f"{path} is missing or unreadable; run the production build again"
        ) from None


def _photos(run: _Run, post: Post, network: Network) -> tuple[send.Photo, ...]:
    """A recap's photos fitted to the network (e-mail: their addresses only)."""
    item = _item(run, post.slug)
    if post.kind != RECAP or item is None:
        return ()
    photos = []
    for photo in _chosen_photos(item, network):
        if network.photos is None:
            photos.append(send.Photo(photo["alt"], photo["url"]))
            continue
        try:
            fitted = fit_photo(photo["path"], network.photos)
        except MediaError as error:
            raise NetworkFailed(
                f"{run.command}: {network.title}: {error}; nothing was posted or recorded for "
                f"{post.describe()}",
                EXIT_SETUP,
            ) from None
        photos.append(
            send.Photo(photo["alt"], photo["url"], fitted.data, fitted.width, fitted.height)
        )
    return tuple(photos)


def _report_pending(run: _Run, pending: Sequence[Record]) -> None:
    for record in pending:
        run.say(
            f"{record.describe()} on {record.network} may have been posted at "
            f"{record.recorded_at} just before a run stopped; it is not posted again until you "
            f"settle it: `invoke settle {record.slug} --posted URL` if it is on the account, "
            f"`invoke settle {record.slug} --not-posted` if not "
            f"({README_SECTION}, after a crash)"
        )


def estimate(settings: Settings, network: Network, posts: Sequence[Post]) -> Cost | None:
    """What `posts` cost on `network` by SOCIAL_PUBLISH['prices'], or None where it is free."""
    price = settings.publish.prices.get(network.name)
    if price is None:
        return None
    linked = sum(1 for post in posts if LINK.search(post.text))
    total = linked * price.post_with_link + (len(posts) - linked) * price.post
    each = [f"{money(price.post_with_link)} a post with a link"] if linked else []
    each += [f"{money(price.post)} a post without"] if linked < len(posts) else []
    return Cost(total, price.currency, ", ".join(each))


def _estimate(run: _Run, network: Network, posts: Sequence[Post]) -> str:
    """ ", about 0.60 USD (0.20 a post with a link)" from SOCIAL_PUBLISH['prices']."""
    cost = estimate(run.settings, network, posts)
    return f", {cost}" if cost else ""


def money(amount: float) -> str:
    """0.2 as "0.20", 0.015 as "0.015": cents always, a third decimal when there is one."""
    text = f"{amount:.3f}"
    return text[:-1] if text.endswith("0") else text


def _publish(
    run: _Run,
    ledger: Ledger,
    due: Sequence[Post],
    sender: send.Sender | None,
    network: Network,
    cap: int,
) -> list[Post]:
    """Send (or, in a dry run, show) the first `cap` posts; returns the ones left over."""
    chosen, left = list(due[:cap]), list(due[cap:])
    if not chosen:
        run.say(f"nothing to post on {network.title}")
    elif sender is None:
        run.say(
            f"dry run on {network.title}: {len(chosen)} post(s) would be sent"
            f"{_estimate(run, network, chosen)}; nothing is posted or recorded"
        )
        for number, post in enumerate(chosen, start=1):
            run.out(f"\n{_header(number, len(chosen), post, network)}\n{post.text}")
            for line in _photo_lines(run, post, network):
                run.out(line)
        run.out("")
    else:
        for number, post in enumerate(chosen, start=1):
            _send(run, ledger, sender, network, post, (number, len(chosen), len(left)))
    return left


def _send(
    run: _Run,
    ledger: Ledger,
    sender: send.Sender,
    network: Network,
    post: Post,
    position: tuple[int, int, int],
) -> None:
    number, total, waiting = position
    message = _message(run, post, network)
    # The intent is on disk before the request (before a recap's first upload): a crash after
    # the network accepted the post leaves a pending record, and a pending record is never
    # posted again without a person.
    record = ledger.begin(
        new_record(post.slug, network.name, post.kind, PENDING, post.state, run.now, post.change)
    )
    _save(run, ledger)

    def on_retry(error: send.Unavailable, delay: float) -> None:
        run.say(f"{error}; trying again in {delay:g} s")

    try:
        sent = send.post_with_retries(
            sender,
            message,
            run.settings.publish.retry_delays,
            run.options.sleep,
            on_retry,
        )
    except send.Duplicate as error:
        settle_record(record, None, None, run.now, duplicate=True)
        _save(run, ledger)
        run.say(f"{post.describe()}: {error}; recorded as posted")
        return
    except send.SendError as error:
        ledger.forget(record)  # the network said no: nothing went out
        _save(run, ledger)
        raise NetworkFailed(
            _explain(run, error, post, network, (number, total, waiting)), _code(error)
        ) from None
    settle_record(record, sent.post_id, sent.url, run.now, reply=sent.reply)
    try:
        _save(run, ledger)
    except OSError as error:
        raise PublishFailed(
            f"{run.command}: posted {post.describe()} as {sent.url} but could not record it "
            f"({error}). The ledger keeps it as pending, so it will not be posted again; "
            f"once the disk is fixed, run `invoke settle {post.slug} --posted {sent.url}`.",
            EXIT_ATTENTION,
        ) from None
    run.say(f"posted {post.describe()}: {sent.url}")


def idempotency_key(run: _Run, post: Post, network: Network) -> str:
    """The same for every attempt at one record's post: chapter, item, network, kind, state."""
    identity = [
        run.settings.chapter.domain,
        post.slug,
        network.name,
        post.kind,
        post.change or "",
        *sorted(f"{key}={value}" for key, value in post.state.items()),
    ]
    return hashlib.sha256("\n".join(identity).encode()).hexdigest()[:32]


def _message(run: _Run, post: Post, network: Network) -> send.Message:
    """What the adapter gets: the text, and the class's link, card, calendar and thread."""
    item = _item(run, post.slug)
    card = item.card if item else {}
    reply_to = None
    if post.reply_to and network.threads:
        reply_to = send.Reference(post.reply_to, dict(post.reply or {}))
    return send.Message(
        text=post.text,
        link=item.url if item else "",
        title=item.title if item else "",
        description=card.get("description", ""),
        image_path=card.get("image_path"),
        image_url=card.get("image_url"),
        # A recap's class is over: its calendar entry is of no use to anyone now.
        ics=card["ics"].encode() if card.get("ics") and post.kind != RECAP else None,
        reply_to=reply_to,
        key=idempotency_key(run, post, network),
        language=run.settings.language,
        domain=run.settings.chapter.domain,
        photos=_photos(run, post, network),
    )


def _item(run: _Run, slug: str) -> PlanItem | None:
    return next((item for item in run.plan.items if item.slug == slug), None)


def _code(error: send.SendError) -> int:
    if isinstance(error, send.NotAllowed | send.PaymentRequired):
        return EXIT_SETUP
    return EXIT_FAILED


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
    if isinstance(error, send.NotAllowed | send.PaymentRequired):
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


def _retry_or_wait(pending: Sequence[Record], due: Sequence[Post]) -> list[Record]:
    """With --retry-pending: the pending records that are not sent again now (they wait for
    `invoke settle`)."""
    retried = {(post.slug, post.kind) for post in due}
    return [record for record in pending if (record.slug, record.kind) not in retried]


def _started_at(run: _Run, record: Record) -> str | None:
    """When the class a pending record is about started, if it has; None while it can be of use.

    An announcement or an update is of use until the class (as the site has it now) starts; a
    reminder until the start it reminds of, or the class's, whichever comes first. Pages never
    stop being news.
    """
    item = _item(run, record.slug)
    if record.kind == RECAP or (item is not None and not item.is_class):
        return None  # a recap is of use after the class, by its nature: it waits for settle
    starts = []
    if item is not None:
        starts.append(item.start)
    if (item is None or record.kind == "reminder") and record.state.get("start"):
        starts.append(datetime.fromisoformat(record.state["start"]))
    passed = [start for start in starts if start <= run.now]
    return min(passed).isoformat() if passed else None


def _drop_useless(run: _Run, ledger: Ledger, network: Network) -> set[int]:
    """Drop the network's pending records whose class has started, each with a message; returns
    the ids of the records dropped (in a dry run: those that would be).

    Nobody can use such a post any more, so it is neither sent again nor left to fail every run
    until somebody settles it; it stays in the ledger as dropped, so it is never posted later.
    """
    dropped: set[int] = set()
    for record in ledger.pending():
        if record.network != network.name:
            continue
        started = _started_at(run, record)
        if started is None:
            continue
        verb = "would drop" if run.options.dry_run else "dropped"
        run.say(
            f"{verb} the pending {record.describe()} on {network.title}: the class started at "
            f"{started}, so it is of no use any more. It may have been posted at "
            f"{record.recorded_at} just before a run stopped (the account shows whether it was); "
            "it is recorded as dropped and never posted"
        )
        if not run.options.dry_run:
            ledger.drop(record, run.now)
        dropped.add(id(record))
    if dropped and not run.options.dry_run:
        _save(run, ledger)
    return dropped


def _post_due(
    run: _Run,
    due: Callable[[Ledger, Network], Sequence[Post]],
    cap: int,
    late_when_left: bool,
) -> None:
    """On each network in turn: what is due against the ledger, then post it.

    A network that fails (refused, unreachable, not baselined) stops alone: the others still
    post, and the run ends non-zero naming each one that failed. Every pending record of a
    network is listed, whatever its kind; they fail the run (exit 3) until settled, except those
    whose class has started, which are dropped; a pending record on one network never holds
    back another. `late_when_left`: posts that do not fit
    under the cap are reminders that will come too late, which fails the run (exit 1).
    """
    attention: list[Record] = []
    late: list[Post] = []
    failed: list[NetworkFailed] = []
    dry_run = run.options.dry_run
    for network in _networks(run):
        # A network without its secrets is left out with one line; a dry run still shows its
        # posts, unless the ledger has no history for it either (nobody set it up yet).
        missing = network.missing_credentials(run.options.environ)
        if missing and not dry_run:
            run.say(_skip_line(run, network, missing))
            continue
        try:
            sender = _sender(run, network)
            with _locked(run, sender is None):
                ledger = _ledger(run)
                if missing and network.name not in ledger.networks:
                    run.say(_skip_line(run, network, missing))
                    where = f'README, "{network.setup}"' if network.setup else README_SECTION
                    run.saw(_outcome(network, "skipped", where, missing=tuple(missing)))
                    continue
                if missing:
                    run.say(
                        f"{', '.join(missing)} not set: a real run would skip {network.title}; "
                        "its posts are shown all the same"
                    )
                if run.command == "announce":
                    _check_started(run, ledger, network)
                dropped = _drop_useless(run, ledger, network)
                posts = due(ledger, network)
                pending = [
                    r
                    for r in ledger.pending()
                    if r.network == network.name and id(r) not in dropped
                ]
                if run.options.retry_pending:
                    pending = _retry_or_wait(pending, posts)
                _report_pending(run, pending)
                left = _publish(run, ledger, posts, sender, network, cap)
                shown = tuple(posts[:cap])
                run.saw(
                    _outcome(
                        network,
                        "posts",
                        missing=tuple(missing),
                        posts=shown,
                        waiting=len(left),
                        cost=estimate(run.settings, network, shown) if shown else None,
                        pending=tuple(f"{r.describe()} ({r.recorded_at})" for r in pending),
                    )
                )
        except NetworkFailed as failure:
            run.say(str(failure).removeprefix(f"{run.command}: "))
            run.saw(_outcome(network, "refused", str(failure).removeprefix(f"{run.command}: ")))
            if not dry_run:  # a dry run shows what a real run would refuse, and posts nothing
                failed.append(failure)
            continue
        if left and late_when_left:
            late += left
        elif left:
            run.say(
                f"{len(left)} more post(s) wait for the next run (at most {cap} per run)"
                + (f" on {network.title}" if len(_networks(run)) > 1 else "")
            )
        if sender is not None:
            attention += pending
    if late:
        starts = ", ".join(f"{post.slug} ({post.state['start']})" for post in late)
        run.say(
            f"{len(late)} reminder(s) did not fit in this run (at most {cap}): {starts}. Run "
            "`invoke remind` again before they start, or raise SOCIAL_PUBLISH['max_reminders']"
        )
    if failed:
        raise _failures(run, failed)
    if attention:
        raise PublishFailed(
            f"{run.command}: {len(attention)} post(s) need settling by hand (see above)",
            EXIT_ATTENTION,
        )
    if late and not run.options.dry_run:
        raise PublishFailed(f"{run.command}: {len(late)} reminder(s) not sent", EXIT_FAILED)


def _outcome(network: Network, state: str, message: str = "", **found: Any) -> NetworkOutcome:
    return NetworkOutcome(network.name, network.title, network.rules.limit, state, message, **found)


def _failures(run: _Run, failed: Sequence[NetworkFailed]) -> PublishFailed:
    """One failure as it was said; several as one line each. Setup problems rank first."""
    code = max(failure.code for failure in failed)
    if len(failed) == 1:
        return PublishFailed(str(failed[0]), code)
    lines = [str(failure).removeprefix(f"{run.command}: ") for failure in failed]
    return PublishFailed(
        f"{run.command}: {len(failed)} networks failed; the others posted:\n"
        + "\n".join(f"- {line}" for line in lines),
        code,
    )


def _check_started(run: _Run, ledger: Ledger, network: Network) -> None:
    """Refuse a network the ledger has no history for: its first run would post everything."""
    if network.name in ledger.networks:
        return
    raise NetworkFailed(
        f"{run.command}: {network.title} has no records in {run.settings.publish.ledger_path} "
        "yet, so everything on the site would count as new there. Run "
        f"`invoke announce --baseline --network {network.name}` once: it records everything "
        "current without posting; later runs post what is new",
        EXIT_SETUP,
    )


def announce(
    settings: Settings,
    options: Options = Options(),
    *,
    baseline: bool = False,
    out: Callable[[str], None] = print,
    observe: Callable[[NetworkOutcome], None] | None = None,
) -> None:
    """Post the announcements, updates and recaps due in the plan, at most max_posts, recording
    each.

    `observe` is told, network by network, what the run decided (the pull request summary).
    """
    run = _prepare(settings, "announce", out, options, observe)
    if baseline:
        _baseline(run)
        return

    def due(ledger: Ledger, network: Network) -> list[Post]:
        posts = plans.due_posts(
            run.plan.items,
            ledger,
            run.now,
            settings.publish.kinds,
            network.name,
            options.retry_pending,
        )
        if "class" in settings.publish.kinds:
            # After the news: a recap can wait for the next run, a change cannot.
            posts += plans.due_recaps(
                run.plan.items,
                ledger,
                run.now,
                settings.publish.recap_window_days,
                network.name,
                options.retry_pending,
            )
        return posts

    _post_due(run, due, options.max_posts or settings.publish.max_posts, late_when_left=False)


def preview_announce(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> tuple[list[NetworkOutcome], list[str], PublishFailed | None]:
    """What `invoke announce --dry-run` would show, network by network, and its printed lines;
    the failure that stopped it (no plan, no ledger, a plan out of date), if any."""
    outcomes: list[NetworkOutcome] = []
    lines: list[str] = []
    options = Options(dry_run=True, environ=os.environ if environ is None else environ)
    try:
        announce(settings, options, out=lines.append, observe=outcomes.append)
    except PublishFailed as failure:
        return outcomes, lines, failure
    return outcomes, lines, None


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

    _post_due(run, due, options.max_posts or settings.publish.max_reminders, late_when_left=True)


def _baseline(run: _Run) -> None:
    dry_run = run.options.dry_run
    networks = _networks(run)
    with _locked(run, dry_run):
        ledger = _ledger(run, create=True)
        ledger.knows_recaps_from(run.now)  # classes over by now count as recapped
        dropped: set[int] = set()
        for network in networks:
            dropped |= _drop_useless(run, ledger, network)
        several = len(networks) > 1
        records = [
            record
            for network in networks
            for record in plans.baseline_records(run.plan.items, ledger, run.now, network.name)
        ]
        _report_pending(run, [r for r in ledger.pending() if id(r) not in dropped])
        for record in records:
            state = record.state
            when = f" {state['start']} {state['status']}" if "start" in state else ""
            where = f" on {record.network}" if several else ""
            run.say(f"baseline {record.describe()}{where}{when}")
        names = ", ".join(network.title for network in networks)
        if dry_run:
            run.say(
                f"dry run: {len(records)} item(s) would be recorded for {names}; nothing was "
                "written"
            )
            return
        ledger.records.extend(records)
        ledger.started.update(network.name for network in networks)
        _save(run, ledger)
        run.say(
            f"recorded {len(records)} item(s) as already public in "
            f"{run.settings.publish.ledger_path} for {names}; nothing was posted"
        )


def settle(
    settings: Settings,
    slug: str,
    *,
    posted_url: str | None = None,
    not_posted: bool = False,
    kind: str | None = None,
    network: str | None = None,
    out: Callable[[str], None] = print,
) -> None:
    """Settle a pending record by hand: the post is on the account (at `posted_url`) or it is not.

    After a crash between a post and its record, a person looks at the account; this writes what
    they saw into the ledger, so nobody edits JSON by hand.
    """
    if bool(posted_url) == not_posted:
        raise PublishFailed("settle: give either --posted URL or --not-posted", EXIT_SETUP)
    path = settings.publish.ledger_path
    try:
        with exclusive(settings.publish.lock_path):
            ledger = Ledger.load(path)
            if ledger is None:
                raise PublishFailed(f"settle: there is no ledger at {path}", EXIT_SETUP)
            record = _the_pending_record(ledger, slug, kind, network)
            if posted_url:
                found = NETWORKS.get(record.network)
                post_id = found.post_id_from_url(posted_url) if found else None
                if post_id is None:
                    raise PublishFailed(
                        f"settle: '{posted_url}' is not the address of a post on "
                        f"{found.title if found else record.network}, like "
                        f"{EXAMPLE_URLS.get(record.network, EXAMPLE_URLS['twitter'])}",
                        EXIT_SETUP,
                    )
                settle_record(record, post_id, posted_url.strip(), settings.now())
                said = f"recorded {record.describe()} on {record.network} as posted: {posted_url}"
            else:
                ledger.forget(record)
                said = (
                    f"recorded {record.describe()} on {record.network} as not posted; the next "
                    "run sends it if it is still due"
                )
            ledger.save()
    except LedgerError as error:
        raise PublishFailed(f"settle: {error}", EXIT_SETUP) from None
    out(f"settle: {said}")


def _the_pending_record(ledger: Ledger, slug: str, kind: str | None, network: str | None) -> Record:
    pending = ledger.pending()
    found = [
        record
        for record in pending
        if record.slug == slug
        and (kind is None or record.kind == kind)
        and (network is None or record.network == network)
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        listed = ", ".join(f"{r.describe()} on {r.network}" for r in pending) or "none"
        raise PublishFailed(
            f"settle: no pending record for {slug}; pending now: {listed}", EXIT_SETUP
        )
    listed = ", ".join(f"{r.kind} on {r.network}" for r in found)
    raise PublishFailed(
        f"settle: {slug} has several pending records ({listed}); add --kind and --network",
        EXIT_SETUP,
    )
