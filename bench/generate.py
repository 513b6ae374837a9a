"""Writes N synthetic but valid Berbagi class files (and the sample pages) for the benchmark."""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The moment the generated schedule is seen from; the benchmark passes it to the build too.
BENCH_NOW = "2026-11-28T09:00:00+07:00"
FIRST_CLASS = date(2011, 2, 5)
TARGET_WORDS = 325
VENUE_COUNT = 36
TEACHER_COUNT = 300
CANCELLED_SHARE = 0.03
POSTPONED_SHARE = 0.01

TOPICS = (
    "Fotografi Ponsel", "Menulis Blog", "Jurnalistik Foto", "Desain Grafis", "Public Speaking",
    "Kewirausahaan Sosial", "Pertolongan Pertama", "Berkebun Kota", "Beasiswa Luar Negeri",
    "Bahasa Inggris", "Pemrograman Web", "Keuangan Pribadi", "Menulis Cerpen", "Video Pendek",
    "Kopi Nusantara", "Literasi Digital", "Podcast", "Ilustrasi Digital", "Hidup Sehat",
    "Memasak Pempek", "Relawan Bencana", "Sejarah Palembang", "Analisis Data", "Desain Interior",
)  # fmt: skip
LEVELS = ("untuk Pemula", "Lanjutan", "Praktis", "dari Nol", "untuk Mahasiswa", "Akhir Pekan")
TAGS = (
    "fotografi", "menulis", "jurnalistik", "desain", "bisnis", "kesehatan", "lingkungan",
    "bahasa", "teknologi", "keuangan", "seni", "musik", "kuliner", "sejarah", "karier",
    "beasiswa", "komunitas", "media-sosial", "data", "pendidikan", "anak", "keluarga",
    "olahraga", "film", "sastra", "pertanian", "kerajinan", "hukum", "psikologi", "relawan",
)  # fmt: skip
FIRST_NAMES = (
    "Rina", "Budi", "Sari", "Andi", "Dewi", "Agus", "Maya", "Rudi", "Fitri", "Hendra", "Lina",
    "Yoga", "Putri", "Arif", "Wulan", "Dimas", "Intan", "Fajar", "Nisa", "Bayu",
)  # fmt: skip
LAST_NAMES = (
    "Saputra", "Lestari", "Pratama", "Wijaya", "Hidayat", "Rahmawati", "Kurniawan", "Siregar",
    "Nasution", "Harahap", "Utami", "Gunawan", "Permata", "Santoso", "Maharani",
)  # fmt: skip
PLACE_KINDS = ("Aula", "Kafe", "Perpustakaan", "Gedung Serbaguna", "Ruang Kelas", "Studio")
PLACE_NAMES = (
    "Kampus Contoh",
    "Kopi Ampera",
    "Graha Musi",
    "Radio Suara Contoh",
    "Balai Kota",
    "Taman Baca Sriwijaya",
)
STREETS = (
    "Jl. Demang Lebar Daun", "Jl. Jenderal Sudirman", "Jl. Srijaya Negara", "Jl. Kapten Rivai",
    "Jl. Merdeka", "Jl. Veteran", "Jl. Basuki Rahmat", "Jl. Angkatan 45",
)  # fmt: skip
WORDS = (
    "kelas", "belajar", "peserta", "guru", "praktik", "materi", "contoh", "komunitas", "relawan",
    "gratis", "terbuka", "mudah", "langsung", "bersama", "berbagi", "pengalaman", "kota",
    "Palembang", "tugas", "latihan", "diskusi", "pertanyaan", "jawaban", "cara", "langkah",
    "sederhana", "penting", "dasar", "lanjutan", "alat", "bahan", "ponsel", "laptop", "catatan",
    "waktu", "tempat", "hasil", "karya", "cerita", "ide", "rencana", "teman", "keluarga",
    "sekolah", "kampus", "kantor", "rumah", "pagi", "siang", "sore", "malam", "minggu", "bulan",
    "pemula", "mahasiswa", "pekerja", "orang", "tua", "anak", "muda", "semua", "setiap", "banyak",
    "sedikit", "baru", "lama", "baik", "benar", "jelas", "kuat", "jujur", "rapi", "cepat",
    "pelan", "membuat", "memilih", "menulis", "membaca", "mencoba", "membahas", "menyusun",
    "merawat", "menyimpan", "mengirim", "membagikan", "mengenal", "memahami", "memakai",
    "dengan", "untuk", "dari", "dan", "atau", "yang", "di", "ke", "pada", "tentang", "agar",
    "supaya", "sambil", "lalu", "kemudian", "juga", "tetap", "masih", "sudah", "akan", "bisa",
)  # fmt: skip
LIST_ITEMS = (
    "Mengenal alat dan bahan yang dipakai",
    "Langkah dasar yang bisa langsung dicoba",
    "Kesalahan umum pemula dan cara menghindarinya",
    "Latihan singkat berpasangan",
    "Membahas karya peserta bersama guru",
    "Tanya jawab dan rencana belajar lanjutan",
)


