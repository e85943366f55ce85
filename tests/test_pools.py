"""plugins.pools: the one helper that starts processes, and what it promises callers."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from plugins import pools
from plugins.pools import JobFailure, run_jobs, worker_count
from tests import pool_jobs

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"


def test_results_come_back_in_the_order_of_the_jobs():
    jobs = list(range(12))
    assert run_jobs(pool_jobs.square, jobs, 2) == [n * n for n in jobs]


def test_one_worker_runs_here_with_the_same_results():
    jobs = list(range(6))
    assert run_jobs(pool_jobs.square, jobs, 1) == run_jobs(pool_jobs.square, jobs, 2)
    assert set(run_jobs(pool_jobs.pid, jobs, 1)) == {os.getpid()}


def test_fewer_jobs_than_min_jobs_run_here():
    assert run_jobs(pool_jobs.pid, [1, 2, 3], 2, min_jobs=4) == [os.getpid()] * 3
    assert os.getpid() not in run_jobs(pool_jobs.pid, [1, 2, 3, 4], 2, min_jobs=4)


def test_a_raising_job_becomes_a_failure_at_its_place_and_the_others_go_on():
    for workers in (2, 1):
        results = run_jobs(pool_jobs.square_unless_three, list(range(6)), workers, chunksize=2)
        assert results == [0, 1, 4, JobFailure(3, "ValueError", "trois est refusé"), 16, 25]


def test_a_killed_worker_leaves_the_rest_to_this_process(caplog):
    jobs = [(os.getpid(), value, value == 1) for value in range(6)]
    with caplog.at_level(logging.INFO, logger="bulletins"):
        results = run_jobs(pool_jobs.value_or_die, jobs, 2)
    assert results == list(range(6))
    lines = [r.getMessage() for r in caplog.records if r.name == "bulletins"]
    assert lines == ["un processus de travail s'est arrêté ; la suite est faite ici"]


def test_no_processes_here_means_everything_runs_here(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise PermissionError("pas de /dev/shm")

    monkeypatch.setattr(pools, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(pool_jobs, "setup_value", None)
    monkeypatch.setattr(pool_jobs, "setup_calls", 0)
    with caplog.at_level(logging.INFO, logger="bulletins"):
        results = run_jobs(
            pool_jobs.setup_seen, [1, 2, 3], 2, setup=pool_jobs.remember, setup_args=("ici",)
        )
    assert [(value, pid) for value, _, pid in results] == [("ici", os.getpid())] * 3
    lines = [r.getMessage() for r in caplog.records if r.name == "bulletins"]
    assert lines == [
        "impossible de démarrer des processus de travail (pas de /dev/shm) ; tout est fait ici"
    ]


def test_setup_runs_once_in_each_worker():
    results = run_jobs(
        pool_jobs.setup_seen, list(range(8)), 2, setup=pool_jobs.remember, setup_args=("réglé",)
    )
    assert {(value, calls) for value, calls, _ in results} == {("réglé", 1)}
    pids = {pid for _, _, pid in results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_setup_runs_here_before_jobs_that_run_here(monkeypatch):
    monkeypatch.setattr(pool_jobs, "setup_value", None)
    monkeypatch.setattr(pool_jobs, "setup_calls", 0)
    results = run_jobs(
        pool_jobs.setup_seen, [1, 2], 1, setup=pool_jobs.remember, setup_args=("ici",)
    )
    assert results == [("ici", 1, os.getpid())] * 2


def test_no_jobs_start_nothing_and_set_up_nothing(monkeypatch):
    monkeypatch.setattr(pool_jobs, "setup_calls", 0)
    assert run_jobs(pool_jobs.square, [], 2, setup=pool_jobs.remember, setup_args=("x",)) == []
    assert pool_jobs.setup_calls == 0


def test_progress_is_told_here_after_each_result():
    done: list[int] = []
    run_jobs(pool_jobs.square, list(range(5)), 2, progress=done.append)
    assert done == [1, 2, 3, 4, 5]


def test_a_pool_starts_from_a_process_with_another_thread():
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        assert threading.active_count() > 1
        assert run_jobs(pool_jobs.square, list(range(4)), 2) == [0, 1, 4, 9]
    finally:
        stop.set()
        waiting.join()


def test_workers_come_from_the_forkserver_not_from_this_process(monkeypatch):
    monkeypatch.setattr(pool_jobs, "MARK", "set in the parent")
    results = run_jobs(pool_jobs.where, [1, 2], 2)
    # A child that did not inherit this process's memory, with PRELOAD already
    # imported: forked from the forkserver (a spawned child would import only the job).
    assert results == [(True, "as imported", True)] * 2


def test_worker_count_is_the_setting_or_one_per_core():
    assert worker_count(3) == 3
    assert worker_count("2") == 2
    assert worker_count(None) == worker_count(0) == (os.cpu_count() or 1)


def test_only_plugins_pools_creates_process_pools():
    markers = ("ProcessPoolExecutor", "multiprocessing.Pool", "get_context(", ".Pool(")
    found = sorted(
        f"{path.relative_to(PLUGINS.parent)}: {marker}"
        for path in PLUGINS.rglob("*.py")
        if path != PLUGINS / "pools.py"
        for marker in markers
        if marker in path.read_text(encoding="utf-8")
    )
    assert found == []


def test_a_pdf_render_that_raises_comes_back_as_a_render_error():
    from plugins.pdf_edition.editions import render_all
    from plugins.pdf_edition.render import RenderJob, RenderResult

    jobs = [RenderJob("", "", "", "", (), f"/tmp/{name}.pdf", b"") for name in ("a", "bad", "c")]
    for workers in (2, 1):
        assert render_all(jobs, workers, render=pool_jobs.render_or_raise) == [
            RenderResult("/tmp/a.pdf", pages=1),
            RenderResult("/tmp/bad.pdf", error="RuntimeError : plus de mémoire"),
            RenderResult("/tmp/c.pdf", pages=1),
        ]
