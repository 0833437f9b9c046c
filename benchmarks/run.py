"""claimdiff benchmarks: similarity quality, seed quality, analysis speed and memory.

Run from the repository: python benchmarks/run.py [--quick]
Prints figures; asserts nothing (targets live in the closing notes, not in tests).
It also runs benchmarks/seed_quality.py (seed labels), benchmarks/edits.py (single-fact
edits of the seeds) and benchmarks/ecb.py (ECB+ dev split). Run on their own:
  python benchmarks/ecb.py [--mixed]   ECB+ dev: P/R/F1, link density; --mixed: one folder
  python benchmarks/edits.py           injected fact edits found, paraphrases falsely flagged
  python benchmarks/dense.py           dense corpora at 200/1,000/3,000 articles: time,
                                       memory, growth exponent, ratio to a bare TF-IDF pass
  python benchmarks/app_speed.py       the app's start-up, key latency and memory
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

# A script's sys.path starts at benchmarks/, so `tui` would come from whatever checkout the
# venv installed (editable): measure this checkout's code instead.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.analysis import quantities, similarity
from tui.core.analysis.corpus import Corpus
from tui.core.analysis.pipeline import AnalysisConfig, analyze
from tui.core.analysis.similarity import LexicalScorer
from tui.core.analysis.stories import StoryConfig
from tui.core.analysis.text import fold_phrases
from tui.core.model import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks"


def _msrp(name: str) -> list[tuple[int, str, str]]:
    rows = []
    with open(SHARED / "msrp" / name, encoding="utf-8-sig") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 5:
                rows.append((int(parts[0]), parts[3], parts[4]))
    return rows


@contextlib.contextmanager
def _values_as_features() -> Iterator[None]:
    """The scorer as the earlier release built it: each value a feature of its own.

    claimdiff masks values (``<money:GBP>``) so that an edited amount leaves the alignment
    unchanged (issue 8); MSRP and STS-B count "different number" as "different meaning", so
    this variant shows what that choice costs on them."""
    masked = similarity.features

    def with_values(text: str) -> tuple[str, ...]:
        found = quantities.extract(fold_phrases(text))
        return masked(text) + tuple(quantities.canonical(q) for q in found)

    similarity.features = with_values  # type: ignore[assignment]
    try:
        yield
    finally:
        similarity.features = masked


def _scores(pairs: list[tuple[str, str]]) -> np.ndarray:
    scorer = LexicalScorer()
    scorer.fit([t for p in pairs for t in p])
    enc = scorer.encode([t for p in pairs for t in p])
    idx = np.arange(len(pairs))
    return scorer.score_pairs(enc, idx * 2, idx * 2 + 1)


def msrp() -> None:
    """Accuracy and F1 on the MSRP test set, threshold tuned on train."""
    train, test = _msrp("msr_paraphrase_train.txt"), _msrp("msr_paraphrase_test.txt")
    s_train = _scores([(a, b) for _, a, b in train])
    y_train = np.array([y for y, _, _ in train])
    best = max(np.linspace(0.05, 0.95, 91), key=lambda t: ((s_train >= t) == y_train).mean())
    s_test = _scores([(a, b) for _, a, b in test])
    y = np.array([y for y, _, _ in test])
    pred = s_test >= best
    tp = (pred & (y == 1)).sum()
    f1 = 2 * tp / (pred.sum() + (y == 1).sum())
    print(
        f"MSRP test: accuracy {100 * (pred == y).mean():.1f}  F1 {100 * f1:.1f}  "
        f"(threshold {best:.2f})"
    )


def sts() -> None:
    """Spearman correlation on STS-B main-news test."""
    pairs, gold = [], []
    with open(SHARED / "stsbenchmark" / "sts-test.csv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 7 and row[0] == "main-news":
                pairs.append((row[5], row[6]))
                gold.append(float(row[4]))
    rho = spearmanr(_scores(pairs), gold).statistic
    print(f"STS-B main-news test: Spearman {rho:.3f} ({len(pairs)} pairs)")


def msrp_alignment(articles: int = 12, per_article: int = 25, seed: int = 5) -> None:
    """Claims on a corpus of MSRP test pairs, each pair's sentences in two articles.

    Recall: paraphrase pairs that land in one claim. Unrelated: aligned pairs of sentences
    from different MSRP pairs (different stories), which are plain errors. Pairs MSRP calls
    "not paraphrases" are left out of both: most report one event with a detail changed,
    which claimdiff should align and flag as divergent.
    """
    rng = random.Random(seed)
    pairs = _msrp("msr_paraphrase_test.txt")
    rng.shuffle(pairs)
    texts: list[list[str]] = [[] for _ in range(articles)]
    gold: set[frozenset[str]] = set()
    labelled: set[frozenset[str]] = set()
    for label, a, b in pairs:
        i, j = rng.sample(range(articles), 2)
        if len(texts[i]) < per_article and len(texts[j]) < per_article:
            texts[i].append(a)
            texts[j].append(b)
            labelled.add(frozenset((a, b)))
            if label == 1:
                gold.add(frozenset((a, b)))
    corpus = Corpus(
        articles=[
            Article(f"a{k}", Path(f"a{k}.txt"), f"Article {k}", "", "\n".join(t) + "\n")
            for k, t in enumerate(texts)
        ]
    )
    # Each article mixes sentences of unrelated stories, so the story grouping rightly keeps
    # them apart; this check is about sentence alignment, so all go into one story.
    analysis = analyze(corpus, AnalysisConfig(stories=StoryConfig(threshold=0.0)))
    text = {s.id: s.text for s in analysis.statements}
    aligned = {
        frozenset((text[x], text[y]))
        for c in analysis.claims
        for x, y in itertools.combinations(c.statements, 2)
    }
    print(
        f"MSRP-built corpus ({articles} articles, {len(gold)} paraphrase pairs): "
        f"recall {len(aligned & gold) / len(gold):.3f}; {len(aligned - labelled)} of "
        f"{len(aligned)} aligned pairs join sentences of different stories"
    )


def _corpus(directory: Path, articles: int, statements: int, seed: int = 7) -> None:
    """Articles of MSRP sentences; each paraphrase pair is split across two articles."""
    rng = random.Random(seed)
    pool = _msrp("msr_paraphrase_train.txt") + _msrp("msr_paraphrase_test.txt")
    for k in range(articles):
        lines = []
        for _ in range(statements):
            _, a, b = pool[rng.randrange(len(pool))]
            lines.append(a if rng.random() < 0.5 else b)
        body = "\n".join(" ".join(lines[i : i + 3]) for i in range(0, len(lines), 3))
        (directory / f"{k:04d}.txt").write_text(f"Article {k}\n{body}\n", encoding="utf-8")


def _timed(paths: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *paths],
        cwd=ROOT,  # `-c` imports from the cwd: this checkout's tui
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])["rss_mb"]


# Runs the real console entry point, then reports its own peak RSS.
_CHILD = """
import io, json, resource, sys, contextlib
from tui.cli import main
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    code = main(["analyze", "--json", "--no-cache", *sys.argv[1:]])
assert code == 0
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def speed(quick: bool) -> None:
    """Wall time (whole process) and peak RSS of analyze --json."""
    wall, rss = _timed([str(ROOT / "seeds")])
    print(f"analyze --json, seeds: {wall:.2f} s wall, {rss:.0f} MB peak RSS")
    sizes = [200] if quick else [200, 1000]
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            _corpus(Path(tmp), n, 30)
            wall, rss = _timed([tmp])
            print(
                f"analyze --json, {n} articles x 30 statements: "
                f"{wall:.1f} s wall, {rss:.0f} MB peak RSS"
            )


def main() -> None:
    """Run every benchmark and print its figures."""
    quick = "--quick" in sys.argv
    if SHARED.exists():
        msrp()
        sts()
        print("  the same with each value a feature (values unmasked, as before issue 8):")
        with _values_as_features():
            msrp()
            sts()
        msrp_alignment()
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ecb.py")], check=True)
    else:
        print("(../shared/benchmarks not found: similarity quality skipped)")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "seed_quality.py")], check=True)
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "edits.py")], check=True)
    speed(quick)


if __name__ == "__main__":
    main()
