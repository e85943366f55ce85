"""Builds that cannot collide: a lock, a private staging folder, an atomic swap.

- A build holds ``build.lock`` in the cache (like Hugo's ``.hugo_build.lock``):
  a second build says so in one French line and waits, or gives up at once.
- Each build stages into a folder of its own beside ``output/``; folders left
  by a build that was killed are removed by the next one (it holds the lock,
  so no other build can be using them). That folder starts as the spare: the
  site before the published one, written over (double buffering).
- The staging folder and ``output/`` are exchanged in one system call
  (``renameat2(RENAME_EXCHANGE)``), so ``output/index.html`` never goes
  missing, even for a reader polling it during the swap; the previous site
  becomes the spare.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from plugins.walks import folder_walk

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


def spare_of(output: Path) -> Path:
    """Where the site before ``output``'s is kept, for the next build to write over."""
    return output.with_name(f".{output.name}-spare")


def remove_leftovers(output: Path) -> None:
    """Staging folders of builds that were killed (call with the lock held)."""
    if not output.parent.is_dir():
        return
    for folder in output.parent.glob(f"{_prefix(output)}*"):
        shutil.rmtree(folder, ignore_errors=True)


MARKER = ".construction"


@dataclass(frozen=True)
class Staging:
    """A build's private folder and the moment it started writing there."""

    path: Path
    started_ns: int  # change time (ctime) of the marker written first


def new_staging(output: Path) -> Staging:
    """A folder beside ``output`` that no other build uses.

    It is the spare (the site before the published one) when there is one:
    writing over existing pages costs far less than creating every folder
    and file again and removing the old site. Files this build does not
    write again are pruned before the search indexes the site (``prune_stale``).
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=_prefix(output), dir=output.parent))
    spare = spare_of(output)
    try:  # Ctrl+C here leaves no staging folder: the spare is put back
        if spare.is_dir():
            path.rmdir()
            os.rename(spare, path)
        marker = path / MARKER
        marker.write_bytes(b"")
        return Staging(path, marker.stat().st_ctime_ns)
    except BaseException:
        with contextlib.suppress(OSError):
            if spare.exists():
                path.rmdir()  # still the empty folder made first
            else:
                os.rename(path, spare)
        raise


def prune_stale(staging: Staging, folder: str = "", skip: Collection[str] = ()) -> None:
    """Remove what the build did not write (older than its marker), and empty folders,
    below ``folder`` of the staged site (all of it by default), but for its folders
    named in ``skip`` (other languages' sub-sites, rendered apart).

    Every file the build writes, copies or links gets a new change time, so a
    file changed before the marker was written belongs to an older site.
    """
    folders = []
    for directory, _prefix, files in folder_walk(staging.path, folder, skip):
        folders.append(directory)
        for name in files:
            path = os.path.join(directory, name)
            if name != MARKER and os.lstat(path).st_ctime_ns < staging.started_ns:
                os.unlink(path)
    for directory in reversed(folders[1:]):  # each folder after those inside it
        with contextlib.suppress(OSError):  # not empty: kept
            os.rmdir(directory)


def keep_as_spare(folder: Path, output: Path) -> None:
    """Keep a site (the previous one, or a failed build's) for the next build."""
    spare = spare_of(output)
    if spare.exists():
        shutil.rmtree(spare, ignore_errors=True)
    os.rename(folder, spare)


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


def swap_into_place(staging: Staging, output: Path) -> None:
    """Make the staging folder (pruned: ``prune_stale``) the new ``output``; the old
    one becomes the spare."""
    (staging.path / MARKER).unlink(missing_ok=True)
    if output.is_dir() and _exchange(staging.path, output):
        keep_as_spare(staging.path, output)  # now holds the previous site
        return
    # First build, or no atomic exchange here: two renames (a brief gap).
    if output.exists():
        keep_as_spare(output, output)
    os.replace(staging.path, output)
