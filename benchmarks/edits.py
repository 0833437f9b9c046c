"""Injected single-fact edits of the seeds: are changed facts flagged, and reworded ones not?

Run from the repository: python benchmarks/edits.py [--set FILE ...] [--only ID,ID] [--jobs N]
                                                    [--verbose]

The edits are data: benchmarks/edit_set.json (described in its "doc" field) and
benchmarks/edit_set_more.json, a second set written later on other statements, with kinds
the first lacks; both by default, or the files named by --set. For each edit its corpus
(the seeds, or the folder its "corpus" names, relative to the repository) is copied to a
temporary folder (with the edit's setup applied, if any), the one substring is replaced,
and the corpus is analysed through the public pipeline. The edited statement is the
statement of the edited article holding the replaced span.

- A fact edit is FOUND when some divergence lists the edited statement and is new: the
  unedited corpus (same setup) had no divergence of that kind on the same statements, or
  had one whose detail differs and this one names the edit (its values overlap the edited
  span, or its detail contains a word the edit changed). "on target" says whether the new
  divergence names the edit; a divergence elsewhere in the statement counts as found but
  not on target.
- A paraphrase edit is a FALSE FLAG when the edited statement gains a new divergence.
- Baseline flags: the unedited corpus already flags the edited value (a false flag before
  any edit); listed separately.
"aligned" says whether the edited statement shares a claim with one of the edit's listed
counterparts (before/after the edit): without an aligned counterpart no divergence is
possible.
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# A script's sys.path starts at benchmarks/, so `tui` would come from whatever checkout the
# venv installed (editable): measure this checkout's code instead.
sys.path.insert(0, str(ROOT))

from tui.core.analysis.analysis_json import to_json  # noqa: E402
from tui.core.analysis.corpus import load_corpus  # noqa: E402
from tui.core.analysis.pipeline import analyze  # noqa: E402

SEEDS = ROOT / "seeds"
EDIT_SET = ROOT / "benchmarks" / "edit_set.json"
EDIT_SETS = (EDIT_SET, ROOT / "benchmarks" / "edit_set_more.json")
WORD = re.compile(r"[^\s,;:()\"“”'‘’—–]+")

Json = dict[str, Any]
Change = tuple[str, str, str]  # file, old, new


@dataclass(frozen=True, slots=True)
class Target:
    """Where an edit lands: the article file and the span of the text it touches."""

    file: str
    start: int
    end: int


def load_edit_set(path: Path = EDIT_SET) -> Json:
    """The edit set: {"doc", "setups": {name: {"why", "changes"}}, "edits": [...]}."""
    data: Json = json.loads(path.read_text(encoding="utf-8"))
    return data


def read(folder: Path, name: str) -> str:
    """An article's text as the corpus loader decodes it (offsets index this string)."""
    return (folder / name).read_bytes().decode("utf-8-sig")


def apply_change(folder: Path, change: Change) -> Target:
    """Replace the one occurrence of ``old``; the target covers ``new`` in the new text."""
    name, old, new = change
    text = read(folder, name)
    if text.count(old) != 1:
        raise SystemExit(f"{name}: {old!r} occurs {text.count(old)} times, not once")
    at = text.index(old)
    (folder / name).write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return Target(name, at, at + len(new))


def analyse_folder(folder: str) -> Json:
    """The claimdiff.analysis/1 JSON of one folder (top-level so a process pool can run it)."""
    return to_json(analyze(load_corpus([folder])))


def words(text: str) -> set[str]:
    """Lower-cased words with their symbols kept ("£2bn", "non-binding", "1.5%")."""
    return {w.strip(".").lower() for w in WORD.findall(text) if w.strip(".")}


def changed_words(old: str, new: str) -> set[str]:
    """The words one side has and the other has not."""
    a, b = words(old), words(new)
    return (a - b) | (b - a)


