"""The announce plan: what a production build can announce, and what is due against the ledger."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..model import Chapter, ClassEvent, ClassStatus
from ..settings import Settings
from . import compose
from .compose import Composed
from .ledger import (
    ANNOUNCE_KINDS,
    BASELINE,
    POSTED,
    RECAP,
    Ledger,
    Record,
    atomic_write_json,
    chapter_identity,
    describe,
    new_record,
)
from .networks import Network

VERSION = 2  # 2: typed items, texts composed per network
ORDER = {"update": 0, "announcement": 1, "reminder": 1, RECAP: 2}


class PlanError(Exception):
    """The plan is missing, unreadable or does not describe the current site."""


@dataclass(frozen=True)
class PlanItem:
    """A class or page as the plan holds it: its state and every text that may be posted."""

    slug: str  # a class's slug, or "page:<slug>"
    type: str  # class | page
    title: str
    url: str
    state: Mapping[str, str]
    texts: Mapping[str, Mapping[str, Composed]]  # network -> text name -> text
    # A class may be announced from this moment (its `Date:` before its start); None: at once.
    announce_from: str | None = None
    # What a link card or an e-mail shows beside the text: description, image_path (the share
    # image in the built site), image_url, ics (the class's calendar file).
    card: Mapping[str, str] = field(default_factory=dict)
    end: str | None = None  # when a class ends: its recap is due after that
    # A recap's photos, in the class file's order: "path" (the kit's largest copy in the built
    # site), "url" (that copy's address) and "alt"; only classes that can have a recap.
    photos: tuple[Mapping[str, str], ...] = ()

    @property
    def is_class(self) -> bool:
        return self.type == "class"

    @property
    def start(self) -> datetime:
        return datetime.fromisoformat(self.state["start"])

    def waits(self, now: datetime) -> bool:
        """A class whose announcement date (Date) is still to come."""
        return self.announce_from is not None and now < datetime.fromisoformat(self.announce_from)

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "type": self.type,
            "title": self.title,
            "url": self.url,
            "announce_from": self.announce_from,
            "card": dict(self.card),
            "end": self.end,
            "photos": [dict(photo) for photo in self.photos],
            "state": dict(self.state),
            "texts": {
                network: {name: asdict(text) for name, text in texts.items()}
                for network, texts in self.texts.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanItem:
        return cls(
            slug=data["slug"],
            type=data["type"],
            title=data["title"],
            url=data["url"],
            state=dict(data["state"]),
            texts={
                network: {name: Composed(**text) for name, text in texts.items()}
                for network, texts in data["texts"].items()
            },
            announce_from=data.get("announce_from"),
            card=dict(data.get("card", {})),
            end=data.get("end"),
            photos=tuple(
                {"path": str(p["path"]), "url": str(p["url"]), "alt": str(p["alt"])}
                for p in data.get("photos", ())
            ),
        )


@dataclass(frozen=True)
class Post:
    """One post that is due: what to send where, in reply to what, and the state it announces."""

    slug: str
    network: str
    kind: str  # announcement | update | reminder | recap
    text: str
    weighted_length: int
    state: Mapping[str, str]
    change: str | None = None  # cancelled | postponed | rescheduled, for updates
    reply_to: str | None = None  # the announcement's post id
    reply: Mapping[str, str] | None = None  # what else a reply needs (Bluesky: uri and cid)

    def describe(self) -> str:
        """ "update (cancelled) desain-grafis", as shown in dry runs and messages."""
        return describe(self.kind, self.change, self.slug)


def class_state(event: ClassEvent) -> dict[str, str]:
    """What followers must know about a class: a change in any of these is announced."""
    return {
        "start": event.start.isoformat(),
        "venue": event.venue.name,
        "status": str(event.status),
    }


def class_item(
    event: ClassEvent,
    chapter: Chapter,
    language: str,
    templates: Mapping[str, Mapping[str, str]],
    networks: Iterable[Network],
    card: Mapping[str, str] | None = None,
    photos: Sequence[Mapping[str, str]] = (),
) -> PlanItem:
    """A class with every text that may be posted about it, on every network (`templates`:
    each network's own); `photos` are its recap's (path, url and alt of each copy)."""
    names = ["announcement", compose.update_kind(event.status)]
    if event.status is ClassStatus.SCHEDULED:
        names.append("reminder")
    recap = compose.can_recap(event)
    texts = {}
    for network in networks:
        own = templates[network.name]
        texts[network.name] = {
            # The update is stored under "update" whatever its template (cancelled, ...).
            ("update" if name == names[1] else name): compose.compose_class(
                name, event, chapter, language, own, network.rules
            )
            for name in names
        }
        if recap:
            texts[network.name][RECAP] = compose.compose_class(
                RECAP, event, chapter, language, own, network.recap_rules
            )
    # A Date before the start is the day the class may be announced; without one it equals
    # the start, which means "announce as soon as it is on the site".
    announce_from = event.announced.isoformat() if event.announced < event.start else None
    return PlanItem(
        slug=event.slug,
        type="class",
        title=event.title,
        url=event.url,
        state=class_state(event),
        texts=texts,
        announce_from=announce_from,
        card={"description": compose.clean(event.summary), **(card or {})},
        end=event.end.isoformat(),
        photos=tuple(dict(photo) for photo in photos) if recap else (),
    )


def page_item(
    slug: str,
    title: str,
    url: str,
    chapter: Chapter,
    templates: Mapping[str, Mapping[str, str]],
    networks: Iterable[Network],
) -> PlanItem:
    """A page of the site; only new pages are ever announced, when "page" is in kinds."""
    return PlanItem(
        slug=f"page:{slug}",
        type="page",
        title=title,
        url=url,
        state={"title": title},
        texts={
            network.name: {
                "announcement": compose.compose_page(
                    title, url, chapter, templates[network.name], network.rules
                )
            }
            for network in networks
        },
    )


def change_between(known: Mapping[str, str], current: Mapping[str, str]) -> str | None:
    """The update a class needs, or None: a new status, or a new time or place once scheduled."""
    status = current["status"]
    if status != "scheduled":
        return status if known.get("status") != status else None
    known_start = known.get("start")
    moved = known_start is None or datetime.fromisoformat(known_start) != datetime.fromisoformat(
        current["start"]
    )
    if known.get("status") != "scheduled" or moved or known.get("venue") != current["venue"]:
        return "rescheduled"
    return None


def _post(item: PlanItem, network: str, kind: str, text_name: str, **extra: Any) -> Post:
    text = item.texts[network][text_name]
    return Post(
        slug=item.slug,
        network=network,
        kind=kind,
        text=text.text,
        weighted_length=text.weighted_length,
        state=dict(item.state),
        **extra,
    )


def _sort_key(post: Post, items: Mapping[str, PlanItem]) -> tuple[int, str, str]:
    # Changes first (a cancellation matters most to people who registered), then the soonest.
    start = items[post.slug].state.get("start") or "9999"
    return (ORDER.get(post.kind, 2) if not post.slug.startswith("page:") else 3, start, post.slug)


def due_posts(
    items: Sequence[PlanItem],
    ledger: Ledger,
    now: datetime,
    kinds: Iterable[str],
    network: str,
    retry_pending: bool = False,
) -> list[Post]:
    """Announcements of new classes (and pages) and updates of announced ones, most urgent first."""
    wanted = set(kinds)
    blocked = (
        set()
        if retry_pending
        else {r.slug for r in ledger.pending(ANNOUNCE_KINDS) if r.network == network}
    )
    posts = []
    for item in items:
        if item.type not in wanted or item.slug in blocked or network not in item.texts:
            continue
        if not item.is_class:
            if ledger.announcement(item.slug, network) is None:
                posts.append(_post(item, network, "announcement", "announcement"))
            continue
        if item.start <= now:
            continue  # started or over: never announced, never updated
        announced = ledger.announcement(item.slug, network)
        if announced is None:
            if item.state["status"] == "scheduled" and not item.waits(now):
                posts.append(_post(item, network, "announcement", "announcement"))
            continue
        change = change_between(ledger.known_state(item.slug, network) or {}, item.state)
        if change:
            posts.append(
                _post(
                    item,
                    network,
                    "update",
                    "update",
                    change=change,
                    reply_to=announced.post_id,
                    reply=announced.reply,
                )
            )
    by_slug = {item.slug: item for item in items}
    return sorted(posts, key=lambda post: _sort_key(post, by_slug))


def due_reminders(
    items: Sequence[PlanItem],
    ledger: Ledger,
    now: datetime,
    hours: int,
    network: str,
    retry_pending: bool = False,
) -> list[Post]:
    """One reminder per class starting within `hours` (again only if its start moved), on each
    network the class was announced on (or baselined: followers there know of it)."""
    blocked = (
        set()
        if retry_pending
        else {r.slug for r in ledger.pending(("reminder",)) if r.network == network}
    )
    horizon = now + timedelta(hours=hours)
    posts = []
    for item in items:
        if not item.is_class or item.state["status"] != "scheduled" or network not in item.texts:
            continue
        if item.slug in blocked or not now < item.start <= horizon:
            continue
        reminded = ledger.find(item.slug, "reminder", network)
        if any(datetime.fromisoformat(r.state["start"]) == item.start for r in reminded):
            continue
        announced = ledger.announcement(item.slug, network)
        if announced is None:
            continue
        posts.append(
            _post(
                item,
                network,
                "reminder",
                "reminder",
                reply_to=announced.post_id,
                reply=announced.reply,
            )
        )
    return sorted(posts, key=lambda post: (post.state["start"], post.slug))


def due_recaps(
    items: Sequence[PlanItem],
    ledger: Ledger,
    now: datetime,
    window_days: int,
    network: str,
    retry_pending: bool = False,
) -> list[Post]:
    """One recap per class and network: for classes that ended (since the ledger knows recaps,
    at most `window_days` ago) with photos or the chapter's words; a reply to the announcement.

    A pending recap (a run stopped between the uploads and the post) waits for `invoke
    settle` unless `retry_pending`; a settled one, of any status, is never posted again.
    """
    since = ledger.knows_recaps_from(now)
    oldest = now - timedelta(days=window_days)
    posts = []
    for item in items:
        if not item.is_class or item.end is None or RECAP not in item.texts.get(network, {}):
            continue
        if item.state["status"] != "scheduled":
            continue
        end = datetime.fromisoformat(item.end)
        if not (since < end <= now and end >= oldest):
            continue
        if ledger.find(item.slug, RECAP, network, settled=retry_pending):
            continue
        announced = ledger.announcement(item.slug, network)
        # A network that never told its followers of the class (added after it took place, or
        # its announcement dropped unsent) has nobody to thank: no recap out of the blue there.
        if announced is None or announced.status not in (POSTED, BASELINE):
            continue
        reply_to = announced.post_id
        posts.append(
            _post(
                item,
                network,
                RECAP,
                RECAP,
                reply_to=reply_to,
                reply=announced.reply if reply_to else None,
            )
        )
    ends = {item.slug: item.end or "" for item in items}
    return sorted(posts, key=lambda post: (ends[post.slug], post.slug))


def baseline_records(
    items: Sequence[PlanItem], ledger: Ledger, now: datetime, network: str
) -> list[Record]:
    """Records that make everything public now count as announced, without posting anything."""
    blocked = {r.slug for r in ledger.pending(ANNOUNCE_KINDS) if r.network == network}
    records = []
    for item in items:
        if item.slug in blocked or (item.is_class and item.start <= now):
            continue
        if ledger.announcement(item.slug, network) is None:
            # A class whose announcement date is still to come is not public news yet.
            if not (item.is_class and item.waits(now)):
                records.append(
                    new_record(item.slug, network, "announcement", BASELINE, item.state, now)
                )
            continue
        if not item.is_class:
            continue
        change = change_between(ledger.known_state(item.slug, network) or {}, item.state)
        if change:
            records.append(
                new_record(item.slug, network, "update", BASELINE, item.state, now, change)
            )
    return records


def content_digest(content_path: str | os.PathLike[str]) -> str:
    """SHA-256 over every file under the content folder (names and bytes)."""
    digest = hashlib.sha256()
    root = Path(content_path)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Plan:
    """What one production build can announce: its identity, every item, and what was due."""

    build_id: str
    built_at: str
    now: str
    chapter: Mapping[str, str]  # domain and account: a plan serves one chapter's ledger
    content_path: str
    content_digest: str
    ledger_path: str
    ledger_exists: bool
    items: tuple[PlanItem, ...]
    posts: tuple[Post, ...]  # due when the build ran, for its log; commands work it out again

    @property
    def build(self) -> dict[str, str]:
        """What the ledger notes of the build whose plan changed it last."""
        return {"build_id": self.build_id, "built_at": self.built_at}

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "build_id": self.build_id,
            "built_at": self.built_at,
            "now": self.now,
            "chapter": dict(self.chapter),
            "content": {"path": self.content_path, "digest": self.content_digest},
            "ledger": {"path": self.ledger_path, "exists": self.ledger_exists},
            "posts": [asdict(post) for post in self.posts],
            "items": [item.to_json() for item in self.items],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Plan:
        return cls(
            build_id=data["build_id"],
            built_at=data["built_at"],
            now=data["now"],
            chapter=dict(data["chapter"]),
            content_path=data["content"]["path"],
            content_digest=data["content"]["digest"],
            ledger_path=data["ledger"]["path"],
            ledger_exists=bool(data["ledger"]["exists"]),
            items=tuple(PlanItem.from_json(item) for item in data["items"]),
            posts=tuple(Post(**post) for post in data["posts"]),
        )


def make_plan(
    items: Sequence[PlanItem],
    *,
    built_at: datetime,
    now: datetime,
    settings: Settings,
    ledger: Ledger | None,
    networks: Iterable[Network],
) -> Plan:
    """The plan: the build's identity, every item, and what is due right now on each network."""
    digest = content_digest(settings.content_path)
    serialised = [item.to_json() for item in items]
    build_id = hashlib.sha256(
        json.dumps([built_at.isoformat(), digest, serialised], sort_keys=True).encode()
    ).hexdigest()[:16]
    posts: list[Post] = []
    if ledger is not None:
        for network in networks:
            # A network the ledger has no history for posts nothing until its baseline.
            if network.name in ledger.networks:
                posts += due_posts(items, ledger, now, settings.publish.kinds, network.name)
                if "class" in settings.publish.kinds:
                    window = settings.publish.recap_window_days
                    posts += due_recaps(items, ledger, now, window, network.name)
    return Plan(
        build_id=build_id,
        built_at=built_at.isoformat(),
        now=now.isoformat(),
        chapter=chapter_identity(settings.chapter),
        content_path=str(settings.content_path),
        content_digest=digest,
        ledger_path=str(settings.publish.ledger_path),
        ledger_exists=ledger is not None,
        items=tuple(items),
        posts=tuple(posts),
    )


def write(path: Path, plan: Plan) -> None:
    """Write the plan atomically (the folder is created when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(path, plan.to_json())


def read(path: Path) -> Plan:
    """The plan at `path`; PlanError when there is none, or it is damaged or of another version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(
            f"no announce plan at {path}: only a successful production build writes one; "
            "run `invoke preview` (or `invoke publish`) first"
        ) from None
    except (OSError, ValueError) as error:
        raise PlanError(f"{path} is not readable ({error}); run `invoke preview` again") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise PlanError(f"{path} comes from another version of the kit; run `invoke preview` again")
    try:
        return Plan.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise PlanError(
            f"{path} is damaged ({type(error).__name__}: {error}); run `invoke preview` again"
        ) from None


def check_current(plan: Plan, settings: Settings, ledger: Ledger | None) -> None:
    """Refuse a plan that no longer describes the site: other content, chapter, or newer ledger."""
    if dict(plan.chapter) != chapter_identity(settings.chapter):
        raise PlanError("the plan was built for another chapter; run `invoke preview` again")
    if os.path.abspath(plan.content_path) != str(settings.content_path) or (
        content_digest(settings.content_path) != plan.content_digest
    ):
        raise PlanError(
            "the content changed since the plan was built; run `invoke preview` again so the "
            "posts match the site"
        )
    updated_by = ledger.updated_by if ledger else None
    newer = updated_by is not None and datetime.fromisoformat(
        updated_by["built_at"]
    ) > datetime.fromisoformat(plan.built_at)
    if updated_by is not None and newer and updated_by["build_id"] != plan.build_id:
        raise PlanError(
            f"the ledger was last changed by a newer build ({updated_by['build_id']}) than "
            f"this plan ({plan.build_id}); run `invoke preview` again"
        )
