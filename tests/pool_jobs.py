"""Module-level jobs for tests/test_pools.py: a forkserver worker imports them by name."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time

from plugins.pools import PRELOAD

# Set by a test in the parent: a worker forked from the parent would see the change.
MARK = "as imported"

# What ``remember`` stored in this process, and how many times it ran here.
setup_value: str | None = None
setup_calls = 0


def square(number: int) -> int:
    return number * number


def square_unless_three(number: int) -> int:
    if number == 3:
        raise ValueError("trois est refusé")
    return number * number


def value_or_die(job: tuple[int, int, bool]) -> int:
    """The job's value; the worker kills itself first when asked, never the parent."""
    parent_pid, value, die = job
    if die and os.getpid() != parent_pid:
        # Let the pool finish starting its other worker: killed while a sibling is still
        # being started, CPython's executor can wait forever for that sibling (seen once).
        time.sleep(1)
        os.kill(os.getpid(), signal.SIGKILL)
    return value


def remember(value: str) -> None:
    global setup_value, setup_calls
    setup_value = value
    setup_calls += 1


def setup_seen(_job: object) -> tuple[str | None, int, int]:
    return setup_value, setup_calls, os.getpid()


def pid(_job: object) -> int:
    return os.getpid()


def where(_job: object) -> tuple[bool, str, bool]:
    """(runs in a child process, MARK as this process sees it, PRELOAD already imported)."""
    return (
        multiprocessing.parent_process() is not None,
        MARK,
        all(name in sys.modules for name in PRELOAD),
    )


def render_or_raise(job):
    """A render for plugins.pdf_edition.editions.render_all that raises on one job."""
    from plugins.pdf_edition.render import RenderResult

    if job.target.endswith("bad.pdf"):
        raise RuntimeError("plus de mémoire\ndétails")
    return RenderResult(job.target, pages=1)
