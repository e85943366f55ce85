"""Walking the build's folders: a folder as the up-to-date checks see it (one line per
file, with its size and modification time: plugins.build.freshness,
plugins.content.kept), and one language's folder of a site without the others'
(plugins.build.staging, plugins.search.shards)."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path


def tree_entries(root: Path) -> Iterable[str]:
    """One line per file below ``root``: path, size and modification time (strings,
    not Path objects: output/ holds thousands of files, walked twice a build)."""
    if root.is_file():
        stat = root.stat()
        yield f"{root}\0{stat.st_size}\0{stat.st_mtime_ns}"
        return
    base = str(root)
    for directory, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        folder = os.path.relpath(directory, base)
        prefix = "" if folder == "." else folder + "/"
        for name in sorted(files):
            if name.endswith((".pyc", ".mo")):
                continue
            stat = os.stat(os.path.join(directory, name))
            yield f"{prefix}{name}\0{stat.st_size}\0{stat.st_mtime_ns}"


def folder_walk(
    site: str | os.PathLike[str], folder: str = "", skip: Collection[str] = ()
) -> Iterator[tuple[str, str, list[str]]]:
    """``os.walk`` of ``folder`` of ``site`` (all of it by default), without the folders
    named in ``skip`` (paths in the site: ``en``, ``pagefind``): each directory, its
    path in the site ending in ``/`` (``""`` at its root), and its files."""
    base = os.path.join(site, folder) if folder else os.fspath(site)
    for directory, dirs, files in os.walk(base):
        relative = os.path.relpath(directory, site).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        dirs[:] = [name for name in dirs if prefix + name not in skip]
        yield directory, prefix, files
