"""The single-fact edit set of benchmarks/edits.py stays applicable to the bundled seeds."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EDIT_SET = json.loads((ROOT / "benchmarks" / "edit_set.json").read_text(encoding="utf-8"))
# The second set, written later on other statements, with its own setups.
MORE = json.loads((ROOT / "benchmarks" / "edit_set_more.json").read_text(encoding="utf-8"))
SETUPS = {**EDIT_SET["setups"], **MORE["setups"]}
SEEDS = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
# Issue 8, item 4: every kind of detail a divergence must compare.
FACT_KINDS = {
    "number",
    "money",
    "percent",
    "date",
    "person",
    "organisation",
    "place",
    "list member",
    "owner",
    "negation",
    "certainty",
    "lower bound",
}


def _apply(texts: dict[str, str], file: str, old: str, new: str) -> dict[str, str]:
    assert texts[file].count(old) == 1, f"{file}: {old!r} occurs {texts[file].count(old)} times"
    return {**texts, file: texts[file].replace(old, new)}


def _setup(name: str | None) -> dict[str, str]:
    texts = dict(SEEDS)
    for file, old, new in SETUPS[name]["changes"] if name else []:
        texts = _apply(texts, file, old, new)
    return texts


@pytest.mark.parametrize("edit", EDIT_SET["edits"] + MORE["edits"], ids=lambda e: e["id"])
def test_edit_applies_once_and_its_counterparts_exist(edit: dict) -> None:
    """The edited span is unambiguous, changes the text, and the fact is reported elsewhere."""
    assert edit["old"] != edit["new"]
    edited = _apply(_setup(edit.get("setup")), edit["file"], edit["old"], edit["new"])
    assert edit["counterparts"], "a divergence needs a counterpart in another article"
    for file, substring in edit["counterparts"]:
        assert file != edit["file"]
        assert edited[file].count(substring) == 1, f"{file}: {substring!r}"


def test_edit_set_covers_every_kind_and_enough_paraphrases() -> None:
    """At least 24 fact edits over every kind, at least 8 paraphrases, unique ids."""
    edits = EDIT_SET["edits"]
    facts = [e for e in edits if e["expect_flag"]]
    assert len({e["id"] for e in edits}) == len(edits)
    assert len(facts) >= 24
    assert len(edits) - len(facts) >= 8
    assert {e["kind"] for e in facts} == FACT_KINDS


def test_the_second_edit_set_is_new_and_large_enough() -> None:
    """At least 10 fact edits and 10 paraphrases, ids and setups not reused from the first."""
    facts = [e for e in MORE["edits"] if e["expect_flag"]]
    assert len(facts) >= 10 and len(MORE["edits"]) - len(facts) >= 10
    assert not {e["id"] for e in MORE["edits"]} & {e["id"] for e in EDIT_SET["edits"]}
    assert not MORE["setups"].keys() & EDIT_SET["setups"].keys()


def _edits_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_edits", ROOT / "benchmarks" / "edits.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_edits"] = module  # dataclasses look their module up while loading
    spec.loader.exec_module(module)
    return module


def _output(a_text: str, divergences: list[dict]) -> dict:
    b_text = "Y said it costs £2 billion."
    return {
        "articles": [{"id": "a", "path": "a.txt"}, {"id": "b", "path": "b.txt"}],
        "statements": [
            {"id": "sa", "article": "a", "start": 0, "end": len(a_text), "text": a_text},
            {"id": "sb", "article": "b", "start": 0, "end": len(b_text), "text": b_text},
        ],
        "claims": [
            {"id": "c", "status": "overlap", "statements": ["sa", "sb"], "divergences": divergences}
        ],
    }


def test_edit_judge_credits_only_divergences_the_edit_created(tmp_path: Path) -> None:
    """A divergence already there before the edit is a baseline flag, not a found edit."""
    edits = _edits_module()
    before, after = "X said it costs £2bn today.", "X said it costs £5bn today."
    for name, text in (("base", before), ("edit", after)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text(text + "\n", encoding="utf-8")
        (tmp_path / name / "b.txt").write_text("Y said it costs £2 billion.\n", encoding="utf-8")
    edit = {"file": "a.txt", "old": "£2bn", "new": "£5bn", "counterparts": [["b.txt", "£2 bil"]]}
    new = {"kind": "money", "statements": ["sa", "sb"], "detail": "£5bn vs £2 billion"}
    stale = {"kind": "money", "statements": ["sa", "sb"], "detail": "£2bn vs £2 billion"}

    def judge(base_divs: list[dict], edit_divs: list[dict]) -> Any:
        base = edits.View(_output(before, base_divs))
        return edits.judge(
            edit, base, tmp_path / "base", edits.View(_output(after, edit_divs)), tmp_path / "edit"
        )

    found = judge([], [new])
    assert [on_target for _, on_target in found.new] == [True]
    assert found.aligned_before and not found.baseline_flags
    unchanged = judge([stale], [stale])
    assert unchanged.new == [] and len(unchanged.baseline_flags) == 1
    assert judge([], []).new == []
