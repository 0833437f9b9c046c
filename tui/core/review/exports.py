"""Reviewed claim sets in the formats fact-checkers and annotation tools read.

One record per reviewed claim (every reviewer's tag and note on it), then one writer per
format: json, jsonl, csv, markdown, W3C Web Annotation JSON-LD and schema.org ClaimReview.
The tags rate how the *sources agree*, not whether the claim is true; the ClaimReview
export says so in every rating.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlparse

from tui.core.analysis.corpus import TEXT_SUFFIXES, decoded_text
from tui.core.model import Analysis, Article, Claim, Statement
from tui.core.review.annotations import CONTEXT, AnnotationStore

FORMATS = ("json", "jsonl", "csv", "markdown", "w3c", "claimreview")
EXPORT_SCHEMA = "claimdiff.export/1"
RATING_NOTE = (
    "claimdiff tags rate agreement between the sources reviewed (confirmed: the sources "
    "agree; disputed: they disagree; unique: one source only), not the truth of the claim."
)


def _statement(analysis: Analysis, sid: str, files: dict[str, tuple[str, int]]) -> dict[str, Any]:
    s = analysis.statement(sid)
    article = analysis.article(s.article)
    out: dict[str, Any] = {
        "id": s.id,
        "file": article.file,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "published": article.published,
        "text": s.text,
        "start": s.start,
        "end": s.end,
        "prefix": article.text[max(0, s.start - CONTEXT) : s.start],
        "suffix": article.text[s.end : s.end + CONTEXT],
    }
    out["target"] = _target(article, s, files)
    return out


def _target(article: Article, s: Statement, files: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """How a W3C target names a statement: the source's IRI, and where it is in its text.

    The source is the article's URL where known; the offsets then index the article's text.
    Otherwise it is the file's IRI, and the offsets index the file's decoded text, so they
    count the front matter before the article's text too.
    """
    if article.url:
        text, offset, source = article.text, 0, article.url
    else:
        source = article.path.resolve().as_uri()
        if article.id not in files:
            whole = None
            if article.path.suffix.lower() in TEXT_SUFFIXES:
                whole = decoded_text(article.path)
            if whole is not None and whole.endswith(article.text):
                files[article.id] = (whole, len(whole) - len(article.text))
            else:  # a web page, or a file changed since: the text claimdiff read
                files[article.id] = (article.text, 0)
        text, offset = files[article.id]
    start, end = s.start + offset, s.end + offset
    return {
        "source": source,
        "start": start,
        "end": end,
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
    }


def records(
    analysis: Analysis,
    reviews: Iterable[AnnotationStore],
    statuses: Iterable[str] = (),
    tags: Iterable[str] = (),
    reviewers: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Every claim some reviewer tagged or annotated, with its sources and reviews."""
    want_status, want_tag, want_reviewer = set(statuses), set(tags), set(reviewers)
    stores = [r for r in reviews if not want_reviewer or r.reviewer in want_reviewer]
    out = []
    files: dict[str, tuple[str, int]] = {}
    for claim in analysis.claims:
        if want_status and claim.status.value not in want_status:
            continue
        entries = []
        for store in stores:
            a = store.for_claim(claim.id)
            if a is None or (a.tag is None and not a.note):
                continue
            if want_tag and (a.tag or "none") not in want_tag:
                continue
            entries.append(
                {
                    "reviewer": store.reviewer,
                    "tag": a.tag,
                    "note": a.note,
                    "created": a.created,
                    "modified": a.modified,
                    "anchor": a.anchor,
                }
            )
        if entries:
            out.append(_record(analysis, claim, entries, files))
    return out


def _record(
    analysis: Analysis,
    claim: Claim,
    reviews: list[dict[str, Any]],
    files: dict[str, tuple[str, int]],
) -> dict[str, Any]:
    return {
        "claim": claim.id,
        "status": claim.status.value,
        "sources": len(analysis.sources_of(claim)),
        "statements": [_statement(analysis, sid, files) for sid in claim.statements],
        "divergences": [
            {"kind": d.kind.value, "statements": list(d.statements), "detail": d.detail}
            for d in claim.divergences
        ],
        "reviews": reviews,
    }


