"""The command line's rough edges: help, typos, cut tables, too few reviewers, bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT
from tui.cli import COMMANDS, main
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Status
from tui.core.review.annotations import AnnotationStore
from tui.resources import contract

WEB = ROOT / "tests" / "data" / "web"


def test_help_lists_the_apps_own_options_and_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--reviewer", "--annotations", "--recursive", "--version", "PATH"):
        assert option in out
    for command in COMMANDS:
        assert f"\n  {command} " in out


@pytest.mark.parametrize(("typo", "meant"), [("analyse", "analyze"), ("exprot", "export")])
def test_a_mistyped_command_is_not_taken_for_a_path(
    typo: str, meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([typo]) == 2
    err = capsys.readouterr().err
    assert f"did you mean 'claimdiff {meant}'?" in err and "no such file" not in err


def test_a_directory_named_like_a_command_is_still_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "analyse").mkdir()
    main(["analyse"])  # no terminal here: the app refuses, but it was asked for the path
    assert "did you mean" not in capsys.readouterr().err


def test_summary_cuts_statements_at_words_and_names_claims(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["analyze", str(WEB)]) == 0
    out = capsys.readouterr().out
    analysis = analyze(load_corpus([WEB]))
    shared = [c for c in analysis.claims if c.status is not Status.UNIQUE]
    assert shared and all(c.id in out for c in shared)
    assert "…" in out
    # Each cut ends on a whole word: the word before the ellipsis is in the statement.
    flat = " ".join(out.replace("│", " ").split())
    statements = " ".join(s.text for s in analysis.statements)
    for piece in flat.split("…")[:-1]:
        assert piece.split()[-1] in statements.split()
    assert "Riverside" in out and "Courier" in out  # the source column


def _reviewed(tmp_path: Path, reviewers: dict[str, str]) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(WEB, corpus)
    analysis = analyze(load_corpus([corpus]))
    claim = next(c for c in analysis.claims if c.status is not Status.UNIQUE)
    for name, tag in reviewers.items():
        store = AnnotationStore.open(corpus / "annotations" / f"{name}.json", name, analysis)
        store.set_tag(claim.id, tag)
        store.release()
    return corpus


def test_agreement_with_one_reviewer_says_so_in_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _reviewed(tmp_path, {"ana": "confirmed"})
    assert main(["agreement", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "only ana has tagged claims so far (1 claim)" in out
    assert "┏" not in out and "1 reviewers" not in out  # no empty table, no bad plural


def test_agreement_table_names_claims_and_reviewers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _reviewed(tmp_path, {"ana": "confirmed", "ben": "disputed"})
    assert main(["agreement", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "ana" in out and "ben" in out and "confirmed" in out and "disputed" in out
    assert "2 reviewers, 1 claim tagged by two or more, 1 with disagreement" in out


def test_annotations_check_fails_when_a_file_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _reviewed(tmp_path, {"ana": "confirmed"})
    assert main(["annotations", "check", str(corpus)]) == 0
    (corpus / "annotations" / "ben.json").write_text("{not json", encoding="utf-8")
    (corpus / "annotations" / "cy.json").write_text(json.dumps([1, 2]), encoding="utf-8")
    capsys.readouterr()
    assert main(["annotations", "check", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "ben.json: unreadable" in out and "cy.json: unreadable" in out


def test_analysis_json_carries_where_each_web_article_appeared(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["analyze", "--json", str(WEB)]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, contract("analysis"))
    by_id = {a["id"]: a for a in data["articles"]}
    assert by_id["courier-flood"]["url"] == (
        "https://www.courier.example.com/world/valley-floods-40-dead"
    )
    assert by_id["courier-flood"]["source"] == "The Morning Courier"
    assert by_id["herald-flood"]["published"] == "2026-03-16"
    assert "url" not in by_id["bare-flood"]  # nothing invented for a page that says nothing


def _worker_dies(*_args: object) -> None:
    import os

    os._exit(3)  # as the kernel's out-of-memory killer would end it


def test_a_worker_that_dies_costs_time_not_the_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool worker killed mid-run: one line on stderr, the analysis redone in-process,
    the same JSON and exit 0, never a traceback."""
    from tests.test_stories_and_spans import write_two_stories
    from tui.core.analysis import pipeline

    corpus = write_two_stories(tmp_path / "news")
    assert main(["analyze", "--json", "--no-cache", "--jobs", "1", str(corpus)]) == 0
    alone = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(pipeline, "story_job", _worker_dies)
    assert main(["analyze", "--json", "--no-cache", "--jobs", "2", str(corpus)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == alone
    assert "worker process ended unexpectedly" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("command", [[], ["export"], ["agreement"]])
def test_an_annotation_file_given_for_the_directory_is_refused_and_left_alone(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = tmp_path / "ana.json"
    given.write_text('{"reviewer": "ana"}', encoding="utf-8")
    assert main([*command, str(ROOT / "seeds"), "--annotations", str(given)]) == 2
    err = capsys.readouterr().err
    assert f"{given} is a file" in err and "Traceback" not in err
    assert given.read_text(encoding="utf-8") == '{"reviewer": "ana"}'


@pytest.mark.parametrize(("value", "said"), [("-1", "give 1 or more"), ("two", "not a number")])
def test_a_bad_process_count_is_a_usage_error(
    value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", "--jobs", value, str(ROOT / "seeds")]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
