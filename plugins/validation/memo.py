"""The results of the checks that read one file only, kept by its text and HTML
(by its conversion's key: a digest of everything both are made from).

A rebuild after one edited bulletin checks that bulletin again, not the
archive. A check that looks at other files (link targets) is kept with what
it depends on (the listing of content/), the checks across files (numbers,
translations) always run. The store is keyed by the code of the checks and
the settings they read, so an edited check or series starts afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from plugins.model import SourceFile

FILE_NAME = "validation.pickle"
T = TypeVar("T")


def code_stamp(settings: Mapping[str, Any], extra: str) -> str:
    """Changes whenever the checks' code or the settings they read change."""
    folder = Path(__file__).parent
    sources = [*sorted(folder.glob("*.py")), folder.parent / "model.py"]
    sources += sorted((folder.parent / "meetings").glob("schedule.py"))
    sources.append(folder.parent / "content" / "embeds.py")
    digest = hashlib.sha256(extra.encode("utf-8"))
    read = (settings.get("SERIES"), settings.get("GROUPS"), settings.get("EMBED_HOSTS"))
    digest.update(repr(read).encode("utf-8"))
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


class CheckMemo:
    """Per-file check results by (check, path, text and HTML digest, dependencies),
    on disk between builds; those missing are computed together (``recall``)."""

    def __init__(self, cache_root: Path, stamp: str):
        self.path = cache_root / FILE_NAME
        self.stamp = stamp
        self.entries: dict[tuple[str, ...], Any] = {}
        self.used: set[tuple[str, ...]] = set()
        self.digests: dict[str, str] = {}  # by path: one file each in a run
        self.changed = False
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)
            if stored.get("stamp") == stamp:
                self.entries = stored["entries"]
        except Exception:  # noqa: BLE001 - a missing or stale memo is simply rebuilt
            self.entries = {}

    def recall(
        self,
        wanted: list[tuple[str, SourceFile, str]],
        compute: Callable[[list[tuple[str, SourceFile]]], list[T]],
    ) -> list[T]:
        """The result of each ``(check, file, depends)`` of ``wanted``, in order: kept
        unless the file's text or HTML, or ``depends`` (what else the check reads),
        changed. Those not kept are computed together, ``compute([(check, file)…])``."""
        keys = [(kind, file.path, self.digest(file), depends) for kind, file, depends in wanted]
        self.used.update(keys)
        todo = [index for index, key in enumerate(keys) if key not in self.entries]
        if todo:
            computed = compute([wanted[index][:2] for index in todo])
            for index, result in zip(todo, computed, strict=True):
                self.entries[keys[index]] = result
            self.changed = True
        return [self.entries[key] for key in keys]

    def digest(self, file: SourceFile) -> str:
        """What ``file``'s text and HTML are made from: its conversion's key, or a
        digest of both (once per file: every check asks)."""
        if file.made_from:
            return file.made_from
        found = self.digests.get(file.path)
        if found is None:
            text = file.text.encode("utf-8") + b"\0" + file.html.encode("utf-8")
            found = self.digests[file.path] = hashlib.sha256(text).hexdigest()
        return found

    def save(self) -> None:
        """Keep the entries of this run only (a gone or edited file's old entry is dropped)."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        kept = {key: value for key, value in self.entries.items() if key in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump({"stamp": self.stamp, "entries": kept}, handle)
            os.replace(temporary, self.path)
        except OSError:
            pass  # the memo only saves time


def tree_listing(root: Path, langs: Mapping[str, str | None]) -> str:
    """What link and image targets are checked against: every file under ``root``,
    each Markdown file with its language, every other file (images…) with its size
    and time. Editing a bulletin's text leaves it as it was."""
    digest = hashlib.sha256()
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            if name.endswith(".md"):
                digest.update(f"{path}\0{langs.get(path)}\n".encode())
                continue
            try:
                stat = os.stat(path)
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
