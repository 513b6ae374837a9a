"""Writes the sample's two fictitious chapters' published files by building their sites with the
kit itself: `python national/sample/generate.py` (from the repository's folder), then review.

Each chapter's class files are in national/sample/<id>/content/; the kit's own calendar.ics and
Atom feed land in national/sample/<id>/site/, which `invoke national --sample` serves.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).resolve().parent
NOW = "2026-11-28T09:00:00+07:00"  # the tests' moment: every Date is in the past
CHAPTERS = {
    "makassar": {
        "zone": "Asia/Makassar",
        "chapter": {
            "name": "Akademi Berbagi Makassar (contoh fiktif)",
            "short_name": "Akber Makassar",
            "city": "Makassar",
            "twitter": "AkberMKS_fiktif",
            "hashtag": "AkberMKS",
            "domain": "makassar.akademiberbagi.example",
            "site_url": "https://makassar.akademiberbagi.example",
            "email": "halo@makassar.akademiberbagi.example",
        },
    },
    "jayapura": {
        "zone": "Asia/Jayapura",
        "chapter": {
            "name": "Akademi Berbagi Jayapura (contoh fiktif)",
            "short_name": "Akber Jayapura",
            "city": "Jayapura",
            "twitter": "AkberJPR_fiktif",
            "hashtag": "AkberJPR",
            "domain": "jayapura.akademiberbagi.example",
            "site_url": "https://jayapura.akademiberbagi.example",
            "email": "halo@jayapura.akademiberbagi.example",
        },
    },
}
PUBLISHED = ("calendar.ics", "feeds/classes.atom.xml")


def main() -> None:
    """Build each fictitious chapter and keep its calendar and Atom feed."""
    for chapter_id, about in CHAPTERS.items():
        with tempfile.TemporaryDirectory() as scratch:
            settings = runner.load_settings(
                str(ROOT / "pelicanconf.py"),
                {
                    "PATH": str(SAMPLE / chapter_id / "content"),
                    "OUTPUT_PATH": str(Path(scratch) / "output"),
                    "CACHE_PATH": str(Path(scratch) / "cache"),
                    "CHAPTER": about["chapter"],
                    "SITENAME": about["chapter"]["short_name"],
                    "SITEURL": about["chapter"]["site_url"],
                    "TIMEZONE": about["zone"],
                    "PLUGINS": ["class_schedule", "ical_feed", "class_feeds"],
                    "CLASS_SCHEDULE": {"now": NOW},
                    "STATIC_PATHS": [],
                },
            )
            runner.build(settings)
            for name in PUBLISHED:
                target = SAMPLE / chapter_id / "site" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(scratch) / "output" / name, target)
        print(f"{chapter_id}: {', '.join(PUBLISHED)} written")


if __name__ == "__main__":
    main()
