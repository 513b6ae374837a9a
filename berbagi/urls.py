"""Addresses inside the site: the schedule's own pages, absolute URLs, each class's .ics file.

A class page's address is Pelican's own (`article.url`, from ARTICLE_URL); the glue stores it on
the class once, and every output reads it from there.
"""

from __future__ import annotations

import string
from datetime import datetime

from .model import MAX_CLASS_SLUG

SCHEDULE_PAGES = {
    "archive": "arsip/",
    "teachers": "guru/",
    "teacher": "guru/{slug}/",
    "venues": "tempat/",
    "venue": "tempat/{slug}/",
    "subscribe": "langganan/",
    "report": "laporan/",
}
# The report page's numbers as JSON, linked from the page (fields in the README).
REPORT_JSON = "laporan/laporan.json"
# What Pelican offers a class page's URL pattern besides the file's own metadata.
ARTICLE_PLACEHOLDERS = frozenset({"slug", "date", "lang", "category", "author", "path_no_ext"})
_EXAMPLE = {
    "slug": "contoh-kelas",
    "date": datetime(2026, 12, 5, 14, 0),
    "lang": "id",
    "category": "classes",
    "author": "guru",
    "path_no_ext": "classes/2026-12-05-contoh-kelas",
}


def url_for(kind: str, slug: str = "") -> str:
    """Site-relative URL of a schedule page, e.g. url_for('teacher', 'rina') -> 'guru/rina/'."""
    return SCHEDULE_PAGES[kind].format(slug=slug)


def absolute(base: str, path: str = "") -> str:
    """`path` under the absolute `base` (https://host[/prefix]), with exactly one slash between."""
    return f"{base.rstrip('/')}/{path.lstrip('/')}"


def class_calendar_path(page_path: str, slug: str) -> str:
    """Where a class's own .ics goes: next to its page, named after the slug (kelas/x/x.ics)."""
    if not page_path or page_path.endswith("/"):
        return f"{page_path}{slug}.ics"
    folder, _, name = page_path.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    return f"{folder}/{stem}.ics" if folder else f"{stem}.ics"


def longest_class_path(article_url: str) -> str:
    """The longest address ARTICLE_URL gives a class: its slug as long as the model allows."""
    return article_url.format(**{**_EXAMPLE, "slug": "x" * MAX_CLASS_SLUG})


def _placeholders(pattern: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(pattern)
        if name
    }


def article_pattern_problems(url: object, save_as: object) -> list[str]:
    """Why ARTICLE_URL and ARTICLE_SAVE_AS cannot serve class pages, or nothing.

    Each class needs its own page at a link that reaches it: the URL must contain {slug}, use only
    placeholders Pelican fills for every class, and name the file ARTICLE_SAVE_AS writes.
    """
    if not isinstance(url, str) or not isinstance(save_as, str):
        return ["ARTICLE_URL and ARTICLE_SAVE_AS must be text like 'kelas/{slug}/'"]
    if not save_as:
        return [
            "ARTICLE_SAVE_AS is empty, so no class page would be written; "
            "use e.g. 'kelas/{slug}/index.html'"
        ]
    problems = []
    for setting, pattern in (("ARTICLE_URL", url), ("ARTICLE_SAVE_AS", save_as)):
        try:
            names = _placeholders(pattern)
            pattern.format(**_EXAMPLE)
        except (ValueError, KeyError, IndexError, AttributeError) as error:
            allowed = ", ".join("{" + name + "}" for name in sorted(ARTICLE_PLACEHOLDERS))
            problems.append(
                f"{setting} '{pattern}' cannot be filled in for a class ({error!r}); "
                f"use {allowed}, e.g. 'kelas/{{date:%Y}}/{{slug}}/'"
            )
            continue
        if "slug" not in names:
            problems.append(
                f"{setting} '{pattern}' has no {{slug}}: every class needs its own page, "
                "e.g. 'kelas/{slug}/'"
            )
    if problems:
        return problems
    link, file = url.format(**_EXAMPLE), save_as.format(**_EXAMPLE)
    if file.startswith("/") or ".." in file.split("/"):
        return [f"ARTICLE_SAVE_AS '{save_as}' must be a path inside the output folder"]
    if link.lstrip("/") not in {file, file.removesuffix("index.html")}:
        return [
            f"ARTICLE_URL '{url}' does not reach the file ARTICLE_SAVE_AS '{save_as}' writes "
            f"(a class would link to '{link}' but be saved as '{file}')"
        ]
    return []
