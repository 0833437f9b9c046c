"""One reviewer's tags and notes on one corpus, saved after every change, never lost.

Saving writes a temp file beside the target, fsyncs it, keeps the previous file as
``.bak``, swaps the new one in with ``os.replace`` and fsyncs the directory: a crash at any
moment leaves the old file or the new one, complete. A sidecar ``.lock`` (filelock) keeps a
second session of the same reviewer read-only. A file that cannot be read is never
overwritten: the session goes read-only and says why.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import stat
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from tui.core.model import Analysis, Statement
from tui.resources import annotation_validator

if TYPE_CHECKING:
    from filelock import FileLock

SCHEMA = "claimdiff.annotations/1"
VERSION = 2  # version 1: the bare contract (no "version", no "anchor" fields)
TAGS = ("confirmed", "disputed", "unique")
CONTEXT = 32
FUZZY_MIN = 85.0


def default_reviewer() -> str:
    """``$CLAIMDIFF_REVIEWER``, else the login name."""
    name = os.environ.get("CLAIMDIFF_REVIEWER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "reviewer"
    except (KeyError, OSError):
        return "reviewer"


def reviewer_file(directory: Path, reviewer: str) -> Path:
    """``<directory>/<reviewer>.json``, the name made safe for a file system."""
    safe = re.sub(r"[^\w.@-]+", "_", reviewer).strip("._") or "reviewer"
    return directory / f"{safe}.json"


def load_reviews(directory: Path, analysis: Analysis) -> list[AnnotationStore]:
    """Every reviewer's annotation file in ``directory``, read-only, sorted by reviewer."""
    if not directory.is_dir():
        return []
    stores = [AnnotationStore.read(p, analysis) for p in sorted(directory.glob("*.json"))]
    return sorted(stores, key=lambda s: s.reviewer)


class StoreError(Exception):
    """The annotation file cannot be used; the message is one line for the user."""


def now() -> str:
    """The current UTC time, ISO 8601 with a Z."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(slots=True)
class Anchor:
    """A statement anchored the W3C way: quote, context and code-point offsets."""

    file: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    sha256: str = ""

    @classmethod
    def of(cls, statement: Statement, analysis: Analysis) -> Anchor:
        """Anchor a statement of the analysis."""
        article = analysis.article(statement.article)
        text = article.text
        return cls(
            file=article.file,
            exact=statement.text,
            prefix=text[max(0, statement.start - CONTEXT) : statement.start],
            suffix=text[statement.end : statement.end + CONTEXT],
            start=statement.start,
            end=statement.end,
            sha256=article.sha256,
        )


@dataclass(slots=True)
class ClaimAnnotation:
    """The reviewer's tag and note on one claim, with its history."""

    claim: str
    tag: str | None
    note: str
    statements: list[Anchor]
    created: str
    modified: str
    history: list[dict[str, Any]] = field(default_factory=list)
    anchor: str = "anchored"
    attached_to: str | None = None  # the claim id in the current analysis, after re-anchoring


@dataclass(frozen=True, slots=True)
class Change:
    """One undoable edit."""

    claim: str
    field: str
    before: str | None
    after: str | None


