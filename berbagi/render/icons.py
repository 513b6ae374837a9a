"""The browser's icons from the chapter's logo: favicon.ico and apple-touch-icon, with Pillow."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageOps

FAVICON = "favicon.ico"
TOUCH_ICON = "apple-touch-icon.png"
FAVICON_SIZES = ((16, 16), (32, 32), (48, 48))
TOUCH_SIZE = 180
VERSION = "1"  # raise when the icons would come out differently


def _square(logo: bytes, size: int) -> Image.Image:
    """The logo upright, fitted into a square on white: iOS fills transparency with black."""
    with Image.open(BytesIO(logo)) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGBA")
    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (size, size), (255, 255, 255, 255))
    square.alpha_composite(image, ((size - image.width) // 2, (size - image.height) // 2))
    return square


def favicon(logo: bytes) -> bytes:
    """favicon.ico with 16, 32 and 48 pixel images: every browser finds one it likes."""
    out = BytesIO()
    _square(logo, 256).save(out, "ICO", sizes=list(FAVICON_SIZES))
    return out.getvalue()


def touch_icon(logo: bytes) -> bytes:
    """The 180 pixel PNG that phones show for a site saved to the home screen."""
    out = BytesIO()
    _square(logo, TOUCH_SIZE).convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()
