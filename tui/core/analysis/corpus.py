"""Loading a corpus: a directory of articles, or a list of files.

Articles are plain text or Markdown (``.txt``, ``.md``) or saved web pages (``.html``,
``.htm``). A web page's article is the text trafilatura extracts from it, with its title,
canonical URL, site name and date (or what ``claimdiff fetch`` kept beside it; see
``webpage``). A text or Markdown file may open with
YAML front matter between ``---`` lines; its ``url``, ``source``, ``published`` and
``title`` keys are read and the article's text is what follows the closing line, so
statement offsets index ``Article.text`` (the body), not the file.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.core.analysis.segment import is_boilerplate
from tui.core.analysis.webpage import HTML_SUFFIXES, extract, is_web_url, read_sidecar
from tui.core.model import Article

TEXT_SUFFIXES = (".txt", ".md")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
FRONT_MATTER_KEYS = ("url", "source", "published", "title")
TITLE_MAX = 100  # characters


class CorpusError(Exception):
    """The corpus cannot be read at all; the message is one line for the user."""


@dataclass(slots=True)
class Corpus:
    """The articles that were read, and a warning for each file that was skipped."""

    articles: list[Article]
    warnings: list[str] = field(default_factory=list)
    root: Path | None = None


def _decode(data: bytes, path: Path) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16; raise ValueError for anything else."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Windows editors save "Unicode" text this way; its NUL bytes are not binary.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: broken UTF-16 text (byte {exc.start}), skipped") from None
    if b"\x00" in data[:8192]:
        raise ValueError(f"{path}: binary file, skipped")
    try:
        # CRLF is kept: offsets must index the decoded text exactly as other tools read it.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start}), skipped") from None


def decoded_text(path: Path) -> str | None:
    """A text or Markdown file's whole decoded text (front matter included), None if unreadable."""
    try:
        return _decode(path.read_bytes(), path)
    except (OSError, ValueError):
        return None


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split YAML front matter from a text: its ``key: value`` pairs, and the body after it.

    Only flat ``key: value`` lines are read (quotes stripped, ``#`` comments skipped), which
    is all the article keys need; a text that does not open with a closed ``---`` block has
    no front matter and is returned whole.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return {}, text
    fields: dict[str, str] = {}
    offset = len(lines[0])
    for line in lines[1:]:
        offset += len(line)
        stripped = line.strip()
        if stripped in ("---", "..."):
            return fields, text[offset:]
        if not stripped or stripped.startswith("#") or ":" not in stripped:
            continue
        key, _, value = stripped.partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        if value:
            fields[key.strip().lower()] = value
    return {}, text  # never closed: a Markdown rule, not front matter


def _read_article(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    """The article's text and metadata; ValueError (one line) when there is none."""
    if path.suffix.lower() in HTML_SUFFIXES:
        page = read_sidecar(path, hashlib.sha256(data).hexdigest())
        if page is None:
            try:
                page = extract(data)
            except Exception:  # a malformed page must be skipped, not stop the whole corpus
                page = None
        if page is None:
            raise ValueError(f"{path}: no article text found in this web page, skipped")
        found = {
            "url": page.url,
            "source": page.source,
            "published": page.published,
            "title": page.title,
        }
        return page.text, {k: v for k, v in found.items() if v}
    fields, body = front_matter(_decode(data, path))
    meta = {k: fields[k] for k in FRONT_MATTER_KEYS if k in fields}
    if "url" in meta and not is_web_url(meta["url"]):
        del meta["url"]  # exports name the article by it: it must be a real http(s) URL
    return body, meta


def _title(text: str, fallback: str) -> str:
    """The first line that is not site furniture, without Markdown's '#'."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if not is_boilerplate(line):
            return _shorten(line.lstrip("#").strip() or line)
    return _shorten(lines[0]) if lines else fallback


def _shorten(line: str) -> str:
    # Stories without a headline start with their lead paragraph: keep its opening words.
    if len(line) <= TITLE_MAX:
        return line
    cut = line.rfind(" ", 0, TITLE_MAX)
    return line[: cut if cut > 0 else TITLE_MAX].rstrip(" ,;:") + "…"


def _article_id(path: Path, taken: set[str]) -> str:
    base = path.stem or path.name
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _distinct_files(articles: list[Article]) -> list[Article]:
    """Name files that share a base name ("bbc/story.txt", "cnn/story.txt") by their path.

    Annotations find their article by this name; two articles must never share it.
    """
    counts = Counter(a.path.name for a in articles)
    if all(n == 1 for n in counts.values()):
        return articles
    base = Path(os.path.commonpath([a.path.resolve().parent for a in articles]))
    return [
        replace(a, file=a.path.resolve().relative_to(base).as_posix())
        if counts[a.path.name] > 1
        else a
        for a in articles
    ]


def _expand(paths: Sequence[Path], recursive: bool) -> tuple[list[Path], Path | None]:
    files: list[Path] = []
    root: Path | None = None
    for path in paths:
        if not path.exists():
            raise CorpusError(f"{path}: no such file or directory")
        if path.is_dir():
            root = root or path
            pattern = "**/*" if recursive else "*"
            found = sorted(
                p for p in path.glob(pattern) if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                raise CorpusError(f"{path}: no .txt, .md or .html files in this directory")
            files.extend(found)
        else:
            root = root or path.parent
            files.append(path)
    return files, root


def load_corpus(paths: Iterable[Path | str], recursive: bool = False) -> Corpus:
    """Read the articles under ``paths``; raise CorpusError when none can be read."""
    path_list = [Path(p) for p in paths]
    if not path_list:
        raise CorpusError("no corpus given")
    files, root = _expand(path_list, recursive)
    articles: list[Article] = []
    warnings: list[str] = []
    taken: set[str] = set()
    seen_files: set[Path] = set()
    for path in files:
        resolved = path.resolve()
        if resolved in seen_files:
            continue
        seen_files.add(resolved)
        try:
            data = path.read_bytes()
        except OSError as exc:
            warnings.append(f"{path}: cannot be read ({exc.strerror}), skipped")
            continue
        try:
            text, meta = _read_article(path, data)
        except ValueError as exc:
            warnings.append(str(exc))
            continue
        if not text.strip():
            warnings.append(f"{path}: empty file, skipped")
            continue
        articles.append(
            Article(
                id=_article_id(path, taken),
                path=path,
                title=_shorten(meta["title"]) if "title" in meta else _title(text, path.stem),
                sha256=hashlib.sha256(data).hexdigest(),
                text=text,
                url=meta.get("url"),
                source=meta.get("source"),
                published=meta.get("published"),
            )
        )
    if not articles:
        detail = "; ".join(warnings) if warnings else "nothing to read"
        raise CorpusError(f"no readable articles ({detail})")
    articles = _distinct_files(articles)
    if len(articles) < 2:
        warnings.append("only one article: every claim is unique")
    return Corpus(articles=articles, warnings=warnings, root=root)
