"""The schedule's own pages: archive by year, teachers, venues (one page each and an index)."""

from __future__ import annotations

import logging

from pelican.generators import Generator

logger = logging.getLogger(__name__)

URLS = {
    "archive": "arsip/",
    "teachers": "guru/",
    "teacher": "guru/{slug}/",
    "venues": "tempat/",
    "venue": "tempat/{slug}/",
    "subscribe": "langganan/",
}


def url_for(kind: str, slug: str = "") -> str:
    """Site-relative URL of a schedule page, e.g. url_for('teacher', 'rina') -> 'guru/rina/'."""
    return URLS[kind].format(slug=slug)


class SchedulePagesGenerator(Generator):
    """Writes the pages that list classes by year, by teacher and by venue."""

    def generate_output(self, writer) -> None:
        schedule = self.context.get("schedule")
        if schedule is None:  # no class files at all: nothing to list
            return
        outputs = [
            ("archive", "archive", {}),
            ("teachers", "teachers", {}),
            ("venues", "venues", {}),
        ]
        outputs += [
            ("teacher", "teacher", {"group": g, "slug": g.slug}) for g in schedule.teachers()
        ]
        outputs += [("venue", "venue", {"group": g, "slug": g.slug}) for g in schedule.venues()]
        for kind, template_name, extra in outputs:
            url = url_for(kind, extra.get("slug", ""))
            writer.write_file(
                url + "index.html",
                self.get_template(template_name),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=url,
                page_name=kind,
                **extra,
            )
