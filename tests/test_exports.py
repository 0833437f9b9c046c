"""Agreement statistics against published examples; every export format parsed back."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.conftest import ROOT, SEEDS, SHARED
from tui.cli import main
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Analysis, Claim, Status
from tui.core.review.agreement import ClaimTags, statistics, tag_table
from tui.core.review.annotations import AnnotationStore, load_reviews
from tui.core.review.exports import (
    FORMATS,
    RATING_NOTE,
    ExportOptions,
    export,
    records,
    render,
    shorten,
)
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
    assert w3c["type"] == "AnnotationCollection" and w3c["total"] == 7
    items = w3c["first"]["items"]
    jsonschema.validate(
        items, json.loads((ROOT / "tests/data/w3c_annotation.schema.json").read_text())
    )
    bodies = {b["purpose"] for a in items for b in a["body"]}
    assert bodies == {"tagging", "commenting"}
    # The seeds carry no URL: their targets are the files' own IRIs, which resolve.
    source = items[0]["target"][0]["source"]
    assert source.startswith("file:///") and Path(unquote(urlparse(source).path)).is_file()
    cr = json.loads(render("claimreview", rows, ExportOptions(site_url="https://x.example/r")))
    assert {c["reviewRating"]["name"] for c in cr} == {"confirmed", "disputed", "unique"}
    assert all(c["reviewRating"]["ratingExplanation"] == RATING_NOTE for c in cr)
    assert all(len(c["claimReviewed"]) <= 75 for c in cr)
    assert len({c["url"] for c in cr}) == len(cr)  # one page anchor per review
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


def test_claim_text_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "The regional governor said the damage would exceed £50m and promised a full inquiry."
    short = shorten(text)
    assert len(short) <= 75 and short.endswith("…")
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "  # a whole word ended
    assert shorten("Short claim.\nSecond line.") == "Short claim. Second line."


VALIDATORS = SHARED / "validators"
WEB = ROOT / "tests" / "data" / "web"


@pytest.fixture()
def web_corpus(tmp_path: Path) -> tuple[Path, Analysis]:
    """The saved web pages, reviewed by two people; one claim has only a note."""
    corpus = tmp_path / "web"
    shutil.copytree(WEB, corpus)
    analysis = analyze(load_corpus([corpus]))
    multi = [c for c in analysis.claims if c.status is not Status.UNIQUE]
    plan = {"ana": ["confirmed", "disputed", None], "ben": ["confirmed", "confirmed", "unique"]}
    for name, tags in plan.items():
        store = AnnotationStore.open(corpus / "annotations" / f"{name}.json", name, analysis)
        for claim, tag in zip(multi, tags, strict=False):
            if tag:
                store.set_tag(claim.id, tag)
        store.set_note(multi[2].id, f"{name} checked the council's figures")
        store.release()
    return corpus, analysis


def _validator(*args: str) -> subprocess.CompletedProcess[str]:
    if not VALIDATORS.is_dir():
        pytest.skip("../shared/validators is not beside this checkout")
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_w3c_export_passes_the_w3c_suite_and_its_selectors_resolve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    analysis = analyze(load_corpus([corpus]))
    multi = [c for c in analysis.claims if c.status is not Status.UNIQUE][:3]
    for name, tags in {"ann": ["confirmed", "disputed", None], "ben": ["unique"] * 3}.items():
        store = AnnotationStore.open(corpus / "annotations" / f"{name}.json", name, analysis)
        for claim, tag in zip(multi, tags, strict=True):
            if tag:
                store.set_tag(claim.id, tag)
        store.set_note(multi[2].id, "only a note")
        store.release()
    out = tmp_path / "w3c.jsonld"
    assert main(["export", str(corpus), "-f", "w3c", "-o", str(out)]) == 0
    assert "6 annotations written" in capsys.readouterr().err
    result = _validator(
        str(VALIDATORS / "w3c_validate.py"),
        str(out),
        str(VALIDATORS / "web-annotation-tests"),
        "--corpus",
        str(corpus),
    )
    assert result.returncode == 0, result.stdout
    assert "0 object(s) with MUST failures" in result.stdout
    assert "6 annotations, 1 pages, 1 collections" in result.stdout
    assert "CORPUS" not in result.stdout  # every selector resolves in its article


def test_w3c_targets_of_web_pages_are_their_urls(web_corpus: tuple[Path, Analysis]) -> None:
    corpus, analysis = web_corpus
    rows = records(analysis, load_reviews(corpus / "annotations", analysis))
    items = json.loads(render("w3c", rows))["first"]["items"]
    by_source = {t["source"]: t for a in items for t in a["target"]}
    assert "https://gazette.example.org/news/2026/03/flood-toll" in by_source
    assert any(s.startswith("file:") and s.endswith("bare-flood.html") for s in by_source)
    texts = {a.url or a.path.resolve().as_uri(): a.text for a in analysis.articles}
    for source, target in by_source.items():
        position = target["selector"][1]
        assert texts[source][position["start"] : position["end"]] == target["selector"][0]["exact"]


def test_claimreview_passes_the_strict_check_and_counts_what_it_writes(
    web_corpus: tuple[Path, Analysis], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, _analysis = web_corpus
    out = tmp_path / "cr.jsonld"
    base = ["export", str(corpus), "-f", "claimreview", "-o", str(out)]
    assert main(base) == 2
    assert "needs --site-url" in capsys.readouterr().err and not out.exists()
    assert main([*base, "--site-url", "ftp://x"]) == 2
    site = "https://checks.example.org/flood-review"
    assert main([*base, "--site-url", site, "--author", "Valley Fact Desk"]) == 0
    written = capsys.readouterr().err
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert f"{len(reviews)} ClaimReviews written" in written
    assert len(reviews) == 5  # the note-only review is no ClaimReview, and is not counted
    result = _validator(str(VALIDATORS / "claimreview_check.py"), str(out), "--strict")
    assert result.returncode == 0, result.stdout
    assert "0 ERROR, 0 WARN, 0 INFO" in result.stdout
    first = reviews[0]
    assert first["url"].startswith(site + "#claim-")
    assert first["author"] == {"@type": "Organization", "name": "Valley Fact Desk"}
    scale = first["reviewRating"]
    assert scale["worstRating"] <= scale["ratingValue"] <= scale["bestRating"]
    urls = {a["url"] for r in reviews for a in r["itemReviewed"]["appearance"]}
    assert "https://gazette.example.org/news/2026/03/flood-toll" in urls
    # The review's date is its annotation's, so the same review exports the same file.
    assert main([*base, "--site-url", site, "--author", "Valley Fact Desk"]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == reviews


def test_export_counts_match_the_file_in_every_format(
    web_corpus: tuple[Path, Analysis],
) -> None:
    corpus, analysis = web_corpus
    rows = records(analysis, load_reviews(corpus / "annotations", analysis))
    assert export("json", rows).count == len(json.loads(render("json", rows))["claims"])
    assert export("csv", rows).count == len(list(csv.DictReader(io.StringIO(render("csv", rows)))))
    assert export("w3c", rows).count == json.loads(render("w3c", rows))["total"]
    report = render("markdown", rows)
    gazette = "[Riverside Gazette](https://gazette.example.org/news/2026/03/flood-toll)"
    assert f"{gazette}, 2026-03-14" in report  # a reader sees where and when it appeared
    assert export("claimreview", rows).count == len(json.loads(render("claimreview", rows)))


def test_w3c_offsets_count_front_matter_when_the_file_is_the_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = "The council approved the new budget of £5m on Tuesday."
    for name, source in (("a", "Town Post"), ("b", "City Times")):
        (corpus / f"{name}.md").write_text(
            f"---\nsource: {source}\npublished: 2026-03-1{len(name)}\n---\n# Budget\n\n{story}\n",
            encoding="utf-8",
        )
    analysis = analyze(load_corpus([corpus]))
    claim = next(c for c in analysis.claims if c.status is not Status.UNIQUE)
    store = AnnotationStore.open(corpus / "annotations" / "ana.json", "ana", analysis)
    store.set_tag(claim.id, "confirmed")
    store.release()
    out = tmp_path / "w3c.jsonld"
    assert main(["export", str(corpus), "-f", "w3c", "-o", str(out)]) == 0
    target = json.loads(out.read_text(encoding="utf-8"))["first"]["items"][0]["target"][0]
    position = target["selector"][1]
    whole = Path(unquote(urlparse(target["source"]).path)).read_text(encoding="utf-8")
    assert whole[position["start"] : position["end"]] == story
    result = _validator(
        str(VALIDATORS / "w3c_validate.py"),
        str(out),
        str(VALIDATORS / "web-annotation-tests"),
        "--corpus",
        str(corpus),
    )
    assert result.returncode == 0 and "CORPUS" not in result.stdout, result.stdout
