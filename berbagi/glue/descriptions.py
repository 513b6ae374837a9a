"""Every class description and page body through the HTML allow-list, before any output uses it."""

from __future__ import annotations

from typing import Any

from pelican import signals

from ..sanitize import clean_html


def _clean(contents: Any) -> None:
    for content in contents:
        # `_content` is the rendered Markdown that the page, the summary and the feeds all read.
        content._content = clean_html(content._content)


def clean_articles(generator: Any) -> None:
    """Class descriptions (and any other article) as the allow-list permits."""
    _clean((*generator.articles, *generator.translations, *generator.hidden_articles))


def clean_pages(generator: Any) -> None:
    """The chapter's pages as the allow-list permits."""
    _clean((*generator.pages, *generator.translations, *generator.hidden_pages))


def register() -> None:
    """Connect the sanitiser; the core's register() calls this."""
    signals.article_generator_finalized.connect(clean_articles)
    signals.page_generator_finalized.connect(clean_pages)
