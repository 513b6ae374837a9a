"""Share images (the og:image of class pages and of the chapter): 1200x630 PNG made with Pillow,
and class photos cropped to 1200x630 JPEG.

Pure: each function takes model values and returns bytes, touching no file but the shipped fonts.
The same inputs give the same bytes (no timestamps, no metadata, a fixed palette), so a build can
keep an image until its texts or RENDERER_VERSION change.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import babel
import PIL
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from .. import formatting, wording
from ..model import Chapter, ClassEvent, ClassStatus
from ..photos import jpeg_options
from ..wording import status_label

FONTS = Path(__file__).resolve().parents[1] / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
ELLIPSIS = "…"

Color = tuple[int, int, int]
# Dark ink on warm paper; every text/background pair below has a WCAG contrast ratio of at least
# 4.5 (tests/unit/test_share_image.py checks them), so the small preview stays readable.
PAPER: Color = (251, 248, 241)
INK: Color = (22, 32, 42)
MUTED: Color = (58, 70, 84)
ACCENT: Color = (14, 95, 90)
WHITE: Color = (255, 255, 255)
# The status band: red for a cancelled class, amber (with dark text) for a postponed one, blue
# for a new date; three colours, so the kind of change reads before the words do.
BANDS: dict[ClassStatus | None, tuple[Color, Color]] = {
    ClassStatus.CANCELLED: ((163, 22, 27), WHITE),
    ClassStatus.POSTPONED: ((242, 183, 5), INK),
    None: ((30, 79, 176), WHITE),  # rescheduled: still SCHEDULED, but with previous starts
}
# (text, background) pairs drawn on the image; the palette holds the blends between them.
PAIRS: tuple[tuple[Color, Color], ...] = (
    (INK, PAPER),
    (MUTED, PAPER),
    (ACCENT, PAPER),
    (WHITE, ACCENT),
    *((text, band) for band, text in BANDS.values()),
)

# Layout, in pixels from the top-left corner. Everything keeps MARGIN from the left and right
# edges; X's large card trims a little off the top and bottom, hence the air there too.
TOP_BAR = 12
HEADER_TOP, HEADER_HEIGHT = 44, 64
BAND_TOP, BAND_HEIGHT = 136, 84
TITLE_TOP, TITLE_BOTTOM = 140, 448
TITLE_TOP_WITH_BAND = BAND_TOP + BAND_HEIGHT + 24
INFO_TOP = 470
INFO_GAP = 14
BOX_WIDTH = WIDTH - 2 * MARGIN
TITLE_BOX = (MARGIN, TITLE_TOP, WIDTH - MARGIN, TITLE_BOTTOM)

TITLE_SIZES = tuple(range(80, 39, -4))  # 80, 76, ..., 40
# Under a status band the title has less room; at most this size it keeps some air around it.
TITLE_MAX_WITH_BAND = 68
TITLE_LINES = 4
CHAPTER_TITLE_SIZES = tuple(range(88, 43, -4))
HEADER_SIZES = (34, 30, 26, 24)
BADGE_SIZE = 34
BAND_SIZES = (46, 40, 34)
WHEN_SIZES = (38, 34, 30, 26)
VENUE_SIZES = (34, 30, 28)

WORDS: dict[str, dict[str, str]] = {
    "id": {"free": "GRATIS", "every_month": "Kelas gratis setiap bulan"},
    "en": {"free": "FREE", "every_month": "Free classes every month"},
}

# Characters that draw nothing but that a font may still map (variation selectors, the combining
# grapheme joiner, Hangul fillers): removed like format characters, so no stray glyph shows up.
IGNORABLE = frozenset(
    {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0x180B, 0x1810)}
    | set(range(0xFE00, 0xFE10))
    | set(range(0xE0100, 0xE01F0))
)
# Control, format, surrogate, private-use and unassigned characters never belong on the image.
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Left off the end of a cut line before the ellipsis: "Belajar Foto,…" reads worse than "Foto…".
TRAILING_PUNCTUATION = " ,;:.-–—·"


@dataclass(frozen=True)
class FittedText:
    """Lines that fit a box at one font size; `cut` when the text ends early with an ellipsis."""

    lines: tuple[str, ...]
    size: int
    cut: bool


def _renderer_version() -> str:
    digest = hashlib.sha256()
    # The words and dates drawn come from wording.py and formatting.py: a change there changes
    # the image of an unchanged class, so they count as part of the renderer.
    for source in (Path(__file__), Path(formatting.__file__), Path(wording.__file__)):
        digest.update(source.read_bytes())
    for font in (REGULAR, BOLD):
        digest.update(font.read_bytes())
    # Pillow, FreeType (glyph rasterizing), zlib (inside Pillow) and Babel (the date's words)
    # all change the pixels or the bytes without a change to this file.
    versions = (PIL.__version__, features.version("freetype2"), babel.__version__)
    digest.update(repr(versions).encode())
    return digest.hexdigest()[:16]


RENDERER_VERSION: str = _renderer_version()


def _words(language: str) -> Mapping[str, str]:
    return WORDS.get(language, WORDS["id"])


@lru_cache(maxsize=8)
def font_characters(font_path: Path) -> frozenset[int]:
    """The code points the font has a glyph for, read from its character map."""
    with TTFont(font_path, lazy=True) as font:
        return frozenset(font["cmap"].getBestCmap())


@lru_cache(maxsize=128)
def _font(font_path: Path, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout (FreeType alone, no Raqm) is enough for Latin text and draws the same
    # pixels whether or not the machine has libraqm, which keeps builds byte-identical.
    return ImageFont.truetype(str(font_path), size, layout_engine=ImageFont.Layout.BASIC)


def drawable_text(text: str, font_path: Path) -> str:
    """The text with every character the font lacks left out, on one line with single spaces."""
    present = font_characters(font_path)
    # NFC first: "e" + combining acute becomes "é", which the font has as one glyph.
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
            continue
        if ord(char) not in present or ord(char) in IGNORABLE or category in DROPPED_CATEGORIES:
            continue
        # A combining mark whose letter was left out (an emoji's) would sit on a space.
        if category.startswith("M") and (not kept or kept[-1] == " "):
            continue
        kept.append(char)
    return " ".join("".join(kept).split())


@lru_cache(maxsize=65_536)
def _ink(char: str, font: ImageFont.FreeTypeFont) -> tuple[float, float]:
    """How far one character's ink reaches left of its origin and right of its advance."""
    left, _, right, _ = font.getbbox(char, anchor="ls")
    return min(0, left), max(0.0, right - font.getlength(char))


