"""How fast the review app opens a corpus: first articles on screen, then claims (issue 9, 10).

Run from the repository: python benchmarks/app_open.py [--sizes 200,1000] [--big]
                                                        [--timeout SECONDS] [--only NAME]

Each case runs in a fresh process that does what `claimdiff DIR` does (import the CLI, read
the corpus, open the user's analysis cache, start the app; headless, 160x45) and prints,
counted from the start of that process:

- "articles": the first pane shows its article's statements;
- "claims": the analysis is on screen (claims and highlights; tagging is possible), or the
  story list is up;
- with each, the process's CPU time (all threads) so far: the firmer figure on a busy machine;
- while the analysis runs, the event loop's worst and 95th-percentile lag (a 10 ms timer's
  overshoot), and with --keys the median time of a key press (j, 8 of them 0.3 s apart)
  handled and redrawn: the app stays responsive when these stay small. (Keys cost the
  app time, so the times to articles and claims are firmer without --keys.)

Cases: the bundled seeds without a cache and re-opened from it; dense corpora
(`benchmarks/dense.py`'s generator) cold (fresh cache) and re-opened (same cache);
with --big, five 10 MB files of awkward shapes (one line without full stops, lines
without full stops, paragraphs of ~1 MB, the seeds' prose repeated, random words), each
alone. Prints figures only.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "benchmarks"))

from dense import generate  # noqa: E402  (this directory's generator)

CHILD = r"""
import time
t0 = time.perf_counter()
import asyncio, json, statistics, sys
from pathlib import Path
from tui.cli import analysis_cache, load
from tui.app import ClaimDiffApp
from tui.widgets.statements import StatementList

ann, timeout, keys = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "keys"
paths = [Path(p) for p in sys.argv[4:]]

async def run():
    out = {}
    app = ClaimDiffApp(load(paths), annotations_dir=ann, reviewer="bench", cache=analysis_cache())
    lags = []
    async def ticker():
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - t - 0.01)
    async with app.run_test(size=(160, 45)) as pilot:
        tick = asyncio.get_running_loop().create_task(ticker())
        while time.perf_counter() - t0 < timeout:
            if "articles" not in out and any(
                p.option_count and p.region.area for p in app.query(StatementList)
            ):
                out["articles"] = time.perf_counter() - t0
                out["articles_cpu"] = time.process_time()
                lags.clear()
            # The analysis on screen (a file of one headline has no claim to select), or
            # the story list of a folder of several stories.
            if app.analysis is not None or type(app.screen).__name__ == "StoryPicker":
                out["claims"] = time.perf_counter() - t0
                out["claims_cpu"] = time.process_time()
                break
            if keys and "articles" in out and len(out.setdefault("keys", [])) < 8:
                t = time.perf_counter()
                await pilot.press("j")
                await pilot.pause()
                out["keys"].append(time.perf_counter() - t)
                await asyncio.sleep(0.3)
            await asyncio.sleep(0.01)
        tick.cancel()
        if lags and "articles" in out:
            lags.sort()
            out["lag_max"] = lags[-1]
            out["lag_p95"] = lags[int(0.95 * (len(lags) - 1))]
        if out.get("keys"):
            out["key_median"] = statistics.median(out.pop("keys"))
        out.pop("keys", None)
    print(json.dumps(out))

