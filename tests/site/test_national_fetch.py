"""Fetching one chapter file from a real loopback server: limits, conditional requests, and the
last good copy when the answer is no good."""

from __future__ import annotations

import http.server
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from national_servers import FIXTURES, Behaviour, chapter_folder, closed_port, serving

from berbagi.national import loopback
from berbagi.national.fetch import Garbage, fetch_copy

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)


def as_text(body: bytes) -> str:
    if not body.startswith(b"BEGIN:VCALENDAR"):
        raise Garbage("is not a calendar")
    return body.decode()


def fetch(url: str, cache: Path, now: datetime = NOW, **limits):
    options = {"timeout": 1.0, "max_bytes": 10_000, **limits}
    with httpx.Client() as client:
        return fetch_copy(client, url, cache, "calendar.ics", as_text, now=now, **options)


@pytest.fixture
def chapter(tmp_path):
    folder = chapter_folder(tmp_path / "served", "bandung", FIXTURES / "jakarta_chapter.ics")
    behaviour = Behaviour()
    with serving({"bandung": folder}, behaviour) as base:
        yield f"{base}/bandung/calendar.ics", folder, behaviour


def test_a_second_fetch_sends_the_etag_and_a_304_keeps_the_copy_current(chapter, tmp_path):
    url, _, behaviour = chapter
    first = fetch(url, tmp_path / "cache")
    assert first.fresh and not first.not_modified and first.value.startswith("BEGIN:VCALENDAR")
    later = NOW + timedelta(hours=6)
    second = fetch(url, tmp_path / "cache", now=later)
    assert second.fresh and second.not_modified and second.value == first.value
    assert second.age(later) == timedelta(0)
    assert [r.status for r in behaviour.log] == [200, 304]
    assert behaviour.log[0].if_none_match is None and behaviour.log[1].if_none_match


def test_a_changed_file_replaces_the_copy_and_hands_back_the_previous_one(chapter, tmp_path):
    url, folder, _ = chapter
    fetch(url, tmp_path / "cache")
    (folder / "calendar.ics").write_bytes((FIXTURES / "clashing_uid.ics").read_bytes())
    second = fetch(url, tmp_path / "cache")
    assert "Medan" in second.value and "Bandung" in second.previous


def test_a_file_over_the_size_limit_is_not_read_to_the_end(chapter, tmp_path):
    url, folder, _ = chapter
    fetch(url, tmp_path / "cache", max_bytes=1_000)
    calendar = folder / "calendar.ics"
    calendar.write_bytes(calendar.read_bytes().replace(b"END:VCALENDAR", b"X-PAD:" + b"x" * 5000))
    later = NOW + timedelta(hours=2)
    copy = fetch(url, tmp_path / "cache", now=later, max_bytes=1_000)
    assert copy.problem == "larger than 1,000 bytes; stopped reading"
    assert not copy.fresh and copy.value.startswith("BEGIN:VCALENDAR")  # the last good copy
    assert copy.age(later) == timedelta(hours=2)


class Trickle(http.server.BaseHTTPRequestHandler):
    """Sends a calendar a few bytes a tenth of a second, without a length: never done in time."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.end_headers()
        try:
            self.wfile.write(b"BEGIN:VCALENDAR\r\n")
            for _ in range(40):
                self.wfile.write(b"X-PAD:" + b"x" * 10 + b"\r\n")
                self.wfile.flush()
                time.sleep(0.1)
        except ConnectionError:
            pass


def test_a_server_that_trickles_is_given_up_after_the_time_limit_in_all(tmp_path):
    server = http.server.ThreadingHTTPServer((loopback.LOOPBACK, 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        copy = fetch(
            f"http://127.0.0.1:{server.server_address[1]}/calendar.ics", tmp_path, timeout=0.5
        )
        elapsed = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    assert copy.problem == "no complete answer within 0.5 s" and copy.value is None
    assert elapsed < 2  # each read was quick; the limit is on the whole answer


def test_refused_connections_and_error_statuses_fall_back_to_the_kept_copy(chapter, tmp_path):
    url, folder, _ = chapter
    fetch(url, tmp_path / "cache")
    (folder / "calendar.ics").unlink()
    missing = fetch(url, tmp_path / "cache")
    assert missing.problem == "answered HTTP 404" and missing.value is not None
    refused = fetch(f"http://127.0.0.1:{closed_port()}/calendar.ics", tmp_path / "cache")
    assert refused.problem.startswith("could not be reached (ConnectError")
    assert refused.value is not None  # the copy is the chapter's, whatever its address was
    nothing = fetch(f"http://127.0.0.1:{closed_port()}/calendar.ics", tmp_path / "empty")
    assert nothing.value is None and nothing.confirmed_at is None and nothing.age(NOW) is None
