"""Builds the sample site and reports the bytes and requests of home, a class page and archive."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from generate import BENCH_NOW

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
LOCAL_HOST = "site.invalid"
KINDS = ("html", "css", "js", "font", "image", "other")
EXTENSION_KINDS = {
    ".css": "css",
    ".js": "js",
    ".mjs": "js",
    ".woff": "font",
    ".woff2": "font",
    ".ttf": "font",
    ".otf": "font",
    ".eot": "font",
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".ico"), "image"),
}
# Formats that are already compressed are sent as they are: their "gzip" size is their raw size.
PRECOMPRESSED = {".woff", ".woff2", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
CSS_URL = re.compile(
    r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)|@import\s+(['"])(?P<imp>[^'"]+)\3"""
)
# Targets for a class page, from the issue.
CLASS_PAGE_LIMIT_BYTES = 30 * 1024
MAX_REQUESTS_BESIDES_PHOTOS = 3


class SubresourceParser(HTMLParser):
    """Collects the URLs a browser fetches to show a page (not links it merely points to)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (url, kind hint)
        self.has_icon = False
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and values.get("href"):
            if "stylesheet" in rel:
                self.found.append((values["href"], "css"))
            elif rel & {"icon", "apple-touch-icon"}:
                self.has_icon = True
                self.found.append((values["href"], "image"))
            elif rel & {"preload", "modulepreload", "manifest", "prefetch"}:
                self.found.append((values["href"], values.get("as") or "other"))
        elif tag == "script" and values.get("src"):
            self.found.append((values["src"], "js"))
        elif tag in {"img", "source", "input"} and (values.get("src") or values.get("srcset")):
            # A browser fetches one candidate of a srcset; src is the fallback every one knows.
            first = values.get("src") or values["srcset"].split(",")[0].split()[0]
            self.found.append((first, "image"))
        elif tag in {"iframe", "embed", "audio", "video", "track"} and values.get("src"):
            self.found.append((values["src"], "other"))
        elif tag == "object" and values.get("data"):
            self.found.append((values["data"], "other"))
        if tag == "video" and values.get("poster"):
            self.found.append((values["poster"], "image"))
        if values.get("style"):
            self.found.extend((url, "css-url") for url in css_urls(values["style"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend((url, "css-url") for url in css_urls(data))


def css_urls(text: str) -> list[str]:
    """url(...) and @import targets in a stylesheet, data: URIs left out (they are inline)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    urls = [m["url"] or m["imp"] for m in CSS_URL.finditer(text)]
    return [url.strip() for url in urls if not url.strip().startswith("data:")]


@dataclass
class Resource:
    """One fetched file: where it is, what kind, how big raw and gzip -9."""

    url: str
    kind: str
    raw: int = 0
    gzip: int = 0
    missing: bool = False


@dataclass
class PageWeight:
    """Everything fetched to show one page."""

    page: str
    resources: list[Resource] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)
    has_icon: bool = False

    def total(self, kinds: tuple[str, ...], attribute: str = "raw") -> int:
        """Bytes (raw or gzip) of the local files of these kinds."""
        return sum(getattr(r, attribute) for r in self.resources if r.kind in kinds)

    @property
    def requests(self) -> int:
        """The HTML, each local subresource and each third-party URL."""
        return len(self.resources) + len(self.third_party)

    @property
    def requests_besides_photos(self) -> int:
        """Requests that are not images."""
        return self.requests - sum(1 for r in self.resources if r.kind == "image")


def kind_of(path: str, hint: str) -> str:
    """File kind from its extension, else from where it was referenced."""
    kind = EXTENSION_KINDS.get(Path(path).suffix.lower())
    if kind:
        return kind
    return hint if hint in KINDS else "other"


def local_file(output: Path, url: str) -> Path:
    """The output file a site-local URL is served from (folder URLs serve index.html)."""
    path = unquote(urlsplit(url).path).lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return output / path


def measure(output: Path, page: str, own_hosts: set[str]) -> PageWeight:
    """Weigh one built page and the local files it pulls in, following CSS url() and @import."""
    weight = PageWeight(page)
    seen: set[str] = set()
    base = f"https://{LOCAL_HOST}/{page}"
    queue: list[tuple[str, str]] = [(base, "html")]
    while queue:
        url, hint = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https", ""}:
            continue
        if parts.netloc not in own_hosts:
            if url not in weight.third_party:
                weight.third_party.append(url)
            continue
        key = parts.path
        if key in seen:
            continue
        seen.add(key)
        file = local_file(output, url)
        kind = "html" if hint == "html" else kind_of(file.name, hint)
        if not file.is_file():
            weight.resources.append(Resource(key, kind, missing=True))
            continue
        data = file.read_bytes()
        packed = data if file.suffix.lower() in PRECOMPRESSED else gzip.compress(data, 9, mtime=0)
        weight.resources.append(Resource(key, kind, len(data), len(packed)))
        if kind == "html":
            parser = SubresourceParser()
            parser.feed(data.decode("utf-8", errors="replace"))
            weight.has_icon = parser.has_icon
            queue.extend((urljoin(url, ref.strip()), ref_kind) for ref, ref_kind in parser.found)
        elif kind == "css":
            text = data.decode("utf-8", errors="replace")
            queue.extend((urljoin(url, ref), "css-url") for ref in css_urls(text))
    return weight


