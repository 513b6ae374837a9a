"""The announce plan: what a production build can announce, and what is due against the ledger."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from class_schedule.model import ClassEvent, ClassStatus

from . import compose
from .ledger import BASELINE, Ledger, atomic_write_json, new_record
from .settings import PublishSettings

VERSION = 1
ORDER = {"update": 0, "announcement": 1, "reminder": 1}


class PlanError(Exception):
    """The plan is missing, unreadable or does not describe the current site."""


@dataclass(frozen=True)
class Post:
    """One post that is due: what to send, in reply to what, and the state it announces."""

    slug: str
    kind: str  # announcement | update | reminder
    text: str
    weighted_length: int
    state: dict[str, Any]
    change: str | None = None  # cancelled | postponed | rescheduled, for updates
    reply_to: str | None = None

    def describe(self) -> str:
        """ "update (cancelled) desain-grafis", as shown in dry runs and messages."""
        kind = f"{self.kind} ({self.change})" if self.change else self.kind
        return f"{kind} {self.slug}"


def class_state(event: ClassEvent) -> dict[str, str]:
    """What followers must know about a class: a change in any of these is announced."""
    return {
        "start": event.start.isoformat(),
        "venue": event.venue.name,
        "status": str(event.status),
    }


def _composed(value: compose.Composed) -> dict[str, Any]:
    return asdict(value)


def class_item(event: ClassEvent, url: str, cfg: PublishSettings) -> dict[str, Any]:
    """A class as the plan holds it: its state and every text that may be posted about it."""

    def text(kind: str) -> dict[str, Any]:
        return _composed(
            compose.compose_class(kind, event, url, cfg.chapter, cfg.language, cfg.templates)
        )

    texts = {
        "announcement": text("announcement"),
        "update": text(compose.update_kind(event.status)),
    }
    if event.status is ClassStatus.SCHEDULED:
        texts["reminder"] = text("reminder")
    # A Date before the start is the day the class may be announced; without one it equals
    # the start, which means "announce as soon as it is on the site".
    announce_from = event.announced.isoformat() if event.announced < event.start else None
    return {
        "slug": event.slug,
        "type": "class",
        "title": event.title,
        "url": url,
        "announce_from": announce_from,
        "state": class_state(event),
        "texts": texts,
    }


def page_item(slug: str, title: str, url: str, cfg: PublishSettings) -> dict[str, Any]:
    """A page of the site; only new pages are ever announced, when "page" is in kinds."""
    return {
        "slug": f"page:{slug}",
        "type": "page",
        "title": title,
        "url": url,
        "state": {"title": title},
        "texts": {
            "announcement": _composed(compose.compose_page(title, url, cfg.chapter, cfg.templates))
        },
    }


def _start(item: Mapping[str, Any]) -> datetime:
    return datetime.fromisoformat(item["state"]["start"])


def _waits(item: Mapping[str, Any], now: datetime) -> bool:
    """A class whose announcement date (Date) is still to come."""
    announce_from = item.get("announce_from")
    return bool(announce_from) and now < datetime.fromisoformat(announce_from)


def change_between(known: Mapping[str, Any], current: Mapping[str, Any]) -> str | None:
    """The update a class needs, or None: a new status, or a new time or place once scheduled."""
    status = current["status"]
    if status != "scheduled":
        return status if known.get("status") != status else None
    moved = known.get("start") is None or _start({"state": known}) != _start({"state": current})
    if known.get("status") != "scheduled" or moved or known.get("venue") != current["venue"]:
        return "rescheduled"
    return None


def _post(item: Mapping[str, Any], kind: str, text_name: str, **extra: Any) -> Post:
    text = item["texts"][text_name]
    return Post(
        slug=item["slug"],
        kind=kind,
        text=text["text"],
        weighted_length=text["weighted_length"],
        state=dict(item["state"]),
        **extra,
    )


def _sort_key(post: Post, items: Mapping[str, Mapping[str, Any]]) -> tuple:
    # Changes first (a cancellation matters most to people who registered), then the soonest.
    start = items[post.slug]["state"].get("start") or "9999"
    return (ORDER.get(post.kind, 2) if not post.slug.startswith("page:") else 3, start, post.slug)


def due_posts(
    items: Sequence[Mapping[str, Any]],
    ledger: Ledger,
    now: datetime,
    kinds: Iterable[str],
    network: str,
    retry_pending: bool = False,
) -> list[Post]:
    """Announcements of new classes (and pages) and updates of announced ones, most urgent first."""
    kinds = set(kinds)
    blocked = set() if retry_pending else {r["slug"] for r in ledger.pending()}
    posts = []
    for item in items:
        slug = item["slug"]
        if item["type"] not in kinds or slug in blocked:
            continue
        if item["type"] == "page":
            if ledger.announcement(slug, network) is None:
                posts.append(_post(item, "announcement", "announcement"))
            continue
        if _start(item) <= now:
            continue  # started or over: never announced, never updated
        announced = ledger.announcement(slug, network)
        if announced is None:
            if item["state"]["status"] == "scheduled" and not _waits(item, now):
                posts.append(_post(item, "announcement", "announcement"))
            continue
        change = change_between(ledger.known_state(slug, network) or {}, item["state"])
        if change:
            reply_to = announced.get("tweet_id")
            posts.append(_post(item, "update", "update", change=change, reply_to=reply_to))
    by_slug = {item["slug"]: item for item in items}
    return sorted(posts, key=lambda post: _sort_key(post, by_slug))


def due_reminders(
    items: Sequence[Mapping[str, Any]],
    ledger: Ledger,
    now: datetime,
    hours: int,
    network: str,
    retry_pending: bool = False,
) -> list[Post]:
    """One reminder per class starting within `hours` (again only if its start moved)."""
    blocked = set() if retry_pending else {r["slug"] for r in ledger.pending(("reminder",))}
    horizon = now + timedelta(hours=hours)
    posts = []
    for item in items:
        if item["type"] != "class" or item["state"]["status"] != "scheduled":
            continue
        if item["slug"] in blocked or not now < _start(item) <= horizon:
            continue
        reminded = ledger.find(item["slug"], "reminder", network)
        if any(_start(r) == _start(item) for r in reminded):
            continue
        announced = ledger.announcement(item["slug"], network)
        reply_to = announced.get("tweet_id") if announced else None
        posts.append(_post(item, "reminder", "reminder", reply_to=reply_to))
    return sorted(posts, key=lambda post: (post.state["start"], post.slug))


def baseline_records(
    items: Sequence[Mapping[str, Any]], ledger: Ledger, now: datetime, network: str
) -> list[dict[str, Any]]:
    """Records that make everything public now count as announced, without posting anything."""
    blocked = {r["slug"] for r in ledger.pending()}
    records = []
    for item in items:
        slug = item["slug"]
        is_class = item["type"] == "class"
        if slug in blocked or (is_class and _start(item) <= now):
            continue
        if ledger.announcement(slug, network) is None:
            # A class whose announcement date is still to come is not public news yet.
            if not (is_class and _waits(item, now)):
                record = new_record(slug, network, "announcement", BASELINE, item["state"], now)
                records.append(record)
            continue
        if not is_class:
            continue
        change = change_between(ledger.known_state(slug, network) or {}, item["state"])
        if change:
            records.append(
                new_record(slug, network, "update", BASELINE, item["state"], now, change)
            )
    return records


def content_digest(content_path: str | os.PathLike) -> str:
    """SHA-256 over every file under the content folder (names and bytes)."""
    digest = hashlib.sha256()
    root = Path(content_path)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def make_plan(
    items: list[dict[str, Any]],
    *,
    built_at: datetime,
    now: datetime,
    content_path: str,
    cfg: PublishSettings,
    ledger: Ledger | None,
    network: str,
) -> dict[str, Any]:
    """The plan file's content: the build's identity, every item, and what is due right now."""
    digest = content_digest(content_path)
    build_id = hashlib.sha256(
        json.dumps([built_at.isoformat(), digest, items], sort_keys=True).encode()
    ).hexdigest()[:16]
    posts = [] if ledger is None else due_posts(items, ledger, now, cfg.kinds, network)
    return {
        "version": VERSION,
        "build_id": build_id,
        "built_at": built_at.isoformat(),
        "now": now.isoformat(),
        "chapter": {"domain": cfg.chapter["domain"], "twitter": cfg.chapter["twitter"]},
        "content": {"path": str(content_path), "digest": digest},
        "ledger": {"path": str(cfg.ledger_path), "exists": ledger is not None},
        "posts": [asdict(post) for post in posts],
        "items": items,
    }


def write(path: Path, plan: Mapping[str, Any]) -> None:
    """Write the plan atomically (the folder is created when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(path, plan)


def read(path: Path) -> dict[str, Any]:
    """The plan at `path`; PlanError when there is none or it is from another version."""
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(
            f"no announce plan at {path}: only a successful production build writes one; "
            "run `invoke preview` (or `invoke publish`) first"
        ) from None
    except (OSError, ValueError) as error:
        raise PlanError(f"{path} is not readable ({error}); run `invoke preview` again") from None
    if not isinstance(plan, dict) or plan.get("version") != VERSION:
        raise PlanError(f"{path} comes from another version of the kit; run `invoke preview` again")
    return plan


def check_current(
    plan: Mapping[str, Any], content_path: str, chapter: Mapping[str, str], ledger: Ledger | None
) -> None:
    """Refuse a plan that no longer describes the site: other content, chapter, or newer ledger."""
    if plan["chapter"] != {"domain": chapter["domain"], "twitter": chapter["twitter"]}:
        raise PlanError("the plan was built for another chapter; run `invoke preview` again")
    if os.path.abspath(plan["content"]["path"]) != os.path.abspath(content_path) or (
        content_digest(content_path) != plan["content"]["digest"]
    ):
        raise PlanError(
            "the content changed since the plan was built; run `invoke preview` again so the "
            "posts match the site"
        )
    updated_by = ledger.updated_by if ledger else None
    newer = updated_by is not None and datetime.fromisoformat(
        updated_by["built_at"]
    ) > datetime.fromisoformat(plan["built_at"])
    if newer and updated_by["build_id"] != plan["build_id"]:
        raise PlanError(
            f"the ledger was last changed by a newer build ({updated_by['build_id']}) than "
            f"this plan ({plan['build_id']}); run `invoke preview` again"
        )
