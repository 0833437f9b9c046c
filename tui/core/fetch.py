"""Fetching web pages into a corpus: the page, and beside it what was extracted from it.

Each URL becomes ``NAME.html`` (the bytes as served) and ``NAME.html.json`` (the text,
title, URL, site and date extracted from them, see ``analysis.webpage``). Nothing is left
half-written: both files are written to temporary names and linked into place, and an
existing article is never replaced (the same URL again is reported as already there; a
different URL that would take the same name gets ``NAME-2``). Only the standard library's
urllib talks to the network.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urlparse

from tui import __version__
from tui.core.analysis.webpage import extract, is_web_url, read_sidecar, sidecar, sidecar_path

DEFAULT_TIMEOUT = 20.0  # seconds, for the whole download
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
NAME_MAX = 80
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What became of one URL: saved at ``path``, or why not (``error``, one line)."""

    url: str
    path: Path | None = None
    title: str | None = None
    error: str | None = None
    existed: bool = False

    @property
    def ok(self) -> bool:
        """The page is in the corpus (saved now, or already there)."""
        return self.error is None


class FetchError(Exception):
    """One URL could not be fetched; the message is one line for the user."""


def read_url_list(text: str) -> list[str]:
    """The URLs in a list file: one a line; blank lines and ``#`` comments skipped."""
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line)
    return urls


def page_name(url: str) -> str:
    """A file name stem for ``url``: its host and the last part of its path, made safe."""
    parsed = urlparse(url)
    last = unquote(parsed.path.rstrip("/").rsplit("/", 1)[-1]) or "index"
    last = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", last, flags=re.IGNORECASE) or "index"
    host = (parsed.hostname or "page").removeprefix("www.")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{host}_{last}").strip("-.") or "page"
    return stem[:NAME_MAX].rstrip("-.")


def download(
    url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes, str]:
    """The page at ``url`` and the URL it was finally served from; FetchError otherwise."""
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"claimdiff/{__version__}",
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            headers: Message = r.headers
            kind = headers.get_content_type()
            if kind not in HTML_TYPES:
                raise FetchError(f"not an HTML page (content type {kind})")
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                said = _size(int(length))
                raise FetchError(f"too large ({said}; the limit is {_size(max_bytes)})")
            chunks: list[bytes] = []
            size = 0
            while chunk := r.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"too large (over {_size(max_bytes)}, the limit)")
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {timeout:g} s")
                chunks.append(chunk)
            if length and length.isdigit() and size < int(length):
                # http.client returns what came when the server hangs up early.
                raise http.client.IncompleteRead(b"", int(length) - size)
            return b"".join(chunks), str(r.geturl())
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(f"timed out after {timeout:g} s") from None
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) else exc.reason
        raise FetchError(f"cannot connect ({reason or exc.reason})") from None
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except http.client.IncompleteRead:
        raise FetchError("the connection closed before the page was complete") from None
    except (OSError, http.client.HTTPException) as exc:  # the connection dropped mid-way
        detail = getattr(exc, "strerror", None) or type(exc).__name__
        raise FetchError(f"download failed ({detail})") from None
    except ValueError as exc:  # http.client refuses the URL (control characters, bad port)
        raise FetchError(f"not a usable URL ({exc})") from None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


def _place(directory: Path, name: str, data: bytes) -> None:
    """Write ``directory/name`` whole or not at all, and never over an existing file."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # link() fails when the name is taken, where replace() would overwrite it.
        try:
            os.link(tmp, directory / name)
        except FileExistsError:
            raise
        except OSError:
            # A file system without hard links (FAT, some network shares): check, then move.
            if (directory / name).exists():
                raise FileExistsError(name) from None
            os.replace(tmp, directory / name)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _target(directory: Path, url: str) -> tuple[Path, bool]:
    """Where ``url``'s page goes, and whether it is already there (same URL, saved before)."""
    stem = page_name(url)
    n = 1
    while True:
        path = directory / (f"{stem}.html" if n == 1 else f"{stem}-{n}.html")
        if not path.exists() and not sidecar_path(path).exists():
            return path, False
        try:
            saved = read_sidecar(path, hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:
            saved = None
        if saved is not None and _fetched_from(path) == url:
            return path, True
        n += 1


def _fetched_from(path: Path) -> str | None:
    try:
        doc = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = doc.get("fetched_from") if isinstance(doc, dict) else None
    return value if isinstance(value, str) else None


def fetch(
    url: str, directory: Path, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
) -> FetchResult:
    """Fetch one page into ``directory`` (which must exist); never raises for a bad URL."""
    if not is_web_url(url):
        return FetchResult(url, error="not an http(s) URL")
    path, existed = _target(directory, url)
    if existed:
        return FetchResult(url, path=path, existed=True)
    try:
        data, final_url = download(url, timeout, max_bytes)
    except FetchError as exc:
        return FetchResult(url, error=str(exc))
    try:
        page = extract(data, url=final_url)
    except Exception:  # a malformed page is this URL's failure, not the whole run's
        page = None
    if page is None:
        return FetchResult(url, error="no article text found in the page")
    stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    meta = sidecar(page, hashlib.sha256(data).hexdigest(), url, stamp)
    try:
        # The sidecar first: a page is only ever in the corpus with its text beside it.
        _place(directory, sidecar_path(path).name, meta.encode("utf-8"))
        try:
            _place(directory, path.name, data)
        except OSError:
            sidecar_path(path).unlink(missing_ok=True)
            raise
    except FileExistsError:
        return FetchResult(url, error=f"{path.name} appeared while fetching; not overwritten")
    except OSError as exc:
        return FetchResult(url, error=f"cannot write {path} ({exc.strerror})")
    return FetchResult(url, path=path, title=page.title)
