"""The report page's inputs (its numbers and charts) and its JSON file, from the build's schedule.

The page itself is one of the schedule pages (classes.SchedulePagesGenerator), so a preview
step that re-renders them re-renders the report and its JSON with them.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .. import translations
from ..model import ClassEvent, Photo
from ..render import report as render
from ..schedule import Schedule
from ..urls import REPORT_JSON, url_for
from .output import write_output
from .state import PHOTOS_KEY, site_settings


def page_context(generator: Any, schedule: Schedule) -> dict[str, Any]:
    """What report.html gets besides the site's context: `report` and its two `charts`."""
    language = site_settings(generator.settings).language
    gettext = translations.load(generator.settings["THEME"], language).gettext
    found = render.build_report(schedule.past)
    return {
        "report": found,
        # Drawn by the kit from numbers and its own catalog's words, every text escaped.
        "charts": {
            "attendance": Markup(render.attendance_chart(found, gettext, language)),
            "show_up": Markup(render.show_up_chart(found, gettext, language)),
        },
        "report_json": REPORT_JSON,
    }


def write_json(generator: Any, found: render.Report) -> None:
    """Write laporan/laporan.json: the same numbers, and the classes with their photos' copies."""
    settings = site_settings(generator.settings)
    catalog = generator.context.get(PHOTOS_KEY)

    def photo_url(event: ClassEvent, photo: Photo) -> str | None:
        # The class_photos plugin's largest copy; without that plugin no copy is published.
        largest = catalog.largest(event.slug, photo.path) if catalog is not None else None
        return settings.absolute_url(largest[0]) if largest else None

    text = render.report_json(
        found,
        chapter=settings.chapter.name,
        page_url=settings.absolute_url(url_for("report")),
        photo_url=photo_url,
    )
    write_output(generator.output_path, REPORT_JSON, text.encode("utf-8"))