def _width(text: str, font: ImageFont.FreeTypeFont) -> float:
    """Horizontal room the text needs: its advance plus any ink overhanging either end.

    Only the first and last characters can overhang, so their ink is looked up (cached) instead
    of asking FreeType for the bounding box of every candidate line, which took most of the time.
    """
    if not text:
        return 0.0
    return font.getlength(text) - _ink(text[0], font)[0] + _ink(text[-1], font)[1]


def text_width(text: str, font_path: Path, size: int) -> float:
    """How wide `text` is drawn at `size`, measured on the whole line: advance or ink, if wider."""
    if not text:
        return 0.0
    font = _font(font_path, size)
    left, _, right, _ = font.getbbox(text, anchor="ls")
    return max(font.getlength(text), right) - min(0, left)


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


def _wrap(
    words: Sequence[str], font: ImageFont.FreeTypeFont, width: float, limit: int
) -> list[str] | None:
    """Greedy word wrap; None when it needs more than `limit` lines or a word is too wide."""
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font) <= width:
            current = candidate
            continue
        # Stop as soon as the text cannot fit: most sizes tried for a long title fail early.
        if not current or len(lines) + 2 > limit or _width(word, font) > width:
            return None
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


def _balanced(
    words: Sequence[str], font: ImageFont.FreeTypeFont, width: float, greedy: list[str]
) -> list[str]:
    """As many lines as the greedy wrap, but as even as possible: no lone word on the last."""
    count = len(greedy)
    if count < 2:
        return greedy
    # The narrowest width that still gives `count` lines, to the pixel.
    low, high = width / count, width
    best = greedy
    while high - low > 1:
        middle = (low + high) / 2
        lines = _wrap(words, font, middle, count)
        if lines is None:
            low = middle
        else:
            best, high = lines, middle
    return best


