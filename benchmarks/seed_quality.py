"""Alignment and divergence quality on the hand-labelled seed sample.

Run: python benchmarks/seed_quality.py [--verbose]
"""

from __future__ import annotations

import sys
from pathlib import Path

# A script's sys.path starts at benchmarks/, so `tui` would come from whatever checkout the
# venv installed (editable): measure this checkout's code instead.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.evaluation import find, gold_pairs, load_labels, predicted_pairs, score
from tui.core.analysis.pipeline import analyze
from tui.core.model import Status

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print pairwise P/R/F1 and the divergence checks on the labelled seeds."""
    verbose = "--verbose" in sys.argv
    analysis = analyze(load_corpus([ROOT / "seeds"]))
    labels = load_labels(ROOT / "tests" / "data" / "seed_labels.json")
    pred, gold = predicted_pairs(analysis), gold_pairs(analysis, labels)
    s = score(pred, gold)
    print(f"pairwise precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}")
    print(f"  ({s.true_positives} of {s.predicted} predicted pairs correct, {s.gold} gold pairs)")
    forbidden = 0
    for a_ref, b_ref in labels["must_not_align"]:
        pair = frozenset((find(analysis, a_ref).id, find(analysis, b_ref).id))
        if pair in pred:
            forbidden += 1
            print("  ALIGNED BUT MUST NOT:", a_ref, b_ref)
    print(f"must-not-align pairs aligned: {forbidden} of {len(labels['must_not_align'])}")
    divs = [(d, c) for c in analysis.claims for d in c.divergences]
    found = 0
    for want in labels["divergences"]:
        ids = {find(analysis, want["a"]).id, find(analysis, want["b"]).id}
        ok = any(
            set(d.statements) == ids
            and d.kind.value == want["kind"]
            and all(x in d.detail for x in want["detail_contains"])
            for d, _ in divs
        )
        found += ok
        if not ok:
            print("  MISSED DIVERGENCE:", want)
    print(f"labelled divergences found: {found} of {len(labels['divergences'])}")
    false = 0
    for a_ref, b_ref in labels["not_divergent"]:
        ids = {find(analysis, a_ref).id, find(analysis, b_ref).id}
        for d, _ in divs:
            if set(d.statements) == ids:
                false += 1
                print("  FALSE DIVERGENCE:", d.kind.value, d.detail)
    print(f"same-fact pairs wrongly flagged: {false} of {len(labels['not_divergent'])}")
    counts = {st.value: sum(c.status is st for c in analysis.claims) for st in Status}
    print(f"claims: {counts}; divergences: {len(divs)}")
    if verbose:
        text = {st.id: st for st in analysis.statements}
        for c in analysis.claims:
            if c.status is Status.UNIQUE:
                continue
            print(f"\n{c.id} {c.status.value}")
            for sid in c.statements:
                print(f"   {sid[:3]} {text[sid].text[:110]}")
            for d in c.divergences:
                print(f"   !! {d.kind.value}: {d.detail}")
        print("\nFALSE POSITIVES")
        for p in sorted(pred - gold, key=sorted):
            a, b = sorted(p)
            print(f"  {a[:3]} {text[a].text[:70]} || {b[:3]} {text[b].text[:70]}")
        print("\nMISSES")
        for p in sorted(gold - pred, key=sorted):
            a, b = sorted(p)
            print(f"  {a[:3]} {text[a].text[:70]} || {b[:3]} {text[b].text[:70]}")


if __name__ == "__main__":
    main()
