"""A folder as the build's up-to-date checks see it: one line per file, with its size
and modification time (plugins.build.freshness, plugins.content.kept)."""

from __future__ import annotations

import os
from collections.abc import Iterable
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