def _longest_prefix(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """The longest start of `text` that fits, for words too long for any line."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(text[:middle], font) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low]


def _fill(words: list[str], font: ImageFont.FreeTypeFont, width: float) -> tuple[str, list[str]]:
    """One full line from the front of `words` and what is left; long words break anywhere."""
    taken: list[str] = []
    for index, word in enumerate(words):
        if _width(" ".join([*taken, word]), font) <= width:
            taken.append(word)
            continue
        if taken:
            return " ".join(taken), words[index:]
        head = _longest_prefix(word, font, width)
        tail = word[len(head) :]
        return head, ([tail] if tail else []) + words[index + 1 :]
    return " ".join(taken), []


def _with_ellipsis(words: list[str], font: ImageFont.FreeTypeFont, width: float) -> str:
    """As many words as fit followed by the ellipsis; part of a word if not even one fits."""

    def ending(head: str) -> str:
        return head.rstrip(TRAILING_PUNCTUATION) + ELLIPSIS

    taken: list[str] = []
    for word in words:
        if _width(ending(" ".join([*taken, word])), font) > width:
            break
        taken.append(word)
    if taken or not words:
        return ending(" ".join(taken))
    line = ending(_longest_prefix(words[0], font, width - _width(ELLIPSIS, font)))
    return line if _width(line, font) <= width else ""


def _fit(
    text: str,
    font_path: Path,
    box_width: int,
    sizes: Sequence[int],
    lines_at: Callable[[int], int],
) -> FittedText:
    """fit_text, with a number of lines that may depend on the size (for a box of fixed height)."""
    ordered = sorted(set(sizes), reverse=True)
    if not ordered or ordered[-1] < 1:
        raise ValueError(f"font sizes must be positive whole numbers, got {list(sizes)}")
    words = drawable_text(text, font_path).split()
    if not words:
        return FittedText((), ordered[0], False)
    joined = " ".join(words)
    for size in ordered:
        font = _font(font_path, size)
        limit = lines_at(size)
        # Too long even if every line were full (the spaces at line breaks are not drawn).
        if limit < 1 or font.getlength(joined) > limit * (box_width + font.getlength(" ") + 1):
            continue
        lines = _wrap(words, font, box_width, limit)
        if lines is not None:
            return FittedText(tuple(_balanced(words, font, box_width, lines)), size, False)
    # Still too long at the smallest size: fill the lines (breaking words longer than a whole
    # line), and if words remain, end the last line with an ellipsis at a word boundary.
    size = ordered[-1]
    font = _font(font_path, size)
    max_lines = max(1, lines_at(size))
    # A character wider than the whole box (never at the sizes used here) cannot be drawn at all.
    narrow = ["".join(char for char in word if _width(char, font) <= box_width) for word in words]
    rest = [word for word in narrow if word]
    lost = rest != words
    filled: list[str] = []
    while rest and len(filled) < max_lines:
        line, rest = _fill(rest, font, box_width)
        filled.append(line)
    if not rest:
        return FittedText(tuple(filled), size, lost)
    last = _with_ellipsis(filled.pop().split() + rest, font, box_width)
    return FittedText(tuple(line for line in [*filled, last] if line), size, True)


def fit_text(
    text: str, font_path: Path, box_width: int, max_lines: int, sizes: Sequence[int]
) -> FittedText:
    """Wrap at word boundaries into at most `max_lines`, shrinking through `sizes`, then cut."""
    if max_lines < 1:
        raise ValueError(f"max_lines must be at least 1, got {max_lines}")
    return _fit(text, font_path, box_width, sizes, lambda _size: max_lines)


def _fit_block(
    text: str, font_path: Path, top: int, bottom: int, sizes: Sequence[int]
) -> FittedText:
    """Fit into a box of fixed height too: smaller sizes may use more lines, up to TITLE_LINES."""

    def lines_at(size: int) -> int:
        return min(TITLE_LINES, (bottom - top) // _line_height(_font(font_path, size)))

    return _fit(text, font_path, BOX_WIDTH, sizes, lines_at)


def share_texts(event: ClassEvent, chapter: Chapter, language: str) -> dict[str, str]:
    """Every text a class's image shows, as drawn (characters the font lacks left out)."""
    words = _words(language)
    when = (
        f"{formatting.long_date(event.start, language)} · {formatting.clock(event.start, language)}"
    )
    texts = {
        "chapter": (chapter.name, BOLD),
        "free": (words["free"], BOLD),
        "status": (status_label(event, language), BOLD),
        "title": (event.title, BOLD),
        "when": (when, REGULAR),
        "venue": (event.venue.name, REGULAR),
    }
    return {key: drawable_text(text, font) for key, (text, font) in texts.items()}


def chapter_texts(chapter: Chapter, language: str) -> dict[str, str]:
    """Every text the chapter's image shows, as drawn."""
    words = _words(language)
    tag = chapter.hashtag.strip().lstrip("#")
    texts = {
        "header": (f"#{tag}" if tag else chapter.short_name, BOLD),
        "free": (words["free"], BOLD),
        "title": (chapter.name, BOLD),
        "tagline": (words["every_month"], REGULAR),
        "domain": (chapter.domain, REGULAR),
    }
    return {key: drawable_text(text, font) for key, (text, font) in texts.items()}


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    fitted: FittedText,
    font_path: Path,
    left: int,
    top: int,
    fill: Color,
) -> int:
    """Draw the lines from `top` down; returns the y just below the last line."""
    font = _font(font_path, fitted.size)
    ascent, _ = font.getmetrics()
    height = _line_height(font)
    for index, line in enumerate(fitted.lines):
        # Shift right by any ink left of the origin ("j"), so nothing leaves the box.
        overhang = min(0, font.getbbox(line, anchor="ls")[0])
        draw.text((left - overhang, top + index * height + ascent), line, fill, font, anchor="ls")
    return top + len(fitted.lines) * height


