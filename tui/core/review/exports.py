"""Reviewed claim sets in the formats fact-checkers and annotation tools read.

One record per reviewed claim (every reviewer's tag and note on it), then one writer per
format: json, jsonl, csv, markdown, W3C Web Annotation JSON-LD and schema.org ClaimReview.
The tags rate how the *sources agree*, not whether the claim is true; the ClaimReview
export says so in every rating.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from tui.core.model import Analysis, Claim
from tui.core.review.annotations import CONTEXT, AnnotationStore

FORMATS = ("json", "jsonl", "csv", "markdown", "w3c", "claimreview")
EXPORT_SCHEMA = "claimdiff.export/1"
RATING_NOTE = (
    "claimdiff tags rate agreement between the sources reviewed (confirmed: the sources "
    "agree; disputed: they disagree; unique: one source only), not the truth of the claim."
)


def _statement(analysis: Analysis, sid: str) -> dict[str, Any]:
    s = analysis.statement(sid)
    article = analysis.article(s.article)
    return {
        "id": s.id,
        "file": article.file,
        "title": article.title,
        "text": s.text,
        "start": s.start,
        "end": s.end,
        "prefix": article.text[max(0, s.start - CONTEXT) : s.start],
        "suffix": article.text[s.end : s.end + CONTEXT],
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
            out.append(_record(analysis, claim, entries))
    return out


def _record(analysis: Analysis, claim: Claim, reviews: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "claim": claim.id,
        "status": claim.status.value,
        "sources": len(analysis.sources_of(claim)),
        "statements": [_statement(analysis, sid) for sid in claim.statements],
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
                lines.append(f"- *{s['title']}* (`{s['file']}`): {s['text']}")
            for d in r["divergences"]:
                lines.append(f"- ≠ **{d['kind']}**: {d['detail']}")
            if review["note"]:
                lines += ["", "> " + review["note"].replace("\n", "\n> ")]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_w3c(rows: list[dict[str, Any]]) -> str:
    """W3C Web Annotation JSON-LD: one annotation per claim and reviewer."""
    items = []
    for r in rows:
        for review in r["reviews"]:
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
            items.append(
                {
                    "@context": "http://www.w3.org/ns/anno.jsonld",
                    "id": f"urn:claimdiff:{r['claim']}:{review['reviewer']}",
                    "type": "Annotation",
                    "motivation": "assessing",
                    "creator": {"type": "Person", "nickname": review["reviewer"]},
                    "created": review["created"],
                    "modified": review["modified"],
                    "body": body,
                    "target": [
                        {
                            "source": s["file"],
                            "selector": [
                                {
                                    "type": "TextQuoteSelector",
                                    "exact": s["text"],
                                    "prefix": s["prefix"],
                                    "suffix": s["suffix"],
                                },
                                {
                                    "type": "TextPositionSelector",
                                    "start": s["start"],
                                    "end": s["end"],
                                },
                            ],
                        }
                        for s in r["statements"]
                    ],
                }
            )
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def to_claimreview(rows: list[dict[str, Any]]) -> str:
    """schema.org ClaimReview JSON-LD, one per reviewed claim and reviewer with a tag."""
    items = []
    for r in rows:
        for review in r["reviews"]:
            if not review["tag"]:
                continue
            items.append(
                {
                    "@context": "https://schema.org",
                    "@type": "ClaimReview",
                    "claimReviewed": r["statements"][0]["text"],
                    "reviewRating": {
                        "@type": "Rating",
                        "alternateName": review["tag"],
                        "ratingExplanation": RATING_NOTE,
                    },
                    "itemReviewed": {
                        "@type": "Claim",
                        "appearance": [
                            {
                                "@type": "CreativeWork",
                                "headline": s["title"],
                                "name": s["file"],
                                "text": s["text"],
                            }
                            for s in r["statements"]
                        ],
                    },
                    "author": {"@type": "Person", "name": review["reviewer"]},
                    "datePublished": review["modified"][:10],
                    "reviewBody": review["note"],
                }
            )
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


WRITERS: dict[str, Callable[[list[dict[str, Any]]], str]] = {
    "json": to_json,
    "jsonl": to_jsonl,
    "csv": to_csv,
    "markdown": to_markdown,
    "w3c": to_w3c,
    "claimreview": to_claimreview,
}


def render(fmt: str, rows: list[dict[str, Any]]) -> str:
    """The records in format ``fmt`` (one of FORMATS)."""
    return WRITERS[fmt](rows)


def file_text(fmt: str, text: str) -> str:
    """What goes into an export file: a CSV starts with a byte-order mark.

    Excel reads a CSV without one in the local code page, turning "£5m" into "Â£5m";
    other spreadsheets and csv readers (encoding "utf-8-sig") skip it.
    """
    return "\ufeff" + text if fmt == "csv" else text