def to_json(rows: list[dict[str, Any]]) -> str:
    """One JSON document holding every record."""
    doc = {"schema": EXPORT_SCHEMA, "claims": rows}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_jsonl(rows: list[dict[str, Any]]) -> str:
    """One record per line."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


CSV_COLUMNS = [
    "claim",
    "status",
    "sources",
    "reviewer",
    "tag",
    "note",
    "created",
    "modified",
    "divergences",
    "statements",
]


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One row per claim and reviewer; multi-line cells are quoted."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for r in rows:
        statements = "\n".join(f"{s['file']}: {s['text']}" for s in r["statements"])
        divergences = "; ".join(f"{d['kind']}: {d['detail']}" for d in r["divergences"])
        for review in r["reviews"]:
            writer.writerow(
                {
                    "claim": r["claim"],
                    "status": r["status"],
                    "sources": r["sources"],
                    "reviewer": review["reviewer"],
                    "tag": review["tag"] or "",
                    "note": review["note"],
                    "created": review["created"],
                    "modified": review["modified"],
                    "divergences": divergences,
                    "statements": statements,
                }
            )
    return buf.getvalue()


def to_markdown(rows: list[dict[str, Any]]) -> str:
    """A review report grouped by tag, with sources, divergences and notes."""
    lines = ["# claimdiff review report", "", f"_{RATING_NOTE}_", ""]
    groups: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for r in rows:
        for review in r["reviews"]:
            groups.setdefault(review["tag"] or "untagged", []).append((r, review))
    for tag in ("confirmed", "disputed", "unique", "untagged"):
        items = groups.get(tag, [])
        if not items:
            continue
        lines += [f"## {tag.capitalize()} ({len(items)})", ""]
        for r, review in items:
            first = r["statements"][0]["text"].replace("\n", " ")
            lines.append(f"### {first}")
            lines.append("")
            lines.append(
                f"Claim `{r['claim']}` · {r['status']} · {r['sources']} source(s) · "
                f"reviewer **{review['reviewer']}** · {review['modified']}"
            )
            lines.append("")
            for s in r["statements"]:
                lines.append(f"- *{s['title']}* ({_where(s)}): {s['text']}")
            for d in r["divergences"]:
                lines.append(f"- ≠ **{d['kind']}**: {d['detail']}")
            if review["note"]:
                lines += ["", "> " + review["note"].replace("\n", "\n> ")]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _where(s: dict[str, Any]) -> str:
    """Where a statement appeared, for a reader: publisher (linked), date, else the file."""
    label = s["source"] or f"`{s['file']}`"
    where = f"[{label}]({s['url']})" if s["url"] else label
    return f"{where}, {s['published']}" if s["published"] else where


def to_w3c(rows: list[dict[str, Any]]) -> str:
    """W3C Web Annotation JSON-LD: an AnnotationCollection, one annotation per claim and reviewer.

    Each target's ``source`` is the article's URL where the page or its front matter gives
    one, else the article file's ``file:`` IRI; the selectors index the text claimdiff read
    from it (for a saved web page: the text extracted from it).
    """
    return _w3c(rows)[0]


def _w3c(rows: list[dict[str, Any]]) -> tuple[str, int]:
    items = [_annotation(r, review) for r in rows for review in r["reviews"]]
    # The collection's id is its content's digest: the same review gives the same export.
    digest = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()
    collection: dict[str, Any] = {
        "@context": W3C_CONTEXT,
        "id": f"urn:sha256:{digest}",
        "type": "AnnotationCollection",
        "label": "claimdiff review",
        "total": len(items),
    }
    if items:
        collection["first"] = {
            "@context": W3C_CONTEXT,
            "id": f"urn:sha256:{digest}:page:0",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n", len(items)


def _annotation(r: dict[str, Any], review: dict[str, Any]) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if review["tag"]:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": review["tag"]})
    if review["note"]:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": review["note"],
                "format": "text/plain",
            }
        )
    return {
        "@context": W3C_CONTEXT,
        "id": f"urn:claimdiff:{quote(r['claim'], safe='')}:{quote(review['reviewer'], safe='')}",
        "type": "Annotation",
        "motivation": "assessing",
        "creator": {"type": "Person", "nickname": review["reviewer"]},
        "created": review["created"],
        "modified": review["modified"],
        "body": body,
        "target": [
            {
                "source": s["target"]["source"],
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": s["text"],
                        "prefix": s["target"]["prefix"],
                        "suffix": s["target"]["suffix"],
                    },
                    {
                        "type": "TextPositionSelector",
                        "start": s["target"]["start"],
                        "end": s["target"]["end"],
                    },
                ],
            }
            for s in r["statements"]
        ],
    }


# Google's guidance: a claimReviewed longer than this wraps on a phone.
CLAIM_MAX = 75
# The tags on a numeric scale from least to best corroborated by the sources.
RATINGS = {
    "disputed": (1, "Disputed: the sources disagree"),
    "unique": (2, "Unique: only one source says so"),
    "confirmed": (3, "Confirmed: the sources agree"),
}


def shorten(text: str, limit: int = CLAIM_MAX) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis to at most ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    head = flat[: cut if cut > 0 else limit - 1].rstrip(" ,;:.-–—")
    return head + "…"


def to_claimreview(rows: list[dict[str, Any]], options: ExportOptions | None = None) -> str:
    """schema.org ClaimReview JSON-LD, one per reviewed claim and reviewer with a tag."""
    return _claimreview(rows, options or ExportOptions())[0]


def _claimreview(rows: list[dict[str, Any]], options: ExportOptions) -> tuple[str, int]:
    items = []
    for r in rows:
        for review in r["reviews"]:
            if review["tag"] in RATINGS:
                items.append(_review(r, review, options))
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n", len(items)


def _review(r: dict[str, Any], review: dict[str, Any], options: ExportOptions) -> dict[str, Any]:
    value, verdict = RATINGS[review["tag"]]
    claim_text = r["statements"][0]["text"]
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": shorten(claim_text),
    }
    if options.site_url:
        anchor = f"claim-{quote(r['claim'], safe='')}-{quote(review['reviewer'], safe='')}"
        item["url"] = f"{options.site_url}#{anchor}"
    item["reviewRating"] = {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": max(v for v, _ in RATINGS.values()),
        "worstRating": min(v for v, _ in RATINGS.values()),
        "name": review["tag"],
        "alternateName": verdict,
        "ratingExplanation": RATING_NOTE,
    }
    item["itemReviewed"] = _claim(r["statements"], claim_text)
    if options.author:
        item["author"] = {"@type": "Organization", "name": options.author}
    else:
        item["author"] = {"@type": "Person", "name": review["reviewer"]}
    # The review's own date, not the export's: the same annotations give the same file.
    item["datePublished"] = review["modified"][:10]
    if review["note"]:
        item["reviewBody"] = review["note"]
    return item


def _claim(statements: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """The Claim: where it appeared (articles with a URL), who said it, and when first."""
    claim: dict[str, Any] = {"@type": "Claim", "text": " ".join(text.split())}
    appearances: list[dict[str, Any]] = []
    authors: dict[str, dict[str, str]] = {}
    for s in statements:
        publisher = s["source"] or (urlparse(s["url"]).hostname if s["url"] else None)
        if publisher:
            authors.setdefault(publisher, {"@type": "Organization", "name": publisher})
        if not s["url"] or any(a["url"] == s["url"] for a in appearances):
            continue
        work: dict[str, Any] = {"@type": "CreativeWork", "url": s["url"], "headline": s["title"]}
        if publisher:
            work["publisher"] = {"@type": "Organization", "name": publisher}
        if s["published"]:
            work["datePublished"] = s["published"]
        appearances.append(work)
    if appearances:
        claim["appearance"] = appearances
        dated = [a for a in appearances if "datePublished" in a]
        if dated:
            first = min(dated, key=lambda a: str(a["datePublished"]))
            claim["firstAppearance"] = first
            claim["datePublished"] = first["datePublished"]
    if authors:
        claim["author"] = list(authors.values())
    return claim


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What some formats need beyond the reviews: where the reviews are published, by whom."""

    # The page that will host the reviews (ClaimReview ``url``, required by Google).
    site_url: str | None = None
    # The organisation publishing the reviews; default: each reviewer, as a Person.
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Export:
    """An export's text and how many items (claims, rows, annotations, reviews) it holds."""

    text: str
    count: int
    unit: str  # singular: "claim", "row", "annotation", "ClaimReview"

    @property
    def summary(self) -> str:
        """ "3 ClaimReviews", "1 claim": what was written."""
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