def _one_line(text: str, font_path: Path, width: int, sizes: Sequence[int]) -> FittedText:
    return fit_text(text, font_path, width, 1, sizes)


def _pill(image: Image.Image, box: tuple[int, int, int, int], fill: Color) -> None:
    """A rounded badge with smooth edges: drawn four times larger as a mask, then scaled down."""
    left, top, right, bottom = box
    scale = 4
    mask = Image.new("L", ((right - left) * scale, (bottom - top) * scale), 0)
    radius = (bottom - top) * scale // 2
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, mask.width - 1, mask.height - 1), radius=radius, fill=255
    )
    mask = mask.resize((right - left, bottom - top), Image.Resampling.LANCZOS)
    image.paste(fill, (left, top, right, bottom), mask)


def _header(image: Image.Image, draw: ImageDraw.ImageDraw, left_text: str, free: str) -> None:
    """The accent bar, the chapter (or hashtag) on the left and the GRATIS badge on the right."""
    draw.rectangle((0, 0, WIDTH - 1, TOP_BAR - 1), fill=ACCENT)
    badge_font = _font(BOLD, BADGE_SIZE)
    padding = 28
    badge_width = round(_width(free, badge_font)) + 2 * padding
    badge_left = WIDTH - MARGIN - badge_width
    _pill(image, (badge_left, HEADER_TOP, WIDTH - MARGIN, HEADER_TOP + HEADER_HEIGHT), ACCENT)
    middle = HEADER_TOP + HEADER_HEIGHT // 2
    draw.text((badge_left + padding, middle), free, WHITE, badge_font, anchor="lm")
    name = _one_line(left_text, BOLD, badge_left - MARGIN - 32, HEADER_SIZES)
    if name.lines:
        font = _font(BOLD, name.size)
        draw.text((MARGIN, middle), name.lines[0], ACCENT, font, anchor="lm")


def _band(draw: ImageDraw.ImageDraw, label: str, colors: tuple[Color, Color]) -> None:
    """The full-width status band (DIBATALKAN, DITUNDA, JADWAL BARU) above the title."""
    background, text_color = colors
    draw.rectangle((0, BAND_TOP, WIDTH - 1, BAND_TOP + BAND_HEIGHT - 1), fill=background)
    fitted = _one_line(label, BOLD, BOX_WIDTH, BAND_SIZES)
    if fitted.lines:
        font = _font(BOLD, fitted.size)
        middle = BAND_TOP + BAND_HEIGHT // 2
        draw.text((MARGIN, middle), fitted.lines[0], text_color, font, anchor="lm")


def _info(draw: ImageDraw.ImageDraw, first: str, second: str, first_sizes: Sequence[int]) -> None:
    """The two lines under the title: when and where (or the tagline and the address)."""
    top = INFO_TOP
    for text, font_path, sizes, color in (
        (first, REGULAR, first_sizes, INK),
        (second, REGULAR, VENUE_SIZES, MUTED),
    ):
        fitted = _one_line(text, font_path, BOX_WIDTH, sizes)
        top = _draw_lines(draw, fitted, font_path, MARGIN, top, color) + INFO_GAP


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """A fixed palette: each text/background pair and 16 blends between them (antialiasing)."""
    colors: list[Color] = []
    for text, background in PAIRS:
        for step in range(16):
            blend = tuple(
                round(b + (t - b) * step / 15) for t, b in zip(text, background, strict=True)
            )
            color = (blend[0], blend[1], blend[2])
            if color not in colors:
                colors.append(color)
    palette = Image.new("P", (1, 1))
    palette.putpalette([channel for color in colors for channel in color])
    return palette


def _png(image: Image.Image) -> bytes:
    # A fixed palette instead of an adaptive one: flat colours stay exact, the file stays small
    # (about a third of the RGB PNG), and nothing depends on an adaptive quantizer's choices.
    indexed = image.quantize(palette=_palette(), dither=Image.Dither.NONE)
    out = BytesIO()
    indexed.save(out, format="PNG")  # no pnginfo: no time, no software name
    return out.getvalue()