def slugify(text: str) -> str:
    """ASCII slug like the class model's: lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_venues(rng: random.Random) -> list[dict[str, str]]:
    """A few dozen distinct venues, some with a map link and coordinates."""
    venues = []
    for index in range(VENUE_COUNT):
        kind = PLACE_KINDS[index % len(PLACE_KINDS)]
        place = PLACE_NAMES[(index // len(PLACE_KINDS)) % len(PLACE_NAMES)]
        latitude = -2.9 - rng.random() / 10
        longitude = 104.7 + rng.random() / 10
        venue = {
            "Venue": f"{kind} {place}",
            "Venue_Address": f"{STREETS[index % len(STREETS)]} No. {index + 1}, Palembang",
        }
        if index % 3 == 0:
            venue["Venue_Map"] = (
                f"https://www.openstreetmap.org/?mlat={latitude:.4f}&mlon={longitude:.4f}"
            )
            venue["Venue_Geo"] = f"{latitude:.4f}, {longitude:.4f}"
        venues.append(venue)
    return venues


def make_teachers(rng: random.Random) -> list[str]:
    """A few hundred distinct teachers as 'Name | @handle | bio' lines."""
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    teachers = []
    for index, name in enumerate(names[:TEACHER_COUNT]):
        handle = f"{name.split()[0].lower()}_{index:03d}"
        bio = f"Praktisi {rng.choice(TAGS)} yang senang berbagi di komunitas."
        teachers.append(f"{name} | @{handle} | {bio}" if index % 4 else name)
    return teachers


def class_dates(count: int, now: datetime) -> list[date]:
    """Mostly past classes since 2011, plus a handful upcoming with the first within a week."""
    upcoming = max(2, count // 100)
    past = count - upcoming
    span = (now.date() - timedelta(days=1) - FIRST_CLASS).days
    dates = [
        FIRST_CLASS + timedelta(days=span * index // max(past - 1, 1)) for index in range(past)
    ]
    dates += [now.date() + timedelta(days=7 + 14 * index) for index in range(upcoming)]
    return dates


def sentence(rng: random.Random) -> str:
    """One pseudo-Indonesian sentence of 8 to 16 words."""
    words = rng.choices(WORDS, k=rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, title: str, target_words: int = TARGET_WORDS) -> str:
    """A Markdown description of about `target_words` words: paragraphs, a heading and a list."""
    intro = f"Kelas **{title}** terbuka untuk umum. " + " ".join(sentence(rng) for _ in range(3))
    items = "\n".join(f"- {item}" for item in rng.sample(LIST_ITEMS, 4))
    parts = [intro, "## Materi", items, "## Untuk siapa"]
    words = sum(len(part.split()) for part in parts)
    paragraph: list[str] = []
    while words < target_words:
        text = sentence(rng)
        paragraph.append(text)
        words += len(text.split())
        if len(paragraph) == 4:
            parts.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        parts.append(" ".join(paragraph))
    parts.append("Info lengkap di [halaman komunitas](https://example.org/komunitas).")
    return "\n\n".join(parts) + "\n"


def class_file(
    rng: random.Random,
    index: int,
    start_day: date,
    now: datetime,
    venues: list[dict[str, str]],
    teachers: list[str],
) -> tuple[str, str]:
    """File name and text of one valid class."""
    topic = TOPICS[index % len(TOPICS)]
    title = f"{topic} {rng.choice(LEVELS)} ({index + 1})"
    slug = f"{slugify(topic)}-{index + 1:05d}"
    start = datetime.combine(start_day, time(rng.choice((9, 10, 13, 14, 15, 19)), 0))
    end = start + timedelta(minutes=rng.choice((90, 120, 150)))
    is_past = start_day < now.date()
    # A class still to come needs the date it was announced (before now, before its start).
    announced = {} if is_past else {"Date": f"{now - timedelta(days=1):%Y-%m-%d %H:%M}"}
    header = {
        "Title": title,
        **announced,
        "Start": f"{start:%Y-%m-%d %H:%M}",
        "End": f"{end:%H:%M}",
        **rng.choice(venues),
        "Teacher": rng.sample(teachers, 2 if index % 10 == 0 else 1),
        "Summary": f"Belajar {topic.lower()} bersama relawan: {sentence(rng).lower()}",
    }
    if index % 3 == 0:
        header["Registration"] = "via Twitter"
        header["Registration_Tweet"] = f"Saya ikut kelas {title} @AkberPLB #AkberPLB"
    elif index % 3 == 1:
        header["Registration"] = f"https://example.org/daftar/{slug}"
    if index % 2:
        header["Capacity"] = str(rng.choice((20, 30, 40, 60)))
        header["Bring"] = "Alat tulis dan ponsel."
    draw = rng.random()
    if draw < CANCELLED_SHARE:
        header["Status"] = "cancelled"
        header["Status_Note"] = "Guru berhalangan; kelas akan dijadwalkan ulang."
    elif draw < CANCELLED_SHARE + POSTPONED_SHARE:
        header["Status"] = "postponed"
    elif is_past and index % 4 == 0:
        header["Participants"] = str(rng.randint(10, 60))
    header["Tags"] = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
    lines = []
    for key, value in header.items():
        for item in value if isinstance(value, list) else [value]:
            lines.append(f"{key}: {item}")
    text = "\n".join(lines) + "\n\n" + body(rng, title)
    return f"{start_day.isoformat()}-{slug}.md", text


def generate(target: Path, count: int, now: str = BENCH_NOW, seed: int = 2011) -> list[Path]:
    """Write `count` class files under target/classes, copy the sample pages; return the files."""
    rng = random.Random(seed)
    moment = datetime.fromisoformat(now)
    classes = target / "classes"
    if target.exists():
        shutil.rmtree(target)
    classes.mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "pages", target / "pages")
    venues, teachers = make_venues(rng), make_teachers(rng)
    paths = []
    for index, start_day in enumerate(class_dates(count, moment)):
        name, text = class_file(rng, index, start_day, moment, venues, teachers)
        path = classes / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def edit_class(path: Path) -> str:
    """Append a class report to one file and move its mtime forward; returns the old text."""
    original = path.read_text(encoding="utf-8")
    report = "\n## Laporan kelas\n\nSebanyak 42 peserta datang dan pulang membawa catatan baru.\n"
    path.write_text(original + report, encoding="utf-8")
    stamp = os.stat(path).st_mtime + 2
    os.utime(path, (stamp, stamp))
    return original


def main() -> None:
    """Command line: `python bench/generate.py --count 1000 --out bench/work/content-1000`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "work" / "content")
    parser.add_argument("--seed", type=int, default=2011)
    args = parser.parse_args()
    paths = generate(args.out, args.count, seed=args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split("\n\n", 1)[1].split()) for p in paths)
    print(f"{len(paths)} classes in {args.out / 'classes'}, {words / len(paths):.0f} words each")


if __name__ == "__main__":
    main()
