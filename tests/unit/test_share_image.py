"""The share images (og:image): size, weight, stable bytes, fitted titles, labels, clean text."""

import io
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from berbagi.model import Chapter, ClassEvent, ClassStatus, Registration, Teacher, Venue
from berbagi.render.share_image import (
    BOLD,
    BOX_WIDTH,
    ELLIPSIS,
    HEIGHT,
    PAIRS,
    REGULAR,
    RENDERER_VERSION,
    TITLE_BOX,
    TITLE_SIZES,
    WIDTH,
    FittedText,
    chapter_texts,
    contrast_ratio,
    drawable_text,
    fit_text,
    font_characters,
    photo_crop_box,
    render_chapter_image,
    render_photo_share_image,
    render_share_image,
    share_texts,
    text_width,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
CHAPTER = Chapter(
    name="Akademi Berbagi Palembang",
    short_name="Akber Palembang",
    city="Palembang",
    twitter="AkberPLB",
    hashtag="AkberPLB",
    domain="palembang.akademiberbagi.example",
    site_url="https://palembang.akademiberbagi.example",
)
LONG_TITLE = (
    "Belajar Menulis Cerita Pendek, Membuat Buku Anak Bergambar, dan Merawat Perpustakaan "
    "Kampung bersama Penulis, Ilustrator dan Pustakawan Relawan dari Palembang, Prabumulih, "
    "Lubuklinggau dan Pagar Alam: Dari Ide Pertama sampai Buku Jadi yang Dibacakan di Depan "
    "Anak-Anak Sekolah Dasar Setiap Minggu Pagi"
)
EMOJI_TITLE = "Fotografi Ponsel 📸🎉"


def make_event(**changes) -> ClassEvent:
    start = datetime(2026, 12, 5, 14, 0, tzinfo=JAKARTA)
    event = ClassEvent(
        slug="fotografi-ponsel",
        title="Fotografi Ponsel",
        start=start,
        end=start + timedelta(hours=2),
        venue=Venue("Kafe Kopi Contoh", "Jl. Kapten A. Rivai No. 27, Palembang"),
        teachers=(Teacher("Rina Fotografer", "rina_foto"),),
        source_path="content/classes/2026-12-05-fotografi-ponsel.md",
        announced=datetime(2026, 11, 1, 9, 0, tzinfo=JAKARTA),
        registration=Registration(url="https://example.org/daftar"),
    )
    return replace(event, **changes)


def open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def dark_pixels(data: bytes, box: tuple[int, int, int, int]) -> int:
    """Pixels in `box` darker than mid-grey: the ink of dark text on the light background."""
    gray = open_image(data).convert("L").crop(box)
    return sum(gray.histogram()[:128])


def test_class_image_is_a_1200x630_png():
    image = open_image(render_share_image(make_event(), CHAPTER, "id"))
    assert image.format == "PNG"
    assert image.size == (WIDTH, HEIGHT) == (1200, 630)


def test_chapter_image_is_a_1200x630_png():
    image = open_image(render_chapter_image(CHAPTER, "id"))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_images_are_light():
    cases = [
        render_share_image(make_event(title=LONG_TITLE), CHAPTER, "id"),
        render_share_image(make_event(status=ClassStatus.CANCELLED), CHAPTER, "id"),
        render_chapter_image(CHAPTER, "en"),
    ]
    assert all(len(data) < 300_000 for data in cases)
    assert all(len(data) < 120_000 for data in cases)


def test_same_input_gives_the_same_bytes():
    event = make_event(title=LONG_TITLE, status=ClassStatus.POSTPONED)
    assert render_share_image(event, CHAPTER, "id") == render_share_image(event, CHAPTER, "id")
    assert render_chapter_image(CHAPTER, "id") == render_chapter_image(CHAPTER, "id")


def test_png_carries_no_metadata():
    image = open_image(render_share_image(make_event(), CHAPTER, "id"))
    assert not {"date", "time", "Software", "Creation Time", "exif"} & set(image.info)


def test_renderer_version_is_a_short_hash():
    assert len(RENDERER_VERSION) == 16
    int(RENDERER_VERSION, 16)


def test_long_title_is_wrapped_shrunk_and_cut():
    title = (LONG_TITLE + " " + LONG_TITLE)[:300]
    assert len(title) == 300
    fitted = fit_text(title, BOLD, BOX_WIDTH, 3, TITLE_SIZES)
    assert isinstance(fitted, FittedText)
    assert fitted.cut
    assert fitted.size == min(TITLE_SIZES)
    assert 1 <= len(fitted.lines) <= 3
    assert all(text_width(line, BOLD, fitted.size) <= BOX_WIDTH for line in fitted.lines)
    assert fitted.lines[-1].endswith(ELLIPSIS)
    # Cut at a word boundary: what is shown is the title's first words, whole.
    shown = " ".join(fitted.lines).removesuffix(ELLIPSIS)
    assert title.startswith(shown)
    assert title[len(shown)] in " ,:"


def test_medium_title_shrinks_before_it_is_cut():
    fitted = fit_text(LONG_TITLE[:120], BOLD, BOX_WIDTH, 3, TITLE_SIZES)
    assert not fitted.cut
    assert min(TITLE_SIZES) <= fitted.size < max(TITLE_SIZES)
    assert " ".join(fitted.lines) == LONG_TITLE[:120].strip()


def test_short_title_is_not_cut_and_uses_the_largest_size():
    fitted = fit_text("Fotografi Ponsel", BOLD, BOX_WIDTH, 3, TITLE_SIZES)
    assert fitted == FittedText(("Fotografi Ponsel",), max(TITLE_SIZES), False)


def test_empty_title_fits_in_no_lines():
    assert fit_text(" \n\t📸 ", BOLD, BOX_WIDTH, 3, TITLE_SIZES).lines == ()


def test_word_longer_than_a_line_is_broken_rather_than_lost():
    word = "Pemrograman" * 12
    fitted = fit_text(word, BOLD, 600, 3, (40, 30))
    assert fitted.size == 30
    assert all(text_width(line, BOLD, 30) <= 600 for line in fitted.lines)
    assert "".join(fitted.lines).removesuffix(ELLIPSIS) in word


def test_scheduled_class_texts():
    texts = share_texts(make_event(), CHAPTER, "id")
    assert texts == {
        "chapter": "Akademi Berbagi Palembang",
        "free": "GRATIS",
        "status": "",
        "title": "Fotografi Ponsel",
        "when": "Sabtu, 5 Desember 2026 · 14.00 WIB",
        "venue": "Kafe Kopi Contoh",
    }


def test_cancelled_and_postponed_classes_carry_their_label():
    scheduled = render_share_image(make_event(), CHAPTER, "id")
    for status, label in (
        (ClassStatus.CANCELLED, "DIBATALKAN"),
        (ClassStatus.POSTPONED, "DITUNDA"),
    ):
        event = make_event(status=status)
        assert share_texts(event, CHAPTER, "id")["status"] == label
        assert render_share_image(event, CHAPTER, "id") != scheduled
    cancelled = render_share_image(make_event(status=ClassStatus.CANCELLED), CHAPTER, "id")
    postponed = render_share_image(make_event(status=ClassStatus.POSTPONED), CHAPTER, "id")
    assert cancelled != postponed


def test_rescheduled_class_says_new_date():
    start = datetime(2026, 12, 5, 14, 0, tzinfo=JAKARTA)
    event = make_event(previous_starts=(start - timedelta(days=7),))
    assert share_texts(event, CHAPTER, "id")["status"] == "JADWAL BARU"
    assert render_share_image(event, CHAPTER, "id") != render_share_image(
        make_event(), CHAPTER, "id"
    )


def test_english_labels():
    texts = share_texts(make_event(status=ClassStatus.CANCELLED), CHAPTER, "en")
    assert texts["free"] == "FREE"
    assert texts["status"] == "CANCELLED"
    assert texts["when"].startswith("Saturday, 5 December 2026 · ")
    assert share_texts(make_event(status=ClassStatus.POSTPONED), CHAPTER, "en")["status"] == (
        "POSTPONED"
    )
    chapter = chapter_texts(CHAPTER, "en")
    assert chapter["free"] == "FREE"
    assert chapter["tagline"] == "Free classes every month"
    assert chapter_texts(CHAPTER, "id")["tagline"] == "Kelas gratis setiap bulan"
    indonesian = render_share_image(make_event(), CHAPTER, "id")
    assert render_share_image(make_event(), CHAPTER, "en") != indonesian


def test_emoji_title_draws_only_characters_the_font_has():
    texts = share_texts(make_event(title=EMOJI_TITLE), CHAPTER, "id")
    assert texts["title"] == "Fotografi Ponsel"
    assert all(ord(char) in font_characters(BOLD) for char in texts["title"])
    assert "📸" not in font_characters(BOLD) and ord("📸") not in font_characters(BOLD)
    # Nothing at all is drawn for the emoji: the image is the plain title's, byte for byte.
    plain = render_share_image(make_event(title="Fotografi Ponsel"), CHAPTER, "id")
    assert render_share_image(make_event(title=EMOJI_TITLE), CHAPTER, "id") == plain


def test_drawable_text_removes_control_and_format_characters():
    assert drawable_text("Kelas\u200b Foto\x07\u00ad  \n Ponsel\ufe0f\u200d", BOLD) == (
        "Kelas Foto Ponsel"
    )
    assert drawable_text("Cafe\u0301 Kopi", REGULAR) == "Café Kopi"  # composed, one glyph
    assert drawable_text("🎉\u0301 Kopi", REGULAR) == "Kopi"  # no mark left on its own
    assert drawable_text("2:00\u202fPM", REGULAR) == "2:00 PM"


def test_title_region_has_ink():
    with_title = render_share_image(make_event(), CHAPTER, "id")
    without_title = render_share_image(make_event(title=""), CHAPTER, "id")
    assert dark_pixels(without_title, TITLE_BOX) == 0
    assert dark_pixels(with_title, TITLE_BOX) > 10_000


def test_chapter_image_has_its_name_in_the_title_region():
    nameless = replace(CHAPTER, name="")
    assert dark_pixels(render_chapter_image(nameless, "id"), TITLE_BOX) == 0
    assert dark_pixels(render_chapter_image(CHAPTER, "id"), TITLE_BOX) > 10_000


def test_colours_have_enough_contrast():
    assert all(contrast_ratio(text, background) >= 4.5 for text, background in PAIRS)


def test_nothing_is_drawn_in_the_margins():
    for event in (make_event(title=LONG_TITLE), make_event(title="W" * 300)):
        gray = open_image(render_share_image(event, CHAPTER, "id")).convert("L")
        for box in ((0, 120, 72, 630), (WIDTH - 72, 120, WIDTH, 630)):
            assert gray.crop(box).getextrema()[0] > 200


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(),
    box_width=st.integers(min_value=120, max_value=BOX_WIDTH),
    max_lines=st.integers(min_value=1, max_value=4),
)
def test_any_text_fits_its_box(text, box_width, max_lines):
    fitted = fit_text(text, BOLD, box_width, max_lines, TITLE_SIZES)
    assert len(fitted.lines) <= max_lines
    assert fitted.size in TITLE_SIZES
    assert all(text_width(line, BOLD, fitted.size) <= box_width for line in fitted.lines)
    assert all(ord(char) in font_characters(BOLD) for line in fitted.lines for char in line)
    if not fitted.cut:
        # Nothing is lost unless the text was cut: only the spaces between lines change.
        clean = drawable_text(text, BOLD)
        assert "".join(fitted.lines).replace(" ", "") == clean.replace(" ", "")