class View:
    """Lookups over one analysis output."""

    def __init__(self, analysis: Json) -> None:
        self.analysis = analysis
        self.file = {a["id"]: Path(a["path"]).name for a in analysis["articles"]}
        self.statements = {s["id"]: s for s in analysis["statements"]}

    def statement_at(self, target: Target) -> str | None:
        """The statement holding most of the span (the shortest on a tie)."""
        best: tuple[int, int, str] | None = None
        for s in self.analysis["statements"]:
            if self.file[s["article"]] != target.file:
                continue
            overlap = min(s["end"], target.end) - max(s["start"], target.start)
            if overlap > 0 or (
                target.start == target.end and s["start"] <= target.start < s["end"]
            ):
                key = (-overlap, s["end"] - s["start"], s["id"])
                if best is None or key < best:
                    best = key
        return best[2] if best else None

    def key(self, sid: str, edited: str | None) -> str:
        """A statement named by article file and text, so two runs can be compared."""
        if sid == edited:
            return "<edited>"
        s = self.statements[sid]
        return f"{self.file[s['article']]}\x1f{s['text']}"

    def divergences_of(self, sid: str) -> list[Json]:
        """Every divergence listing the statement (once each, in output order)."""
        seen: set[tuple[str, tuple[str, ...], str]] = set()
        out = []
        for c in self.analysis["claims"]:
            for d in c["divergences"]:
                key = (d["kind"], tuple(d["statements"]), d["detail"])
                if sid in d["statements"] and key not in seen:
                    seen.add(key)
                    out.append(d)
        return out

    def aligned(self, sid: str | None, others: list[str | None]) -> bool:
        """Does the statement share a claim with one of the others?"""
        wanted = {o for o in others if o is not None and o != sid}
        return sid is not None and any(
            sid in c["statements"] and wanted & set(c["statements"])
            for c in self.analysis["claims"]
        )

    def context(self, sid: str | None) -> list[str]:
        """The statement's text, then each claim holding it: members and divergences."""
        if sid is None:
            return []
        lines = [f"edited: {_short(self.statements[sid]['text'], 110)}"]
        for c in self.analysis["claims"]:
            if sid not in c["statements"] or len(c["statements"]) < 2:
                continue
            lines.append(f"claim {c['id']} ({c['status']}):")
            for m in c["statements"]:
                s = self.statements[m]
                lines.append(f"  {self.file[s['article']][:3]} {_short(s['text'], 100)}")
            lines += [f"  != {d['kind']}: {_short(d['detail'], 90)}" for d in c["divergences"]]
        if len(lines) == 1:
            lines.append("(in no claim with other statements)")
        return lines


def locate(folder: Path, view: View, file: str, substring: str) -> str | None:
    """The statement holding a substring of an article in that folder."""
    at = read(folder, file).find(substring)
    return None if at < 0 else view.statement_at(Target(file, at, at + len(substring)))


def names_edit(d: Json, sid: str, target: Target, changed: set[str]) -> bool:
    """Does the divergence point at the edited span (by offsets or by a changed word)?"""
    for v in d.get("values", []):
        if v.get("statement") != sid:
            continue
        if "start" in v and "end" in v:
            if min(v["end"], target.end) > max(v["start"], target.start):
                return True
        elif words(v.get("text", "")) & changed:
            return True
    return bool(words(d["detail"]) & changed)


@dataclass(slots=True)
class Outcome:
    """What one edit did to the analysis."""

    edit: Json
    statement: str | None
    new: list[tuple[Json, bool]]  # new divergences on the edited statement, on target?
    baseline_flags: list[Json]
    aligned_before: bool
    aligned_after: bool
    context: list[str]  # for --verbose: the edited statement and its claims after the edit


