"""What the theme's templates get besides Pelican's own context: filters, links, translations."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, TemplateSyntaxError, nodes, pass_context
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from .. import formatting, links, translations
from ..model import ClassEvent
from ..render.jsonld import event_jsonld
from ..settings import Settings
from ..urls import url_for
from .state import schedule_of, site_settings
from .template_cache import share_compiled_templates


def install_helpers(generator: Any) -> None:
    """Give every template the date formatters, translations and link builders."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.add_extension(FragmentCache)  # before the bytecode cache: compiled code depends on it
    share_compiled_templates(env, generator.settings.get("CACHE_PATH"))
    settings = site_settings(generator.settings)
    language, chapter = settings.language, settings.chapter
    # Pelican makes new environments for every build, and a template edit means a full build:
    # no need to stat every template again each time a page extends or includes it.
    env.auto_reload = False
    env.install_gettext_translations(
        translations.load(generator.settings["THEME"], language), newstyle=True
    )
    remembered = remembering_gettext(env.globals["gettext"])
    env.globals.update(gettext=remembered, _=remembered)
    env.filters.update(filters(language))
    env.globals.update(
        url_for=url_for,
        absolute_url=settings.absolute_url,
        page_url=lambda output_file: settings.absolute_url(canonical_path(output_file)),
        event_jsonld=_event_jsonld(settings),
        share_links=lambda event: links.share_links(event, chapter, language),
        registration_url=lambda event: links.registration_url(event, chapter, language),
        inline_css=stylesheet(generator.settings["THEME"]),
        menu_entries=menu_entries,
    )


def filters(language: str) -> dict[str, Any]:
    """The filters the kit gives templates (dates and times in the site's language)."""
    return {
        "long_date": lambda moment: formatting.long_date(moment, language),
        "short_date": lambda moment: formatting.short_date(moment, language),
        "clock": lambda moment: formatting.clock(moment, language),
        "when": lambda moment: formatting.when(moment, language),
        "time_range": lambda event: formatting.time_range(event.start, event.end, language),
        "number": lambda value: formatting.number(value, language),
        "percent": lambda value: formatting.percent(value, language),
        "year": lambda value: formatting.year(value, language),
    }


def kit_filter_in_theme(theme: str, extensions: Any = ()) -> tuple[str, str] | None:
    """The first of the kit's filters a theme's templates use, and the template: (name, path).

    Jinja refuses a template with a filter it does not know, so a theme that uses one cannot
    build without the plugin that installs it. Templates are parsed, never compiled or run.
    """
    known = set(filters("id"))
    try:
        env = Environment(extensions=["jinja2.ext.i18n", FragmentCache, *extensions])
    except (ImportError, AttributeError, TypeError):  # an extension Jinja cannot load
        env = Environment(extensions=["jinja2.ext.i18n", FragmentCache])
    root = Path(theme) / "templates"
    for path in sorted(root.rglob("*.html")) if root.is_dir() else ():
        try:
            tree = env.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, TemplateSyntaxError):
            continue  # Pelican says what is wrong with it when it renders it
        for found in tree.find_all(nodes.Filter):
            if found.name in known:
                return found.name, path.relative_to(root).as_posix()
    return None


# Messages remembered per environment; past this, a preview process starts again.
MAX_MESSAGES = 10_000


def remembering_gettext(jinja_gettext: Any) -> Any:
    """Jinja's own (newstyle) gettext, its result remembered per message and arguments.

    A page asks for some twenty messages, the same on every page ("Guru", the menu, the footer):
    Jinja translates, marks safe and %-formats each again (a fifth of a class page's time). The
    result depends only on the message, the arguments and autoescape, so it is kept when the
    arguments are plain strings or numbers; anything else (Markup, Undefined) goes to Jinja.
    """
    done: dict[tuple[Any, ...], Any] = {}

    @pass_context
    def gettext(context: Any, string: str, **variables: Any) -> Any:
        if type(string) is not str or any(
            type(value) not in (str, int) for value in variables.values()
        ):
            return jinja_gettext(context, string, **variables)
        key = (string, context.eval_ctx.autoescape, *sorted(variables.items()))
        found = done.get(key)
        if found is None:
            if len(done) >= MAX_MESSAGES:
                done.clear()
            found = done[key] = jinja_gettext(context, string, **variables)
        return found

    return gettext


class FragmentCache(Extension):
    """`{% cache key, ... %}...{% endcache %}`: the fragment rendered once per key, then reused.

    For a piece that many pages show alike, such as a class in the archive, its teachers' and its
    venue's lists: the key names everything in it that can differ from page to page (the class,
    SITEURL, a heading level). The store belongs to the environment, and Pelican makes new
    environments for every build, so nothing outlives the build whose settings and theme made it.
    """

    tags = {"cache"}
    # A preview process keeps its environments across edits: an edited class adds an entry.
    MAX_FRAGMENTS = 100_000

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.fragments: dict[tuple[Any, ...], Markup] = {}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        key = nodes.Tuple(keys, "load")
        call = self.call_method("_fragment", [key])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key: tuple[Any, ...], caller: Any) -> Markup:
        found = self.fragments.get(key)
        if found is None:
            if len(self.fragments) >= self.MAX_FRAGMENTS:
                self.fragments.clear()
            found = self.fragments[key] = caller()
        return found


def _event_jsonld(settings: Settings) -> Any:
    @pass_context
    def for_template(context: Any, event: ClassEvent, image: str | None = None) -> Any:
        # The build's own moment: a class that has started offers no more seats.
        schedule = schedule_of(context)
        now = schedule.now if schedule is not None else None
        home = settings.absolute_url()
        return event_jsonld(event, settings.chapter, home, now=now, image_url=image)

    return for_template


class MenuEntry(NamedTuple):
    """One of the chapter's pages in the site menu."""

    url: str
    slug: str
    label: str


def menu_entries(pages: Iterable[Any]) -> tuple[MenuEntry, ...]:
    """The menu's entries for Pelican's `pages`, worked out once per build, not once per page."""
    return _menu_entries(tuple(pages))


@lru_cache(maxsize=8)
def _menu_entries(pages: tuple[Any, ...]) -> tuple[MenuEntry, ...]:
    # Pelican works out a page's url from the settings on every access: 6 pages on 1,339 pages
    # were a tenth of the render time. Pages hash by identity, so each build has its own entry.
    return tuple(
        MenuEntry(page.url, page.slug, getattr(page, "menu_label", None) or page.title)
        for page in pages
    )


def canonical_path(output_file: str) -> str:
    """ "kelas/x/index.html" -> "kelas/x/": the address a page is linked and shared by."""
    return output_file[: -len("index.html")] if output_file.endswith("index.html") else output_file


def stylesheet(theme: str) -> Markup:
    """The theme's one stylesheet, for a <style> element in every page.

    Inline, it is no render-blocking request: on a slow 3G phone the first paint no longer waits
    a round trip for it. It is the theme's own file, so it is trusted as it is.
    """
    path = Path(theme) / "static" / "css" / "site.css"
    return _stylesheet(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _stylesheet(path: Path, mtime_ns: int) -> Markup:
    return Markup(path.read_text(encoding="utf-8").strip())
