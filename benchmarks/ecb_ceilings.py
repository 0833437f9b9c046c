"""What the ECB+ dev split's pairwise scoring can give, from its gold alone (no claimdiff run).

Run from the repository: python benchmarks/ecb_ceilings.py

The scorer counts only pairs of two *judged* sentences (precision against the annotators'
``allowed`` links, recall against ``required``), while ``link_density`` counts every linked
cross-article pair. These figures bound what any aligner can reach and show which structure
the gold rewards, so that a change to the aligner can be read against them:

- linking every judged sentence pair within one true story (an oracle for "which sentences
  are about the main event");
- linking every sentence pair among the first K lines of each article of a story (the lede);
- linking sentences that share the story's K most widely reported event chains.
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ECB = ROOT.parent / "shared" / "benchmarks" / "ecbplus-dev"

Pair = tuple[tuple[str, int], tuple[str, int]]


def _pair(a: tuple[str, int], b: tuple[str, int]) -> Pair:
    return (a, b) if a <= b else (b, a)


def _prf(tp_p: int, pred: int, tp_r: int, req: int) -> tuple[float, float, float]:
    p = tp_p / pred if pred else 0.0
    r = tp_r / req if req else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> int:
    """Print the oracle ceilings of the ECB+ dev split."""
    golds = [
        json.loads(f.read_text(encoding="utf-8")) for f in sorted((ECB / "gold").glob("*.json"))
    ]
    rules: dict[str, Counter[str]] = {}

    def tally(
        name: str, pred: set[Pair], pred_all: int, gold: dict, req: set, allowed: set
    ) -> None:
        c = rules.setdefault(name, Counter())
        c["pred"] += len(pred)
        c["tp_p"] += len(pred & allowed)
        c["tp_r"] += len(pred & req)
        c["all"] += pred_all

    total_req = total_cross = 0
    for gold in golds:
        req = {_pair((p[0], p[1]), (p[2], p[3])) for p in gold["required"]}
        allowed = {_pair((p[0], p[1]), (p[2], p[3])) for p in gold["allowed"]}
        sents = gold["sentences"]
        per_doc = Counter(s["doc"] for s in sents)
        total_req += len(req)
        total_cross += (len(sents) ** 2 - sum(v * v for v in per_doc.values())) // 2
        for k in (2, 4, 6, 1000):
            pred: set[Pair] = set()
            n_all = 0
            chosen = [s for s in sents if s["sid"] < k]
            for a, b in itertools.combinations(chosen, 2):
                if a["doc"] != b["doc"] and a["story"] == b["story"]:
                    n_all += 1
                    if a["judged"] and b["judged"]:
                        pred.add(_pair((a["doc"], a["sid"]), (b["doc"], b["sid"])))
            name = (
                "every sentence pair of a story"
                if k == 1000
                else f"first {k} lines of each article, within a story"
            )
            tally(name, pred, n_all, gold, req, allowed)
        for story in sorted({s["story"] for s in sents}):
            judged = [s for s in sents if s["story"] == story and s["judged"]]
            df: Counter[str] = Counter()
            for doc in sorted({s["doc"] for s in judged}):
                df.update({e for s in judged if s["doc"] == doc for e in s["events"]})
            for k in (1, 2, 1000):
                top = {e for e, _ in df.most_common(k)}
                pred = set()
                for a, b in itertools.combinations(judged, 2):
                    if a["doc"] != b["doc"] and set(a["events"]) & set(b["events"]) & top:
                        pred.add(_pair((a["doc"], a["sid"]), (b["doc"], b["sid"])))
                name = (
                    "sharing any event chain"
                    if k == 1000
                    else f"sharing one of the story's top {k} event chains"
                )
                tally(name, pred, len(pred), gold, req, allowed)
            pred = set()
            for a, b in itertools.combinations(judged, 2):
                if a["doc"] != b["doc"]:
                    pred.add(_pair((a["doc"], a["sid"]), (b["doc"], b["sid"])))
            tally("every judged pair of a story", pred, len(pred), gold, req, allowed)
    print(
        f"ECB+ dev: {len(golds)} topics, {total_req} required pairs, "
        f"{total_cross} cross-article pairs"
    )
    print(f"{'rule':58s} {'P':>6s} {'R':>6s} {'F1':>6s} {'density':>8s}")
    for name, c in rules.items():
        p, r, f = _prf(c["tp_p"], c["pred"], c["tp_r"], total_req)
        print(f"{name:58s} {p:6.3f} {r:6.3f} {f:6.3f} {c['all'] / total_cross:8.4f}")
    print("(event-chain rules count judged sentences only, so their density is a lower bound)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