def _annotation_to_dict(a: ClaimAnnotation) -> dict[str, Any]:
    return {
        "claim": a.claim,
        "tag": a.tag,
        "note": a.note,
        "anchor": a.anchor,
        "statements": [asdict(s) for s in a.statements],
        "created": a.created,
        "modified": a.modified,
        "history": a.history,
    }


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older annotation file up to ``VERSION``; refuse a newer one."""
    if data.get("schema") != SCHEMA:
        raise StoreError(f"not a claimdiff annotation file (schema {data.get('schema')!r})")
    version = data.get("version", 1)
    if not isinstance(version, int) or version > VERSION:
        raise StoreError(
            f"written by a newer claimdiff (format version {version}, this one reads up to "
            f"{VERSION}); upgrade claimdiff to open it"
        )
    if version < 2:
        claims = data.get("claims", [])
        if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
            raise StoreError("does not match the annotation format ('claims' is not a list)")
        for claim in claims:
            claim.setdefault("anchor", "anchored")
            for s in claim.get("statements", []):
                if isinstance(s, dict):
                    s.setdefault("sha256", "")
        data["version"] = 2
    _check(data)
    return data


def _check(data: dict[str, Any]) -> None:
    """Refuse a file that is JSON but not an annotation file claimdiff can use."""
    from jsonschema.exceptions import best_match  # only when a file is read

    error = best_match(annotation_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "top level"
        raise StoreError(f"does not match the annotation format ({where}: {error.message})")


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old file or the new, whole."""
    directory = path.parent
    mode = _file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private; other reviewers must be able to read it.
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            backup = path.with_name(path.name + ".bak")
            with contextlib.suppress(OSError):
                _copy(path, backup, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(directory)


def _file_mode(path: Path) -> int:
    """The existing file's permissions, or what a new file gets under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _copy(src: Path, dst: Path, mode: int) -> None:
    data = src.read_bytes()
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class AnnotationStore:
    """The annotations of one reviewer, bound to the current analysis."""

    def __init__(self, path: Path, reviewer: str, analysis: Analysis) -> None:
        self.path = path
        self.reviewer = reviewer
        self.analysis = analysis
        self.read_only = False
        self.message: str | None = None
        self.annotations: dict[str, ClaimAnnotation] = {}
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        self._lock: FileLock | None = None
        self._extra: dict[str, Any] = {}
        # current claim id -> its annotation; rebuilt by reattach(), read for every line drawn
        self._attached: dict[str, ClaimAnnotation] = {}
        # Where each annotation's quotes were found at the last re-attach (per claim id).
        self._located: dict[str, list[tuple[Anchor, Statement | None, str]]] = {}

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path, reviewer: str, analysis: Analysis) -> AnnotationStore:
        """Open (or start) the file; problems make the store read-only with a message."""
        store = cls(path, reviewer, analysis)
        store._open()
        return store

    @classmethod
    def read(cls, path: Path, analysis: Analysis) -> AnnotationStore:
        """Read another reviewer's file without locking or ever writing it."""
        store = cls(path, path.stem, analysis)
        store.read_only = True
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise StoreError("not a JSON object")
            store._load(migrate(raw))
            store.reviewer = str(raw.get("reviewer") or path.stem)
        except (OSError, ValueError, KeyError, TypeError, StoreError) as exc:
            store.annotations = {}
            store.message = f"{path}: {exc}; skipped"
        store.reattach()
        return store

    def _go_read_only(self, message: str) -> None:
        self.read_only = True
        self.message = message

    def _open(self) -> None:
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._go_read_only(f"cannot create {directory} ({exc.strerror}): changes are not saved")
            return
        if not os.access(directory, os.W_OK):
            self._go_read_only(f"{directory} is not writable: changes are not saved")
        elif not self._acquire_lock():
            return
        if self.path.exists():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(raw, dict):
                    raise StoreError("not a JSON object")
                data = migrate(raw)
                self._load(data)
            except (OSError, ValueError, KeyError, TypeError, StoreError) as exc:
                self.annotations = {}
                self.release()
                reason = exc if isinstance(exc, StoreError) else f"unreadable ({exc})"
                backup = self.path.with_name(self.path.name + ".bak")
                hint = f" The previous save is in {backup}." if backup.exists() else ""
                self._go_read_only(
                    f"{self.path}: {reason}; it is kept as it is, read-only session.{hint}"
                )
                return
        self.reattach()

    def _acquire_lock(self) -> bool:
        # Imported when a store is opened, which `claimdiff analyze` never does.
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.path) + ".lock", timeout=0)
        try:
            lock.acquire()
        except Timeout:
            self._go_read_only(
                f"{self.path} is open in another claimdiff session: this one is read-only"
            )
            return True  # still read the file, just never write it
        except OSError as exc:
            self._go_read_only(f"cannot lock {self.path} ({exc.strerror}): read-only session")
            return True
        self._lock = lock
        return True

    def release(self) -> None:
        """Give up the lock (at exit)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _load(self, data: dict[str, Any]) -> None:
        self._extra = {k: v for k, v in data.items() if k not in {"claims", "articles"}}
        for c in data["claims"]:
            anchors = [
                Anchor(
                    s["file"],
                    s["exact"],
                    s["prefix"],
                    s["suffix"],
                    s["start"],
                    s["end"],
                    s.get("sha256", ""),
                )
                for s in c["statements"]
            ]
            annotation = ClaimAnnotation(
                claim=c["claim"],
                tag=c["tag"],
                note=c["note"],
                statements=anchors,
                created=c["created"],
                modified=c["modified"],
                history=list(c["history"]),
                anchor=c.get("anchor", "anchored"),
            )
            self.annotations[annotation.claim] = annotation

    # ------------------------------------------------------------------ re-anchoring

    def _find(self, anchor: Anchor) -> tuple[Statement | None, str]:
        articles = [a for a in self.analysis.articles if a.file == anchor.file]
        if not articles:
            return None, "orphaned"
        article = articles[0]
        statements = [s for s in self.analysis.statements if s.article == article.id]
        if anchor.sha256 and anchor.sha256 == article.sha256:
            for s in statements:
                if s.start == anchor.start and s.end == anchor.end:
                    return s, "anchored"
        exact = [s for s in statements if s.text == anchor.exact]
        if exact:
            return min(exact, key=lambda s: abs(s.start - anchor.start)), "anchored"
        best: tuple[float, Statement | None] = (0.0, None)
        for s in statements:
            context = article.text[max(0, s.start - CONTEXT) : s.start]
            quote = fuzz.ratio(s.text, anchor.exact)
            score = 0.85 * quote + 0.15 * fuzz.ratio(context, anchor.prefix)
            if quote >= FUZZY_MIN - 10 and score > best[0]:
                best = (score, s)
        if best[1] is not None and best[0] >= FUZZY_MIN:
            return best[1], "text_changed"
        return None, "orphaned"

    def locate(self, annotation: ClaimAnnotation) -> list[tuple[Anchor, Statement | None, str]]:
        """Each quoted statement of an annotation, where it is now and in what state.

        The state is ``anchored`` (found as quoted), ``text_changed`` (found, reading
        differently) or ``orphaned`` (gone, and the statement is None).
        """
        located = self._located.get(annotation.claim)
        if located is None:
            located = [(anchor, *self._find(anchor)) for anchor in annotation.statements]
        return located

    def reattach(self) -> None:
        """Attach every annotation to the current analysis and set its anchor state."""
        self._located = {}
        for a in self.annotations.values():
            located = self._located[a.claim] = [
                (anchor, *self._find(anchor)) for anchor in a.statements
            ]
            states = {state for _, _, state in located}
            hits = {s.id for _, s, _ in located if s is not None}
            if not hits:
                a.anchor, a.attached_to = "orphaned", None
                continue
            a.anchor = (
                "text_changed" if "text_changed" in states or "orphaned" in states else "anchored"
            )
            if self.analysis.claim(a.claim) is not None:
                a.attached_to = a.claim
                continue
            overlap = [
                (len(hits & set(c.statements)), c.id)
                for sid in hits
                for c in self.analysis.claims_of(sid)
            ]
            a.attached_to = max(overlap)[1] if overlap else None
            if a.attached_to is None:
                a.anchor = "orphaned"
        # Two annotations can land on one claim (an added article joined two claims):
        # the latest edit shows, the other is listed by ``hidden()``; both stay in the file.
        self._attached = {}
        for a in sorted(self.annotations.values(), key=lambda a: a.modified):
            if a.attached_to is not None:
                self._attached[a.attached_to] = a

    # ------------------------------------------------------------------ reading

    def for_claim(self, claim_id: str) -> ClaimAnnotation | None:
        """The annotation attached to a claim of the current analysis, if any."""
        return self._attached.get(claim_id)

    def tag_of(self, claim_id: str) -> str | None:
        """The reviewer's tag on a claim."""
        a = self.for_claim(claim_id)
        return a.tag if a else None

    def note_of(self, claim_id: str) -> str:
        """The reviewer's note on a claim."""
        a = self.for_claim(claim_id)
        return a.note if a else ""

    def unanchored(self) -> list[ClaimAnnotation]:
        """Annotations a reviewer must look at again: text changed or orphaned."""
        return [a for a in self.annotations.values() if a.anchor != "anchored"]

    def hidden(self) -> list[ClaimAnnotation]:
        """Annotations attached to a claim that shows another, later annotation."""
        return [
            a
            for a in self.annotations.values()
            if a.attached_to is not None and self._attached.get(a.attached_to) is not a
        ]

    def needs_a_look(self) -> str:
        """One line on the annotations the articles changed under; empty when none."""
        lost = [a.anchor for a in self.unanchored()] + ["hidden"] * len(self.hidden())
        if not lost:
            return ""
        return (
            f"{len(lost)} of your annotations need a look: the articles changed under them "
            f"({lost.count('text_changed')} text changed, {lost.count('orphaned')} orphaned, "
            f"{lost.count('hidden')} sharing a claim)."
        )

    # ------------------------------------------------------------------ writing

    def _annotation(self, claim_id: str) -> ClaimAnnotation:
        existing = self.for_claim(claim_id)
        if existing is not None:
            return existing
        claim = self.analysis.claim(claim_id)
        if claim is None:
            raise KeyError(f"no claim {claim_id!r} in this analysis")
        stamp = now()
        a = ClaimAnnotation(
            claim=claim_id,
            tag=None,
            note="",
            statements=[
                Anchor.of(self.analysis.statement(s), self.analysis) for s in claim.statements
            ],
            created=stamp,
            modified=stamp,
            attached_to=claim_id,
        )
        self.annotations[claim_id] = a
        self._attached[claim_id] = a
        return a

    def _apply(self, change: Change, op: str) -> None:
        if self.read_only:
            raise StoreError(self.message or "read-only session")
        is_new = self.for_claim(change.claim) is None
        a = self._annotation(change.claim)
        before = (a.tag, a.note, a.modified, len(a.history))
        if change.field == "tag":
            a.tag = change.after
        else:
            a.note = change.after or ""
        a.modified = now()
        a.history.append(
            {
                "at": a.modified,
                "by": self.reviewer,
                "op": op,
                "field": change.field,
                "from": change.before,
                "to": change.after,
            }
        )
        try:
            self.save()
        except BaseException:
            # What the reviewer sees must match the file: undo the change in memory too.
            a.tag, a.note, a.modified = before[0], before[1], before[2]
            del a.history[before[3] :]
            if is_new:
                del self.annotations[a.claim]
                self._attached.pop(change.claim, None)
            raise

    def set_tag(self, claim_id: str, tag: str | None) -> bool:
        """Tag a claim (None clears); returns False when nothing changed."""
        if tag is not None and tag not in TAGS:
            raise ValueError(f"unknown tag {tag!r}")
        before = self.tag_of(claim_id)
        if before == tag:
            return False
        change = Change(claim_id, "tag", before, tag)
        self._apply(change, "tag" if tag else "clear")
        self._undo.append(change)
        self._redo.clear()
        return True

    def set_note(self, claim_id: str, note: str) -> bool:
        """Set a claim's note; returns False when nothing changed."""
        before = self.note_of(claim_id)
        if before == note:
            return False
        change = Change(claim_id, "note", before, note)
        self._apply(change, "note")
        self._undo.append(change)
        self._redo.clear()
        return True

    def undo(self) -> Change | None:
        """Revert the last change of this session."""
        if not self._undo:
            return None
        change = self._undo[-1]
        self._apply(Change(change.claim, change.field, change.after, change.before), "undo")
        self._redo.append(self._undo.pop())
        return change

    def redo(self) -> Change | None:
        """Re-apply the last undone change."""
        if not self._redo:
            return None
        change = self._redo[-1]
        self._apply(change, "redo")
        self._undo.append(self._redo.pop())
        return change

    def to_json(self) -> dict[str, Any]:
        """The file's content."""
        articles = [{"file": a.file, "sha256": a.sha256} for a in self.analysis.articles]
        return {
            **self._extra,
            "schema": SCHEMA,
            "version": VERSION,
            "reviewer": self.reviewer,
            "modified": now(),
            "articles": articles,
            "claims": [_annotation_to_dict(a) for a in self.annotations.values()],
        }

    def save(self) -> None:
        """Write the whole file atomically."""
        if self.read_only:
            raise StoreError(self.message or "read-only session")
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        atomic_write(self.path, text + "\n")
