"""The pictures a shared link shows: one share image per class, the chapter's image, and the
browser's icons from the chapter's logo; written at build time, redone only when inputs change."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator

from ..model import ClassEvent, Photo
from ..render import icons, share_image
from ..settings import Settings
from . import side_work
from .output import Fingerprints, previous_output_of, write_output
from .state import PHOTOS_KEY, schedule_of, site_settings

logger = logging.getLogger(__name__)

FOLDER = "bagikan"
FINGERPRINTS_FILE = "share_images-fingerprints.json"
SIZE = (1200, 630)
# Past classes keep their own image this long (people still share a class they just went to);
# older ones without photos show the chapter's image, so a cold build of a thousand classes
# does not draw a thousand pictures nobody shares.
RECENT = timedelta(days=30)


@dataclass(frozen=True)
class SharedImage:
    """What og:image, twitter:image and JSON-LD say about a page's picture."""

    url: str
    width: int
    height: int
    alt: str
    type: str


def class_image_path(slug: str) -> str:
    return f"{FOLDER}/kelas/{slug}.png"


def photo_image_path(slug: str) -> str:
    """Where a class's first photo, cropped to a share image, is written."""
    return f"{FOLDER}/kelas/{slug}.jpg"


CHAPTER_IMAGE_PATH = f"{FOLDER}/situs.png"


def has_own_image(event: ClassEvent, now: datetime) -> bool:
    """Classes still to come and recent ones get a share image of their own."""
    return event.start > now - RECENT


def chapter_image(settings: Settings) -> SharedImage:
    """The picture of the home page and the content pages."""
    return SharedImage(
        settings.absolute_url(CHAPTER_IMAGE_PATH),
        *SIZE,
        alt=settings.chapter.name,
        type="image/png",
    )


def _shared_photo(context: Any, event: ClassEvent) -> Photo | None:
    """The photo a class's shared link shows: its first, when class_photos published it."""
    catalog = context.get(PHOTOS_KEY)
    if not event.photos or catalog is None:
        return None
    photo = event.photos[0]
    return photo if catalog.largest(event.slug, photo.path) is not None else None


def _class_image(settings: Settings, context: Any, event: ClassEvent) -> SharedImage:
    """The class's first photo (cropped to a share image) when it is published, its drawn
    share image otherwise."""
    photo = _shared_photo(context, event)
    if photo is not None:
        url = settings.absolute_url(photo_image_path(event.slug))
        return SharedImage(url, *SIZE, alt=photo.alt, type="image/jpeg")
    schedule = schedule_of(context)
    if schedule is not None and not has_own_image(event, schedule.now):
        return chapter_image(settings)
    alt = f"{event.title}: {event.venue.name}"
    url = settings.absolute_url(class_image_path(event.slug))
    return SharedImage(url, *SIZE, alt=alt, type="image/png")


def install_helpers(generator: Any) -> None:
    """Give templates `class_image(event)` and `chapter_image`."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    settings = site_settings(generator.settings)

    @pass_context
    def class_image(context: Any, event: ClassEvent) -> SharedImage:
        return _class_image(settings, context, event)

    env.globals.update(
        class_image=class_image,
        chapter_image=chapter_image(settings),
        icons=bool(settings.chapter.logo),
    )


class ShareImagesGenerator(Generator):  # type: ignore[misc]
    """Writes the share images and the icons that changed since the last build."""

    def generate_output(self, writer: Any) -> None:
        if not side_work.runs_elsewhere(self):
            self.write_files()

    def write_files(self) -> None:
        """Every share image and icon whose inputs changed."""
        settings = site_settings(self.settings)
        schedule = schedule_of(self.context)
        chapter, language = settings.chapter, settings.language
        written = Fingerprints(
            Path(self.settings["CACHE_PATH"]) / FINGERPRINTS_FILE,
            share_image.RENDERER_VERSION,
            self.output_path,
            previous_output_of(self.settings),
        )
        jobs: list[tuple[str, object, Any]] = [
            (
                CHAPTER_IMAGE_PATH,
                ("chapter", chapter, language),
                lambda: share_image.render_chapter_image(chapter, language),
            )
        ]
        drawn = (
            [e for e in schedule.with_pages if has_own_image(e, schedule.now)] if schedule else []
        )
        for event in drawn:
            jobs.append(
                (
                    class_image_path(event.slug),
                    (event, chapter, language),
                    lambda event=event: share_image.render_share_image(event, chapter, language),
                )
            )
        for event in schedule.with_pages if schedule else ():
            photo = _shared_photo(self.context, event)
            if photo is None:
                continue
            source = settings.content_path / photo.path
            status = source.stat()
            jobs.append(
                (
                    photo_image_path(event.slug),
                    ("photo", photo.path, status.st_size, status.st_mtime_ns, photo.focus),
                    lambda source=source, photo=photo: share_image.render_photo_share_image(
                        source.read_bytes(), photo.focus
                    ),
                )
            )
        if chapter.logo:
            logo = (settings.content_path / chapter.logo).read_bytes()
            logo_digest = hashlib.sha256(logo).hexdigest()
            for path, render in (
                (icons.FAVICON, lambda: icons.favicon(logo)),
                (icons.TOUCH_ICON, lambda: icons.touch_icon(logo)),
            ):
                jobs.append((path, (logo_digest, icons.VERSION), render))
        made = 0
        for path, inputs, render in jobs:
            if written.unchanged(path, inputs):
                continue
            write_output(self.output_path, path, render())
            written.record(path, inputs)
            made += 1
        written.save()
        logger.info("berbagi: %d share image(s) and icon(s) made, %d kept", made, len(jobs) - made)


def add_generator(pelican_object: Any) -> type[Generator]:
    """Hand Pelican the generator of share images and icons."""
    return ShareImagesGenerator


def register() -> None:
    """Connect the share images; the core's register() calls this."""
    signals.generator_init.connect(install_helpers)
    signals.get_generators.connect(add_generator)
