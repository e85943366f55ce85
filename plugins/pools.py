"""The only place in the project that starts processes: callers hand ``run_jobs`` plain jobs.

Rules, and why:

- One start method, ``forkserver``, for every pool: safe from a process with threads
  (``invoke serve``'s server thread), and a worker does not inherit the build's memory
  (its parsed content), which keeps the peak memory of the PDF build low.
- The server preloads ``PRELOAD``, fixed here: callers cannot change it, so every pool
  shares one server; its modules (WeasyPrint) are imported once, not once per worker.
- Workers: ``min(workers, len(jobs))``; with ``workers <= 1`` or fewer than ``min_jobs``
  jobs, everything runs in this process: starting workers would cost more than it saves.
- Results come back in the order of the jobs, whether a pool ran them or not.
- ``setup`` runs once in each worker, or once here before jobs run here (not for an
  empty list): it must be harmless in this process too.
- A job that raises becomes a ``JobFailure`` at its place; the other jobs go on.
- A worker that dies (killed, out of memory) or processes that cannot start here:
  the jobs from the first one without a result on run in this process, with one INFO
  line; nothing is dropped.
- A worker ends when the process that started its pool ends, even killed (``kill -9``):
  nothing of a killed build stays behind waiting for jobs.
- Jobs, results, ``work`` and ``setup`` must pickle (module-level functions, plain
  data): anything else is a programming error and raises.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import select
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

logger = logging.getLogger("bulletins")

J = TypeVar("J")
R = TypeVar("R")

START_METHOD = "forkserver"
# Modules the server imports once, before it forks any worker: what the Markdown and
# schedule workers need (Pelican, Markdown, Babel), so each of their pools starts in
# about 0.03 s with nothing left to import. WeasyPrint is not among them: each PDF
# worker imports it itself (about 0.7 s, once per pool), which keeps it out of the
# server's memory on the many builds that render no PDF. The server imports them from
# the folder the build runs in (the project's root); elsewhere the workers import them.
PRELOAD: tuple[str, ...] = ("plugins.content.conversion", "plugins.meetings.schedule")

WORKER_DIED = "un processus de travail s'est arrêté ; la suite est faite ici"
NO_PROCESSES = "impossible de démarrer des processus de travail (%s) ; tout est fait ici"


@dataclass(frozen=True)
class JobFailure:
    """A job that raised in its worker: what to report instead of its result."""

    index: int  # position of the job in the list handed in
    kind: str  # exception class name
    message: str  # str(exception)


def worker_count(setting: Any) -> int:
    """Workers for a ``*_JOBS`` setting: its value when set (above 0), else one per core."""
    if setting and int(setting) > 0:
        return int(setting)
    return os.cpu_count() or 1


def run_jobs(
    work: Callable[[J], R],
    jobs: Sequence[J],
    workers: int,
    *,
    setup: Callable[..., None] | None = None,
    setup_args: tuple = (),
    min_jobs: int = 2,
    chunksize: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[R | JobFailure]:
    """``work(job)`` of every job, in the order of ``jobs`` (a JobFailure where one raised).

    ``work`` and ``setup`` are module-level functions; ``setup(*setup_args)`` runs once in
    each worker. ``progress(done)`` is called here after each result. See the module's
    rules for workers that die and for small runs.
    """
    results: list[R | JobFailure] = []
    count = min(workers, len(jobs))
    if count > 1 and len(jobs) >= min_jobs:
        pooled = _in_pool(work, jobs, count, setup, setup_args, chunksize)
        try:
            while True:
                try:
                    result = next(pooled)
                except StopIteration:
                    break
                except BrokenProcessPool:
                    logger.info(WORKER_DIED)
                    break
                except OSError as error:  # no processes here (limits, no /dev/shm…)
                    logger.info(NO_PROCESSES, error)
                    break
                results.append(result)
                if progress is not None:
                    progress(len(results))
        finally:
            pooled.close()
    return finished_here(work, jobs, results, setup, setup_args, progress)


def finished_here(
    work: Callable[[J], R],
    jobs: Sequence[J],
    results: list[R | JobFailure],
    setup: Callable[..., None] | None,
    setup_args: tuple,
    progress: Callable[[int], None] | None = None,
) -> list[R | JobFailure]:
    """``results`` completed in this process with the jobs a pool did not do."""
    if len(results) == len(jobs):
        return results  # every job ran in the pool, or there were none
    if setup is not None:
        setup(*setup_args)
    for index in range(len(results), len(jobs)):
        results.append(_run_one(work, (index, jobs[index])))
        if progress is not None:
            progress(len(results))
    return results


@contextlib.contextmanager
def _uninterrupted_start() -> Iterator[None]:
    """Ctrl-C while a worker is being started leaves it half-started, and the forkserver
    prints a traceback: the interruption is held until the workers are started, then
    raised as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: held.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous or signal.default_int_handler)
    if held:
        raise KeyboardInterrupt


