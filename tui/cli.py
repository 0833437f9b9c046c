"""The ``claimdiff`` command: the review app by default, and its subcommands."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from tui import __version__, blas_threads  # noqa: F401  (before numpy loads)
from tui.core.analysis.cache import AnalysisCache, from_cache
from tui.core.analysis.corpus import Corpus, CorpusError, load_corpus
from tui.core.model import Analysis, Status
from tui.core.review.annotations import (
    TAGS,
    AnnotationStore,
    atomic_write,
    default_reviewer,
    load_reviews,
)
from tui.core.review.exports import (
    FORMATS,
    ExportOptions,
    export,
    file_text,
    records,
    shorten,
    site_url_problem,
)
from tui.resources import seeds_dir

if TYPE_CHECKING:  # imported lazily at run time: NLTK is slow to load
    from tui.core.review.agreement import ClaimTags

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

COMMANDS = ("analyze", "fetch", "export", "agreement", "annotations", "serve")


def _corpus_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a directory of articles (.txt, .md, saved web pages .html/.htm), or article "
        "files (default: the bundled seeds)",
    )
    parser.add_argument(
        "-r", "--recursive", action="store_true", help="also read articles in subdirectories"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="analyse afresh, neither reading nor writing the analysis cache",
    )


def _directory(value: str) -> Path:
    """An ``--annotations`` value: a directory, or a path where one can be made."""
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{value} is a file; give the directory that holds the annotation files "
            "(each reviewer's is REVIEWER.json inside it)"
        )
    return path


def _jobs(value: str) -> int:
    """A ``--jobs`` value: a process count, or 0 for the machine's cores."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"{jobs}: give 1 or more processes (0: one per core)")
    return jobs


