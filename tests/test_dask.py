"""Stories on a Dask cluster: the same result as on one machine, and a clear line when the
scheduler cannot be reached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

from .test_stories_and_spans import write_two_stories

distributed = pytest.importorskip("dask.distributed")


def test_a_local_cluster_gives_the_same_analysis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_two_stories(tmp_path / "news")
    assert main(["analyze", "--json", "--no-cache", "--jobs", "1", str(corpus)]) == 0
    alone = json.loads(capsys.readouterr().out)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        code = main(
            [
                "analyze",
                "--json",
                "--no-cache",
                "--scheduler",
                cluster.scheduler_address,
                str(corpus),
            ]
        )
    assert code == 0
    on_cluster = json.loads(capsys.readouterr().out)
    assert len(on_cluster["stories"]) == 2
    assert on_cluster == alone


def test_an_unreachable_scheduler_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_two_stories(tmp_path / "news")
    code = main(["analyze", "--no-cache", "--scheduler", "tcp://127.0.0.1:9", str(corpus)])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err
