"""The results of the checks that read one file only, kept by its text and HTML.

A rebuild after one edited bulletin checks that bulletin again, not the
archive. The checks that look at other files (link targets, numbers,
translations) always run. The store is keyed by the code of the checks and
the settings they read, so an edited check or series starts afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from plugins.model import Problem, SourceFile

FILE_NAME = "validation.pickle"


def code_stamp(settings: Mapping[str, Any], extra: str) -> str:
    """Changes whenever the checks' code or the settings they read change."""
    folder = Path(__file__).parent
    sources = [*sorted(folder.glob("*.py")), folder.parent / "model.py"]
    sources += sorted((folder.parent / "meetings").glob("schedule.py"))
    digest = hashlib.sha256(extra.encode("utf-8"))
    digest.update(repr((settings.get("SERIES"), settings.get("GROUPS"))).encode("utf-8"))
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


class CheckMemo:
    """Per-file problems by (path, text digest, HTML digest), on disk between builds."""

    def __init__(self, cache_root: Path, stamp: str):
        self.path = cache_root / FILE_NAME
        self.stamp = stamp
        self.entries: dict[tuple[str, str], list[Problem]] = {}
        self.used: set[tuple[str, str]] = set()
        self.changed = False
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)
            if stored.get("stamp") == stamp:
                self.entries = stored["entries"]
        except Exception:  # noqa: BLE001 - a missing or stale memo is simply rebuilt
            self.entries = {}

    def problems(self, file: SourceFile, check: Callable[[], list[Problem]]) -> list[Problem]:
        """``check()``'s problems for ``file``, computed only when its text or HTML changed."""
        digest = hashlib.sha256(file.text.encode("utf-8") + b"\0" + file.html.encode("utf-8"))
        key = (file.path, digest.hexdigest())
        self.used.add(key)
        if key not in self.entries:
            self.entries[key] = check()
            self.changed = True
        return list(self.entries[key])

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
