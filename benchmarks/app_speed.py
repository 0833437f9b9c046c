"""Review-app speed: start-up on the seeds, key latency and memory on 50 articles x 40 statements.

Run: python benchmarks/app_speed.py  (--keys-only: skip the start-up runs)

Key latency is measured two ways. "Pilot": pilot.press() then pilot.pause(); Pilot's
waits sleep in 20 ms steps and call back every widget, so this has a floor of about
80 ms (the no-op key f12 shows it) whatever the key does. "app": the key posted as an
event, timed until the app has finished handling it and redrawing (polled every 4 ms);
"CPU" is the process time spent over the same span.
"""

from __future__ import annotations

import asyncio
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A script's sys.path starts at benchmarks/, so `tui` would come from whatever checkout the
# venv installed (editable): measure this checkout's code instead.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual import events

from tui.app import ClaimDiffApp
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.widgets.aligned import AlignedView

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "council budget school hospital river bridge police mayor report funding housing "
    "transport election court ruling contract company workers strike energy prices"
).split()

STARTUP = """
import asyncio, sys, time
t0 = time.perf_counter()
from pathlib import Path
from tui.app import ClaimDiffApp
from tui.widgets.aligned import AlignedView
from tui.core.analysis.corpus import load_corpus
async def run():
    app = ClaimDiffApp(load_corpus([sys.argv[1]]), annotations_dir=Path(sys.argv[2]), reviewer="b")
    async with app.run_test(size=(160, 45)) as pilot:
        while app.selected is None:
            await pilot.pause(0.01)
        print(f"{time.perf_counter() - t0:.2f}")
asyncio.run(run())
"""

KEYS = ["j"] * 60 + ["k"] * 30 + ["right_square_bracket"] * 40 + ["tab"] * 20 + ["G", "g"] * 5
NO_OP = "f12"  # bound to nothing: the cost of the measurement itself
KEY_CHARS = {"j": "j", "k": "k", "g": "g", "G": "G", "right_square_bracket": "]", "tab": "\t"}


def make_corpus(directory: Path, articles: int, statements: int) -> None:
    """Articles whose statements share facts across sources (numbers varied now and then)."""
    rng = random.Random(3)
    facts = [" ".join(rng.sample(WORDS, 6)) + f" {rng.randint(2, 90)} million" for _ in range(300)]
    for k in range(articles):
        lines = []
        for _ in range(statements):
            fact = rng.choice(facts)
            if rng.random() < 0.2:
                fact = fact.replace("million", "billion")
            lines.append(f"The {fact.capitalize()} was reported on Tuesday.")
        body = "\n".join(" ".join(lines[i : i + 4]) for i in range(0, len(lines), 4))
        (directory / f"{k:03d}.txt").write_text(f"Story {k}\n{body}\n", encoding="utf-8")


async def settle() -> float:
    """Wait until the app stops using CPU; return when its last busy moment ended."""
    last_busy, quiet = time.perf_counter(), 0
    while quiet < 4:
        cpu = time.process_time()
        await asyncio.sleep(0.004)
        if time.process_time() - cpu > 0.0004:
            last_busy, quiet = time.perf_counter(), 0
        else:
            quiet += 1
    return last_busy


def quantile(values: list[float], at: float) -> float:
    """The value at a fraction of the sorted list (0.5: the median)."""
    return sorted(values)[round(at * (len(values) - 1))]


