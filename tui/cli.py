"""The ``claimdiff`` command: the review app by default, and its subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import __version__
from tui.core.analysis import analyze, to_json
from tui.core.corpus import Corpus, CorpusError, load_corpus
from tui.core.model import Analysis, Status
from tui.resources import seeds_dir

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

COMMANDS = ("analyze", "serve")


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

    p_serve = sub.add_parser(
        "serve", help="serve the review app in a browser", description="Serve the app over HTTP."
    )
    _corpus_arg(p_serve)
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
        articles.add_row(a.id, a.title[:60], *(str(per[s]) for s in Status))
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
        table.add_row(glyph, sources, first[:90], details)
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


def _run_app(args: argparse.Namespace) -> int:
    from tui.app import run_app

    corpus = load(args.paths, args.recursive)
    _warn(corpus.warnings)
    return run_app(corpus)


def _run_serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            "claimdiff: 'serve' needs textual-serve: pip install 'claimdiff[serve]'",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    load(args.paths, args.recursive)  # fail here, with a clear message, not in the browser
    command = " ".join(
        [f'"{sys.executable}"', "-m", "tui"] + [f'"{p.resolve()}"' for p in args.paths]
    )
    Server(command, host=args.host, port=args.port, title="claimdiff").serve()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``claimdiff`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    is_command = bool(argv) and argv[0] in COMMANDS
    is_top_help = bool(argv) and argv[0] in ("-h", "--help", "--version")
    try:
        if is_command or is_top_help:
            args = build_parser().parse_args(argv)
            runner = {"analyze": _run_analyze, "serve": _run_serve}[args.command]
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
