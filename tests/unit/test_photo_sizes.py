"""Resized copies of class photos: which widths, which sizes, upright, no metadata, no rework."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from berbagi import photos as resize

WIDTHS = (480, 960, 1440)


def make_photo(path: Path, size=(1600, 1067), exif: Image.Exif | None = None, **options) -> Path:
    """A JPEG with a red block in its stored top-left corner, to tell which way it was turned."""
    image = Image.new("RGB", size, (40, 120, 200))
    image.paste((220, 20, 20), (0, 0, size[0] // 8, size[1] // 8))
    path.parent.mkdir(parents=True, exist_ok=True)
    if exif is not None:
        options["exif"] = exif
    image.save(path, "JPEG", quality=90, **options)
    return path


def sizes_in(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for file in sorted(folder.iterdir()):
        with Image.open(file) as image:
            found[file.name] = image.size
    return found


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        (1600, [480, 960, 1440]),  # wider than every asked width: no copy at full size
        (1440, [480, 960, 1440]),
        (1067, [480, 960, 1067]),  # narrower than the largest: one copy at its own width
        (960, [480, 960]),
        (480, [480]),
        (300, [300]),  # smaller than every width: never upscaled
    ],
)
def test_widths_never_exceed_the_original(original, expected):
    assert resize.plan_widths(original, WIDTHS) == expected


def test_heights_keep_the_aspect_ratio():
    variants = resize.plan_variants((1600, 1067), WIDTHS, "kopi")
    assert [(v.name, v.width, v.height) for v in variants] == [
        ("kopi-480.jpg", 480, 320),
        ("kopi-960.jpg", 960, 640),
        ("kopi-1440.jpg", 1440, 960),
    ]


@pytest.mark.parametrize(
    ("path", "stem"),
    [
        ("images/kelas/Foto Kelas 1.JPG", "foto-kelas-1"),
        ("images/kelas/peserta_berlatih.jpeg", "peserta-berlatih"),
        ("images/Ruang Ügi.png", "ruang-ugi"),
        ("images/kelas/---.jpg", "foto"),
    ],
)
def test_copy_names_are_url_safe(path, stem):
    assert resize.file_stem(path) == stem


def test_copies_are_written_at_each_width(tmp_path):
    source = make_photo(tmp_path / "kopi.jpg")
    variants, written = resize.make_variants(source, tmp_path / "out", "kopi", WIDTHS, 80)
    assert len(written) == 3
    assert sizes_in(tmp_path / "out") == {
        "kopi-480.jpg": (480, 320),
        "kopi-960.jpg": (960, 640),
        "kopi-1440.jpg": (1440, 960),
    }
    assert [v.width for v in variants] == [480, 960, 1440]


def test_small_photo_gets_one_copy_at_its_own_size(tmp_path):
    source = make_photo(tmp_path / "kecil.jpg", size=(300, 200))
    resize.make_variants(source, tmp_path / "out", "kecil", WIDTHS, 80)
    assert sizes_in(tmp_path / "out") == {"kecil-300.jpg": (300, 200)}


def test_exif_orientation_is_applied(tmp_path):
    # Phones store the sensor's landscape picture and say "turn 90 degrees clockwise" (6).
    exif = Image.Exif()
    exif[0x0112] = 6
    source = make_photo(tmp_path / "tegak.jpg", exif=exif)
    resize.make_variants(source, tmp_path / "out", "tegak", WIDTHS, 80)
    assert sizes_in(tmp_path / "out") == {
        "tegak-480.jpg": (480, 720),
        "tegak-960.jpg": (960, 1440),
        "tegak-1067.jpg": (1067, 1600),
    }
    with Image.open(tmp_path / "out" / "tegak-480.jpg") as copy:
        # The stored top-left corner is now the top-right one.
        red, _, blue = copy.getpixel((copy.width - 10, 10))
        assert red > 180 and blue < 80
        red, _, blue = copy.getpixel((10, 10))
        assert red < 80 and blue > 150


def test_copies_carry_no_exif_or_comment(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "Ponsel Contoh"  # Make
    exif[0x0132] = "2026:09:26 16:05:00"  # DateTime
    exif.get_ifd(0x8825)[2] = (2.0, 58.0, 37.0)  # GPSLatitude: where the organizer stood
    source = make_photo(tmp_path / "gps.jpg", exif=exif, comment=b"kamera rahasia")
    with Image.open(source) as original:
        assert original.getexif()  # the test photo really has metadata to strip
    resize.make_variants(source, tmp_path / "out", "gps", WIDTHS, 80)
    for copy_path in (tmp_path / "out").iterdir():
        with Image.open(copy_path) as copy:
            assert not copy.getexif()
            assert "exif" not in copy.info and "comment" not in copy.info
            assert b"kamera rahasia" not in copy_path.read_bytes()


def test_copies_use_the_asked_jpeg_quality(tmp_path):
    source = make_photo(tmp_path / "mutu.jpg")
    resize.make_variants(source, tmp_path / "out", "mutu", (480,), 80)
    reference = tmp_path / "reference.jpg"
    Image.new("RGB", (16, 16)).save(reference, "JPEG", quality=80)
    with Image.open(tmp_path / "out" / "mutu-480.jpg") as copy, Image.open(reference) as wanted:
        assert copy.quantization == wanted.quantization
        assert copy.format == "JPEG" and copy.mode == "RGB"


def test_transparent_png_is_flattened_onto_white(tmp_path):
    source = tmp_path / "logo.png"
    Image.new("RGBA", (600, 400), (0, 0, 0, 0)).save(source)
    resize.make_variants(source, tmp_path / "out", "logo", WIDTHS, 80)
    with Image.open(tmp_path / "out" / "logo-480.jpg") as copy:
        assert copy.mode == "RGB"
        assert min(copy.getpixel((240, 160))) > 245


def test_up_to_date_copies_are_not_written_again(tmp_path):
    source = make_photo(tmp_path / "kopi.jpg")
    out = tmp_path / "out"
    resize.make_variants(source, out, "kopi", WIDTHS, 80)
    before = {f.name: f.stat().st_mtime_ns for f in out.iterdir()}

    variants, written = resize.make_variants(source, out, "kopi", WIDTHS, 80)

    assert written == []
    assert [v.width for v in variants] == [480, 960, 1440]
    assert {f.name: f.stat().st_mtime_ns for f in out.iterdir()} == before


def test_missing_or_stale_copies_are_written_again(tmp_path):
    source = make_photo(tmp_path / "kopi.jpg")
    out = tmp_path / "out"
    resize.make_variants(source, out, "kopi", WIDTHS, 80)
    (out / "kopi-960.jpg").unlink()
    _, written = resize.make_variants(source, out, "kopi", WIDTHS, 80)
    assert len(written) == 1

    later = (out / "kopi-1440.jpg").stat().st_mtime + 10
    os.utime(source, (later, later))  # the organizer replaced the photo
    _, written = resize.make_variants(source, out, "kopi", WIDTHS, 80)
    assert len(written) == 3
    assert not list(out.glob("*.part"))


def test_a_file_that_is_not_an_image_is_unreadable(tmp_path):
    source = tmp_path / "foto.jpg"
    source.write_bytes(b"not a picture")
    with pytest.raises(resize.UnreadablePhoto, match="could not be read as an image"):
        resize.make_variants(source, tmp_path / "out", "foto", WIDTHS, 80)


def test_an_output_that_cannot_be_written_is_not_called_unreadable(tmp_path):
    source = make_photo(tmp_path / "kopi.jpg")
    blocked = tmp_path / "out"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(resize.PhotoNotWritten, match="could not be written to"):
        resize.make_variants(source, blocked / "kopi", "kopi", WIDTHS, 80)
