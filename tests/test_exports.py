"""Agreement statistics against published examples; every export format parsed back."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.conftest import ROOT, SEEDS
from tui.cli import main
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Analysis, Claim, Status
from tui.core.review.agreement import ClaimTags, statistics, tag_table
from tui.core.review.annotations import AnnotationStore, load_reviews
from tui.core.review.exports import FORMATS, RATING_NOTE, records, render
from tui.resources import contract, contract_path


def _claims(n: int) -> list[Claim]:
    return [Claim(f"c{i}", Status.OVERLAP, (f"s{i}",)) for i in range(n)]


def test_cohens_kappa_matches_the_textbook_example() -> None:
    # Wikipedia "Cohen's kappa": 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> p_o 0.7, kappa 0.4.
    pairs = [("confirmed", "confirmed")] * 20 + [("confirmed", "disputed")] * 5
    pairs += [("disputed", "confirmed")] * 10 + [("disputed", "disputed")] * 15
    rows = [ClaimTags(c, {"A": a, "B": b}) for c, (a, b) in zip(_claims(50), pairs, strict=True)]
    stats = statistics(rows)
    assert stats.percent == pytest.approx(0.7)
    assert stats.kappa == pytest.approx(0.4)


def test_krippendorffs_alpha_matches_the_published_example_with_missing_data() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal: alpha 0.743.
    table = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    rows = []
    for i, claim in enumerate(_claims(12)):
        tags = {r: str(v[i]) for r, v in table.items() if v[i] is not None}
        rows.append(ClaimTags(claim, tags))
    stats = statistics(rows)
    assert stats.alpha == pytest.approx(0.743, abs=0.001)
    assert stats.kappa is None  # four reviewers
    assert stats.items == 11  # the unit only one reviewer coded is not pairable


@pytest.fixture()
def reviewed(tmp_path: Path, seeds_analysis: Analysis) -> tuple[Analysis, list[AnnotationStore]]:
    multi = [c for c in seeds_analysis.claims if c.status is not Status.UNIQUE][:4]
    plan = {
        "alice": ["confirmed", "disputed", "confirmed", None],
        "bob": ["confirmed", "confirmed", "unique", "disputed"],
    }
    for name, tags in plan.items():
        store = AnnotationStore.open(tmp_path / f"{name}.json", name, seeds_analysis)
        for claim, tag in zip(multi, tags, strict=True):
            if tag:
                store.set_tag(claim.id, tag)
        store.set_note(multi[0].id, f'{name}: "quoted", comma\nsecond line')
        store.release()
    return seeds_analysis, load_reviews(tmp_path, seeds_analysis)


def test_tag_table_and_disagreements(reviewed: tuple[Analysis, list[AnnotationStore]]) -> None:
    analysis, reviews = reviewed
    rows = tag_table(analysis, reviews)
    assert [sorted(r.tags) for r in rows][:3] == [["alice", "bob"]] * 3
    assert [r.disagreement for r in rows] == [False, True, True, False]
    assert statistics(rows).percent == pytest.approx(1 / 3)


def test_full_annotation_schema(
    reviewed: tuple[Analysis, list[AnnotationStore]], tmp_path: Path
) -> None:
    registry = Registry().with_resource(
        "claimdiff.annotations/1", Resource.from_contents(contract("annotations"))
    )
    full = json.loads(contract_path("annotations-full").read_text())
    for path in tmp_path.glob("*.json"):
        jsonschema.Draft202012Validator(full, registry=registry).validate(
            json.loads(path.read_text())
        )


def test_every_format_parses_back(reviewed: tuple[Analysis, list[AnnotationStore]]) -> None:
    analysis, reviews = reviewed
    rows = records(analysis, reviews)
    assert len(rows) == 4
    doc = json.loads(render("json", rows))
    assert doc["claims"][0]["reviews"][0]["note"].endswith("second line")
    first = doc["claims"][0]["statements"][0]
    assert (
        analysis.article(analysis.statement(first["id"]).article).text[
            first["start"] : first["end"]
        ]
        == first["text"]
    )
    lines = render("jsonl", rows).splitlines()
    assert [json.loads(line)["claim"] for line in lines] == [r["claim"] for r in rows]
    table = list(csv.DictReader(io.StringIO(render("csv", rows))))
    assert len(table) == 7  # one row per claim and reviewer (alice left one untagged)
    assert table[0]["note"] == 'alice: "quoted", comma\nsecond line'
    md = render("markdown", rows)
    assert "## Confirmed" in md and "## Disputed" in md and "> alice" in md
    w3c = json.loads(render("w3c", rows))
    jsonschema.validate(
        w3c, json.loads((ROOT / "tests/data/w3c_annotation.schema.json").read_text())
    )
    bodies = {b["purpose"] for a in w3c for b in a["body"]}
    assert bodies == {"tagging", "commenting"}
    cr = json.loads(render("claimreview", rows))
    assert {c["reviewRating"]["alternateName"] for c in cr} == {"confirmed", "disputed", "unique"}
    assert all(c["reviewRating"]["ratingExplanation"] == RATING_NOTE for c in cr)
    assert all(c["itemReviewed"]["appearance"] for c in cr)
    assert set(FORMATS) == {"json", "jsonl", "csv", "markdown", "w3c", "claimreview"}


def test_filters(reviewed: tuple[Analysis, list[AnnotationStore]]) -> None:
    analysis, reviews = reviewed
    disputed = records(analysis, reviews, tags=["disputed"])
    assert {r["reviewer"] for row in disputed for r in row["reviews"]} == {"alice", "bob"}
    assert all(r["tag"] == "disputed" for row in disputed for r in row["reviews"])
    bob = records(analysis, reviews, reviewers=["bob"])
    assert {r["reviewer"] for row in bob for r in row["reviews"]} == {"bob"}
    assert records(analysis, reviews, statuses=["unique"]) == []


def test_cli_export_agreement_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    assert main(["export", str(corpus)]) == 0  # no annotations yet: an empty export
    assert json.loads(capsys.readouterr().out)["claims"] == []
    analysis = analyze(load_corpus([corpus]))
    claim = next(c for c in analysis.claims if c.status is not Status.UNIQUE)
    for name, tag in (("ann", "confirmed"), ("ben", "disputed")):
        store = AnnotationStore.open(corpus / "annotations" / f"{name}.json", name, analysis)
        store.set_tag(claim.id, tag)
        store.release()
    out = tmp_path / "out.csv"
    assert main(["export", str(corpus), "-f", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 2 and rows[0]["claim"] == claim.id  # the BOM is not in the header
    assert main(["agreement", str(corpus)]) == 0
    text = capsys.readouterr().out
    assert "1 with disagreement" in text and "Krippendorff" in text
    assert main(["annotations", "check", str(corpus)]) == 0
    edited = analysis.statement(claim.statements[0])
    target = corpus / analysis.article(edited.article).file
    target.write_text(target.read_text().replace(edited.text, ""))
    capsys.readouterr()
    assert main(["annotations", "check", str(corpus)]) == 1
    out_text = capsys.readouterr().out
    assert "text_changed" in out_text
    assert f"gone     {target.name}: “{edited.text[:40]}" in out_text  # which quote went
