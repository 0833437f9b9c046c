"""The ``claimdiff`` command: the review app by default, and its subcommands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from tui import __version__
from tui.core.analysis.corpus import Corpus, CorpusError, load_corpus
from tui.core.analysis.pipeline import analyze, to_json
from tui.core.model import Analysis, Status
from tui.core.review.annotations import (
    TAGS,
    AnnotationStore,
    atomic_write,
    default_reviewer,
    load_reviews,
)
from tui.core.review.exports import FORMATS, file_text, records, render
from tui.resources import seeds_dir

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

COMMANDS = ("analyze", "export", "agreement", "annotations", "serve")


def _corpus_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a directory of .txt/.md articles, or article files (default: the bundled seeds)",
    )
    parser.add_argument(
        "-r", "--recursive", action="store_true", help="also read articles in subdirectories"
    )


def _annotation_args(parser: argparse.ArgumentParser, reviewer_help: str | None = None) -> None:
    parser.add_argument(
        "--annotations",
        type=Path,
        metavar="DIR",
        help="annotation directory (default: <corpus>/annotations, or the user data directory "
        "for the bundled seeds)",
    )
    if reviewer_help:
        parser.add_argument("--reviewer", metavar="NAME", help=reviewer_help)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand (``claimdiff [PATH ...]`` opens the app)."""
    parser = argparse.ArgumentParser(
        prog="claimdiff",
        description=(
            "Compare how several sources report the same story. With no command, open the "
            "review app on PATH (default: the bundled seeds). Commands: "
            + ", ".join(COMMANDS)
            + " (see 'claimdiff COMMAND --help')."
        ),
    )
    parser.add_argument("--version", action="version", version=f"claimdiff {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_analyze = sub.add_parser(
        "analyze", help="print claims, statuses and divergences", description="Analyse a corpus."
    )
    _corpus_arg(p_analyze)
    p_analyze.add_argument(
        "--json", action="store_true", help="emit claimdiff.analysis/1 JSON on stdout"
    )

    p_export = sub.add_parser(
        "export",
        help="export reviewed claims",
        description="Export the claims reviewers tagged or annotated.",
    )
    _corpus_arg(p_export)
    _annotation_args(p_export)
    p_export.add_argument("--format", "-f", choices=FORMATS, default="json", help="output format")
    p_export.add_argument(
        "--status",
        action="append",
        default=[],
        choices=[s.value for s in Status],
        help="only claims with this status (repeatable)",
    )
    p_export.add_argument(
        "--tag",
        action="append",
        default=[],
        choices=[*TAGS, "none"],
        help="only reviews with this tag (repeatable)",
    )
    p_export.add_argument(
        "--reviewer",
        action="append",
        default=[],
        metavar="NAME",
        help="only this reviewer's reviews (repeatable)",
    )
    p_export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here, not stdout"
    )

    p_agree = sub.add_parser(
        "agreement",
        help="how far reviewers agree",
        description="Per-claim tags of every reviewer, disagreements, and agreement statistics "
        "(percent agreement, Cohen's kappa for two reviewers, Krippendorff's alpha).",
    )
    _corpus_arg(p_agree)
    _annotation_args(p_agree)

    p_ann = sub.add_parser(
        "annotations", help="annotation file tools", description="Annotation tools."
    )
    ann_sub = p_ann.add_subparsers(dest="action", metavar="ACTION", required=True)
    p_check = ann_sub.add_parser(
        "check",
        help="list annotations whose text changed or can no longer be found",
        description="Re-attach every reviewer's annotations to the corpus and list those that "
        "are text_changed or orphaned. Exit 1 when any is.",
    )
    _corpus_arg(p_check)
    _annotation_args(p_check)

    p_serve = sub.add_parser(
        "serve",
        help="serve the review app in a browser",
        description="Serve the app over HTTP. Each browser names its reviewer with "
        "/?reviewer=NAME (else --reviewer's); ctrl+c or SIGTERM stops every session.",
    )
    _corpus_arg(p_serve)
    _annotation_args(p_serve, "whose tags the browser sessions write (default: as for the app)")
    p_serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p_serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    return parser


def app_parser() -> argparse.ArgumentParser:
    """The parser for ``claimdiff [PATH ...]`` (the review app)."""
    parser = argparse.ArgumentParser(
        prog="claimdiff",
        description=(
            "Open the review app on PATH (default: the bundled seeds). "
            "Other commands: " + ", ".join(COMMANDS) + " (see 'claimdiff COMMAND --help')."
        ),
    )
    parser.add_argument("--version", action="version", version=f"claimdiff {__version__}")
    _corpus_arg(parser)
    _annotation_args(parser, "whose tags these are (default: $CLAIMDIFF_REVIEWER, else login name)")
    return parser


