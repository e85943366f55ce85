"""The build cache, and results kept there from one build to the next by a digest
of their inputs: one JSON file of the build cache, holding the entries the last
build used.

What uses it: the PDF editions' plans (plugins.pdf_edition.cache.PlanMemo), the
feed items' absolute links (plugins.feeds.items.KeptLinks), what each page holds
for the search (plugins.search.shards.site_pages) and the theme's font metrics
(plugins.budget.typeface); the search's placement of pages in shards is saved with
``save_json`` (plugins.search.shards). The checks keep theirs in their own pickle
(plugins.validation.memo), with a code stamp.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def cache_root(settings: Mapping[str, Any]) -> Path:
    """The build cache (``BUILD_CACHE_PATH``, relative to the project)."""
    root = Path(settings.get("BUILD_CACHE_PATH") or ".cache")
    return root if root.is_absolute() else Path(settings.get("PROJECT_ROOT") or ".") / root


def save_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON at ``path`` in the build cache, whole or not at all (a
    temporary file renamed over it); a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass


def key_of(*parts: str) -> str:
    """The key of a result: a digest of everything it is made from."""
    text = "\0".join(parts)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


class KeptResults:
    """Text results by key, read from ``path`` and saved back with only the entries
    this build got or put (an archive's, not every edit's ever)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        self.known: dict[str, str] = known if isinstance(known, dict) else {}
        self.now: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        """The result kept under ``key`` (kept again by ``save``), or None."""
        found = self.known.get(key)
        if found is not None:
            self.now[key] = found
        return found

    def put(self, key: str, result: str) -> None:
        self.now[key] = result

    def save(self) -> None:
        """Write this build's entries, unless they are those read (nothing to write:
        a rebuild whose results were all kept); a failure to write only costs time."""
        if self.now != self.known:
            save_json(self.path, self.now)