def export(fmt: str, rows: list[dict[str, Any]], options: ExportOptions | None = None) -> Export:
    """The records in format ``fmt`` (one of FORMATS), with the count of what was written."""
    opts = options or ExportOptions()
    if fmt == "w3c":
        text, n = _w3c(rows)
        return Export(text, n, "annotation")
    if fmt == "claimreview":
        text, n = _claimreview(rows, opts)
        return Export(text, n, "ClaimReview")
    if fmt == "csv":
        return Export(to_csv(rows), sum(len(r["reviews"]) for r in rows), "row")
    if fmt == "markdown":
        return Export(to_markdown(rows), sum(len(r["reviews"]) for r in rows), "review")
    simple: dict[str, Callable[[list[dict[str, Any]]], str]] = {"json": to_json, "jsonl": to_jsonl}
    return Export(simple[fmt](rows), len(rows), "claim")


def render(fmt: str, rows: list[dict[str, Any]], options: ExportOptions | None = None) -> str:
    """The records in format ``fmt`` (one of FORMATS)."""
    return export(fmt, rows, options).text


def file_text(fmt: str, text: str) -> str:
    """What goes into an export file: a CSV starts with a byte-order mark.

    Excel reads a CSV without one in the local code page, turning "£5m" into "Â£5m";
    other spreadsheets and csv readers (encoding "utf-8-sig") skip it.
    """
    return "\ufeff" + text if fmt == "csv" else text
