"""What the theme's templates get besides Pelican's own context: filters, links, translations."""

from __future__ import annotations

from typing import Any

from .. import formatting, links, translations
from ..render.jsonld import event_jsonld
from ..urls import url_for
from .state import site_settings


def install_helpers(generator: Any) -> None:
    """Give every template the date formatters, translations and link builders."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    settings = site_settings(generator.settings)
    language, chapter = settings.language, settings.chapter
    env.install_gettext_translations(
        translations.load(generator.settings["THEME"], language), newstyle=True
    )
    env.filters.update(
        long_date=lambda moment: formatting.long_date(moment, language),
        short_date=lambda moment: formatting.short_date(moment, language),
        clock=lambda moment: formatting.clock(moment, language),
        when=lambda moment: formatting.when(moment, language),
        time_range=lambda event: formatting.time_range(event.start, event.end, language),
    )
    env.globals.update(
        url_for=url_for,
        absolute_url=settings.absolute_url,
        event_jsonld=lambda event: event_jsonld(event, chapter, settings.absolute_url()),
        share_url=lambda event: links.share_url(event, chapter),
        registration_url=lambda event: links.registration_url(event, chapter),
    )
