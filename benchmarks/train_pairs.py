"""Fit the pair model (tui/core/analysis/pair_model.json) on public labelled news.

Data: the ECB+ development split in ../shared/benchmarks/ecbplus-dev (real articles, many
stories, annotators' cross-document event links). For every story claimdiff finds in a topic,
the aligner's candidate pairs get their signals (align.pair_signals); a pair is positive when
the annotators link the two sentences to one event, negative when both sentences were judged
and are not linked; pairs touching unjudged sentences say nothing and are left out. A
logistic regression (Newton's method, light L2) is fitted; its figures are printed with a
cross-check that trains on half the topics and scores the other half. The seeds are never
read here.

Run: python benchmarks/train_pairs.py [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ECB = ROOT.parent / "shared" / "benchmarks" / "ecbplus-dev"

from tui.core.analysis import align  # noqa: E402
from tui.core.analysis.corpus import load_corpus  # noqa: E402
from tui.core.analysis.pair_model import MODEL_FILE, PairModel  # noqa: E402
from tui.core.analysis.segment import segment_article  # noqa: E402
from tui.core.analysis.similarity import LexicalScorer  # noqa: E402
from tui.core.analysis.stories import group_stories  # noqa: E402
from tui.core.model import Kind  # noqa: E402


def _gold_map(gold: dict, statements, files):
    by_doc: dict[str, list[dict]] = {}
    for s in gold["sentences"]:
        by_doc.setdefault(s["doc"], []).append(s)
    out = {}
    for st in statements:
        doc = files[st.article]
        hits = []
        for s in by_doc.get(doc, []):
            ov = min(st.end, s["end"]) - max(st.start, s["start"])
            if ov > 0 and (ov * 2 >= st.end - st.start or ov * 2 >= s["end"] - s["start"]):
                hits.append((doc, s["sid"], s["judged"]))
        out[st.id] = hits
    return out


UNJUDGED = 0.5


def topic_rows(topic: str) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """Signals and labels of every judged candidate pair in one topic."""
    gold = json.loads((ECB / "gold" / f"{topic}.json").read_text(encoding="utf-8"))
    allowed = set()
    for a, b, c, d in gold["allowed"]:
        allowed.add(((a, b), (c, d)))
        allowed.add(((c, d), (a, b)))
    corpus = load_corpus([ECB / "units" / topic])
    files = {a.id: a.file for a in corpus.articles}
    segs = {a.id: segment_article(a) for a in corpus.articles}
    xs, ys, ws = [], [], []
    for story in group_stories(corpus.articles, segs):
        statements = [s for a in story.articles for s in segs[a] if s.kind is Kind.CLAIM]
        if len({s.article for s in statements}) < 2:
            continue
        gmap = _gold_map(gold, statements, files)
        scorer = LexicalScorer()
        scorer.fit([s.text for s in statements])
        units = align.make_units(statements)
        encoded = scorer.encode([u.text for u in units])
        ids = {a: k for k, a in enumerate(dict.fromkeys(s.article for s in statements))}
        groups = np.array([ids[statements[u.statement].article] for u in units])
        config = align.AlignConfig()
        left, right = align.candidate_pairs(encoded, groups, config)
        scores = scorer.score_pairs(encoded, left, right)
        pairs, rows, _units = align.pair_signals(statements, units, encoded, left, right, scores)
        for (i, j), row in zip(pairs, rows, strict=True):
            a, b = gmap[statements[i].id], gmap[statements[j].id]
            judged_a = [h for h in a if h[2]]
            judged_b = [h for h in b if h[2]]
            if not judged_a or not judged_b:
                # Sentences the annotators did not mark for the story's events: mostly
                # side facts, so a weak negative (weight UNJUDGED).
                xs.append(row)
                ys.append(0.0)
                ws.append(UNJUDGED)
                continue
            linked = any(
                ((x[0], x[1]), (y[0], y[1])) in allowed for x in judged_a for y in judged_b
            )
            xs.append(row)
            ys.append(1.0 if linked else 0.0)
            ws.append(1.0)
    width = len(align.FEATURES)
    return topic, np.array(xs).reshape(-1, width), np.array(ys), np.array(ws)


def fit(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float = 1.0
) -> tuple[np.ndarray, float]:
    """Weighted logistic regression by Newton's method with an L2 penalty on the weights."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (weight * (p - y)) + reg * w
        hess = (xb * (weight * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def _prf(p: np.ndarray, y: np.ndarray, t: float) -> tuple[float, float, float]:
    pred = p >= t
    tp = float((pred & (y == 1)).sum())
    prec = tp / pred.sum() if pred.sum() else 0.0
    rec = tp / (y == 1).sum() if (y == 1).sum() else 0.0
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def main() -> None:
    """Build the pair data, fit, cross-check, and optionally write the shipped model."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="write tui/core/analysis/pair_model.json")
    ap.add_argument("--threshold", type=float, default=None, help="link threshold to ship")
    args = ap.parse_args()
    topics = sorted(p.name for p in (ECB / "units").iterdir())
    with ProcessPoolExecutor(2) as pool:
        data = {t: (x, y, w) for t, x, y, w in pool.map(topic_rows, topics)}
    x = np.vstack([data[t][0] for t in topics])
    y = np.concatenate([data[t][1] for t in topics])
    wt = np.concatenate([data[t][2] for t in topics])
    print(
        f"{len(y)} candidate pairs from {len(topics)} topics, {int((wt == 1).sum())} judged,"
        f" {int(y.sum())} linked"
    )
    # Cross-check: fit on topics ≡ 1 (mod 4), score on ≡ 3 (mod 4), and the other way round.
    for train_r, test_r in ((1, 3), (3, 1)):
        tr = [t for t in topics if int(t) % 4 == train_r]
        te = [t for t in topics if int(t) % 4 == test_r]
        w, b = fit(
            np.vstack([data[t][0] for t in tr]),
            np.concatenate([data[t][1] for t in tr]),
            np.concatenate([data[t][2] for t in tr]),
        )
        judged = np.concatenate([data[t][2] for t in te]) == 1
        xt = np.vstack([data[t][0] for t in te])[judged]
        yt = np.concatenate([data[t][1] for t in te])[judged]
        p = 1 / (1 + np.exp(-(xt @ w + b)))
        for t in (0.3, 0.4, 0.5, 0.6):
            pr, rc, f = _prf(p, yt, t)
            split = f"train {train_r} mod 4 → test {test_r} mod 4, t={t}"
            print(f"  {split}: P {pr:.3f} R {rc:.3f} F1 {f:.3f}")
        model_best = max((_prf(p, yt, t)[2], t) for t in np.arange(0.01, 0.9, 0.01))
        print(f"  (pair model, best threshold {model_best[1]:.2f}: F1 {model_best[0]:.3f})")
        base = xt[:, 0]
        best = max((_prf(base, yt, t)[2], t) for t in np.arange(0.05, 0.9, 0.025))
        print(f"  (lexical score alone, best threshold {best[1]:.2f}: F1 {best[0]:.3f})")
    w, b = fit(x, y, wt)
    p = 1 / (1 + np.exp(-(x[wt == 1] @ w + b)))
    y = y[wt == 1]
    for name, weight in zip(align.FEATURES, w, strict=True):
        print(f"  {name:12s} {weight:+.3f}")
    print(f"  {'intercept':12s} {b:+.3f}")
    threshold = args.threshold if args.threshold is not None else 0.5
    pr, rc, f = _prf(p, y, threshold)
    print(
        f"all topics at t={threshold}: P {pr:.3f} R {rc:.3f} F1 {f:.3f} (pairs, before clustering)"
    )
    if args.write:
        model = PairModel(
            align.FEATURES, tuple(round(float(v), 4) for v in w), round(b, 4), threshold
        )
        MODEL_FILE.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
