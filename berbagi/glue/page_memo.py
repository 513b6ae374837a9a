"""Pages a full build can keep from the last good build instead of rendering them again.

A rebuild after one edit renders a thousand class pages that come out byte for byte as before.
The preview's incremental step (incremental.py) shows which inputs those pages read; this
writer keys each page on the same inputs, persisted between builds in the cache folder:

- a class's page reads its own article and class, the build's moment and the site;
- a page of `classes.schedule_pages` reads what its `shows` holds and the site;
- "the site" is everything else a page can reach: the kit's code and theme, installed library
  versions, the settings, every content file's address, status, dates and other fields Pelican
  derives from it (and the whole text of every page and non-class article), every other file in
  the content folder by size and mtime (photos, a logo), and, for the build's moment, on which
  side of each class's start, Date and share-image limit it falls.

A page whose key is unchanged is linked from the last good site (output.Fingerprints, which also
checks that the file there is still the one made from that key) and announced to the other
plugins as written, as Pelican's writer does. Any other page, and every page of a site with
translations, period archives or another article order (where the preview's proof does not
hold), is rendered as usual. The keys are committed by the runner once the build is in place.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import types
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from ..model import ClassEvent
from . import classes, output, share_images, side_work
from .state import SCHEDULE_KEY, SETTINGS_KEY, schedule_of

MEMO_FILE = "berbagi-pages.json"
# Changes when what a key holds changes, so keys of an older kit never match.
KEY_VERSION = "1"
# Settings that name this build's folders, not anything a page shows.
FOLDER_SETTINGS = frozenset({"OUTPUT_PATH", output.PREVIOUS_OUTPUT, SETTINGS_KEY})
# What Pelican derives from a file besides its content: the preview's incremental step does a
# full build when any of these changes, as every page may show them.
PELICAN_FIELDS = (
    "status",
    "save_as",
    "url",
    "slug",
    "lang",
    "translation",
    "date",
    "category",
    "tags",
    "authors",
    "template",
    "override_save_as",
)
ARCHIVE_SETTINGS = ("YEAR_ARCHIVE_SAVE_AS", "MONTH_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_SAVE_AS")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def clock_moments(event: ClassEvent) -> Iterator[datetime]:
    """The moments at which the build's clock changes a class's pages: its start, its Date
    (held until then) and the end of its own share image."""
    yield event.start
    yield event.announced
    yield event.start + share_images.RECENT


_PLAIN = (str, int, float, bool, type(None))


def stable_text(value: object) -> str:
    """A text of a settings value that is the same in every process for the same value (sets
    sorted, functions and modules by name, no memory addresses)."""
    if isinstance(value, _PLAIN):
        return repr(value)
    if isinstance(value, dict):
        items = sorted((stable_text(key), stable_text(item)) for key, item in value.items())
        return "{" + ",".join(f"{key}:{item}" for key, item in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable_text(item) for item in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable_text(item) for item in value)) + "}"
    if isinstance(value, types.ModuleType):
        return f"<module {value.__name__}>"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        return f"<{getattr(value, '__module__', '')}.{value.__qualname__}>"
    return _ADDRESS.sub("", repr(value))


def _stamp_files(lines: list[str], root: Path) -> None:
    # By size and mtime, as Pelican's own cache and make judge a file: a checkout or an edit
    # moves the mtime, and the kit's 9 MB of code and fonts need not be read on every build.
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            status = os.stat(os.path.join(folder, name))
            lines.append(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns}")


def _installed_libraries() -> list[str]:
    # Each installed distribution's metadata folder is named after its name and version.
    found = []
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        found += [name for name in names if name.endswith((".dist-info", ".egg-info"))]
    return sorted(found)


def _code_text(settings: dict[str, Any]) -> str:
    """The kit's code, the theme, the plugin folders and every installed library's version."""
    lines = [sys.version]
    roots = [Path(__file__).resolve().parents[1], Path(settings["THEME"])]
    roots += [Path(folder) for folder in settings.get("PLUGIN_PATHS") or ()]
    for root in roots:
        if root.is_dir():
            _stamp_files(lines, root)
    lines += _installed_libraries()
    return "\n".join(lines)


def _plain_repr(value: object) -> str:
    # The model's and Pelican's objects have reprs of their fields (a Tag by its name); an
    # object without one would carry its memory address, which differs in every process.
    return _ADDRESS.sub("", repr(value))


def _content_text(content: Any) -> str:
    if content is None:
        return "-"  # a file Pelican read and left out (an error it logged)
    fields = tuple(getattr(content, name, None) for name in PELICAN_FIELDS)
    text = _plain_repr((fields, sorted(content.get_static_links())))
    event: ClassEvent | None = getattr(content, "event", None)
    if event is not None:
        # Another class's page links to this one and shows its photos' copies: by address.
        return text + _plain_repr((event.slug, event.page_path, event.url, event.photos))
    # A page or a post may be shown anywhere (the menu lists pages): all of it.
    return text + _article_text(content)


def _article_text(content: Any) -> str:
    body = hashlib.sha256((content._content or "").encode()).hexdigest()
    return f"{body}|{_plain_repr(sorted(content.metadata.items()))}"


def _other_files(settings: dict[str, Any], sources: set[str]) -> str:
    """Every file in the content folder that is not a content source, by size and mtime."""
    root = Path(settings["PATH"])
    lines = []
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder, name)
            relative = str(path.relative_to(root))
            if relative in sources:
                continue
            status = path.stat()
            lines.append(f"{relative}:{status.st_size}:{status.st_mtime_ns}")
    return "\n".join(lines)


def _clock_text(context: dict[str, Any]) -> str:
    schedule = schedule_of(context)
    if schedule is None:
        return ""
    now = schedule.now
    return "".join(
        "1" if moment <= now else "0"
        for event in (*schedule.all, *schedule.hidden, *schedule.drafts)
        for moment in clock_moments(event)
    )


def _translated(contents: list[Any], default_language: str) -> bool:
    return any(
        getattr(content, "translations", None) or getattr(content, "lang", None) not in (
            None, default_language
        )
        for content in contents
    )  # fmt: skip


def site_key(settings: dict[str, Any], context: dict[str, Any]) -> str | None:
    """The digest of everything a class page or schedule page reads besides its own inputs;
    None where the preview's proof does not hold and every page is rendered."""
    generated = context.get("generated_content") or {}
    contents = [content for content in generated.values() if content is not None]
    if _translated(contents, settings.get("DEFAULT_LANG", "")):
        return None
    if any(settings.get(name) for name in ARCHIVE_SETTINGS):
        return None
    if settings.get("ARTICLE_ORDER_BY", "reversed-date") not in ("reversed-date", "date"):
        return None
    parts = [
        KEY_VERSION,
        _code_text(settings),
        stable_text({k: v for k, v in settings.items() if k not in FOLDER_SETTINGS}),
        "\n".join(f"{path}:{_content_text(generated[path])}" for path in sorted(generated)),
        _other_files(settings, set(generated)),
        _clock_text(context),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _shows_text(shows: object) -> str:
    # A class by its fingerprint (a digest of every field); groups of classes field by field.
    fingerprint = getattr(shows, "fingerprint", None)
    if isinstance(fingerprint, str):
        return f"#{fingerprint}"
    if isinstance(shows, (list, tuple)):
        return "[" + ",".join(_shows_text(item) for item in shows) + "]"
    fields = getattr(shows, "__dataclass_fields__", None)
    if fields is not None:
        texts = (f"{name}={_shows_text(getattr(shows, name))}" for name in fields)
        return f"{type(shows).__name__}(" + ",".join(texts) + ")"
    return stable_text(shows)


class PageMemo:
    """The keys of one build's kept and rendered pages."""

    def __init__(self, settings: dict[str, Any], output_path: str) -> None:
        self.settings = settings
        self.fingerprints = output.Fingerprints(
            Path(settings["CACHE_PATH"]) / MEMO_FILE,
            KEY_VERSION,
            output_path,
            output.previous_output_of(settings),
        )
        self._site: str | None = None
        self._schedule_shows: dict[str, str] = {}
        self._ready = False

    def _prepare(self, context: dict[str, Any]) -> None:
        # At the first page written: every generator has read its content by then.
        self._ready = True
        self._site = site_key(self.settings, context)
        schedule = context.get(SCHEDULE_KEY)
        if self._site is not None and schedule is not None:
            self._schedule_shows = {
                page.save_as: f"{page.kind}:{_shows_text(page.shows)}"
                for page in classes.schedule_pages(schedule)
            }

    def key(
        self, name: str, context: dict[str, Any], kwargs: dict[str, Any], relative_urls: bool
    ) -> tuple[str, ...] | None:
        """What the page `name` is made from, or None for a page this memo does not keep."""
        if not self._ready:
            self._prepare(context)
        if self._site is None:
            return None
        page = (self._site, name, str(relative_urls))
        shows = self._schedule_shows.get(name)
        if shows is not None:
            return (*page, "schedule", shows, stable_text(sorted(kwargs)))
        article = kwargs.get("article")
        event: ClassEvent | None = getattr(article, "event", None)
        if event is None or set(kwargs) & {"articles", "dates"}:
            return None
        others = stable_text({k: v for k, v in kwargs.items() if k != "article"})
        return (*page, "class", _article_text(article), event.fingerprint, others)


# The memo of the build that is writing now: made with its writer, saved when it finishes.
_current: PageMemo | None = None


class KeepingWriter(Writer):  # type: ignore[misc]
    """Pelican's writer, except that a class or schedule page made from the same inputs as in
    the last good build is linked from there instead of rendered."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings=settings)
        global _current
        # Only inside the runner's build, whose fingerprints are committed once in place: a
        # preview step writes through this class too, and keeps no memo.
        _current = PageMemo(self.settings, output_path) if output.holding() else None
        self.memo = _current
        side_work.start()

    def write_file(
        self,
        name: Any,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool = False,
        paginated: Any = None,
        template_name: Any = None,
        override_output: bool = False,
        url: Any = None,
        **kwargs: Any,
    ) -> Any:
        path = sanitised_join(self.output_path, name) if name else None
        memo = self.memo if paginated is None and not override_output else None
        key = None
        if memo is not None and path is not None and path not in self._written_files:
            key = memo.key(name, context, kwargs, relative_urls)
        if memo is not None and key is not None and memo.fingerprints.unchanged(name, key):
            self._written_files.add(path)
            self._announce(str(path), name, context, kwargs, relative_urls)
            return None
        result = super().write_file(
            name,
            template,
            context,
            relative_urls=relative_urls,
            paginated=paginated,
            template_name=template_name,
            override_output=override_output,
            url=url,
            **kwargs,
        )
        if memo is not None and key is not None:
            memo.fingerprints.record(name, key)
        return result

    def announce(
        self,
        name: str,
        context: dict[str, Any],
        relative_urls: bool = False,
        url: Any = None,
        **kwargs: Any,
    ) -> None:
        """Count a page another process writes as written here (the side worker's pages)."""
        path = sanitised_join(self.output_path, name)
        if path in self._written_files:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously'
            )
        self._written_files.add(path)
        self._announce(path, name, context, kwargs, relative_urls)

    def _announce(
        self,
        path: str,
        name: str,
        context: dict[str, Any],
        kwargs: dict[str, Any],
        relative_urls: bool,
    ) -> None:
        # What Pelican's writer does around rendering, so the sitemap and the preview's capture
        # see the page as written.
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        if relative_urls:
            relative_url = path_to_url(get_relative_path(name))
            localcontext["SITEURL"] = relative_url
            localcontext["localsiteurl"] = relative_url
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        if localcontext["localsiteurl"]:
            context["localsiteurl"] = localcontext["localsiteurl"]
        signals.content_written.send(path, context=localcontext)


def keeping_writer(pelican_object: Any) -> type[Writer]:
    """Hand Pelican the writer that keeps unchanged pages."""
    return KeepingWriter


def save_memo(pelican_object: Any) -> None:
    """Keep this build's page keys (held by the runner until the build is in place)."""
    global _current
    if _current is not None:
        _current.fingerprints.save()
        _current = None


def register() -> None:
    """Connect the writer; the core's register() calls this."""
    signals.get_writer.connect(keeping_writer)
    signals.finalized.connect(save_memo)
