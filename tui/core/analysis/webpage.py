"""Saved web pages: the article's text and metadata, extracted with trafilatura.

trafilatura (Apache-2.0) scored best among open extractors on its own benchmark (F ~0.91)
and on ScrapingHub's article-extraction benchmark (~0.96). Statement offsets index the text
extracted here, so extraction must be reproducible: the same page bytes give the same text
(no date guessing from today's date, no cross-document de-duplication).

``claimdiff fetch`` also keeps what it extracted beside the page, in ``PAGE.json`` (e.g.
``story.html.json``): the text, the metadata, the URL it was fetched from and the page's
SHA-256. While that hash matches the page, the corpus reads the text from there, so a newer
trafilatura cannot move the offsets annotations point at; a page saved by hand (no
sidecar) is extracted afresh each time, which gives the same text with the same version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

HTML_SUFFIXES = (".html", ".htm")
SIDECAR_SCHEMA = "claimdiff.page/1"

# htmldate's defaults bound dates by today and guess them from the text; both would make the
# same page read differently on another day. Only the page's own markup and URL count here.
_DATE_PARAMS = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": "%Y-%m-%d",
    "max_date": "9999-12-31",
}


@dataclass(frozen=True, slots=True)
class Page:
    """What a web page says about its article."""

    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None


def is_web_url(value: str | None) -> bool:
    """An absolute http(s) URL."""
    if not value or any(c.isspace() for c in value):
        return False
    try:
        parsed = urlparse(value)
        return parsed.scheme in ("http", "https") and bool(parsed.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def extract(html: bytes | str, url: str | None = None) -> Page | None:
    """The article in ``html`` (its main text, title, canonical URL, site, date), or None.

    ``url`` is where the page was fetched from, used when the page names no canonical URL.
    None when no article text can be found (an empty, binary or script-only page).
    """
    # Imported here: trafilatura and lxml take a while to load, and most corpora are text.
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        deduplicate=False,
        date_extraction_params=dict(_DATE_PARAMS),
    )
    if doc is None or isinstance(doc, dict):
        return None
    text = (doc.text or "").strip()
    if not text:
        return None
    page_url = doc.url if is_web_url(doc.url) else url if is_web_url(url) else None
    source = (doc.sitename or "").strip() or None
    if source is None and page_url:
        # A page without a site name is still somebody's: name it by its host.
        source = urlparse(page_url).hostname
    return Page(
        text=text,
        title=(doc.title or "").strip() or None,
        url=page_url,
        source=source,
        published=doc.date or None,
    )


def sidecar_path(page: Path) -> Path:
    """Where the text extracted from ``page`` is kept: ``PAGE.json`` beside it."""
    return page.with_name(page.name + ".json")


def sidecar(page: Page, sha256: str, fetched_from: str, fetched_at: str) -> str:
    """The sidecar document for a page whose bytes hash to ``sha256``."""
    doc: dict[str, Any] = {
        "schema": SIDECAR_SCHEMA,
        "fetched_from": fetched_from,
        "fetched_at": fetched_at,
        "sha256": sha256,
        "url": page.url,
        "title": page.title,
        "source": page.source,
        "published": page.published,
        "text": page.text,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def read_sidecar(page_path: Path, sha256: str) -> Page | None:
    """The page as its sidecar recorded it, when there is one for exactly these bytes."""
    try:
        doc = json.loads(sidecar_path(page_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("schema") != SIDECAR_SCHEMA:
        return None
    if doc.get("sha256") != sha256 or not isinstance(doc.get("text"), str):
        return None

    def field(key: str) -> str | None:
        value = doc.get(key)
        return value if isinstance(value, str) and value else None

    url = field("url")
    return Page(
        text=doc["text"],
        title=field("title"),
        url=url if is_web_url(url) else None,
        source=field("source"),
        published=field("published"),
    )