def _annotation_args(parser: argparse.ArgumentParser, reviewer_help: str | None = None) -> None:
    parser.add_argument(
        "--annotations",
        type=_directory,
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
    p_analyze.add_argument(
        "--story", metavar="ID", help="claims of this story only (ids as listed by analyze)"
    )
    p_analyze.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the stories on a Dask cluster (tcp://HOST:8786; needs claimdiff[dask] here "
        "and claimdiff on the workers)",
    )
    p_analyze.add_argument(
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="stories analysed in parallel by N processes (default: the machine's cores)",
    )

    p_fetch = sub.add_parser(
        "fetch",
        help="save web pages into a corpus",
        description="Download each page into DIR as NAME.html, with the article text and "
        "metadata extracted from it in NAME.html.json. A page already saved from the same URL "
        "is left as it is; nothing is ever overwritten. Exit 1 when any URL failed.",
    )
    p_fetch.add_argument("urls", nargs="*", metavar="URL", help="http(s) addresses of pages")
    p_fetch.add_argument(
        "-i",
        "--input",
        type=Path,
        metavar="FILE",
        help="read URLs from FILE, one a line ('-': stdin)",
    )
    p_fetch.add_argument(
        "-o", "--output", type=Path, metavar="DIR", required=True, help="the corpus directory"
    )
    p_fetch.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="per page (default 20)"
    )
    p_fetch.add_argument(
        "--max-size", type=float, default=5.0, metavar="MB", help="largest page (default 5 MB)"
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
    p_export.add_argument(
        "--site-url",
        metavar="URL",
        default=os.environ.get("CLAIMDIFF_SITE_URL"),
        help="claimreview: the http(s) page that will host the reviews; each review's url is "
        "URL#claim-ID-REVIEWER (required for claimreview; default: $CLAIMDIFF_SITE_URL)",
    )
    p_export.add_argument(
        "--author",
        metavar="NAME",
        default=os.environ.get("CLAIMDIFF_AUTHOR"),
        help="claimreview: the organisation publishing the reviews (default: "
        "$CLAIMDIFF_AUTHOR, else each reviewer as a person)",
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


def _commands_help() -> str:
    """The commands and what each does, as 'claimdiff --help' lists them."""
    lines = ["commands (see 'claimdiff COMMAND --help'):"]
    for action in build_parser()._subparsers._group_actions:  # type: ignore[union-attr]
        for choice in getattr(action, "_choices_actions", []):
            lines.append(f"  {choice.dest:<12} {choice.help}")
    return "\n".join(lines)


def app_parser() -> argparse.ArgumentParser:
    """The parser for ``claimdiff [PATH ...]`` (the review app); its help lists every command."""
    parser = argparse.ArgumentParser(
        prog="claimdiff",
        usage="%(prog)s [options] [PATH ...]\n       %(prog)s COMMAND [options] ...",
        description="Compare how several sources report the same story.\n"
        "Without a command, open the review app on PATH (default: the bundled seeds).",
        epilog=_commands_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    with_source = any(a.source for a in analysis.articles)
    for col in ("id", *(("source",) if with_source else ()), "title", *(s.value for s in Status)):
        articles.add_column(col, justify="right" if col in counts else "left", overflow="fold")
    # One pass over the claims, not one per article: a day of news has 13,000 claims for
    # each of its 1,000 articles.
    sources_of = {c.id: analysis.sources_of(c) for c in analysis.claims}
    per_article: dict[str, dict[Status, int]] = {
        a.id: dict.fromkeys(Status, 0) for a in analysis.articles
    }
    for c in analysis.claims:
        for article in sources_of[c.id]:
            per_article[article][c.status] += 1
    for a in analysis.articles:
        per = per_article[a.id]
        source = (Text(a.source or ""),) if with_source else ()
        title = Text(shorten(a.title, 60))
        articles.add_row(Text(a.id), *source, title, *(str(per[s]) for s in Status))
    console.print(articles)
    table = Table(title="Claims seen in two or more sources")
    table.add_column("claim", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("sources", justify="right")
    table.add_column("statement", overflow="fold")
    table.add_column("divergences", overflow="fold")
    for claim in analysis.claims:
        if claim.status is Status.UNIQUE:
            continue
        first = analysis.statement(claim.statements[0]).text
        glyph = "≠ divergent" if claim.status is Status.DIVERGENT else "= overlap"
        details = "; ".join(f"{d.kind.value}: {d.detail}" for d in claim.divergences)
        sources = f"{len(sources_of[claim.id])}/{n_articles}"
        table.add_row(Text(claim.id), glyph, sources, Text(shorten(first, 90)), Text(details))
    console.print(table)


def analysis_cache(no_cache: bool = False) -> AnalysisCache | None:
    """The user's analysis cache ($CLAIMDIFF_CACHE_DIR, else the user cache directory)."""
    if no_cache:
        return None
    root = os.environ.get("CLAIMDIFF_CACHE_DIR") or platformdirs.user_cache_dir("claimdiff")
    return AnalysisCache(Path(root) / "analyses")


class _StderrProgress:
    """Rich progress on stderr, shown only once a run has taken more than a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, stage: str, fraction: float) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < 1.0 or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(stage, total=1.0)
        self.bar.update(self.task, completed=fraction, description=stage)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_analysis(corpus: Corpus, args: argparse.Namespace) -> Analysis:
    """Analyse with the command's options: cache, parallel stories, one story, progress."""
    cache = analysis_cache(getattr(args, "no_cache", False))
    cached = from_cache(corpus, cache)
    if cached is not None:
        # An unchanged corpus is read back without importing the pipeline: numpy and scipy
        # alone took 0.2 s of the 0.5 s a re-run on the seeds took.
        return cached.limited_to(getattr(args, "story", None))
    # Imported here: numpy and scipy take a third of a second, which the app's first screen
    # must not wait for (its worker imports them).
    from tui.core.analysis.pipeline import analyze

    jobs = getattr(args, "jobs", 0) or (os.cpu_count() or 1)
    options: dict[str, Any] = {"story": getattr(args, "story", None), "cache": cache}
    progress = _StderrProgress()
    try:
        scheduler = getattr(args, "scheduler", None)
        if scheduler:
            return _on_cluster(scheduler, corpus, progress, options)
        if jobs > 1 and len(corpus.articles) > 2:
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool

            try:
                with ProcessPoolExecutor(jobs) as pool:
                    return analyze(corpus, progress=progress, executor=pool, **options)
            except BrokenProcessPool:
                # A worker killed (out of memory, most often): the work is still all here.
                print(
                    "claimdiff: a worker process ended unexpectedly; analysing in this one",
                    file=sys.stderr,
                )
        return analyze(corpus, progress=progress, **options)
    finally:
        progress.close()


class ClusterError(Exception):
    """The Dask scheduler cannot be used; the message says why."""


def _on_cluster(
    address: str, corpus: Corpus, progress: _StderrProgress, options: dict[str, Any]
) -> Analysis:
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise ClusterError("--scheduler needs Dask: pip install 'claimdiff[dask]'") from exc
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    from tui.core.analysis.pipeline import analyze

    with client:
        # The cluster's concurrent.futures executor: the same code path as a process pool.
        return analyze(corpus, progress=progress, executor=client.get_executor(), **options)


def _run_analyze(args: argparse.Namespace) -> int:
    corpus = load(args.paths, args.recursive)
    _warn(corpus.warnings)
    try:
        analysis = run_analysis(corpus, args)
    except ClusterError as exc:
        print(f"claimdiff: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    if args.story and not any(s.id == args.story for s in analysis.stories):
        known = ", ".join(s.id for s in analysis.stories)
        print(
            f"claimdiff: no story {args.story!r} in this corpus (stories: {known})", file=sys.stderr
        )
        return EXIT_USAGE
    if args.json:
        from tui.core.analysis.analysis_json import write_json

        write_json(analysis, sys.stdout)  # streamed: the document is never built whole
        sys.stdout.write("\n")
    else:
        if len(analysis.stories) > 1:
            print_stories(analysis)
        print_summary(analysis)
    return EXIT_OK


def print_stories(analysis: Analysis) -> None:
    """One row per story: id, title, articles, and its claims by status."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Stories in this corpus")
    for column in ("story", "title", "articles", "overlap", "divergent", "unique"):
        table.add_column(column, overflow="ellipsis", no_wrap=column != "title")
    by_story: dict[str, dict[Status, int]] = {
        s.id: dict.fromkeys(Status, 0) for s in analysis.stories
    }
    for c in analysis.claims:
        by_story.setdefault(c.story, dict.fromkeys(Status, 0))[c.status] += 1
    for story in analysis.stories:
        counts = by_story[story.id]
        table.add_row(
            story.id,
            Text(story.title),
            str(len(story.articles)),
            *(str(counts[st]) for st in (Status.OVERLAP, Status.DIVERGENT, Status.UNIQUE)),
        )
    Console().print(table)


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
    analysis = run_analysis(corpus, args)
    directory = annotations_dir(corpus, args.annotations)
    reviews = load_reviews(directory, analysis)
    _warn([r.message for r in reviews if r.message])
    if not reviews:
        print(f"claimdiff: no annotation files in {directory}", file=sys.stderr)
    return analysis, reviews


def _run_export(args: argparse.Namespace) -> int:
    if args.format == "claimreview" and (problem := site_url_problem(args.site_url)):
        print(f"claimdiff: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    analysis, reviews = _reviews(args)
    rows = records(analysis, reviews, args.status, args.tag, args.reviewer)
    result = export(args.format, rows, ExportOptions(site_url=args.site_url, author=args.author))
    if args.output is None:
        sys.stdout.write(result.text)
        return EXIT_OK
    try:
        atomic_write(args.output, file_text(args.format, result.text))
    except OSError as exc:
        print(f"claimdiff: error: cannot write {args.output} ({exc.strerror})", file=sys.stderr)
        return EXIT_FAILURE
    print(f"claimdiff: {result.summary} written to {args.output}", file=sys.stderr)
    return EXIT_OK


def _run_fetch(args: argparse.Namespace) -> int:
    from tui.core.fetch import fetch, read_url_list

    urls = list(args.urls)
    if args.input is not None:
        try:
            listing = (
                sys.stdin.read()
                if str(args.input) == "-"
                else args.input.read_text(encoding="utf-8-sig")
            )
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            print(f"claimdiff: error: cannot read {args.input} ({reason})", file=sys.stderr)
            return EXIT_USAGE
        urls += read_url_list(listing)
    if not urls:
        print("claimdiff: error: no URL given (name some, or -i FILE)", file=sys.stderr)
        return EXIT_USAGE
    if args.timeout <= 0 or args.max_size <= 0:
        print("claimdiff: error: --timeout and --max-size must be positive", file=sys.stderr)
        return EXIT_USAGE
    try:
        args.output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"claimdiff: error: cannot use {args.output} ({exc.strerror})", file=sys.stderr)
        return EXIT_USAGE
    failed = 0
    for url in dict.fromkeys(urls):  # the same URL twice is fetched once
        result = fetch(url, args.output, args.timeout, int(args.max_size * 1024 * 1024))
        if result.error:
            failed += 1
            print(f"claimdiff: error: {url}: {result.error}", file=sys.stderr)
        elif result.existed:
            print(f"{url}: already saved as {result.path}; left as it is")
        else:
            title = f" ({result.title})" if result.title else ""
            print(f"{url}: saved as {result.path}{title}")
    done = len(dict.fromkeys(urls)) - failed
    print(f"claimdiff: {done} of {done + failed} pages in {args.output}", file=sys.stderr)
    return EXIT_FAILURE if failed else EXIT_OK


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
    if len(stats.reviewers) < 2:
        # Not a failure: a corpus starts with one reviewer; there is just nothing to measure.
        print(_too_few_reviewers(stats.reviewers, rows))
        return EXIT_OK
    console = Console()
    table = Table(title="Tags per claim (! = reviewers disagree)")
    table.add_column("!", width=1, no_wrap=True)
    table.add_column("claim", no_wrap=True)
    table.add_column("statement", overflow="fold", ratio=1)
    for name in stats.reviewers:
        table.add_column(Text(name), no_wrap=True)
    for row in rows:
        first = analysis.statement(row.claim.statements[0]).text
        tags = [row.tags.get(name, "·") for name in stats.reviewers]
        mark = "!" if row.disagreement else ""
        table.add_row(mark, Text(row.claim.id), Text(shorten(first, 70)), *tags)
    console.print(table)
    disagreements = sum(r.disagreement for r in rows)
    percent = "n/a" if stats.percent is None else f"{100 * stats.percent:.1f}%"
    console.print(
        f"{len(stats.reviewers)} reviewers, {_count(stats.items, 'claim')} tagged by two or "
        f"more, {disagreements} with disagreement\n"
        f"percent agreement {percent}; Cohen's kappa {_fmt(stats.kappa)}"
        f"{'' if len(stats.reviewers) == 2 else ' (two reviewers only)'}; "
        f"Krippendorff's alpha (nominal) {_fmt(stats.alpha)}"
    )
    return EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _too_few_reviewers(reviewers: list[str], rows: list[ClaimTags]) -> str:
    """The sentence 'agreement' says when there is nothing to compare yet."""
    if not reviewers:
        return (
            "Agreement needs tags from two or more reviewers; no reviewer has tagged a claim "
            "yet, so there is nothing to compare."
        )
    return (
        f"Agreement needs tags from two or more reviewers; only {reviewers[0]} has tagged "
        f"claims so far ({_count(len(rows), 'claim')}), so there is nothing to compare yet."
    )


def _run_annotations(args: argparse.Namespace) -> int:
    _analysis, reviews = _reviews(args)
    problems = 0
    for review in reviews:
        if review.message:
            problems += 1
            print(f"{review.path.name}: unreadable, nothing in it was checked ({review.message})")
            continue
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
    cache = analysis_cache(args.no_cache)
    return run_app(corpus, annotations_dir(corpus, args.annotations), reviewer, cache)


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
    # -P: the server's working directory (which may hold a `tui` of its own) is not on the path.
    argv = [sys.executable, "-P", "-m", "tui", *(str(p.resolve()) for p in args.paths)]
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


def _mistyped_command(word: str) -> str | None:
    """The command ``word`` is a typo of, when it is no command and no existing path."""
    if word in COMMANDS or word.startswith("-") or Path(word).exists():
        return None
    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.6)
    return close[0] if close else None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``claimdiff`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (suggestion := _mistyped_command(argv[0])):
        print(
            f"claimdiff: error: no command or path '{argv[0]}'; did you mean "
            f"'claimdiff {suggestion}'? (commands: {', '.join(COMMANDS)})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        if argv and argv[0] in COMMANDS:
            args = build_parser().parse_args(argv)
            runner = {
                "analyze": _run_analyze,
                "fetch": _run_fetch,
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
