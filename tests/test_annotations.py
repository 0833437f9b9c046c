"""The annotation store: saved after every change, never lost, never overwritten when bad."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Analysis, Status
from tui.core.review import annotations as ann
from tui.core.review.annotations import AnnotationStore
from tui.resources import contract


def _multi(analysis: Analysis) -> str:
    return next(c.id for c in analysis.claims if c.status is not Status.UNIQUE)


def _one_tag_saved(tmp_path: Path, analysis: Analysis) -> tuple[Path, str, dict]:
    """A closed annotation file with one confirmed claim: its path, the claim, its JSON."""
    path = tmp_path / "r.json"
    store = AnnotationStore.open(path, "rev", analysis)
    cid = _multi(analysis)
    store.set_tag(cid, "confirmed")
    store.release()
    return path, cid, json.loads(path.read_text())


def test_round_trip_follows_the_contract(tmp_path: Path, seeds_analysis: Analysis) -> None:
    path = tmp_path / "r.json"
    store = AnnotationStore.open(path, "rev", seeds_analysis)
    cid = _multi(seeds_analysis)
    store.set_tag(cid, "disputed")
    store.set_note(cid, "two sources disagree")
    store.release()
    data = json.loads(path.read_text())
    jsonschema.validate(data, contract("annotations"))
    entry = data["claims"][0]
    assert entry["tag"] == "disputed" and entry["note"] == "two sources disagree"
    assert [h["op"] for h in entry["history"]] == ["tag", "note"]
    assert all(len(s["prefix"]) <= 32 for s in entry["statements"])
    again = AnnotationStore.open(path, "rev", seeds_analysis)
    assert again.tag_of(cid) == "disputed" and again.note_of(cid) == "two sources disagree"
    assert again.for_claim(cid).anchor == "anchored"  # type: ignore[union-attr]


def test_second_session_is_read_only(tmp_path: Path, seeds_analysis: Analysis) -> None:
    path = tmp_path / "r.json"
    first = AnnotationStore.open(path, "rev", seeds_analysis)
    second = AnnotationStore.open(path, "rev", seeds_analysis)
    assert not first.read_only and second.read_only
    assert "another claimdiff session" in (second.message or "")
    with pytest.raises(ann.StoreError):
        second.set_tag(_multi(seeds_analysis), "confirmed")
    first.release()


def test_corrupt_and_newer_files_are_kept_untouched(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    path = tmp_path / "r.json"
    path.write_text("{not json", encoding="utf-8")
    store = AnnotationStore.open(path, "rev", seeds_analysis)
    assert store.read_only and "kept as it is" in (store.message or "")
    assert path.read_text() == "{not json"
    store.release()
    path.with_name("r.json.bak").write_text("{}", encoding="utf-8")
    store = AnnotationStore.open(path, "rev", seeds_analysis)
    assert "previous save is in" in (store.message or "")  # where to recover from
    newer = {
        "schema": ann.SCHEMA,
        "version": 99,
        "reviewer": "x",
        "modified": "",
        "articles": [],
        "claims": [],
    }
    path.write_text(json.dumps(newer), encoding="utf-8")
    store = AnnotationStore.open(path, "rev", seeds_analysis)
    assert store.read_only and "newer claimdiff" in (store.message or "")
    assert json.loads(path.read_text())["version"] == 99


def test_older_version_is_migrated(tmp_path: Path, seeds_analysis: Analysis) -> None:
    path, cid, data = _one_tag_saved(tmp_path, seeds_analysis)
    del data["version"]
    for c in data["claims"]:
        del c["anchor"]
        for s in c["statements"]:
            del s["sha256"]
    path.write_text(json.dumps(data), encoding="utf-8")
    again = AnnotationStore.open(path, "rev", seeds_analysis)
    assert not again.read_only and again.tag_of(cid) == "confirmed"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory_is_said_at_start(tmp_path: Path, seeds_analysis: Analysis) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    store = AnnotationStore.open(locked / "r.json", "rev", seeds_analysis)
    assert store.read_only and "not writable" in (store.message or "")


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, seeds_analysis: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.json"
    store = AnnotationStore.open(path, "rev", seeds_analysis)
    cid = _multi(seeds_analysis)
    store.set_tag(cid, "confirmed")
    before = path.read_text()

    def boom(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ann.os, "replace", boom)
    with pytest.raises(OSError):
        store.set_tag(cid, "disputed")
    assert path.read_text() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # The session shows what the file holds, and undo still has the last saved change.
    assert store.tag_of(cid) == "confirmed"
    other = next(c.id for c in seeds_analysis.claims if c.id != cid)
    with pytest.raises(OSError):
        store.set_tag(other, "unique")
    assert store.tag_of(other) is None and other not in store.annotations
    with pytest.raises(OSError):
        store.undo()
    monkeypatch.undo()
    assert store.undo() is not None and store.tag_of(cid) is None
    assert json.loads(path.read_text())["claims"][0]["tag"] is None


def test_reanchoring_after_edits(tmp_path: Path, seed_copy: Path) -> None:
    corpus_dir = seed_copy
    analysis = analyze(load_corpus([corpus_dir]))
    path = tmp_path / "r.json"
    store = AnnotationStore.open(path, "rev", analysis)

    def starting(prefix: str):
        return next(s for s in analysis.statements if s.text.startswith(prefix))

    changed = starting("The team has grown to over 100 staff")
    deleted = starting("These zones are designed to become hotbeds")
    ids = {}
    for label, s in (("changed", changed), ("deleted", deleted)):
        claim = analysis.claims_of(s.id)[0]
        store.set_tag(claim.id, "confirmed")
        ids[label] = claim.id
    humphrey = next(s for s in analysis.statements if "Among its current initiatives" in s.text)
    ids["moved"] = analysis.claims_of(humphrey.id)[0].id
    store.set_tag(ids["moved"], "confirmed")
    store.release()
    f4 = corpus_dir / "004_4eed2a7f9bb84d22.txt"
    text = f4.read_text(encoding="utf-8").replace("over 100 staff", "over 120 staff")
    text = text.replace(deleted.text, "")
    f4.write_text(text, encoding="utf-8")
    f1 = corpus_dir / "001_dd7ebe548f8b8172.txt"
    f1.write_text("A new first paragraph.\n" + f1.read_text(encoding="utf-8"), encoding="utf-8")
    again = AnnotationStore.open(path, "rev", analyze(load_corpus([corpus_dir])))
    states = {cid: a.anchor for cid, a in again.annotations.items()}
    assert states[ids["changed"]] == "text_changed"
    assert states[ids["moved"]] == "anchored"
    assert again.annotations[ids["deleted"]].anchor in ("orphaned", "text_changed")
    assert len(again.annotations) == 3  # nothing dropped


def test_saved_files_are_readable_by_other_reviewers(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "r.json"
        store = AnnotationStore.open(path, "rev", seeds_analysis)
        store.set_tag(_multi(seeds_analysis), "confirmed")
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o640)  # a team that chose group-only keeps it
        store.set_tag(_multi(seeds_analysis), "disputed")
        assert path.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old_umask)


def test_a_directory_that_cannot_be_made_is_said_at_start(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the annotation directory should go")
    store = AnnotationStore.open(blocker / "ann" / "r.json", "rev", seeds_analysis)
    assert store.read_only and "cannot create" in (store.message or "")
    with pytest.raises(ann.StoreError):
        store.set_tag(_multi(seeds_analysis), "confirmed")
    assert blocker.read_text() == "a file where the annotation directory should go"


def test_a_sixth_article_keeps_every_annotation_attached(tmp_path: Path, seed_copy: Path) -> None:
    corpus_dir = seed_copy
    analysis = analyze(load_corpus([corpus_dir]))
    path = tmp_path / "r.json"
    store = AnnotationStore.open(path, "rev", analysis)
    tagged = {}
    for n, claim in enumerate(analysis.claims[::7]):
        tag = ("confirmed", "disputed", "unique")[n % 3]
        store.set_tag(claim.id, tag)
        tagged[claim.id] = (tag, {analysis.statement(s).text for s in claim.statements})
    store.release()
    # A sixth source that repeats some of the first article's statements (so claims grow)
    # and says something new.
    first = analysis.articles[0]
    repeated = [s.text for s in analysis.statements if s.article == first.id][:12]
    (corpus_dir / "006_new.txt").write_text(
        "A sixth report\n\n"
        + " ".join(repeated)
        + "\n\nA council spokesperson declined to comment.\n",
        encoding="utf-8",
    )
    grown = analyze(load_corpus([corpus_dir]))
    assert len(grown.articles) == 6
    again = AnnotationStore.open(path, "rev", grown)
    assert {a.anchor for a in again.annotations.values()} == {"anchored"}
    for old_id, (tag, texts) in tagged.items():
        a = again.annotations[old_id]
        assert a.attached_to is not None
        claim = grown.claim(a.attached_to)
        assert claim is not None
        now = {grown.statement(s).text for s in claim.statements}
        assert texts & now  # attached to a claim carrying the statements that were tagged
        assert again.tag_of(a.attached_to) == tag


class _Crash(Exception):
    pass


def _crash_in_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen

    def fdopen(fd: int, *args: object, **kwargs: object):
        fh = real(fd, *args, **kwargs)

        def write(_text: str) -> int:
            fh.buffer.write(b'{"claims": [')  # half a file reached the temp file
            raise _Crash("killed mid-write")

        fh.write = write
        return fh

    monkeypatch.setattr(ann.os, "fdopen", fdopen)


def _crash_at(name: str):
    def setup(monkeypatch: pytest.MonkeyPatch) -> None:
        def boom(*_args: object, **_kwargs: object) -> None:
            raise _Crash(f"killed in {name}")

        target = ann if name.startswith("_") else ann.os
        monkeypatch.setattr(target, name, boom)

    return setup


@pytest.mark.parametrize(
    "crash",
    [
        _crash_in_write,
        _crash_at("fsync"),  # the temp file's data reaching the disk
        _crash_at("_copy"),  # keeping the backup
        _crash_at("replace"),  # the rename itself
        _crash_at("_fsync_dir"),  # the directory entry reaching the disk
    ],
    ids=["write", "fsync", "backup", "replace", "fsync-dir"],
)
def test_a_save_interrupted_at_any_step_leaves_the_old_file_or_the_new(
    tmp_path: Path, seeds_analysis: Analysis, monkeypatch: pytest.MonkeyPatch, crash
) -> None:
    path = tmp_path / "r.json"
    store = AnnotationStore.open(path, "rev", seeds_analysis)
    cid = _multi(seeds_analysis)
    store.set_tag(cid, "confirmed")
    old = path.read_text(encoding="utf-8")
    crash(monkeypatch)
    with pytest.raises(_Crash):
        store.set_tag(cid, "disputed")
    monkeypatch.undo()
    tags = [c["tag"] for c in json.loads(path.read_text(encoding="utf-8"))["claims"]]
    assert tags in (["confirmed"], ["disputed"])  # whole, old or new
    if tags == ["confirmed"]:
        assert path.read_text(encoding="utf-8") == old
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    reopened = AnnotationStore.read(path, seeds_analysis)
    assert reopened.tag_of(cid) == tags[0]


def test_two_annotations_landing_on_one_claim_show_the_latest_and_list_the_other(
    tmp_path: Path, seeds_analysis: Analysis, capsys: pytest.CaptureFixture[str]
) -> None:
    # As when an added article joins two claims a reviewer had tagged apart.
    path, cid, data = _one_tag_saved(tmp_path, seeds_analysis)
    earlier = json.loads(json.dumps(data["claims"][0]))
    earlier.update(claim="c-old", tag="disputed", modified="2000-01-01T00:00:00Z")
    data["claims"].append(earlier)
    path.write_text(json.dumps(data), encoding="utf-8")
    again = AnnotationStore.open(path, "rev", seeds_analysis)
    assert again.tag_of(cid) == "confirmed"  # the latest edit shows
    assert [a.claim for a in again.hidden()] == ["c-old"]  # the other is listed, not dropped
    again.release()
    from tui.cli import main

    assert main(["annotations", "check", "--annotations", str(tmp_path)]) == 1
    assert "hidden       c-old tag=disputed" in capsys.readouterr().out


def test_files_sharing_a_base_name_keep_their_own_annotations(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "c"
    extra = {
        "bbc": "Parents queued outside the town hall before dawn.",
        "cnn": "A teacher welcomed the extra money for science labs.",
        "sky": "The opposition walked out of the chamber in protest.",
    }
    for outlet, amount in (("bbc", "£5m"), ("cnn", "£6m"), ("sky", "£5m")):
        (corpus_dir / outlet).mkdir(parents=True)
        (corpus_dir / outlet / "story.txt").write_text(
            f"Budget\nThe council approved a {amount} budget for schools on Tuesday.\n"
            f"{extra[outlet]}\n",
            encoding="utf-8",
        )
    analysis = analyze(load_corpus([corpus_dir], recursive=True))
    assert sorted(a.file for a in analysis.articles) == [
        "bbc/story.txt",
        "cnn/story.txt",
        "sky/story.txt",
    ]
    cnn_only = next(s for s in analysis.statements if "science labs" in s.text)
    cid = analysis.claims_of(cnn_only.id)[0].id
    path = tmp_path / "r.json"
    store = AnnotationStore.open(path, "rev", analysis)
    store.set_tag(cid, "unique")
    store.release()
    again = AnnotationStore.open(path, "rev", analyze(load_corpus([corpus_dir], recursive=True)))
    a = again.annotations[cid]
    assert a.anchor == "anchored" and again.tag_of(cid) == "unique"
    assert [x.file for x in a.statements] == ["cnn/story.txt"]


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '{"schema": "claimdiff.annotations/1", "claims": "nope"}',
        '{"schema": "claimdiff.annotations/1", "version": 2, "reviewer": "b", "claims": [1]}',
        '{"schema": "claimdiff.annotations/1", "claims": [{"claim": "x", "tag": 5}]}',
    ],
    ids=["a-list", "claims-a-string", "claim-a-number", "tag-a-number"],
)
def test_json_that_is_not_an_annotation_file_is_kept_and_refused_clearly(
    tmp_path: Path, seeds_analysis: Analysis, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    path = tmp_path / "rev.json"
    path.write_text(content, encoding="utf-8")
    store = AnnotationStore.open(path, "rev", seeds_analysis)
    assert store.read_only and "kept as it is" in (store.message or "")
    with pytest.raises(ann.StoreError):
        store.set_tag(_multi(seeds_analysis), "confirmed")
    store.release()
    assert path.read_text(encoding="utf-8") == content
    from tui.cli import main

    assert main(["agreement", "--annotations", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "rev.json" in err and "skipped" in err and "Traceback" not in err