def load(paths: Sequence[Path], recursive: bool = False) -> Corpus:
    """Load the corpus at ``paths``, or the bundled seeds when none is given."""
    return load_corpus(list(paths) or [seeds_dir()], recursive=recursive)


def _warn(messages: Sequence[str]) -> None:
    for message in messages:
        print(f"claimdiff: warning: {message}", file=sys.stderr)


def print_summary(analysis: Analysis) -> None:
    """A readable summary: claims by status, sources per claim, divergences."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # article text is never read as markup

    console = Console()
    counts = {s: sum(c.status is s for c in analysis.claims) for s in Status}
    n_articles = len(analysis.articles)
    console.print(
        f"[bold]{n_articles} articles[/], {len(analysis.statements)} statements, "
        f"{len(analysis.claims)} claims: "
        f"{counts[Status.OVERLAP]} overlap, {counts[Status.DIVERGENT]} divergent, "
        f"{counts[Status.UNIQUE]} unique"
    )
    articles = Table(title="Articles", show_lines=False)
    for col in ("id", "title", "overlap", "divergent", "unique"):
        articles.add_column(col, justify="right" if col in counts else "left", overflow="fold")
    for a in analysis.articles:
        per = dict.fromkeys(Status, 0)
        for c in analysis.claims:
            if a.id in analysis.sources_of(c):
                per[c.status] += 1
        articles.add_row(Text(a.id), Text(a.title[:60]), *(str(per[s]) for s in Status))
    console.print(articles)
    table = Table(title="Claims seen in two or more sources")
    table.add_column("status")
    table.add_column("sources", justify="right")
    table.add_column("claim", overflow="fold")
    table.add_column("divergences", overflow="fold")
    for claim in analysis.claims:
        if claim.status is Status.UNIQUE:
            continue
        first = analysis.statement(claim.statements[0]).text
        glyph = "≠ divergent" if claim.status is Status.DIVERGENT else "= overlap"
        details = "; ".join(f"{d.kind.value}: {d.detail}" for d in claim.divergences)
        sources = f"{len(analysis.sources_of(claim))}/{n_articles}"
        table.add_row(glyph, sources, Text(first[:90]), Text(details))
    console.print(table)


def _run_analyze(args: argparse.Namespace) -> int:
    corpus = load(args.paths, args.recursive)
    _warn(corpus.warnings)
    analysis = analyze(corpus)
    if args.json:
        json.dump(to_json(analysis), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print_summary(analysis)
    return EXIT_OK


def annotations_dir(corpus: Corpus, override: Path | None) -> Path:
    """Where reviewers' files live: the option, else beside the corpus, else user data."""
    if override is not None:
        return override
    bundled = corpus.root is not None and corpus.root.resolve() == seeds_dir().resolve()
    if bundled or corpus.root is None:
        # An installed package's seeds directory may be read-only and is replaced on upgrade.
        return Path(platformdirs.user_data_dir("claimdiff")) / "annotations" / "seeds"
    return corpus.root / "annotations"


def _reviews(args: argparse.Namespace) -> tuple[Analysis, list[AnnotationStore]]:
    corpus = load(args.paths, args.recursive)
    _warn(corpus.warnings)
    analysis = analyze(corpus)
    directory = annotations_dir(corpus, args.annotations)
    reviews = load_reviews(directory, analysis)
    _warn([r.message for r in reviews if r.message])
    if not reviews:
        print(f"claimdiff: no annotation files in {directory}", file=sys.stderr)
    return analysis, reviews


