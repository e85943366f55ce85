"""Markdown converted ahead, in parallel, before a run reads its files one by one.

Pelican reads a run's files one after the other. Before it reads the first
one, the files no cache holds yet are converted by a pool of forked
processes (one per core, ``MARKDOWN_JOBS``) into the reader's caches, so
Pelican's own reads then find every conversion done.

The pool only fills caches: a file whose conversion logs anything or fails
is left to Pelican, which reads it again in this process and reports it as
usual. Nothing the build reports, and no byte of the site, depends on it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Iterable
from typing import Any

from plugins.reader_cache.keys import EXPANSION_MARKER
from plugins.reader_cache.reader import (
    CachingMarkdownReader,
    Entry,
    disk_path,
    load,
    remember,
)

# Below this many files to convert, starting processes costs more than it saves.
MIN_FILES = 16
# Files per task sent to a worker: fewer round trips, still balanced.
CHUNK = 8

# Set in the parent just before the pool forks: the workers inherit it.
_reader: CachingMarkdownReader | None = None


class _Collected(logging.Handler):
    """Whatever a worker's conversion logs: any record sends the file back to Pelican."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_collected = _Collected()


def conversion_workers(settings: dict[str, Any]) -> int:
    return int(settings.get("MARKDOWN_JOBS") or os.cpu_count() or 1)


def can_fork() -> bool:
    """Forking is only safe from a process with one thread (``invoke serve`` has more)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def to_convert(reader: CachingMarkdownReader, paths: Iterable[str]) -> list[str]:
    """The Markdown files among ``paths`` whose current text no cache holds."""
    cache_root = reader.settings.get("BUILD_CACHE_PATH", ".cache")
    extensions = tuple(f".{ext}" for ext in reader.file_extensions)
    missing = []
    for path in paths:
        if not path.endswith(extensions):
            continue
        try:
            key = reader.key_of(path)
        except OSError:
            continue  # Pelican says why
        if key is not None and load(cache_root, key) is None:
            missing.append(path)
    return missing


def convert_ahead(settings: dict[str, Any], paths: Iterable[str]) -> int:
    """Convert the uncached Markdown files of ``paths`` in parallel; how many were.

    The conversions land in this process's memory cache (and on disk).
    """
    global _reader
    workers = conversion_workers(settings)
    if workers < 2 or not can_fork():
        return 0
    reader = CachingMarkdownReader(settings)
    missing = to_convert(reader, paths)
    if len(missing) < MIN_FILES:
        return 0
    if any(EXPANSION_MARKER.search(_bytes(path)) for path in missing):
        _load_expansions(settings)  # read once here, inherited by every worker
    _reader = reader
    chunks = [missing[i : i + CHUNK] for i in range(0, len(missing), CHUNK)]
    converted = 0
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(min(workers, len(chunks)), initializer=_quiet_worker) as pool:
            for entries in pool.imap_unordered(_convert_chunk, chunks):
                for key, entry in entries:
                    remember(key, entry)
                    converted += 1
    except OSError:
        pass  # no processes here (limits, no /dev/shm): Pelican converts the rest itself
    finally:
        _reader = None
    return converted


def _bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _load_expansions(settings: dict[str, Any]) -> None:
    """What a ``[[calendrier …]]`` marker renders: the run's meetings catalogue."""
    from plugins.meetings.reading import catalogue_for

    catalogue_for(settings)


def _quiet_worker() -> None:
    """In a worker, every log record goes to ``_collected`` and nowhere else."""
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):
            logger.handlers.clear()
            logger.filters.clear()
    root = logging.getLogger()
    root.addHandler(_collected)
    root.setLevel(logging.WARNING)


def _convert_chunk(paths: list[str]) -> list[tuple[str, Entry]]:
    """Each file's (key, conversion), leaving out any file that logged or failed."""
    assert _reader is not None
    done = []
    for path in paths:
        _collected.records.clear()
        try:
            key = _reader.key_of(path)
            if key is None:
                continue
            _reader.read(path)
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports it
            continue
        cache_root = _reader.settings.get("BUILD_CACHE_PATH", ".cache")
        if _collected.records:
            # Pelican converts it again in the build's process and logs the same.
            disk_path(cache_root, key).unlink(missing_ok=True)
            continue
        entry = load(cache_root, key)
        if entry is not None:
            done.append((key, entry))
    return done
