"""Files shared by hard links: the published site, the site staged beside it, the
PDF cache and the search's temporary trees.

A hard link costs no copy, but a file shared by two sites must never be written
into: whoever shares one makes sure nothing writes there in place (see
plugins.content.kept and plugins.search.indexing, which say how).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

StrPath = str | os.PathLike[str]


def link_or_copy(source: StrPath, target: StrPath) -> None:
    """A hard link to ``source`` at ``target``, or a copy where links are not possible
    (another file system); its folder is made first."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    link_file(source, target)


def link_file(source: StrPath, target: StrPath) -> None:
    """``link_or_copy`` into a folder that exists."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_tree(source: StrPath, target: StrPath) -> None:
    """``target`` made of hard links (``link_file``) to the files below ``source``
    (``shutil.copytree`` with ``link_or_copy`` took twice as long: it copies each
    folder's times too)."""
    for directory, _dirs, files in os.walk(source):
        folder = os.path.join(target, os.path.relpath(directory, source))
        os.makedirs(folder, exist_ok=True)
        for name in files:
            link_file(os.path.join(directory, name), os.path.join(folder, name))


def share(source: StrPath, target: StrPath) -> None:
    """Make ``target`` (in the staged site) the file ``source`` (published, or cached).

    The staged site is the spare written over: its file at ``target`` is often
    already a link to ``source`` (shared by the build before), which then only gets
    a new change time, for ``plugins.build.staging.prune_stale`` to keep it; any
    other file there is replaced. Raises FileNotFoundError when ``source`` is gone.
    """
    wanted = os.stat(source)
    try:
        present = os.lstat(target)
    except FileNotFoundError:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    else:
        if (present.st_ino, present.st_dev) == (wanted.st_ino, wanted.st_dev):
            os.utime(target, ns=(wanted.st_atime_ns, wanted.st_mtime_ns))
            return
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(source, target)