asyncio.run(run())
"""


def run_case(
    paths: list[Path], cache: Path, timeout: float, checkout: Path = ROOT, keys: bool = False
) -> dict[str, float]:
    """One process: start the app on ``paths`` with ``cache`` and report its figures."""
    with tempfile.TemporaryDirectory(prefix="claimdiff-ann-") as ann:
        try:
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, ann, str(timeout), "keys" if keys else "-"]
                + [str(p) for p in paths],
                cwd=checkout,  # `-c` imports from the cwd: that checkout's tui
                capture_output=True,
                text=True,
                env={**__import__("os").environ, "CLAIMDIFF_CACHE_DIR": str(cache)},
                timeout=timeout + 60,
            )
        except subprocess.TimeoutExpired:
            return {"error": f"the app did not end within {timeout + 60:.0f} s (blocked)"}
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def big_file(path: Path, shape: str, size: int = 10_000_000) -> Path:
    """A file of ``size`` bytes: one line without full stops, lines without, huge paragraphs,
    the seeds' prose repeated, or random seed words with stops and line breaks at random."""
    rng = random.Random(5)
    if shape in ("prose", "random"):
        prose = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
        if shape == "prose":
            text = (prose + "\n\n") * (size // len(prose) + 1)
        else:
            vocab = sorted(set(prose.split()))
            out, n = [], 0
            while n < size:
                word = rng.choice(vocab)
                r = rng.random()
                word += "." if r < 0.02 else "\n" if r < 0.025 else ""
                out.append(word)
                n += len(word) + 1
            text = " ".join(out)
        path.write_text(text[:size], encoding="utf-8")
        return path
    words = "council budget river bridge police mayor report funding housing court".split()
    parts: list[str] = []
    total, paragraph_end = 0, 1_000_000
    while total < size:
        chunk = " ".join(rng.choice(words) for _ in range(200))
        if shape == "paragraphs":  # sentences of ~120 characters, paragraphs of ~1 MB
            chunk = ". ".join(chunk[i : i + 120].capitalize() for i in range(0, len(chunk), 120))
            chunk += "."
            if total >= paragraph_end:
                chunk, paragraph_end = chunk + "\n\n", paragraph_end + 1_000_000
            else:
                chunk += " "
        elif shape == "lines":
            chunk += "\n"
        else:
            chunk += " "
        parts.append(chunk)
        total += len(chunk)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def show(name: str, figures: dict[str, float]) -> None:
    """One line of figures."""
    if "error" in figures:
        print(f"  {name:<34} error: {figures['error']}")
        return
    cells = [
        f"articles {figures['articles']:.2f} s ({figures['articles_cpu']:.2f} CPU)"
        if "articles" in figures
        else "articles  —  ",
        f"claims {figures['claims']:.2f} s ({figures['claims_cpu']:.2f} CPU)"
        if "claims" in figures
        else "claims (timed out)",
    ]
    if "lag_max" in figures:
        cells.append(f"loop lag max {1000 * figures['lag_max']:.0f} ms")
        cells.append(f"p95 {1000 * figures['lag_p95']:.0f} ms")
    if "key_median" in figures:
        cells.append(f"key j {1000 * figures['key_median']:.0f} ms")
    print(f"  {name:<34} " + " · ".join(cells), flush=True)


def main(argv: list[str] | None = None) -> int:
    """Print the opening figures of each case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000", help="dense corpus sizes (articles)")
    parser.add_argument("--big", action="store_true", help="also the five 10 MB files")
    parser.add_argument("--timeout", type=float, default=150.0, help="per case, seconds")
    parser.add_argument("--only", help="only the cases whose name contains this")
    parser.add_argument("--keys", action="store_true", help="press j while the analysis runs")
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="start every case from a copy of this analysis cache ($CLAIMDIFF_CACHE_DIR) and "
        "skip the cold runs: the re-open of a corpus analysed before",
    )
    parser.add_argument("--against-cache", type=Path, metavar="DIR", help="the same, for --against")
    parser.add_argument(
        "--against",
        type=Path,
        metavar="DIR",
        help="another checkout (e.g. `git archive` of an older commit): each case runs there "
        "right after here, so both meet the same load on a busy machine",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    seeds = ROOT / "seeds"
    print("time from process start (headless, 160x45); CPU: the process's, all threads")
    with tempfile.TemporaryDirectory(prefix="claimdiff-open-") as tmp_dir:
        tmp = Path(tmp_dir)
        cases: list[tuple[str, list[Path]]] = [("seeds", [seeds])]
        for n in sizes:
            generate(tmp / f"dense{n}", n)
            cases.append((f"dense {n}", [tmp / f"dense{n}"]))
        if args.big:
            for shape in ("one-line", "lines", "paragraphs", "prose", "random"):
                (tmp / shape).mkdir()
                big_file(tmp / shape / "big.txt", shape)
                cases.append((f"10 MB {shape}", [tmp / shape]))
        for name, paths in cases:
            if args.only and args.only not in name:
                continue
            checkouts = [("", ROOT, args.cache)]
            if args.against:
                checkouts.append((" [against]", args.against, args.against_cache))
            for when in ("cold", "re-open"):
                for label, checkout, start in checkouts:
                    cache = tmp / f"cache-{name.replace(' ', '-')}{label.strip(' []')}"
                    if start is not None and not cache.exists():
                        shutil.copytree(start, cache)
                    if start is not None and when == "cold":
                        continue
                    figures = run_case(paths, cache, args.timeout, checkout, args.keys)
                    show(f"{name}, {when}{label}", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