def build_sample(output: Path, cache: Path, now: str) -> dict:
    """Build content/ with the repo's pelicanconf.py; return the settings used."""
    from berbagi.glue import runner  # noqa: PLC0415

    os.environ["BERBAGI_NOW"] = now
    settings = runner.load_settings(
        str(ROOT / "pelicanconf.py"),
        {
            "PATH": str(ROOT / "content"),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            "LOAD_CONTENT_CACHE": False,
        },
    )
    runner.build(settings)
    return settings


def own_hosts_of(settings: dict) -> set[str]:
    """Hosts that are this site: the local stand-in, SITEURL's and the chapter's production one."""
    hosts = {LOCAL_HOST, ""}
    for url in (settings.get("SITEURL"), (settings.get("CHAPTER") or {}).get("site_url")):
        if url:
            hosts.add(urlsplit(url).netloc)
    return hosts


def heaviest_class_page(output: Path) -> str:
    """The class page with the most HTML: the one that decides the class-page target."""
    pages = sorted(output.glob("kelas/*/index.html"), key=lambda p: p.stat().st_size)
    if not pages:
        raise SystemExit("page_weight: the sample site has no class pages under kelas/")
    return pages[-1].relative_to(output).as_posix()


def as_dict(weight: PageWeight) -> dict[str, Any]:
    """JSON form of one page's weight, with totals by kind and the class-page targets."""
    text_kinds = ("html", "css", "js")
    page_bytes = weight.total(text_kinds)
    return {
        "page": weight.page,
        "by_kind": {
            kind: {
                "files": sum(1 for r in weight.resources if r.kind == kind),
                "raw": weight.total((kind,)),
                "gzip": weight.total((kind,), "gzip"),
            }
            for kind in KINDS
        },
        "html_css_js_raw": page_bytes,
        "html_css_js_gzip": weight.total(text_kinds, "gzip"),
        "all_raw": weight.total(KINDS),
        "all_gzip": weight.total(KINDS, "gzip"),
        "requests": weight.requests,
        "requests_besides_photos": weight.requests_besides_photos,
        "third_party": weight.third_party,
        "missing": [r.url for r in weight.resources if r.missing],
        # Without <link rel="icon"> browsers also ask for /favicon.ico on their own.
        "implicit_favicon_request": not weight.has_icon,
        "resources": [vars(r) for r in weight.resources],
        "targets": {
            "html_css_js_under_30kb": page_bytes < CLASS_PAGE_LIMIT_BYTES,
            "no_third_party": not weight.third_party,
            "at_most_3_requests_besides_photos": (
                weight.requests_besides_photos <= MAX_REQUESTS_BESIDES_PHOTOS
            ),
        },
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    """Bytes per kind (raw / gzip -9), requests, third parties, then the class-page verdict."""
    kinds = ("html", "css", "js", "font", "image")
    header = f"{'page':<34}" + "".join(f"{kind + ' raw/gz':>16}" for kind in kinds)
    print(header + f"{'H+C+J raw/gz':>16}{'requests':>9}{'3rd':>5}")
    for row in rows:
        cells = "".join(
            f"{row['by_kind'][k]['raw']:>8,}/{row['by_kind'][k]['gzip']:<7,}" for k in kinds
        )
        total = f"{row['html_css_js_raw']:>8,}/{row['html_css_js_gzip']:<7,}"
        third = len(row["third_party"])
        print(f"{row['page']:<34}{cells}{total}{row['requests']:>9}{third:>5}")
        for url in row["third_party"]:
            print(f"  third-party request: {url}")
        for url in row["missing"]:
            print(f"  referenced but not in the output: {url}")
    for row in rows:
        if row["role"] == "class":
            for name, met in row["targets"].items():
                print(f"class page target {name}: {'met' if met else 'MISSED'}")
            if row["implicit_favicon_request"]:
                print("note: no <link rel=icon>, so browsers also request /favicon.ico")


def main() -> None:
    """Command line: `python bench/page_weight.py [--class-slug SLUG] [--now ISO]`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--class-slug", help="class page to weigh (default: the heaviest)")
    parser.add_argument("--now", default=BENCH_NOW, help="BERBAGI_NOW for the build")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="berbagi-weight-") as scratch:
        output = Path(scratch) / "output"
        settings = build_sample(output, Path(scratch) / "cache", args.now)
        class_page = (
            f"kelas/{args.class_slug}/index.html"
            if args.class_slug
            else heaviest_class_page(output)
        )
        pages = {"home": "index.html", "class": class_page, "archive": "arsip/index.html"}
        hosts = own_hosts_of(settings)
        rows = [
            {"role": role, **as_dict(measure(output, page, hosts))} for role, page in pages.items()
        ]
    print_table(rows)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "now": args.now,
        "plugins": list(settings.get("PLUGINS") or []),
        "pages": rows,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / "page-weight.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written: {path}")


if __name__ == "__main__":
    main()