def _run_export(args: argparse.Namespace) -> int:
    analysis, reviews = _reviews(args)
    rows = records(analysis, reviews, args.status, args.tag, args.reviewer)
    text = render(args.format, rows)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        atomic_write(args.output, file_text(args.format, text))
    except OSError as exc:
        print(f"claimdiff: error: cannot write {args.output} ({exc.strerror})", file=sys.stderr)
        return EXIT_FAILURE
    print(f"claimdiff: {len(rows)} claims written to {args.output}", file=sys.stderr)
    return EXIT_OK


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _run_agreement(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # article text is never read as markup

    # Imported here: NLTK takes 0.6 s to import, which every other command would pay.
    from tui.core.review.agreement import statistics, tag_table

    analysis, reviews = _reviews(args)
    rows = tag_table(analysis, reviews)
    stats = statistics(rows)
    console = Console()
    table = Table(title="Tags per claim (! = reviewers disagree)")
    table.add_column("", width=1)
    table.add_column("claim", overflow="fold")
    for name in stats.reviewers:
        table.add_column(Text(name))
    for row in rows:
        first = analysis.statement(row.claim.statements[0]).text
        tags = [row.tags.get(name, "") for name in stats.reviewers]
        table.add_row("!" if row.disagreement else "", Text(first[:70]), *tags)
    console.print(table)
    disagreements = sum(r.disagreement for r in rows)
    percent = "n/a" if stats.percent is None else f"{100 * stats.percent:.1f}%"
    console.print(
        f"{len(stats.reviewers)} reviewers, {stats.items} claims tagged by two or more, "
        f"{disagreements} with disagreement\n"
        f"percent agreement {percent}; Cohen's kappa {_fmt(stats.kappa)}"
        f"{'' if len(stats.reviewers) == 2 else ' (two reviewers only)'}; "
        f"Krippendorff's alpha (nominal) {_fmt(stats.alpha)}"
    )
    return EXIT_OK


def _run_annotations(args: argparse.Namespace) -> int:
    _analysis, reviews = _reviews(args)
    problems = 0
    for review in reviews:
        states = [a.anchor for a in review.annotations.values()]
        print(
            f"{review.reviewer}: {len(states)} annotations, {states.count('anchored')} anchored, "
            f"{states.count('text_changed')} text changed, {states.count('orphaned')} orphaned"
        )
        for a in review.hidden():
            problems += 1
            print(f"  {'hidden':<12} {a.claim} tag={a.tag or 'none'}: its claim shows a later one")
        for a in review.unanchored():
            problems += 1
            print(f"  {a.anchor:<12} {a.claim} tag={a.tag or 'none'}")
            for anchor, now, state in review.locate(a):
                if state == "orphaned":
                    print(f"    gone     {anchor.file}: “{anchor.exact[:90]}”")
                elif state == "text_changed" and now is not None:
                    print(f"    changed  {anchor.file}: “{anchor.exact[:90]}”")
                    print(f"    now      “{now.text[:90]}”")
    return EXIT_FAILURE if problems else EXIT_OK


def _run_app(args: argparse.Namespace) -> int:
    # Without a terminal the app would draw escape codes into a file and wait forever.
    # textual-serve runs it without one too, but names its own driver.
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get("TEXTUAL_DRIVER"):
        print(
            "claimdiff: the review app needs a terminal; for scripts use "
            "'claimdiff analyze --json' or 'claimdiff export'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from tui.app import run_app

    corpus = load(args.paths, args.recursive)
    _warn(corpus.warnings)
    reviewer = args.reviewer or default_reviewer()
    return run_app(corpus, annotations_dir(corpus, args.annotations), reviewer)


def _run_serve(args: argparse.Namespace) -> int:
    try:
        from tui.serve import ReviewServer
    except ImportError:
        print(
            "claimdiff: 'serve' needs textual-serve: pip install 'claimdiff[serve]'",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    corpus = load(args.paths, args.recursive)  # fail here, with a clear message, not in the browser
    _warn(corpus.warnings)
    reviewer = args.reviewer or default_reviewer()
    # Each browser session runs its own app process; give it the same corpus and annotations.
    argv = [sys.executable, "-m", "tui", *(str(p.resolve()) for p in args.paths)]
    argv += ["--annotations", str(annotations_dir(corpus, args.annotations).resolve())]
    argv += ["-r"] if args.recursive else []
    server = ReviewServer(argv, reviewer, host=args.host, port=args.port, title="claimdiff")
    try:
        server.serve()
    except OSError as exc:
        print(
            f"claimdiff: cannot serve on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr
        )
        return EXIT_FAILURE
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``claimdiff`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    is_command = bool(argv) and argv[0] in COMMANDS
    is_top_help = bool(argv) and argv[0] in ("-h", "--help", "--version")
    try:
        if is_command or is_top_help:
            args = build_parser().parse_args(argv)
            runner = {
                "analyze": _run_analyze,
                "export": _run_export,
                "agreement": _run_agreement,
                "annotations": _run_annotations,
                "serve": _run_serve,
            }[args.command]
            return runner(args)
        return _run_app(app_parser().parse_args(argv))
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except CorpusError as exc:
        print(f"claimdiff: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
