"""Speed on dense corpora: many sources repeating the same few big facts (issue 9).

Run from the repository: python benchmarks/dense.py [--sizes 200,1000,3000] [--stories N]
                                                     [--with-10k] [--budget SECONDS]
                                                     [--keep DIR]

Each article has a headline, a long lede joining three of its story's big facts, and 29 more
statements: nine other big facts (every story has 15, so each is repeated by ~80% of the
story's sources and its claim holds 100+ statements), twelve minor facts (each repeated by a
few sources) and eight statements of its own. Facts are reworded from source to source
(words dropped or swapped for a synonym, quantities written "£3bn" or "£3 billion") and now
and then a source gets a quantity wrong. With --stories N the articles belong to N stories
whose vocabularies are disjoint (only function words and a few generic news words are
shared). The corpus is generated with a fixed seed, so every run measures the same text.

Each size (and first the bundled seeds) runs `python -m tui analyze --json DIR > /dev/null`
from this checkout as a whole process, inside a fresh wrapper process, so wall time, CPU
time (user + system) and peak RSS are that run's alone. The growth exponent between two
sizes is log(t2/t1) / log(n2/n1). A bare TF-IDF pass (read, naive sentence split, 1-2-gram
TF-IDF with no document-frequency cap, top-10 neighbours per sentence by chunked sparse
products, a cosine cut-off of 0.5, connected components) runs the same way on the
1,000-article corpus (or the largest size below it), for the ratio claimdiff / baseline.
The machine's other load shows in wall time: CPU time is the firmer figure.
A size predicted to overrun the time budget (default 270 s for the whole run) is skipped.
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STATEMENTS = 30  # per article, lede included (the headline is extra)
BIG_FACTS = 15  # per story
LEDE_FACTS = 3
BODY_BIG = 9
BODY_MINOR = 12
BODY_OWN = STATEMENTS - 1 - BODY_BIG - BODY_MINOR
MINOR_FACTS = 150  # per story
WRONG_VALUE = 0.05  # share of fact mentions that get the quantity wrong

FUNCTION = "the a of to in and on for with by from at as that its their after".split()
GENERIC = (
    "government officials report said year week plan new public minister company "
    "statement spokesman according people million country national local"
).split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"] + ["an", "el", "or", "is"]


def _pseudo_word(rng: random.Random, taken: set[str]) -> str:
    while True:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in taken:
            taken.add(word)
            return word


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact: who, its content words (each with a synonym), and a quantity."""

    subject: str
    words: tuple[str, ...]
    synonyms: tuple[str, ...]
    quantity: tuple[str, int]  # kind, value


@dataclass(frozen=True, slots=True)
class Story:
    """A story's facts and the words its sources fill their own statements with."""

    big: tuple[Fact, ...]
    minor: tuple[Fact, ...]
    vocabulary: tuple[str, ...]
    names: tuple[str, ...]


def make_story(rng: random.Random, taken: set[str]) -> Story:
    """A story with its own vocabulary (pseudo-words no other story uses)."""
    vocabulary = tuple(_pseudo_word(rng, taken) for _ in range(600))
    names = tuple(_pseudo_word(rng, taken).capitalize() for _ in range(40))

    def fact() -> Fact:
        words = tuple(rng.sample(vocabulary, 10))
        kind = rng.choice(["money", "number", "percent", "date"])
        value = {"money": rng.randint(2, 90), "number": rng.randint(20, 900)}.get(
            kind, rng.randint(1, 28) if kind == "date" else rng.randint(2, 60)
        )
        return Fact(rng.choice(names), words, tuple(rng.sample(vocabulary, 10)), (kind, value))

    return Story(
        tuple(fact() for _ in range(BIG_FACTS)),
        tuple(fact() for _ in range(MINOR_FACTS)),
        vocabulary,
        names,
    )


