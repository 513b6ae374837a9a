"""Folders served on the loopback address, like a static host serves a chapter site: ETag and
Last-Modified, 304 for a copy that is still current. For the sample, the benchmark and tests."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import mimetypes
import sys
import threading
from collections.abc import Iterator, Mapping
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

LOOPBACK = "127.0.0.1"
TYPES = {".ics": "text/calendar; charset=utf-8", ".xml": "application/atom+xml; charset=utf-8"}


class FolderHandler(http.server.BaseHTTPRequestHandler):
    """GET /<prefix>/<path> from the folder mapped to <prefix>; quiet."""

    folders: Mapping[str, Path] = {}
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def file_for(self) -> Path | None:
        """The file the request names, or None (outside every folder, or missing)."""
        path = unquote(urlsplit(self.path).path).lstrip("/")
        prefix, _, rest = path.partition("/")
        folder = self.folders.get(prefix)
        if folder is None:
            return None
        root = folder.resolve()
        target = (root / rest).resolve()
        if rest.endswith("/") or not rest:
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return target

    def send_body(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        target = self.file_for()
        if target is None:
            self.send_body(404, b"not found\n", {"Content-Type": "text/plain"})
            return
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        modified = target.stat().st_mtime
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(modified, usegmt=True),
            "Content-Type": TYPES.get(target.suffix)
            or mimetypes.guess_type(target.name)[0]
            or "application/octet-stream",
        }
        if self._still_current(etag, modified):
            self.send_response(304)
            for name in ("ETag", "Last-Modified"):
                self.send_header(name, headers[name])
            self.end_headers()
            return
        self.send_body(200, body, headers)

    do_HEAD = do_GET

    def _still_current(self, etag: str, modified: float) -> bool:
        asked = self.headers.get("If-None-Match")
        if asked is not None:
            return etag in [tag.strip() for tag in asked.split(",")] or asked.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            with contextlib.suppress(TypeError, ValueError, IndexError):
                return int(modified) <= parsedate_to_datetime(since).timestamp()
        return False


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a fetch past its time limit) is no error of the server's.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(
    folders: Mapping[str, Path],
    port: int = 0,
    handler: type[FolderHandler] = FolderHandler,
) -> Iterator[str]:
    """Serve `folders` (prefix -> folder) from a thread; yields the base URL, no slash at the end.
    Port 0: any free port."""
    bound = type("BoundHandler", (handler,), {"folders": dict(folders)})
    server = _QuietServer((LOOPBACK, port), bound)
    thread = threading.Thread(target=server.serve_forever, name="loopback", daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