class PendingJobs:
    """Jobs started in a pool while this process does something else (``started_jobs``)."""

    def __init__(self, work, jobs, workers, setup, setup_args):
        self.work, self.jobs, self.setup, self.setup_args = work, list(jobs), setup, setup_args
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.futures = []

    def start(self) -> None:
        if not self.jobs:
            return
        work, setup, setup_args = self.work, self.setup, self.setup_args
        try:
            with _uninterrupted_start():
                self.pool = _pool(min(self.workers, len(self.jobs)), setup, setup_args)
                self.futures = [
                    self.pool.submit(_run_one, work, (index, job))
                    for index, job in enumerate(self.jobs)
                ]
        except OSError as error:  # no processes here: results() does the jobs itself
            logger.info(NO_PROCESSES, error)
            self.close()

    def results(self) -> list:
        """Every job's result in order, waiting for the pool; what it could not do is
        done here (the same rules as ``run_jobs``)."""
        results = []
        for future in self.futures:
            try:
                results.append(future.result())
            except BrokenProcessPool:
                logger.info(WORKER_DIED)
                break
        self.close()
        return finished_here(self.work, self.jobs, results, self.setup, self.setup_args)

    def close(self) -> None:
        """Wait for the workers to end their jobs (a worker stopped while it starts
        makes the forkserver print a traceback)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None


@contextlib.contextmanager
def started_jobs(
    work: Callable[[J], R],
    jobs: Sequence[J],
    workers: int,
    *,
    setup: Callable[..., None] | None = None,
    setup_args: tuple = (),
) -> Iterator[PendingJobs]:
    """Start ``work(job)`` of every job in a pool now; the block runs meanwhile and
    calls ``results()``. Leaving the block early (an error, Ctrl-C) waits for the
    workers to stop, so nothing runs on after it."""
    pending = PendingJobs(work, jobs, workers, setup, setup_args)
    try:
        pending.start()
        yield pending
    finally:
        pending.close()


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context(START_METHOD)
    # Only the server's first start reads it: the same tuple every time.
    context.set_forkserver_preload(list(PRELOAD))
    return context


def _pool(
    workers: int, setup: Callable[..., None] | None, setup_args: tuple
) -> ProcessPoolExecutor:
    """A pool whose workers run ``setup(*setup_args)`` first, and end with this process."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_worker_start,
        initargs=(os.getpid(), setup, setup_args),
    )


def _worker_start(starter: int, setup: Callable[..., None] | None, setup_args: tuple) -> None:
    """A worker's first step: end with the process that started the pool, ``starter``,
    then ``setup``.

    Killed (``kill -9``, out of memory), that process cannot shut its pool down: its
    workers would wait for jobs forever, each holding the server's and the resource
    tracker's pipes open, so those would never end either. A thread of each worker
    waits for it to end (a pidfd, Linux 5.3 and later; elsewhere nothing watches).
    """
    try:
        ended = os.pidfd_open(starter)
    except ProcessLookupError:
        os._exit(1)  # ended before this worker started
    except (AttributeError, OSError):
        ended = None
    if ended is not None:
        threading.Thread(target=_end_with, args=(ended,), daemon=True, name="starter").start()
    if setup is not None:
        setup(*setup_args)


def _end_with(ended: int) -> None:
    """Wait until the pidfd ``ended`` says its process ended, then end this worker."""
    select.select([ended], [], [])
    os._exit(1)


def _in_pool(
    work: Callable[[J], R],
    jobs: Sequence[J],
    workers: int,
    setup: Callable[..., None] | None,
    setup_args: tuple,
    chunksize: int,
) -> Iterator[R | JobFailure]:
    """Each job's result from a pool of ``workers``, in order."""
    with _pool(workers, setup, setup_args) as pool:
        with _uninterrupted_start():
            results = pool.map(
                _run_one, [work] * len(jobs), enumerate(jobs), chunksize=max(1, chunksize)
            )
        yield from results


def _run_one(work: Callable[[J], R], indexed: tuple[int, J]) -> R | JobFailure:
    """``work(job)``, or the JobFailure saying what it raised (in a worker or here)."""
    index, job = indexed
    try:
        return work(job)
    except Exception as error:  # noqa: BLE001 - reported as a JobFailure at its place
        return JobFailure(index, type(error).__name__, str(error))
