"""Builds that cannot collide: a lock, a private staging folder, an atomic swap.

- A build holds ``build.lock`` in the cache (like Hugo's ``.hugo_build.lock``):
  a second build says so in one French line and waits, or gives up at once.
- Each build stages into a folder of its own beside ``output/``; folders left
  by a build that was killed are removed by the next one (it holds the lock,
  so no other build can be using them).
- The staging folder and ``output/`` are exchanged in one system call
  (``renameat2(RENAME_EXCHANGE)``), so ``output/index.html`` never goes
  missing, even for a reader polling it during the swap; the previous site
  is then removed by a detached process, not on the build's time.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = "build.lock"


class BuildBusy(Exception):
    """Another build holds the lock and the caller chose not to wait."""

    def __init__(self, pid: str):
        self.pid = pid
        super().__init__(f"une construction est déjà en cours (processus {pid}) ; réessayez")


def _holder(handle) -> str:
    handle.seek(0)
    return handle.read().strip() or "?"


@contextlib.contextmanager
def build_lock(
    cache: Path, wait: bool = True, say: Callable[[str], None] = print
) -> Iterator[None]:
    """Hold the cache's build lock for the duration of the block.

    When another build holds it: say one French line and wait (``wait``), or
    raise BuildBusy. The lock is released by the kernel if the process dies.
    """
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / LOCK_NAME, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _holder(handle)
            if not wait:
                raise BuildBusy(pid) from None
            say(
                f"une construction est déjà en cours (processus {pid}) ; "
                "j'attends qu'elle se termine"
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prefix(output: Path) -> str:
    return f".{output.name}-staging-"


def remove_leftovers(output: Path) -> None:
    """Staging folders of builds that were killed (call with the lock held)."""
    if not output.parent.is_dir():
        return
    for folder in output.parent.glob(f"{_prefix(output)}*"):
        shutil.rmtree(folder, ignore_errors=True)


def new_staging(output: Path) -> Path:
    """A fresh folder beside ``output`` that no other build uses."""
    output.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=_prefix(output), dir=output.parent))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where it is not available."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # old kernel or a file system without exchange
    raise OSError(error, os.strerror(error), str(first))


def remove_in_background(folder: Path) -> None:
    """Remove a previous site without making the build wait for it.

    A detached ``rm`` outlives the build's process; if it is stopped early,
    what is left keeps the staging prefix and the next build removes it.
    """
    rm = shutil.which("rm")
    if rm is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    subprocess.Popen(
        [rm, "-rf", "--", str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def swap_into_place(staging: Path, output: Path) -> None:
    """Make ``staging`` the new ``output``; the old output is removed afterwards."""
    if output.is_dir() and _exchange(staging, output):
        remove_in_background(staging)  # now holds the previous site
        return
    # First build, or no atomic exchange here: two renames (a brief gap).
    previous = staging.with_name(staging.name + "-previous")
    if output.exists():
        os.replace(output, previous)
    os.replace(staging, output)
    shutil.rmtree(previous, ignore_errors=True)