def _quantity(rng: random.Random, kind: str, value: int, unit: str) -> str:
    if kind == "money":
        return rng.choice([f"£{value}bn", f"£{value} billion", f"{value} billion pounds"])
    if kind == "number":
        return rng.choice([f"{value} {unit}", f"{value:,} {unit}", f"more than {value} {unit}"])
    if kind == "percent":
        return rng.choice([f"{value}%", f"{value} per cent", f"{value} percent"])
    month = MONTHS[value % 12]
    return rng.choice([f"{value} {month} 2025", f"{month} {value}, 2025", f"{month} {value}"])


def render(rng: random.Random, fact: Fact) -> str:
    """One source's wording of a fact: most of its words, some swapped, the quantity."""
    kind, value = fact.quantity
    if rng.random() < WRONG_VALUE:
        value += rng.randint(1, 5)
    kept = [
        (fact.synonyms[i] if rng.random() < 0.08 else w)
        for i, w in enumerate(fact.words)
        if rng.random() < 0.9
    ]
    cut = rng.randint(2, max(2, len(kept) - 2))
    middle = [w if rng.random() < 0.7 else f"{rng.choice(FUNCTION)} {w}" for w in kept[:cut]]
    tail = [w if rng.random() < 0.7 else f"{rng.choice(FUNCTION)} {w}" for w in kept[cut:]]
    quantity = _quantity(rng, kind, value, fact.words[-1])
    verb = rng.choice(["said", "announced", "confirmed", "reported", "stated"])
    return f"{fact.subject} {verb} {' '.join(middle)} {quantity} {' '.join(tail)}"


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def own_statement(rng: random.Random, story: Story) -> str:
    """A statement only this source makes."""
    words = rng.sample(story.vocabulary, rng.randint(9, 16))
    words += rng.sample(GENERIC, 2) + rng.sample(FUNCTION, 3)
    rng.shuffle(words)
    return _sentence(f"{rng.choice(story.names)} {' '.join(words)}")


def make_article(rng: random.Random, story: Story) -> str:
    """Headline, a long lede of three big facts, then paragraphs of three statements."""
    big = rng.sample(story.big, LEDE_FACTS + BODY_BIG)
    lede_facts = [render(rng, f) for f in big[:LEDE_FACTS]]
    lede = _sentence(f"{lede_facts[0]}, while {lede_facts[1]} and {lede_facts[2]}")
    headline = " ".join(big[0].words[:6]).capitalize() + f" {big[0].subject}"
    body = [_sentence(render(rng, f)) for f in big[LEDE_FACTS:]]
    body += [_sentence(render(rng, f)) for f in rng.sample(story.minor, BODY_MINOR)]
    body += [own_statement(rng, story) for _ in range(BODY_OWN)]
    rng.shuffle(body)
    paragraphs = [lede] + [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(directory: Path, articles: int, stories: int = 1, seed: int = 11) -> None:
    """Write a dense corpus; the same arguments always give the same files."""
    rng = random.Random(seed)
    taken = set(FUNCTION) | set(GENERIC)
    story_list = [make_story(rng, taken) for _ in range(stories)]
    directory.mkdir(parents=True, exist_ok=True)
    for k in range(articles):
        text = make_article(rng, story_list[k % stories])
        (directory / f"{k:05d}.txt").write_text(text, encoding="utf-8")


# Runs one command as its child and reports that child's own resource use.
_WRAPPER = """
import json, resource, subprocess, sys, time
timeout = float(sys.argv[1]); cwd = sys.argv[2]; cmd = sys.argv[3:]
start = time.perf_counter()
try:
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, timeout=timeout)
    code, said = proc.returncode, (proc.stderr.strip().splitlines() or [""])[-1]
except subprocess.TimeoutExpired:
    code, said = None, ""
wall = time.perf_counter() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
                  "rss_mb": ru.ru_maxrss / 1024, "said": said}))
"""


@dataclass(frozen=True, slots=True)
class Run:
    """One whole-process run: None code means it overran its time limit."""

    code: int | None
    wall: float
    cpu: float
    rss_mb: float
    said: str  # the last line the command wrote to stderr


def measure(cmd: list[str], timeout: float) -> Run:
    """Run a command in a fresh wrapper process; its stdout is discarded."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(timeout), str(ROOT), *cmd],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return Run(data["code"], data["wall"], data["cpu"], data["rss_mb"], data["said"])


def claimdiff(directory: Path, timeout: float, *options: str, cache: bool = False) -> Run:
    """`python -m tui analyze --json [--no-cache] DIR > /dev/null`, this checkout's tui."""
    flags = [*options] if cache else ["--no-cache", *options]
    return measure(
        [sys.executable, "-m", "tui", "analyze", "--json", *flags, str(directory)], timeout
    )


def reopen(directory: Path, timeout: float) -> tuple[Run, Run]:
    """A first run that fills a fresh analysis cache, then the re-open that reads it."""
    with tempfile.TemporaryDirectory(prefix="claimdiff-cache-") as cache:
        os.environ["CLAIMDIFF_CACHE_DIR"] = cache
        try:
            return claimdiff(directory, timeout, cache=True), claimdiff(
                directory, timeout, cache=True
            )
        finally:
            del os.environ["CLAIMDIFF_CACHE_DIR"]


STOP = set(FUNCTION) | {"is", "was", "were", "be", "it", "this", "an", "or", "but", "not"}
SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“£$])")
TOKEN = re.compile(r"[a-z0-9£$%]+")


