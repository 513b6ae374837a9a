"""A recap's photos made to fit one network: resized and re-encoded from the site's own copies.

The kit's copies in the built site have no EXIF already; re-encoding here keeps it that way
whatever a chapter's theme did to them (no GPS position, camera or comment leaves with a photo).
The same input always gives the same bytes, so a dry run shows exactly what a real run uploads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from ..photos import NOT_A_PICTURE, jpeg_options

# Quality steps tried in turn until a photo fits the network's byte limit; after the last one
# the picture shrinks (by the bytes it has too many, at least to SHRINK) and they start again.
QUALITIES = (85, 75, 65, 55)
SHRINK = 0.85


@dataclass(frozen=True)
class PhotoLimits:
    """What one network takes in a post: how many photos, how large each may be."""

    count: int
    bytes: int
    side: int  # the longest side, in pixels; larger photos are scaled down to it
    pixels: int | None = None  # width times height, where the network limits that instead


@dataclass(frozen=True)
class Fitted:
    """One photo made for one network: JPEG bytes without metadata, and its size in pixels."""

    data: bytes
    width: int
    height: int


class MediaError(Exception):
    """A photo copy that cannot be read or made small enough; the message says which."""


def fit_photo(path: str | Path, limits: PhotoLimits) -> Fitted:
    """The photo at `path` as a JPEG within `limits` (never upscaled), metadata dropped."""
    try:
        with Image.open(path) as opened:
            picture = ImageOps.exif_transpose(opened)
            picture.load()
            icc_profile = opened.info.get("icc_profile")
    except FileNotFoundError:
        raise MediaError(f"{path} is missing; run the production build again") from None
    except NOT_A_PICTURE as error:
        raise MediaError(f"{path} could not be read as a picture ({error})") from None
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    # Pillow writes what `info` holds back on save (XMP, for one): the pixels travel alone.
    picture.info = {}
    width, height = _within(picture.size, limits)
    while True:
        resized = (
            picture
            if (width, height) == picture.size
            else picture.resize((width, height), Image.Resampling.LANCZOS)
        )
        for quality in QUALITIES:
            data = _jpeg(resized, quality, icc_profile)
            if len(data) <= limits.bytes:
                return Fitted(data, width, height)
        if max(width, height) <= 64:
            raise MediaError(f"{path} cannot be made smaller than {limits.bytes} bytes")
        # Bytes follow the pixel count: aim just under the limit, at least one step smaller.
        scale = min(SHRINK, (limits.bytes / len(data)) ** 0.5 * 0.97)
        width, height = max(1, round(width * scale)), max(1, round(height * scale))


def _within(size: tuple[int, int], limits: PhotoLimits) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, limits.side / max(width, height))
    if limits.pixels is not None:
        scale = min(scale, (limits.pixels / (width * height)) ** 0.5)
    if scale >= 1.0:
        return width, height
    return max(1, int(width * scale)), max(1, int(height * scale))


def _jpeg(picture: Image.Image, quality: int, icc_profile: bytes | None) -> bytes:
    buffer = io.BytesIO()
    # jpeg_options writes no EXIF, XMP or comment: only the pixels and the colour profile.
    picture.save(buffer, "JPEG", **jpeg_options(quality, icc_profile))
    return buffer.getvalue()