def _title(draw: ImageDraw.ImageDraw, text: str, top: int, sizes: Sequence[int]) -> None:
    """The title, centred vertically between `top` and TITLE_BOTTOM."""
    fitted = _fit_block(text, BOLD, top, TITLE_BOTTOM, sizes)
    if not fitted.lines:
        return
    height = len(fitted.lines) * _line_height(_font(BOLD, fitted.size))
    start = top + max(0, (TITLE_BOTTOM - top - height) // 2)
    _draw_lines(draw, fitted, BOLD, MARGIN, start, INK)


@lru_cache(maxsize=4)
def _headed_canvas(left_text: str, free: str) -> Image.Image:
    """A blank image with its header drawn; never drawn on, only copied."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    _header(image, ImageDraw.Draw(image), left_text, free)
    return image


def render_share_image(event: ClassEvent, chapter: Chapter, language: str) -> bytes:
    """The 1200x630 PNG shown when a class's page is shared."""
    texts = share_texts(event, chapter, language)
    # Every class image of a chapter has the same header (its badge is drawn four times larger
    # and scaled down): drawn once, and each image starts from a copy, the same pixels.
    image = _headed_canvas(texts["chapter"], texts["free"]).copy()
    draw = ImageDraw.Draw(image)
    top, sizes = TITLE_TOP, TITLE_SIZES
    if texts["status"]:
        kind = None if event.status is ClassStatus.SCHEDULED else event.status
        _band(draw, texts["status"], BANDS[kind])
        top = TITLE_TOP_WITH_BAND
        sizes = tuple(size for size in sizes if size <= TITLE_MAX_WITH_BAND)
    _title(draw, texts["title"], top, sizes)
    _info(draw, texts["when"], texts["venue"], WHEN_SIZES)
    return _png(image)


def photo_crop_box(
    size: tuple[int, int], focus: tuple[float, float] | None
) -> tuple[int, int, int, int]:
    """The largest WIDTH:HEIGHT box of a photo of `size` that is centred on `focus` (fractions
    across and down; None: the middle), moved inside the photo where it would leave it."""
    width, height = size
    if width * HEIGHT > height * WIDTH:  # wider than 1.91:1: keep the full height
        crop_width, crop_height = max(1, round(height * WIDTH / HEIGHT)), height
    else:
        crop_width, crop_height = width, max(1, round(width * HEIGHT / WIDTH))
    across, down = focus if focus is not None else (0.5, 0.5)
    left = min(max(0, round(across * width - crop_width / 2)), width - crop_width)
    top = min(max(0, round(down * height - crop_height / 2)), height - crop_height)
    return left, top, left + crop_width, top + crop_height


def render_photo_share_image(
    photo: bytes, focus: tuple[float, float] | None, quality: int = 85
) -> bytes:
    """A class photo as the 1200x630 JPEG a shared link shows: upright, cropped to 1.91:1
    around the focus point (the networks would crop it themselves, anywhere), scaled to
    1200x630, and with no EXIF, XMP or comment left (phone photos carry GPS positions).

    Raises what Pillow raises for bytes that are not a picture (photos.NOT_A_PICTURE).
    """
    with Image.open(BytesIO(photo)) as opened:
        icc_profile = opened.info.get("icc_profile")
        upright = ImageOps.exif_transpose(opened)
        upright.load()
    if upright.mode not in {"RGB", "L"}:
        if upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info:
            with_alpha = upright.convert("RGBA")
            flat = Image.new("RGB", with_alpha.size, WHITE)
            flat.paste(with_alpha, mask=with_alpha.getchannel("A"))
            upright = flat
        else:
            upright = upright.convert("RGB")
    box = photo_crop_box(upright.size, focus)
    image = upright.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    out = BytesIO()
    image.convert("RGB").save(out, "JPEG", **jpeg_options(quality, icc_profile))
    return out.getvalue()


def render_chapter_image(chapter: Chapter, language: str) -> bytes:
    """The 1200x630 PNG shown when the home page or another non-class page is shared."""
    texts = chapter_texts(chapter, language)
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    _header(image, draw, texts["header"], texts["free"])
    _title(draw, texts["title"], TITLE_TOP, CHAPTER_TITLE_SIZES)
    _info(draw, texts["tagline"], texts["domain"], (40, 36, 32, 28))
    return _png(image)


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG 2 contrast ratio of two sRGB colours, from 1 to 21."""

    def luminance(color: Color) -> float:
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (channel / 255 for channel in color)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