def tfidf_pass(directory: Path, k: int = 10, threshold: float = 0.5) -> str:
    """The baseline: naive sentences, 1-2-gram TF-IDF, top-k neighbours, components."""
    import numpy as np
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    sentences: list[str] = []
    article: list[int] = []
    for a, path in enumerate(sorted(directory.glob("*.txt"))):
        for block in path.read_text(encoding="utf-8").split("\n"):
            for s in SPLIT.split(block.strip()):
                if s:
                    sentences.append(s)
                    article.append(a)
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, s in enumerate(sentences):
        toks = [t for t in TOKEN.findall(s.lower()) if t not in STOP]
        for term in set(toks + [f"{x} {y}" for x, y in itertools.pairwise(toks)]):
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
    n = len(sentences)
    x = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(vocab))
    )
    df = np.bincount(np.asarray(cols), minlength=len(vocab))
    x = x @ sparse.diags(np.log((1 + n) / (1 + df)).astype(np.float32) + 1)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    x = sparse.diags(1 / np.maximum(norms, 1e-9)) @ x
    xt = x.T.tocsr()
    art = np.asarray(article)
    src, dst = [], []
    for lo in range(0, n, 2000):
        sims = (x[lo : lo + 2000] @ xt).tocsr()
        for r in range(sims.shape[0]):
            a, b = sims.indptr[r], sims.indptr[r + 1]
            idx, val = sims.indices[a:b], sims.data[a:b]
            keep = art[idx] != art[lo + r]
            idx, val = idx[keep], val[keep]
            if len(idx) > k:
                top = np.argpartition(-val, k)[:k]
                idx, val = idx[top], val[top]
            idx = idx[val >= threshold]
            src.extend([lo + r] * len(idx))
            dst.extend(idx.tolist())
    graph = sparse.csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    largest = int(np.bincount(labels).max()) if n else 0
    return f"{n} sentences, {len(src)} top-{k} links, {count} groups, largest {largest}"


def exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    """Growth exponent of t between sizes n1 and n2."""
    return math.log(t2 / t1) / math.log(n2 / n1) if t1 > 0 and t2 > 0 else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Generate corpora of each size, time claimdiff on each, then the baseline."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="200,1000,3000", help="article counts (comma-separated)")
    ap.add_argument("--with-10k", action="store_true", help="also 10,000 articles")
    ap.add_argument("--stories", type=int, default=1, help="stories in one folder (default 1)")
    ap.add_argument("--budget", type=float, default=270, help="seconds for the whole run")
    ap.add_argument("--keep", type=Path, help="write the corpora here instead of a temp dir")
    ap.add_argument("--tfidf-pass", type=Path, help=argparse.SUPPRESS)  # the baseline's child
    args = ap.parse_args(argv)
    if args.tfidf_pass:
        print(tfidf_pass(args.tfidf_pass), file=sys.stderr)
        return 0
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        print(f"--sizes: not a list of numbers: {args.sizes}", file=sys.stderr)
        return 2
    if args.with_10k:
        sizes = sorted(set(sizes) | {10000})
    if not sizes or min(sizes) < 1 or args.stories < 1:
        print("--sizes and --stories must be positive", file=sys.stderr)
        return 2
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claimdiff-dense-") as tmp_name:
        base = args.keep or Path(tmp_name)
        print(
            f"dense corpus: {STATEMENTS} statements + headline per article, "
            f"{BIG_FACTS} big facts per story, {args.stories} stor"
            f"{'y' if args.stories == 1 else 'ies'}; whole-process analyze --json"
        )
        print(f"{'articles':>8} {'statements':>10} {'wall s':>8} {'CPU s':>8} {'peak RSS':>9}")
        seeds = claimdiff(ROOT / "seeds", 60)
        print(f"{'seeds':>8} {'':>10} {seeds.wall:>8.2f} {seeds.cpu:>8.2f} {seeds.rss_mb:>6.0f} MB")
        done: list[tuple[int, Run]] = []
        for n in sizes:
            left = args.budget - (time.perf_counter() - start)
            if done:
                n0, r0 = done[-1]
                guess = r0.wall * (n / n0) ** 1.2
                if guess > left:
                    print(f"{n:>8} skipped: ~{guess:.0f} s predicted, {left:.0f} s of budget left")
                    continue
            folder = base / f"dense-{n}-s{args.stories}"
            if not folder.exists():
                generate(folder, n, args.stories)
            run = claimdiff(folder, max(left, 1.0))
            if run.code != 0:
                what = "timed out" if run.code is None else f"failed (exit {run.code})"
                print(f"{n:>8} {what} after {run.wall:.1f} s: {run.said}")
                continue
            print(
                f"{n:>8} {n * STATEMENTS:>10} {run.wall:>8.1f} {run.cpu:>8.1f} "
                f"{run.rss_mb:>6.0f} MB"
            )
            done.append((n, run))
        for (n1, r1), (n2, r2) in itertools.pairwise(done):
            print(
                f"growth exponent {n1} -> {n2}: wall {exponent(n1, r1.wall, n2, r2.wall):.2f}, "
                f"CPU {exponent(n1, r1.cpu, n2, r2.cpu):.2f}"
            )
        for n, run in done:
            print(f"statements per second at {n}: {n * STATEMENTS / run.wall:,.0f} (wall)")
        below = [(n, r) for n, r in done if n <= 1000]
        if below:
            n, run = below[-1]
            folder = base / f"dense-{n}-s{args.stories}"
            first, again = reopen(folder, 600)
            print(
                f"cache, {n} articles: cold {first.wall:.1f} s (filling the cache), "
                f"re-open {again.wall:.2f} s wall, {again.rss_mb:.0f} MB"
            )
            if args.stories > 1:
                one = claimdiff(folder, 600, "--jobs", "1")
                two = claimdiff(folder, 600, "--jobs", "2")
                print(
                    f"--jobs 1 vs --jobs 2, {n} articles of {args.stories} stories: "
                    f"{one.wall:.1f} s vs {two.wall:.1f} s wall"
                )
            cmd = [sys.executable, str(Path(__file__).resolve()), "--tfidf-pass", str(folder)]
            bare = measure(cmd, 600)
            print(
                f"bare TF-IDF top-10 pass, {n} articles: {bare.wall:.1f} s wall, "
                f"{bare.cpu:.1f} s CPU, {bare.rss_mb:.0f} MB; claimdiff / baseline: "
                f"wall {run.wall / bare.wall:.1f}x, CPU {run.cpu / bare.cpu:.1f}x"
            )
            print(f"  baseline: {bare.said}")
    print(f"(whole benchmark {time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
