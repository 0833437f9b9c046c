"""The single-fact edit set of benchmarks/edits.py stays applicable to the bundled seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EDIT_SET = json.loads((ROOT / "benchmarks" / "edit_set.json").read_text(encoding="utf-8"))
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
    for file, old, new in EDIT_SET["setups"][name]["changes"] if name else []:
        texts = _apply(texts, file, old, new)
    return texts


@pytest.mark.parametrize("edit", EDIT_SET["edits"], ids=lambda e: e["id"])
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