async def key_latency(corpus_dir: Path, ann: Path) -> dict[str, dict[str, float]]:
    """Per key: Pilot's press-and-settle time, and the app's own time to handle and redraw.

    The second sends the key as an event (as Pilot does) but waits for idleness with a
    4 ms poll instead of Pilot's 20 ms steps and per-widget callbacks, so it measures the
    app: from the key event to the end of the last redraw it caused.
    """
    analysis = analyze(load_corpus([corpus_dir]))
    app = ClaimDiffApp(analysis=analysis, annotations_dir=ann, reviewer="bench")
    pilot_ms: dict[str, list[float]] = {}
    app_ms: dict[str, list[float]] = {}
    cpu_ms: dict[str, list[float]] = {}
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        for key in [NO_OP] * 20 + KEYS:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            pilot_ms.setdefault(key, []).append(1000 * (time.perf_counter() - start))
        for key in [NO_OP] * 20 + KEYS:
            await settle()
            start, start_cpu = time.perf_counter(), time.process_time()
            app.post_message(events.Key(key, KEY_CHARS.get(key)))
            done = await settle()
            app_ms.setdefault(key, []).append(1000 * max(0.0, done - start))
            cpu_ms.setdefault(key, []).append(1000 * (time.process_time() - start_cpu))
        # The aligned view: its first opening builds the table; then keys move its cursor.
        await settle()
        start = time.perf_counter()
        app.post_message(events.Key("v", "v"))
        aligned = app.query_one(AlignedView)
        while not aligned.display:
            await asyncio.sleep(0.004)
        aligned_open = 1000 * (await settle() - start)
        for key in ["j"] * 30 + ["greater_than_sign"] * 10:
            await settle()
            start = time.perf_counter()
            app.post_message(events.Key(key, {"j": "j"}.get(key, ">")))
            app_ms.setdefault(f"aligned {key}", []).append(1000 * max(0.0, await settle() - start))
    rows = {
        "aligned view opens": {"pilot": 0.0, "app": aligned_open, "p95": aligned_open, "cpu": 0.0}
    }
    for key in ("aligned j", "aligned greater_than_sign"):
        rows[key] = {
            "pilot": 0.0,
            "app": quantile(app_ms[key], 0.5),
            "p95": quantile(app_ms[key], 0.95),
            "cpu": 0.0,
        }
    for key in [*dict.fromkeys(KEYS), NO_OP]:
        rows[key] = {
            "pilot": quantile(pilot_ms[key], 0.5),
            "app": quantile(app_ms[key], 0.5),
            "p95": quantile(app_ms[key], 0.95),
            "cpu": quantile(cpu_ms[key], 0.5),
        }
    rows["all keys"] = {
        "pilot": quantile([t for key in KEYS for t in pilot_ms[key]], 0.5),
        "app": quantile([t for key in KEYS for t in app_ms[key]], 0.5),
        "p95": quantile([t for key in KEYS for t in app_ms[key]], 0.95),
        "cpu": quantile([t for key in KEYS for t in cpu_ms[key]], 0.5),
    }
    return rows


def main() -> None:
    """Print start-up time, key latency and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for _ in range(0 if "--keys-only" in sys.argv else 3):
            out = subprocess.run(
                [sys.executable, "-c", STARTUP, str(ROOT / "seeds"), tmp],
                cwd=ROOT,  # `-c` imports from the cwd: this checkout's tui
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:  # say why, instead of a bare CalledProcessError
                sys.exit(f"start-up run failed (exit {out.returncode}):\n{out.stderr}")
            runs.append(float(out.stdout.strip()))
        if runs:
            print(
                f"start to first usable screen, seeds: {min(runs):.2f} s best, "
                f"{max(runs):.2f} s worst"
            )
        corpus = Path(tmp) / "c"
        corpus.mkdir()
        make_corpus(corpus, 50, 40)
        figures = asyncio.run(key_latency(corpus, Path(tmp) / "ann"))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"50 articles x 40 statements at 200x50; peak RSS {rss:.0f} MB")
        print(f"  {'key':<22}{'Pilot':>10}{'app median':>13}{'app p95':>10}{'CPU':>9}")
        for key, f in figures.items():
            print(
                f"  {key:<22}{f['pilot']:>7.0f} ms{f['app']:>10.1f} ms"
                f"{f['p95']:>7.1f} ms{f['cpu']:>6.1f} ms"
            )


if __name__ == "__main__":
    main()
