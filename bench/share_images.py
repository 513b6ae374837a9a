"""Writes three example share images to docs/ and reports each one's size and render time.

The examples are fixed classes: a long Indonesian title, a cancelled class and a title with
emoji, so the pictures in the documentation can be remade after a change to the renderer:

    .venv/bin/python bench/share_images.py            # writes docs/share-*.png
    .venv/bin/python bench/share_images.py --repeat 50 --out /tmp/share
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from berbagi.model import Chapter, ClassEvent, ClassStatus, Teacher, Venue
from berbagi.render.share_image import render_share_image

ROOT = Path(__file__).resolve().parent.parent
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
START = datetime(2026, 12, 5, 14, 0, tzinfo=JAKARTA)
BASE = ClassEvent(
    slug="contoh",
    title="Contoh",
    start=START,
    end=START + timedelta(hours=2),
    venue=Venue("Kafe Kopi Contoh", "Jl. Kapten A. Rivai No. 27, Palembang"),
    teachers=(Teacher("Rina Fotografer", "rina_foto"),),
    source_path="content/classes/2026-12-05-contoh.md",
    announced=datetime(2026, 11, 1, 9, 0, tzinfo=JAKARTA),
)
EXAMPLES = {
    "share-long-title.png": replace(
        BASE,
        title=(
            "Belajar Menulis Cerita Pendek dan Membuat Buku Anak Bergambar untuk Perpustakaan "
            "Kampung, bersama Penulis dan Ilustrator Relawan dari Palembang, Prabumulih dan "
            "Lubuklinggau: dari Ide Pertama sampai Buku Jadi"
        ),
        venue=Venue("Perpustakaan Daerah Provinsi Sumatera Selatan", "Jl. Demang Lebar Daun"),
    ),
    "share-cancelled.png": replace(
        BASE,
        title="Mengelola Keuangan Keluarga dan Usaha Kecil",
        status=ClassStatus.CANCELLED,
        start=START + timedelta(days=7, hours=-5),
        end=START + timedelta(days=7, hours=-3),
    ),
    "share-emoji-title.png": replace(BASE, title="Fotografi Ponsel 📸🎉 untuk Pemula ✨"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder to write into")
    parser.add_argument("--language", default="id", choices=("id", "en"))
    parser.add_argument("--repeat", type=int, default=20, help="renders timed per image")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    render_share_image(BASE, CHAPTER, args.language)  # loads fonts and Babel's locale data once
    for name, event in EXAMPLES.items():
        data = render_share_image(event, CHAPTER, args.language)
        timings = []
        for _ in range(max(1, args.repeat)):
            began = time.perf_counter()
            again = render_share_image(event, CHAPTER, args.language)
            timings.append(time.perf_counter() - began)
            if again != data:
                raise SystemExit(f"{name}: two renders of the same class differ")
        (args.out / name).write_bytes(data)
        median = statistics.median(timings) * 1000
        print(f"{args.out / name}: {len(data):,} bytes, {median:.1f} ms per render (median)")


if __name__ == "__main__":
    main()
