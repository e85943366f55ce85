"""Markdown → HTML, once per distinct text: in memory, on disk, in parallel.

The conversion is Pelican's own (the same Python-Markdown settings, the
``meta`` extension reading the header, formatted fields such as ``Summary``
converted by a second pass), done through Markdown's public API, then French
typography is applied to the HTML's text (``plugins.i18n.typography``) for a
file in French: pages, PDF, feeds and email edition all read this HTML.

A conversion is stored in ``BUILD_CACHE_PATH/markdown/`` by a key of the
file's bytes, the Markdown settings, the typography's code and, for a file with a
``[[calendrier …]]`` marker, what the marker renders (the meetings).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown

from plugins.i18n import typography
from plugins.pools import JobFailure, run_jobs

# Bump when what is stored changes shape.
FORMAT = "3"
# A line like ``[[calendrier gt-financement]]`` pulls content from the meetings.
EXPANSION_MARKER = re.compile(r"^\s*\[\[", re.MULTILINE)
META_EXTENSION = "markdown.extensions.meta"


@dataclass(frozen=True)
class Conversion:
    """One file's HTML, its header as Markdown's ``meta`` read it (keys in lower case,
    each a list of lines) and its formatted header fields (``summary`` → HTML)."""

    html: str
    meta: dict[str, list[str]]
    formatted: dict[str, str]


@dataclass(frozen=True)
class Converter:
    """How a run converts Markdown: the settings, the extra extension, the fields."""

    settings: dict[str, Any]  # Python-Markdown keyword arguments, ``meta`` included
    formatted_fields: tuple[str, ...]
    extension: Any = None  # an extension object added to bulletins' conversions
    expansion: str = ""  # digest of what the extension renders

    def fingerprint(self) -> str:
        """The settings that shape the HTML, as text stable across processes."""
        extensions = sorted(extension_name(e) for e in self.settings.get("extensions", []))
        if self.extension is not None:
            extensions.append(extension_name(self.extension) + code_digest(self.extension))
        configs = sorted(
            (name, repr(sorted(config.items())))
            for name, config in self.settings.get("extension_configs", {}).items()
        )
        others = sorted(
            (key, repr(value))
            for key, value in self.settings.items()
            if key not in ("extensions", "extension_configs")
        )
        return repr(
            (
                FORMAT,
                markdown.__version__,
                extensions,
                configs,
                others,
                self.formatted_fields,
                typography_digest(),
            )
        )

    def key(self, fingerprint: str, raw: bytes, expands: bool) -> str:
        """The cache key of one file's bytes (``fingerprint``: this converter's)."""
        digest = hashlib.sha256(fingerprint.encode("utf-8") + b"\0" + raw)
        if expands:
            digest.update(b"\0expansion\0" + self.expansion.encode("ascii"))
        return digest.hexdigest()


def expands_marker(text: str) -> bool:
    """Whether ``text`` has a line starting with a ``[[`` marker (most have no ``[[``)."""
    return "[[" in text and EXPANSION_MARKER.search(text) is not None


def markdown_settings(configured: Mapping[str, Any]) -> dict[str, Any]:
    """Pelican's ``MARKDOWN`` setting as its reader completes it (every configured
    extension listed, ``meta`` added), without touching the setting itself."""
    settings = {key: value for key, value in configured.items()}
    configs = dict(configured.get("extension_configs", {}))
    extensions = list(configured.get("extensions", []))
    extensions += [name for name in configs if name not in extensions]
    if META_EXTENSION not in extensions:
        extensions.append(META_EXTENSION)
    settings["extensions"], settings["extension_configs"] = extensions, configs
    return settings


def extension_name(extension: Any) -> str:
    if isinstance(extension, str):
        return extension
    kind = type(extension)
    return f"{kind.__module__}.{kind.__qualname__}"


def code_digest(extension: Any) -> str:
    """The bytes of the package that defines an extension object (ours change often)."""
    module = sys.modules.get(type(extension).__module__)
    source = getattr(module, "__file__", None)
    if not source:
        return ""
    digest = hashlib.sha256()
    for path in sorted(Path(source).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def typography_digest() -> str:
    """The typography's code: a change of its rules converts every file again."""
    return hashlib.sha256(Path(typography.__file__).read_bytes()).hexdigest()


class MarkdownPair:
    """Two reusable Markdown instances: bodies (with ``meta``) and formatted fields."""

    def __init__(self, converter: Converter, with_extension: bool):
        extra = [converter.extension] if with_extension and converter.extension else []
        body = dict(converter.settings)
        body["extensions"] = [*converter.settings["extensions"], *extra]
        field = dict(body)
        field["extensions"] = [e for e in body["extensions"] if e != META_EXTENSION]
        self.body = markdown.Markdown(**body)
        self.field = markdown.Markdown(**field)
        self.formatted_fields = converter.formatted_fields

    def convert(self, text: str) -> Conversion:
        """The HTML of ``text`` and of its formatted header fields, typeset in the
        language its header declares (French when it says nothing)."""
        self.body.reset()
        html = self.body.convert(text)
        meta = getattr(self.body, "Meta", {}) or {}
        lang = (meta.get("lang") or ["fr"])[0]
        html = typography.typeset_html(html, lang)
        formatted = {}
        for name, lines in meta.items():
            if name.lower() in self.formatted_fields:
                self.field.reset()
                field = self.field.convert("\n".join(lines))
                formatted[name.lower()] = typography.typeset_html(field, lang)
        return Conversion(html, {k: list(v) for k, v in meta.items()}, formatted)


# ---------------------------------------------------------------------------
# The stores: this process, then the disk.
# ---------------------------------------------------------------------------

# Conversions kept in memory by key: a whole archive, bounded for `invoke serve`.
MEMORY_ENTRIES = 20_000
_memory: dict[str, Conversion] = {}
STORE_FOLDER = "markdown"


def remember(key: str, conversion: Conversion) -> None:
    _memory.pop(key, None)
    _memory[key] = conversion
    while len(_memory) > MEMORY_ENTRIES:
        del _memory[next(iter(_memory))]


def forget_all() -> None:
    """Empty this process's store (the disk cache stays)."""
    _memory.clear()


class ConversionStore:
    """The conversions of the last build, in the cache, in 16 shards by key.

    Each shard is read once and written once per build (under the build
    lock): a file per conversion cost more in system calls than converting,
    and one file for all made an edited bulletin rewrite the whole archive's.
    Only the conversions a build used are written back, so it never grows.
    """

    def __init__(self, cache_root: str | os.PathLike):
        self.folder = Path(cache_root) / STORE_FOLDER
        self.shards: dict[str, dict[str, Conversion]] = {}  # the ones read from disk
        self.used: dict[str, Conversion] = {}
        self.added: set[str] = set()  # shards that gained a conversion

    def _shard(self, name: str) -> dict[str, Conversion]:
        if name not in self.shards:
            try:
                with (self.folder / f"{name}.pickle").open("rb") as handle:
                    self.shards[name] = dict(pickle.load(handle))
            except Exception:  # noqa: BLE001 - absent or unreadable: convert again
                self.shards[name] = {}
        return self.shards[name]

    def recall(self, key: str) -> Conversion | None:
        """The conversion of ``key`` from this process, else from the disk, or None."""
        conversion = _memory.get(key) or self._shard(key[0]).get(key)
        if conversion is not None:
            remember(key, conversion)
            self.used[key] = conversion
        return conversion

    def keep(self, key: str, conversion: Conversion) -> None:
        remember(key, conversion)
        self.used[key] = conversion
        self.added.add(key[0])

    def save(self) -> None:
        """Write each shard that gained a conversion or holds one this build did not use."""
        by_shard: dict[str, dict[str, Conversion]] = {}
        for key, conversion in self.used.items():
            by_shard.setdefault(key[0], {})[key] = conversion
        for name in set(self.added) | set(self.shards):
            kept = by_shard.get(name, {})
            if name not in self.added and kept.keys() == self.shards[name].keys():
                continue
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                temporary = self.folder / f"{name}.{os.getpid()}.tmp"
                with temporary.open("wb") as handle:
                    pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.folder / f"{name}.pickle")
            except OSError:
                pass  # a read-only cache only costs time


# ---------------------------------------------------------------------------
# Converting many files: the jobs a pool worker runs.
# ---------------------------------------------------------------------------

_worker: dict[str, MarkdownPair] = {}


def prepare_worker(converter: Converter) -> None:
    """Pool setup: one pair of Markdown instances per worker, with and without the
    extension."""
    _worker["plain"] = MarkdownPair(converter, with_extension=False)
    _worker["extended"] = MarkdownPair(converter, with_extension=True)


def convert_job(job: tuple[str, bool]) -> Conversion:
    """Pool job: (text, whether the file may expand a marker) → its conversion."""
    text, extended = job
    return _worker["extended" if extended else "plain"].convert(text)


def convert_texts(
    converter: Converter,
    texts: Sequence[tuple[str, bytes]],
    stored: ConversionStore,
    workers: int,
    expand: bool,
) -> list[tuple[str, Conversion | JobFailure]]:
    """The key and conversion of each ``(text, raw bytes)``, from the stores or
    converted anew (in a pool of ``workers`` when there are many); ``expand``:
    bulletins' markers. The key is a digest of everything the HTML is made from.

    A text Markdown itself failed on gives its JobFailure instead.
    """
    keys = []
    fingerprint = converter.fingerprint()
    for text, raw in texts:
        expands = expand and converter.extension is not None and expands_marker(text)
        keys.append((converter.key(fingerprint, raw, expands), expands))
    found: dict[str, Conversion | JobFailure] = {}
    todo: dict[str, tuple[str, bool]] = {}
    for (key, expands), (text, _raw) in zip(keys, texts, strict=True):
        conversion = stored.recall(key)
        if conversion is not None:
            found[key] = conversion
        elif key not in todo:
            todo[key] = (text, expands)
    jobs = list(todo.values())
    results = run_jobs(
        convert_job,
        jobs,
        workers,
        setup=prepare_worker,
        setup_args=(converter,),
        min_jobs=MIN_POOL_JOBS,
        chunksize=CHUNK,
    )
    for key, result in zip(todo, results, strict=True):
        if not isinstance(result, JobFailure):
            stored.keep(key, result)
        found[key] = result
    return [(key, found[key]) for key, _ in keys]


# Below this many files to convert, starting processes costs more than it saves.
MIN_POOL_JOBS = 32
# Files per task sent to a worker: fewer round trips, still balanced.
CHUNK = 8