def judge(edit: Json, base: View, base_dir: Path, after: View, after_dir: Path) -> Outcome:
    """Compare the edited run with the unedited one on the edited statement."""
    at = read(base_dir, edit["file"]).index(edit["old"])
    base_target = Target(edit["file"], at, at + len(edit["old"]))
    target = Target(edit["file"], at, at + len(edit["new"]))
    sid = after.statement_at(target)
    base_sid = base.statement_at(base_target)
    counterparts = [tuple(c) for c in edit["counterparts"]]
    changed = changed_words(edit["old"], edit["new"])
    old_only = words(edit["old"]) - words(edit["new"])
    before: dict[tuple[str, frozenset[str]], set[str]] = {}
    baseline_flags: list[Json] = []
    if base_sid is not None:
        for d in base.divergences_of(base_sid):
            keys = frozenset(base.key(x, base_sid) for x in d["statements"])
            before.setdefault((d["kind"], keys), set()).add(d["detail"])
            if names_edit(d, base_sid, base_target, old_only):
                baseline_flags.append(d)
    new: list[tuple[Json, bool]] = []
    if sid is not None:
        for d in after.divergences_of(sid):
            keys = frozenset(after.key(x, sid) for x in d["statements"])
            on_target = names_edit(d, sid, target, changed)
            details = before.get((d["kind"], keys))
            if details is None or (d["detail"] not in details and on_target):
                new.append((d, on_target))
    return Outcome(
        edit,
        sid,
        new,
        baseline_flags,
        base.aligned(base_sid, [locate(base_dir, base, f, t) for f, t in counterparts]),
        after.aligned(sid, [locate(after_dir, after, f, t) for f, t in counterparts]),
        after.context(sid),
    )


def _base_key(edit: Json) -> str:
    """The baseline an edit is judged against: its corpus and its setup."""
    return f"{edit.get('corpus', 'seeds')}|{edit.get('setup', '')}"


def _prepare(
    tmp: Path, setups: dict[str, Json], edits: list[Json]
) -> tuple[dict[str, Path], list[str]]:
    """Folders: one baseline per corpus and setup used, then one edited corpus per edit."""
    bases: dict[str, Path] = {}
    for i, key in enumerate(sorted({_base_key(e) for e in edits})):
        corpus, name = key.split("|")
        folder = tmp / f"base-{i}"
        shutil.copytree(ROOT / corpus, folder)
        for change in setups[name]["changes"] if name else []:
            apply_change(folder, tuple(change))
        bases[key] = folder
    folders = []
    for e in edits:
        folder = tmp / f"edit-{e['id']}"
        shutil.copytree(bases[_base_key(e)], folder)
        apply_change(folder, (e["file"], e["old"], e["new"]))
        folders.append(str(folder))
    return bases, folders


def load_sets(paths: list[Path]) -> tuple[dict[str, Json], list[Json]]:
    """Every edit of the files (tagged with its file's name) and their setups."""
    setups: dict[str, Json] = {}
    edits: list[Json] = []
    for path in paths:
        data = load_edit_set(path)
        for name, setup in data.get("setups", {}).items():
            if name in setups and setups[name] != setup:
                raise SystemExit(f"{path.name}: setup {name!r} is defined differently elsewhere")
            setups[name] = setup
        edits += [{**e, "set": path.stem} for e in data["edits"]]
    ids = [e["id"] for e in edits]
    if len(ids) != len(set(ids)):
        raise SystemExit("edit ids must be unique across the sets")
    return setups, edits


