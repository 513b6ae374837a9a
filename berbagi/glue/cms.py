"""Writes the organizers' editor into the site: admin/index.html, config.yml and the scripts."""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals
from pelican.generators import Generator

from .. import cms
from .output import write_output
from .state import site_settings

logger = logging.getLogger(__name__)


class CmsGenerator(Generator):  # type: ignore[misc]
    """Writes /admin/: Decap CMS, vendored, with a config made from the class file's fields."""

    def generate_output(self, writer: Any) -> None:
        settings = site_settings(self.settings)
        if settings.cms.repo is None:
            logger.info(
                "cms: CMS['repo'] is not set, so /admin/ works only with decap-server running "
                "on this computer (README: Adding a class from a phone)"
            )
        folder = cms.ADMIN_FOLDER
        files = {
            "index.html": cms.index_html(
                settings.language, settings.chapter.short_name, settings.zone.key
            ).encode(),
            "config.yml": cms.config_text(
                settings.cms, settings.schedule.content_folder, settings.language
            ).encode(),
            "class-format.js": cms.format_script().encode(),
        }
        for name, data in files.items():
            write_output(self.output_path, f"{folder}/{name}", data)
        for path in cms.vendor_files():
            write_output(self.output_path, f"{folder}/{path.name}", path.read_bytes())


def add_generator(pelican_object: Any) -> type[Generator]:
    """Hand Pelican the generator of /admin/."""
    return CmsGenerator


def register() -> None:
    """Connect the editor; the core's register() calls this."""
    signals.get_generators.connect(add_generator)
