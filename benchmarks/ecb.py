"""Alignment quality on the ECB+ development split (real news, many stories).

Run from the repository: python benchmarks/ecb.py [--topics 1,3] [--mixed] [--jobs N]
                                                  [--json-out DIR]

Each topic folder of ``../shared/benchmarks/ecbplus-dev/units/`` is analysed on its own
(through the public pipeline: load_corpus, analyze, to_json) and the outputs are scored by the
split's own scorer: micro-averaged pairwise precision, recall, F1, link density (linked
cross-article sentence pairs / all of them; above 0.10 is degenerate over-linking) and the
per-topic spread of F1.

``--mixed`` also puts every selected topic's articles into ONE folder, runs one analysis, and
reports (a) how many linked statement pairs join two different ECB+ stories (every article
belongs to one story: ``1_10ecb.txt`` to ``1_ecb``, ``1_10ecbplus.txt`` to ``1_ecbplus``), and
(b) the F1 of that single output scored per topic, next to the per-topic runs' F1.
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# A script's sys.path starts at benchmarks/, so `tui` would come from whatever checkout the
# venv installed (editable): measure this checkout's code instead.
sys.path.insert(0, str(ROOT))

from tui.core.analysis.analysis_json import to_json  # noqa: E402
from tui.core.analysis.corpus import load_corpus  # noqa: E402
from tui.core.analysis.pipeline import analyze  # noqa: E402

ECB = ROOT.parent / "shared" / "benchmarks" / "ecbplus-dev"
DOC_NAME = re.compile(r"^(\d+)_\d+(ecb|ecbplus)\.txt$")

Json = dict[str, Any]


def _scorer() -> ModuleType:
    """The shared scorer, loaded from its file (it is not a package)."""
    spec = importlib.util.spec_from_file_location("ecb_score", ECB / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {ECB / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def story_of(doc: str) -> str:
    """The ECB+ story of an article file: ``3_7ecbplus.txt`` -> ``3_ecbplus``."""
    m = DOC_NAME.match(doc)
    if m is None:
        raise ValueError(f"not an ECB+ article name: {doc}")
    return f"{m.group(1)}_{m.group(2)}"


def analyse_folder(folder: str) -> Json:
    """The claimdiff.analysis/1 JSON of one folder (top-level so a process pool can run it)."""
    return to_json(analyze(load_corpus([folder])))


def _topics(selected: str | None) -> list[str]:
    units = sorted((p.name for p in (ECB / "units").iterdir() if p.is_dir()), key=int)
    if not selected:
        return units
    wanted = [t.strip() for t in selected.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in units]
    if unknown:
        raise SystemExit(f"unknown topic(s): {', '.join(unknown)} (have {', '.join(units)})")
    return [u for u in units if u in wanted]


def _view(topics: list[str], tmp: Path) -> Path:
    """A split directory holding only the selected topics (score_all scores every gold file)."""
    view = tmp / "view"
    (view / "gold").mkdir(parents=True)
    (view / "units").mkdir()
    for t in topics:
        (view / "gold" / f"{t}.json").symlink_to(ECB / "gold" / f"{t}.json")
        (view / "units" / t).symlink_to(ECB / "units" / t)
    return view


def _run_all(folders: list[str], jobs: int) -> list[Json]:
    if jobs <= 1:
        return [analyse_folder(f) for f in folders]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(analyse_folder, folders))


def _print_score(label: str, s: Json) -> None:
    u = s["unit_f1"]
    print(
        f"{label}: P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
        f"link_density {s['link_density']:.4f}"
    )
    print(
        f"  pairs: {s['pred_pairs']} predicted (judged), {s['tp_precision']} allowed, "
        f"{s['tp_recall']} of {s['required_pairs']} required found; "
        f"{s['fp_cross_story']} false links across the topic's two stories; "
        f"precision within story {s['precision_within_story']:.3f}"
    )
    print(
        f"  per-topic F1: min {u['min']}  p25 {u['p25']}  median {u['median']}  "
        f"p75 {u['p75']}  max {u['max']}  stdev {u['stdev']}  macro {u['macro']}"
    )
    print(f"  worst topics: {', '.join(s['worst_units'])}")
    if s["units_failed"] or s["offset_errors"] or s["unmapped_statements"]:
        print(
            f"  WARNING: {s['units_failed']} topics without output, "
            f"{s['offset_errors']} offset errors, {s['unmapped_statements']} unmapped statements"
        )


def linked_pairs(analysis: Json) -> set[tuple[str, str]]:
    """Distinct pairs of statements of different articles that share a claim."""
    article = {s["id"]: s["article"] for s in analysis["statements"]}
    pairs: set[tuple[str, str]] = set()
    for c in analysis["claims"]:
        for x, y in itertools.combinations(sorted(set(c["statements"])), 2):
            if article[x] != article[y]:
                pairs.add((x, y))
    return pairs


def cross_story(analysis: Json) -> tuple[int, int, int]:
    """(linked pairs, pairs joining two ECB+ stories, pairs joining two topics)."""
    doc = {a["id"]: Path(a["path"]).name for a in analysis["articles"]}
    story = {s["id"]: story_of(doc[s["article"]]) for s in analysis["statements"]}
    pairs = linked_pairs(analysis)
    stories = sum(story[x] != story[y] for x, y in pairs)
    topics = sum(story[x].split("_")[0] != story[y].split("_")[0] for x, y in pairs)
    return len(pairs), stories, topics


def mixed_claims(analysis: Json) -> tuple[int, int, int]:
    """(claims over 2+ articles, those holding 2+ ECB+ stories, size of the largest claim)."""
    doc = {a["id"]: Path(a["path"]).name for a in analysis["articles"]}
    article = {s["id"]: s["article"] for s in analysis["statements"]}
    multi = mixed = largest = 0
    for c in analysis["claims"]:
        articles = {article[i] for i in c["statements"]}
        largest = max(largest, len(set(c["statements"])))
        if len(articles) > 1:
            multi += 1
            mixed += len({story_of(doc[a]) for a in articles}) > 1
    return multi, mixed, largest


def split_by_topic(analysis: Json, topics: list[str]) -> dict[str, Json]:
    """The one mixed output cut back into one output per topic (claims keep their members
    of that topic; a claim spanning topics contributes to each)."""
    topic_of_article = {a["id"]: Path(a["path"]).name.split("_")[0] for a in analysis["articles"]}
    topic_of_statement = {s["id"]: topic_of_article[s["article"]] for s in analysis["statements"]}
    out: dict[str, Json] = {}
    for t in topics:
        claims = []
        for c in analysis["claims"]:
            members = [i for i in c["statements"] if topic_of_statement[i] == t]
            if members:
                claims.append({**c, "statements": members})
        out[t] = {
            "schema": analysis["schema"],
            "articles": [a for a in analysis["articles"] if topic_of_article[a["id"]] == t],
            "statements": [s for s in analysis["statements"] if topic_of_statement[s["id"]] == t],
            "claims": claims,
        }
    return out


def _write(directory: Path, name: str, data: Json) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    """Score per-topic runs (and with --mixed one run over every topic) on ECB+ dev."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--topics", help="comma-separated topic numbers, e.g. 1,3 (default: all)")
    ap.add_argument("--mixed", action="store_true", help="also run all topics in one folder")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (1: in-process)")
    ap.add_argument("--json-out", type=Path, help="write every output JSON to this directory")
    args = ap.parse_args(argv)
    if not (ECB / "gold").is_dir():
        print(f"ECB+ dev split not found at {ECB}", file=sys.stderr)
        return 2
    topics = _topics(args.topics)
    score_all = _scorer().score_all
    with tempfile.TemporaryDirectory(prefix="claimdiff-ecb-") as tmp_name:
        tmp = Path(tmp_name)
        view = _view(topics, tmp)
        folders = [str(ECB / "units" / t) for t in topics]
        outputs, wall, _ = _timed(lambda: _run_all(folders, args.jobs))
        results = dict(zip(topics, outputs, strict=True))
        n_articles = sum(len(o["articles"]) for o in outputs)
        n_statements = sum(len(o["statements"]) for o in outputs)
        print(
            f"ECB+ dev, {len(topics)} topics, {n_articles} articles, {n_statements} statements; "
            f"one run per topic ({args.jobs} jobs): {wall:.1f} s wall"
        )
        per_topic = score_all(view, results, detail=True)
        _print_score("per-topic runs", per_topic)
        if args.json_out:
            for t, o in results.items():
                _write(args.json_out, f"{t}.json", o)
        if args.mixed:
            mixed_dir = tmp / "mixed"
            mixed_dir.mkdir()
            for t in topics:
                for f in sorted((ECB / "units" / t).glob("*.txt")):
                    shutil.copyfile(f, mixed_dir / f.name)
            mixed, wall, cpu = _timed(lambda: analyse_folder(str(mixed_dir)))
            print(
                f"\nmixed: all {len(topics)} topics in one folder "
                f"({len(os.listdir(mixed_dir))} articles): {wall:.1f} s wall, {cpu:.1f} s CPU"
            )
            n, stories, across_topics = cross_story(mixed)
            share = stories / n if n else 0.0
            print(
                f"  linked statement pairs: {n}; crossing ECB+ stories: {stories} "
                f"({100 * share:.1f}%), of which across topics: {across_topics}"
            )
            multi, mixed_n, largest = mixed_claims(mixed)
            print(
                f"  claims over 2+ articles: {multi}, of which mixing stories: {mixed_n}; "
                f"largest claim: {largest} statements"
            )
            if "stories" in mixed:
                print(f"  stories reported by claimdiff: {len(mixed['stories'])}")
            split = split_by_topic(mixed, topics)
            mixed_score = score_all(view, split, detail=True)
            _print_score("  mixed output scored per topic", mixed_score)
            print(
                f"  F1 mixed {mixed_score['f1']:.3f} vs per-topic runs {per_topic['f1']:.3f} "
                f"(difference {mixed_score['f1'] - per_topic['f1']:+.3f})"
            )
            if args.json_out:
                _write(args.json_out, "mixed.json", mixed)
                for t, o in split.items():
                    _write(args.json_out / "mixed", f"{t}.json", o)
    return 0


if __name__ == "__main__":
    sys.exit(main())