def _run(folders: list[str], jobs: int) -> list[Json]:
    if jobs <= 1:
        return [analyse_folder(f) for f in folders]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(analyse_folder, folders))


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    """Run every edit and print the table and the totals."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--set", type=Path, action="append", help="an edit set file (repeatable; default both)"
    )
    ap.add_argument("--only", help="comma-separated edit ids")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (1: in-process)")
    ap.add_argument("--verbose", action="store_true", help="show the edited statement's claims")
    args = ap.parse_args(argv)
    setups, edits = load_sets(args.set or list(EDIT_SETS))
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {e["id"] for e in edits}
        if unknown:
            print(f"unknown edit id(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        edits = [e for e in edits if e["id"] in wanted]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claimdiff-edits-") as tmp_name:
        tmp = Path(tmp_name)
        bases, folders = _prepare(tmp, setups, edits)
        keys = list(bases)
        outputs = _run([str(bases[k]) for k in keys] + folders, args.jobs)
        base_view = {k: View(o) for k, o in zip(keys, outputs, strict=False)}
        outcomes = []
        for e, folder, o in zip(edits, folders, outputs[len(bases) :], strict=True):
            key = _base_key(e)
            outcomes.append(judge(e, base_view[key], bases[key], View(o), Path(folder)))
    wall = time.perf_counter() - start
    _report(outcomes, args.verbose)
    print(f"({len(bases) + len(folders)} analyses, {wall:.1f} s wall, {args.jobs} jobs)")
    return 0


def _report(outcomes: list[Outcome], verbose: bool) -> None:
    kw = max(len(o.edit["kind"]) for o in outcomes) if outcomes else 4
    header = f"{'edit':<22} {'kind':<{kw}} {'result':<10} {'target':<6} {'aligned':<8} detail"
    for expect, title in (
        (True, "FACT EDITS (must be flagged)"),
        (False, "PARAPHRASES (must not)"),
    ):
        print(f"\n{title}\n{header}")
        for o in outcomes:
            if o.edit["expect_flag"] is not expect:
                continue
            if o.statement is None:
                result = "NO STMT"
            elif expect:
                result = "FOUND" if o.new else "missed"
            else:
                result = "FALSE FLAG" if o.new else "ok"
            on_target = "yes" if any(t for _, t in o.new) else ("no" if o.new else "")
            aligned = f"{'y' if o.aligned_before else 'n'}/{'y' if o.aligned_after else 'n'}"
            detail = "; ".join(f"{d['kind']}: {d['detail']}" for d, _ in o.new)
            if not detail:
                detail = f"{o.edit['old']!r} -> {o.edit['new']!r}"
            print(
                f"{o.edit['id']:<22} {o.edit['kind']:<{kw}} {result:<10} {on_target:<6} "
                f"{aligned:<8} {_short(detail, 90)}"
            )
            if verbose:
                for line in o.context:
                    print(f"{'':<4}{line}")
    facts = [o for o in outcomes if o.edit["expect_flag"]]
    paraphrases = [o for o in outcomes if not o.edit["expect_flag"]]
    found = sum(bool(o.new) for o in facts)
    on_target = sum(any(t for _, t in o.new) for o in facts)
    false = sum(bool(o.new) for o in paraphrases)
    flagged_before = [o for o in outcomes if o.baseline_flags]
    print("\nBASELINE FLAGS (the unedited corpus already flags the edited value)")
    for o in flagged_before:
        for d in o.baseline_flags:
            print(f"  {o.edit['id']:<22} {d['kind']}: {_short(d['detail'], 90)}")
    if not flagged_before:
        print("  none")
    kinds: dict[str, list[int]] = {}
    for o in facts:
        row = kinds.setdefault(o.edit["kind"], [0, 0])
        row[0] += bool(o.new)
        row[1] += 1
    print("\nper kind: " + ", ".join(f"{k} {f}/{n}" for k, (f, n) in sorted(kinds.items())))
    for name in sorted({o.edit["set"] for o in outcomes}):
        f = [o for o in facts if o.edit["set"] == name]
        para = [o for o in paraphrases if o.edit["set"] == name]
        print(
            f"  {name}: fact edits found {sum(bool(o.new) for o in f)}/{len(f)}, paraphrase "
            f"false flags {sum(bool(o.new) for o in para)}/{len(para)}, flagged before "
            f"editing {sum(bool(o.baseline_flags) for o in f + para)}/{len(f) + len(para)}"
        )
    before = sum(o.aligned_before for o in facts)
    after = sum(o.aligned_after for o in facts)
    print(
        f"fact edits found: {found}/{len(facts)} ({on_target} on target); edited statement "
        f"aligned with a counterpart: {before}/{len(facts)} before the edit, "
        f"{after}/{len(facts)} after"
    )
    print(
        f"paraphrase false flags: {false}/{len(paraphrases)}; "
        f"edits whose value was flagged before editing: {len(flagged_before)}/{len(outcomes)}"
    )


if __name__ == "__main__":
    sys.exit(main())
