"""Pelican glue: resizes class photos at build time, keeps originals out, gives templates srcset."""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import PIL
from jinja2 import pass_context
from pelican import signals

from berbagi import photos
from berbagi.glue import classes
from berbagi.glue.output import Fingerprints, previous_output_of, source_version
from berbagi.glue.state import PHOTOS_KEY, schedule_of, site_settings
from berbagi.model import ClassEvent, Photo

logger = logging.getLogger(__name__)
FINGERPRINTS_FILE = "berbagi-photo-fingerprints.json"


@dataclass(frozen=True)
class PhotoImage:
    """What an <img> needs: the smallest copy as src, all copies as srcset, the full size."""

    src: str
    srcset: str
    width: int
    height: int


class PhotoCatalog:
    """The copies made of every class photo in one build, looked up by the `class_photo` global."""

    def __init__(self) -> None:
        self._copies: dict[tuple[str, str], tuple[str, tuple[photos.Variant, ...]]] = {}

    def add(
        self, slug: str, photo_path: str, folder_url: str, variants: list[photos.Variant]
    ) -> None:
        self._copies[(slug, photo_path)] = (folder_url, tuple(variants))

    def largest(self, slug: str, photo_path: str) -> tuple[str, int, int] | None:
        """The biggest copy of a photo: its site-relative path, width and height."""
        found = self._copies.get((slug, photo_path))
        if not found:
            return None
        folder_url, variants = found
        return f"{folder_url}/{variants[-1].name}", variants[-1].width, variants[-1].height

    @pass_context
    def image(self, context: Any, event: ClassEvent, photo: Photo) -> PhotoImage | None:
        """`class_photo(event, photo)` in templates; None when the photo could not be resized.

        URLs start with the page's SITEURL, which is relative on local builds.
        """
        found = self._copies.get((event.slug, photo.path))
        if not found:
            return None
        folder_url, variants = found
        prefix = f"{context.get('SITEURL', '')}/{folder_url}/"
        smallest, largest = variants[0], variants[-1]
        return PhotoImage(
            src=prefix + smallest.name,
            srcset=", ".join(f"{prefix}{variant.name} {variant.width}w" for variant in variants),
            # The largest copy's size: the browser reserves the right box before loading, and
            # the stylesheet's max-width scales it down to the column.
            width=largest.width,
            height=largest.height,
        )


def _events_with_photos(context: Mapping[str, Any]) -> list[ClassEvent]:
    """Every class in the build that lists photos, drafts too (their originals stay private)."""
    schedule = schedule_of(context)
    if schedule is None:
        return []
    return [event for event in (*schedule.with_pages, *schedule.drafts) if event.photos]


def add_photo_global(generator: Any) -> None:
    """Give every template `class_photo(event, photo)`, backed by this build's catalog."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    catalog = generator.context.setdefault(PHOTOS_KEY, PhotoCatalog())
    env.globals["class_photo"] = catalog.image


def keep_originals_out(static_generator: Any) -> None:
    """Publish only the resized copies: drop class photos from the files copied as they are.

    Originals are large and may carry GPS positions in their EXIF, wherever under content/ the
    organizer put them; other files in the static folders are still copied.
    """
    photo_paths = {
        posixpath.normpath(photo.path)
        for event in _events_with_photos(static_generator.context)
        for photo in event.photos
    }
    if not photo_paths:
        return
    kept = [
        static
        for static in static_generator.staticfiles
        if static.relative_source_path not in photo_paths
    ]
    # The context holds the same list object; StaticGenerator.generate_output reads it there.
    static_generator.staticfiles[:] = kept
    static_generator.context["staticfiles"] = static_generator.staticfiles


def resize_class_photos(generators: list[Any]) -> None:
    """Make the copies of every class photo before any page is written; log each failure."""
    generator = generators[0]
    settings = site_settings(generator.settings)
    own = settings.photos
    catalog = generator.context.setdefault(PHOTOS_KEY, PhotoCatalog())
    content = settings.content_path.resolve()
    output = Path(generator.settings["OUTPUT_PATH"])
    # A copy is kept while its source file (size and time) and the sizes asked for are the
    # same; from the last good site when this build writes into a staging folder.
    fingerprints = Fingerprints(
        Path(generator.settings["CACHE_PATH"]) / FINGERPRINTS_FILE,
        source_version(Path(photos.__file__), extra=PIL.__version__),
        output,
        previous_output_of(generator.settings),
    )
    written = 0
    for event in _events_with_photos(generator.context):
        folder_url = f"{own.output_dir}/{event.slug}"
        names: dict[str, str] = {}
        for photo in event.photos:
            # read_classes has already stopped the build for a photo that is missing, outside
            # content/ or not a picture.
            source = (content / photo.path).resolve()
            stem = photos.file_stem(photo.path)
            earlier = names.setdefault(stem, photo.path)
            if earlier != photo.path:
                logger.error(
                    "class_photos: %s: photos '%s' and '%s' would both be published as '%s'; "
                    "rename one of them",
                    event.source_path,
                    earlier,
                    photo.path,
                    stem,
                )
                continue
            status = source.stat()
            inputs = (photo.path, status.st_size, status.st_mtime_ns, own.widths, own.quality)

            def kept(
                variant: photos.Variant, folder_url: str = folder_url, inputs: object = inputs
            ) -> bool:
                return fingerprints.unchanged(f"{folder_url}/{variant.name}", inputs)

            try:
                variants, made = photos.make_variants(
                    source, output / folder_url, stem, own.widths, own.quality, kept
                )
            except photos.PhotoError as error:
                logger.error(
                    "class_photos: %s: photo '%s' %s", event.source_path, photo.path, error
                )
                continue
            for variant in made:
                fingerprints.record(f"{folder_url}/{variant.name}", inputs)
            written += len(made)
            catalog.add(event.slug, photo.path, folder_url, variants)
    fingerprints.save()
    if written:
        logger.info("class_photos: wrote %d resized photo files", written)


def register() -> None:
    classes.register()
    signals.generator_init.connect(add_photo_global)
    signals.static_generator_finalized.connect(keep_originals_out)
    signals.all_generators_finalized.connect(resize_class_photos)
