"""The files every site is expected to have besides its pages: 404.html and robots.txt."""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.generators import Generator

from ..cms import ADMIN_FOLDER
from .output import write_output
from .state import site_settings


def _has_sitemap(pelican_settings: dict[str, Any]) -> bool:
    return any(str(name).rsplit(".", 1)[-1] == "sitemap" for name in pelican_settings["PLUGINS"])


class SiteFilesGenerator(Generator):  # type: ignore[misc]
    """Writes the page GitHub Pages shows for a missing address, and robots.txt."""

    def generate_output(self, writer: Any) -> None:
        settings = site_settings(self.settings)
        # The 404 page is served at any depth, so its links cannot be relative to its own file:
        # absolute in production, from the site's root on a local build.
        writer.write_file(
            "404.html",
            self.get_template("404"),
            self.context,
            relative_urls=False,
            page_name="404",
        )
        # The organizers' editor (berbagi.glue.cms) is no page for search engines.
        lines = ["User-agent: *", "Allow: /", f"Disallow: /{ADMIN_FOLDER}/"]
        if _has_sitemap(self.settings):
            lines.append(f"Sitemap: {settings.absolute_url('sitemap.xml')}")
        write_output(self.output_path, "robots.txt", ("\n".join(lines) + "\n").encode())


def add_generator(pelican_object: Any) -> type[Generator]:
    """Hand Pelican the generator of 404.html and robots.txt."""
    return SiteFilesGenerator


def register() -> None:
    """Connect the site files; the core's register() calls this."""
    signals.get_generators.connect(add_generator)
