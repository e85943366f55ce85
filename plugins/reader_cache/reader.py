"""The caching Markdown reader and its two stores (this process, the disk)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader

from plugins.reader_cache.keys import (
    EXPANSION_MARKER,
    cache_key,
    expansion_digest,
    markdown_fingerprint,
)

pelican_logger = logging.getLogger("pelican.readers")
# Conversions kept in memory: a whole archive, bounded for `invoke serve`.
MEMORY_ENTRIES = 20_000


@dataclass(frozen=True)
class Entry:
    """One file's conversion: its HTML, raw metadata lines and converted formatted fields."""

    html: str
    meta: dict[str, list[str]]
    formatted: dict[str, str]


# Entries by key, shared by the runs of one process (both sub-sites of a build).
_memory: OrderedDict[str, Entry] = OrderedDict()


def remember(key: str, entry: Entry) -> None:
    _memory[key] = entry
    _memory.move_to_end(key)
    while len(_memory) > MEMORY_ENTRIES:
        _memory.popitem(last=False)


def disk_path(cache_root: str | os.PathLike, key: str) -> Path:
    return Path(cache_root) / "markdown" / key[:2] / f"{key}.json"


def load(cache_root: str | os.PathLike, key: str) -> Entry | None:
    """The stored conversion of ``key``, from memory or disk, or None."""
    if key in _memory:
        return _memory[key]
    try:
        stored = json.loads(disk_path(cache_root, key).read_text(encoding="utf-8"))
        entry = Entry(
            str(stored["html"]),
            {str(k): [str(line) for line in v] for k, v in stored["meta"].items()},
            {str(k): str(v) for k, v in stored["formatted"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # absent or unreadable: convert again
    remember(key, entry)
    return entry


def store(
    cache_root: str | os.PathLike,
    key: str,
    html: str,
    meta: dict[str, list[str]],
    formatted: dict[str, str],
) -> None:
    """Keep a conversion in memory and on disk (written atomically)."""
    remember(key, Entry(html, {k: list(v) for k, v in meta.items()}, dict(formatted)))
    target = disk_path(cache_root, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
        ) as handle:
            json.dump(
                {"html": html, "meta": meta, "formatted": formatted}, handle, ensure_ascii=False
            )
        os.replace(handle.name, target)
    except OSError:
        pass  # a read-only cache only costs time


class CachingMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, converting each distinct text only once."""

    _expansion: str | None = None
    _fingerprint: str | None = None

    def key_of(self, source_path: str) -> str | None:
        """The cache key of the file's current bytes (None when it is not UTF-8)."""
        with open(source_path, "rb") as handle:
            raw = handle.read()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        expansion = self.expansion() if EXPANSION_MARKER.search(raw) else None
        return cache_key(raw, self.fingerprint(), expansion)

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        key = self.key_of(source_path)
        if key is None:
            return super().read(source_path)  # Pelican reports it as usual
        cache_root = self.settings.get("BUILD_CACHE_PATH", ".cache")
        entry = load(cache_root, key)
        if entry is None:
            self._raw_meta: dict[str, list[str]] = {}
            html, metadata = super().read(source_path)
            meta = self._raw_meta
            formatted = {
                name: metadata[name.lower()]
                for name in meta
                if name.lower() in self.settings["FORMATTED_FIELDS"] and name.lower() in metadata
            }
            store(cache_root, key, html, meta, formatted)
            return html, metadata
        self._source_path = source_path
        return entry.html, self.cached_metadata(entry)

    def _parse_metadata(self, meta: dict[str, list[str]]) -> dict[str, Any]:
        # Markdown's reset() empties md.Meta while the summary is converted: copy it first.
        self._raw_meta = {name: list(lines) for name, lines in meta.items()}
        return super()._parse_metadata(meta)

    def cached_metadata(self, entry: Entry) -> dict[str, Any]:
        """Pelican's metadata processing of the stored lines, without converting again.

        Formatted fields (the summary) were converted by the first read: the
        same text and settings give the same HTML.
        """
        output: dict[str, Any] = {}
        for name, value in entry.meta.items():
            name = name.lower()
            if name in entry.formatted:
                output[name] = self.process_metadata(name, entry.formatted[name])
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True) or len(value) == 1:
                if len(value) > 1:  # the same warning as a fresh read
                    pelican_logger.warning(
                        "Duplicate definition of `%s` for %s. Using first one.",
                        name,
                        self._source_path,
                    )
                output[name] = self.process_metadata(name, value[0])
            else:
                output[name] = self.process_metadata(name, value)
        return output

    def fingerprint(self) -> str:
        """The Markdown settings' fingerprint, computed once per reader."""
        if self._fingerprint is None:
            self._fingerprint = markdown_fingerprint(self.settings["MARKDOWN"])
        return self._fingerprint

    def expansion(self) -> str:
        """What expansion markers may render, digested once per reader (once per run)."""
        if self._expansion is None:
            self._expansion = expansion_digest(self.settings)
        return self._expansion


def install_caching_reader(readers) -> None:
    """Signal handler (``readers_init``): Markdown files go through the cache."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = CachingMarkdownReader
