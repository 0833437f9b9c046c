"""'claimdiff fetch' against a local HTTP server on 127.0.0.1: pages saved whole, failures named."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.cli import main
from tui.core.analysis.corpus import load_corpus
from tui.core.fetch import page_name, read_url_list

PAGE = (ROOT / "tests" / "data" / "web" / "gazette-flood.html").read_bytes()
BARE = (ROOT / "tests" / "data" / "web" / "bare-flood.html").read_bytes()


class _Handler(BaseHTTPRequestHandler):
    release: threading.Event

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, code: int, kind: str, body: bytes, length: bool = True) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        html = "text/html; charset=utf-8"
        if self.path == "/news/flood-toll.html":
            self._send(200, html, PAGE)
        elif self.path == "/other/flood-toll":
            self._send(200, html, BARE)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/news/flood-toll.html")
            self.end_headers()
        elif self.path == "/slow":
            self.release.wait()  # answers only once the test is over
        elif self.path == "/big":
            self._send(200, html, b"<html><body>" + b"<p>Padding text.</p>" * 2000, length=False)
        elif self.path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif self.path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.send_header("Content-Length", "900")
            self.end_headers()
            self.wfile.write(PAGE[:100])  # and the connection closes
            self.close_connection = True
        elif self.path == "/report.pdf":
            self._send(200, "application/pdf", b"%PDF-1.7 not a page")
        elif self.path == "/menu-only":
            self._send(200, html, b"<html><head><title>Menu</title></head><body></body></html>")
        else:
            self._send(404, "text/plain", b"not found")


@pytest.fixture()
def server() -> Iterator[str]:
    release = threading.Event()
    handler = type("Handler", (_Handler,), {"release": release})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_a_page_is_saved_with_its_text_and_read_as_an_article(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "corpus"
    url = f"{server}/news/flood-toll.html"
    assert main(["fetch", url, "-o", str(out)]) == 0
    assert "saved as" in capsys.readouterr().out
    assert _files(out) == ["127.0.0.1_flood-toll.html", "127.0.0.1_flood-toll.html.json"]
    page = out / "127.0.0.1_flood-toll.html"
    assert page.read_bytes() == PAGE  # the page as served
    meta = json.loads((out / "127.0.0.1_flood-toll.html.json").read_text(encoding="utf-8"))
    assert meta["fetched_from"] == url and meta["source"] == "Riverside Gazette"
    article = load_corpus([out]).articles[0]
    assert article.text == meta["text"] and "rose to 42 on Saturday" in article.text
    # The page's canonical link says where it was published, not where it was fetched.
    assert article.url == "https://gazette.example.org/news/2026/03/flood-toll"
    assert article.published == "2026-03-14"


def test_nothing_is_overwritten(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "corpus"
    url = f"{server}/news/flood-toll.html"
    assert main(["fetch", url, "-o", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert main(["fetch", url, "-o", str(out)]) == 0
    assert "already saved" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # Another page that would take the same name gets its own.
    assert main(["fetch", f"{server}/other/flood-toll", "-o", str(out)]) == 0
    assert "127.0.0.1_flood-toll-2.html" in _files(out)
    assert {n: (out / n).read_bytes() for n in before} == before
    # A page saved by hand under that name is not replaced either.
    hand = tmp_path / "hand"
    hand.mkdir()
    (hand / "127.0.0.1_flood-toll.html").write_text("<p>My own copy.</p>")
    assert main(["fetch", url, "-o", str(hand)]) == 0
    assert (hand / "127.0.0.1_flood-toll.html").read_text() == "<p>My own copy.</p>"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404 Not Found"),
        ("/slow", "timed out after 0.5 s"),
        ("/big", "too large (over 1 kB, the limit)"),
        ("/big-declared", "too large (50.0 MB; the limit is 1 kB)"),
        ("/report.pdf", "not an HTML page (content type application/pdf)"),
        ("/truncated", "the connection closed before the page was complete"),
        ("/menu-only", "no article text found in the page"),
    ],
)
def test_each_failure_is_one_clear_line_and_leaves_no_file(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, message: str
) -> None:
    out = tmp_path / "corpus"
    limits = ["--timeout", "0.5", "--max-size", str(1 / 1024)]
    assert main(["fetch", f"{server}{path}", "-o", str(out), *limits]) == 1
    err = capsys.readouterr().err
    assert f"claimdiff: error: {server}{path}: {message}" in err
    assert "Traceback" not in err
    assert _files(out) == []  # no partial page, no temporary file


def test_a_list_of_urls_goes_on_past_failures(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"# flood coverage\n{server}/missing\n\n{server}/moved\nftp://example.org/x\n",
        encoding="utf-8",
    )
    out = tmp_path / "corpus"
    assert main(["fetch", "-i", str(listing), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "HTTP 404" in captured.err and "ftp://example.org/x: not an http(s) URL" in captured.err
    assert "1 of 3 pages" in captured.err
    assert _files(out) == ["127.0.0.1_moved.html", "127.0.0.1_moved.html.json"]


def test_unreachable_and_malformed_urls_are_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "corpus"
    assert main(["fetch", f"http://127.0.0.1:{port}/x", "http://[::1/x", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}/x: cannot connect (Connection refused)" in err
    assert "http://[::1/x: not an http(s) URL" in err and "Traceback" not in err
    assert _files(out) == []


def test_bad_invocations_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch", "-o", str(tmp_path)]) == 2
    assert "no URL given" in capsys.readouterr().err
    assert main(["fetch", "-i", str(tmp_path / "none.txt"), "-o", str(tmp_path)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_url_lists_and_names() -> None:
    assert read_url_list("# c\n\n https://a.example/x \n") == ["https://a.example/x"]
    assert page_name("https://www.bbc.co.uk/news/world-123.html") == "bbc.co.uk_world-123"
    assert page_name("https://example.org/") == "example.org_index"
    assert page_name("https://example.org/a%20b?q=1") == "example.org_a-b"


def test_pages_are_saved_where_hard_links_are_not_supported(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: str, dst: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr("tui.core.fetch.os.link", no_links)
    out = tmp_path / "corpus"
    assert main(["fetch", f"{server}/news/flood-toll.html", "-o", str(out)]) == 0
    assert _files(out) == ["127.0.0.1_flood-toll.html", "127.0.0.1_flood-toll.html.json"]
    assert (out / "127.0.0.1_flood-toll.html").read_bytes() == PAGE
    assert main(["fetch", f"{server}/news/flood-toll.html", "-o", str(out)]) == 0
    assert len(_files(out)) == 2


def test_urls_can_come_from_standard_input(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{server}/news/flood-toll.html\n"))
    out = tmp_path / "corpus"
    assert main(["fetch", "-i", "-", "-o", str(out)]) == 0
    assert "127.0.0.1_flood-toll.html" in _files(out)
