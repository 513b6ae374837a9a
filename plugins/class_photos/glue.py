"""Pelican glue: resizes class photos at build time, keeps originals out, gives templates srcset."""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from class_schedule.glue import site_relative_path
from class_schedule.settings import SettingsError, merged
from jinja2 import pass_context
from pelican import signals
from PIL import Image, UnidentifiedImageError

from . import resize

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "widths": (480, 960, 1440),  # CSS pixels of the copies; photos are never upscaled
    "quality": 80,  # JPEG quality of the copies
    "output_dir": "foto",  # copies go to <output_dir>/<class slug>/<name>-<width>.jpg
}
# Key in Pelican's shared context holding this build's PhotoCatalog.
CONTEXT_KEY = "class_photos_catalog"


@dataclass(frozen=True)
class PhotoSettings:
    widths: tuple[int, ...]
    quality: int
    output_dir: str


def load_settings(settings: Mapping[str, Any]) -> PhotoSettings:
    """Merge CLASS_PHOTOS over the defaults; raise SettingsError naming the bad key."""
    values = merged("class_photos", "CLASS_PHOTOS", DEFAULTS, settings.get("CLASS_PHOTOS"))
    widths = values["widths"]
    if (
        not isinstance(widths, list | tuple)
        or not widths
        or not all(isinstance(width, int) and width > 0 for width in widths)
    ):
        raise SettingsError(
            "class_photos: CLASS_PHOTOS['widths'] must be a list of positive pixel widths "
            "like [480, 960, 1440]"
        )
    quality = values["quality"]
    if not isinstance(quality, int) or not 1 <= quality <= 95:
        raise SettingsError("class_photos: CLASS_PHOTOS['quality'] must be a whole number 1-95")
    output_dir = str(values["output_dir"]).strip("/")
    if not output_dir or ".." in output_dir.split("/") or "\\" in output_dir:
        raise SettingsError(
            "class_photos: CLASS_PHOTOS['output_dir'] must be a folder inside the output, "
            "like 'foto'"
        )
    return PhotoSettings(tuple(sorted(set(widths))), quality, output_dir)


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
        self._copies: dict[tuple[str, str], tuple[str, tuple[resize.Variant, ...]]] = {}

    def add(self, slug: str, photo_path: str, folder_url: str, variants: list) -> None:
        self._copies[(slug, photo_path)] = (folder_url, tuple(variants))

    @pass_context
    def image(self, context, event, photo) -> PhotoImage | None:
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


def _events_with_photos(context: Mapping[str, Any]) -> list:
    """Every class in the build that lists photos, once each."""
    events: dict[str, Any] = {}
    for key in ("articles", "hidden_articles", "drafts"):
        for article in context.get(key) or ():
            event = getattr(article, "event", None)
            if event is not None and event.photos:
                events.setdefault(event.source_path, event)
    return list(events.values())


def check_settings(pelican_object) -> None:
    """Fail at start-up on a bad CLASS_PHOTOS value instead of after the pages are written."""
    load_settings(pelican_object.settings)


def add_photo_global(generator) -> None:
    """Give every template `class_photo(event, photo)`, backed by this build's catalog."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    catalog = generator.context.setdefault(CONTEXT_KEY, PhotoCatalog())
    env.globals["class_photo"] = catalog.image


def keep_originals_out(static_generator) -> None:
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


def resize_class_photos(generators) -> None:
    """Make the copies of every class photo before any page is written; log each missing one."""
    generator = generators[0]
    settings = generator.settings
    photo_settings = load_settings(settings)
    catalog = generator.context.setdefault(CONTEXT_KEY, PhotoCatalog())
    content = Path(settings["PATH"]).resolve()
    output = Path(settings["OUTPUT_PATH"])
    written = 0
    for event in _events_with_photos(generator.context):
        folder_url = f"{photo_settings.output_dir}/{event.slug}"
        names: dict[str, str] = {}
        for photo in event.photos:
            source = (content / photo.path).resolve()
            shown = site_relative_path(content / photo.path, settings["PATH"])
            if not source.is_relative_to(content) or not source.is_file():
                logger.error(
                    "class_photos: %s: photo '%s' not found; put the file at %s",
                    event.source_path,
                    photo.path,
                    shown,
                )
                continue
            stem = resize.file_stem(photo.path)
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
            try:
                variants, count = resize.make_variants(
                    source,
                    output / folder_url,
                    stem,
                    photo_settings.widths,
                    photo_settings.quality,
                )
            except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as error:
                logger.error(
                    "class_photos: %s: photo '%s' could not be read as an image (%s)",
                    event.source_path,
                    photo.path,
                    error,
                )
                continue
            written += count
            catalog.add(event.slug, photo.path, folder_url, variants)
    if written:
        logger.info("class_photos: wrote %d resized photo files", written)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(add_photo_global)
    signals.static_generator_finalized.connect(keep_originals_out)
    signals.all_generators_finalized.connect(resize_class_photos)
