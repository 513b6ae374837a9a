"""Resizes one photo into a few JPEG widths with Pillow, skipping files already up to date."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from unidecode import unidecode

# EXIF orientations that turn the stored picture a quarter: shown width and height swap.
QUARTER_TURNS = frozenset({5, 6, 7, 8})


# What Pillow raises for a file it cannot read as a picture (OSError: truncated or unreadable).
NOT_A_PICTURE = (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError)


class PhotoError(Exception):
    """A photo that could not be turned into copies; the message says why."""


class UnreadablePhoto(PhotoError):
    """The source is not an image Pillow can decode (or is a decompression bomb)."""


class PhotoNotWritten(PhotoError):
    """A copy could not be written into the output folder (disk full, permissions)."""


@dataclass(frozen=True)
class Variant:
    """One resized copy of a photo: its file name and its size in pixels."""

    name: str
    width: int
    height: int


def plan_widths(original_width: int, widths: Sequence[int]) -> list[int]:
    """The widths to make, ascending: never wider than the original (no upscaling).

    Every asked width narrower than the original, plus the original width itself when it is not
    wider than the largest asked width, so a small photo still gets one full-quality copy.
    """
    planned = sorted({width for width in widths if width < original_width})
    if original_width <= max(widths):
        planned.append(original_width)
    return planned


def shown_size(image: Image.Image) -> tuple[int, int]:
    """Width and height once the EXIF orientation is applied, read without decoding pixels."""
    width, height = image.size
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return (height, width) if orientation in QUARTER_TURNS else (width, height)


def plan_variants(size: tuple[int, int], widths: Sequence[int], stem: str) -> list[Variant]:
    """The copies to make of a photo shown at `size`, named `<stem>-<width>.jpg`."""
    width, height = size
    return [
        Variant(f"{stem}-{target}.jpg", target, max(1, round(height * target / width)))
        for target in plan_widths(width, widths)
    ]


def unreadable_reason(source: Path) -> str | None:
    """Why a photo file cannot be published, or None; reads the header only."""
    try:
        with Image.open(source) as image:
            image.size  # noqa: B018 (identifying the format reads the header)
    except NOT_A_PICTURE:
        with source.open("rb") as file:
            head = file.read(16)
        if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"mif1", b"msf1", b"hevc"}:
            return "is a HEIC picture (an iPhone's format); save it as JPEG (.jpg) or PNG"
        if not head:
            return "is an empty file; put the picture itself there"
        # Not Pillow's message: it names the absolute path, which is no use in a pull request.
        return "could not be read as a picture; save it again as JPEG (.jpg) or PNG"
    return None


def file_stem(path: str) -> str:
    """A URL-safe name from the photo's file name: 'Foto Kelas 1.JPG' -> 'foto-kelas-1'."""
    stem = Path(path).stem
    return re.sub(r"[^a-z0-9]+", "-", unidecode(stem).lower()).strip("-") or "foto"


def is_fresh(target: Path, source_mtime: float) -> bool:
    """True when `target` exists and was written after the source last changed."""
    try:
        return target.stat().st_mtime >= source_mtime
    except OSError:  # missing, or its folder is not one: writing it will say what is wrong
        return False


def make_variants(
    source: Path,
    folder: Path,
    stem: str,
    widths: Sequence[int],
    quality: int,
    kept: Callable[[Variant], bool] | None = None,
) -> tuple[list[Variant], list[Variant]]:
    """Write the copies of `source` into `folder`; returns every variant and those written.

    `kept(variant)` says whether a copy made earlier can stay (the build asks its fingerprints);
    without it, copies newer than the source are kept. Either way a warm rebuild reads headers only.
    Raises UnreadablePhoto for a source that is not an image, PhotoNotWritten when the output
    cannot be written.
    Each copy is upright (EXIF orientation applied), in sRGB-friendly RGB, with no EXIF, XMP or
    comment left in it: phone photos carry GPS positions that must not be published.
    """
    try:
        variants, stale, upright, icc_profile = _decode(source, folder, stem, widths, kept)
    except NOT_A_PICTURE as error:
        raise UnreadablePhoto(f"could not be read as an image ({error})") from None
    if upright is None:
        return variants, []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for variant in stale:
            resized = upright.resize(
                (variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0
            )
            _save_jpeg(resized, folder / variant.name, quality, icc_profile)
    except OSError as error:
        raise PhotoNotWritten(f"could not be written to {folder} ({error})") from None
    return variants, stale


def _decode(
    source: Path,
    folder: Path,
    stem: str,
    widths: Sequence[int],
    kept: Callable[[Variant], bool] | None,
) -> tuple[list[Variant], list[Variant], Image.Image | None, bytes | None]:
    """Every variant, the stale ones, and the upright picture to make them from (None if fresh)."""
    with Image.open(source) as image:
        variants = plan_variants(shown_size(image), widths, stem)
        if kept is None:
            source_mtime = source.stat().st_mtime
            kept = lambda variant: is_fresh(folder / variant.name, source_mtime)  # noqa: E731
        stale = [variant for variant in variants if not kept(variant)]
        if not stale:
            return variants, [], None, None
        largest = max(stale, key=lambda variant: variant.width)
        quarter_turned = image.getexif().get(ExifTags.Base.Orientation, 1) in QUARTER_TURNS
        # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 when the largest copy allows it.
        stored = (
            (largest.height, largest.width) if quarter_turned else (largest.width, largest.height)
        )
        image.draft("RGB", stored)
        icc_profile = image.info.get("icc_profile")
        upright = _as_rgb(ImageOps.exif_transpose(image))
        upright.load()
    return variants, stale, upright, icc_profile


def _as_rgb(image: Image.Image) -> Image.Image:
    """A picture JPEG can store: transparency goes onto white, other modes become RGB."""
    if image.mode in {"RGB", "L"}:
        return image
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        with_alpha = image.convert("RGBA")
        flat = Image.new("RGB", with_alpha.size, "white")
        flat.paste(with_alpha, mask=with_alpha.getchannel("A"))
        return flat
    return image.convert("RGB")


def jpeg_options(quality: int, icc_profile: bytes | None) -> dict[str, object]:
    """Pillow's JPEG options for every picture the site publishes: no EXIF, GPS or comment."""
    options: dict[str, object] = {
        "quality": quality,
        "optimize": True,
        "progressive": True,
        "comment": b"",
    }
    if icc_profile:
        options["icc_profile"] = icc_profile  # colour profile, not metadata: keeps colours right
    return options


def _save_jpeg(image: Image.Image, target: Path, quality: int, icc_profile: bytes | None) -> None:
    # Written under another name and renamed, so an interrupted build never leaves a truncated
    # file that is newer than its source and would be kept forever.
    partial = target.with_name(target.name + ".part")
    image.save(partial, "JPEG", **jpeg_options(quality, icc_profile))
    os.replace(partial, target)