def _photo(size, orientation=None, gps=True, across=False) -> bytes:
    """A JPEG as a phone saves it: a gradient (dark at the top, or on the left when `across`),
    an orientation and a GPS position in its EXIF."""
    gradient = Image.linear_gradient("L")
    image = (gradient.rotate(90) if across else gradient).resize(size).convert("RGB")
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "S", 2: (2.0, 58.0, 30.0), 3: "E", 4: (104.0, 45.0, 0.0)}
    exif[0x0110] = "Ponsel Contoh"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"kelas")
    return out.getvalue()


def test_a_photo_becomes_a_1200x630_jpeg_without_exif_gps_or_comment():
    data = render_photo_share_image(_photo((1600, 1067)), None)

    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", (WIDTH, HEIGHT))
        assert not image.getexif()
        assert "exif" not in image.info and not image.info.get("comment")
    assert b"Ponsel Contoh" not in data
    assert render_photo_share_image(_photo((1600, 1067)), None) == data  # the same bytes


def test_a_small_photo_is_scaled_up_to_the_share_size():
    with Image.open(io.BytesIO(render_photo_share_image(_photo((400, 300)), None))) as image:
        assert image.size == (WIDTH, HEIGHT)


def test_the_crop_keeps_1_91_to_1_around_the_focus_and_stays_inside_the_photo():
    assert photo_crop_box((1067, 1600), None) == (0, 520, 1067, 1080)
    assert photo_crop_box((1067, 1600), (0.5, 0.27)) == (0, 152, 1067, 712)
    assert photo_crop_box((1067, 1600), (0.5, 0.0)) == (0, 0, 1067, 560)
    assert photo_crop_box((1067, 1600), (0.5, 1.0)) == (0, 1040, 1067, 1600)
    assert photo_crop_box((1600, 1067), None) == (0, 114, 1600, 954)
    assert photo_crop_box((3000, 1000), (1.0, 0.5)) == (1095, 0, 3000, 1000)
    assert photo_crop_box((1200, 630), (0.3, 0.3)) == (0, 0, 1200, 630)


def test_the_upright_photo_is_cropped_where_the_focus_is():
    # Stored 1600x1067 with its gradient running across, shown 1067x1600 once EXIF orientation 6
    # turns it: the gradient then runs down, and a focus high up keeps the other end than one low.
    stored = _photo((1600, 1067), orientation=6, across=True)
    high = render_photo_share_image(stored, (0.5, 0.0))
    low = render_photo_share_image(stored, (0.5, 1.0))
    with Image.open(io.BytesIO(high)) as first, Image.open(io.BytesIO(low)) as second:
        assert first.size == second.size == (WIDTH, HEIGHT)
        top, bottom = (
            first.convert("L").getpixel((600, 0)),
            second.convert("L").getpixel((600, 629)),
        )
        assert abs(top - bottom) > 150
