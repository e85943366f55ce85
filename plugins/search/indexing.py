"""Pagefind run over a rendered site: the search index, one per language.

Pagefind is a Rust program shipped inside the ``pagefind_bin`` wheel (pinned in
requirements.txt): nothing is downloaded at build time. It reads every page's
``<html lang>`` and writes one index per language into ``pagefind/`` at the
site's root, with the browser side (``pagefind.js``, its worker and the
WebAssembly of each language: French stemming for ``fr-ca``).

Pagefind 1.5.2 writes its filter chunks in hash-map order: the same index comes
out in other bytes from one run to the next (upstream issue #638; the tests
compare those files by content: tests/site_bytes.py).

Pagefind has no incremental mode (upstream issue #71), but it names each chunk of
an index after a hash of its content and does not write (nor compress, its
costliest step) a chunk whose file already exists. A rebuild therefore starts
from copies of the published index's chunks: about half of Pagefind's time
after one edited bulletin. Copies, not hard links: were Pagefind ever to write
over one of them, the published site must not change under its readers. The
chunks no longer named by the new index are then removed (``referenced_files``).
"""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from plugins.i18n.formatting import format_filesize, format_seconds
from plugins.model import Problem

BUNDLE_DIR = "pagefind"
ENTRY = "pagefind-entry.json"
TIMEOUT_SECONDS = 600
SAID_CHARACTERS = 500  # of what Pagefind printed, quoted in the problem (its end)
# The files of one language's index: <bundle>/<folder>/<language>_<hash>.<extension>.
INDEX_FOLDERS = ("index", "fragment", "filter")
# What a chunk's hash is suffixed with, in its folder (the hashes are read from the metadata).
CHUNK_SUFFIXES = {"fragment": ".pf_fragment", "index": ".pf_index", "filter": ".pf_filter"}
# Pagefind's compressed files start with this signature once decompressed.
SIGNATURE = b"pagefind_dcd"

logger = logging.getLogger("bulletins")


@dataclass(frozen=True)
class LanguageIndex:
    """One language's index: the pages it holds and its size on disk (without the
    WebAssembly and scripts, the same for any site)."""

    pages: int
    bytes: int


@dataclass(frozen=True)
class SearchIndex:
    """What a Pagefind run wrote: each language's index (by the site's language code,
    or Pagefind's own for a language the site does not configure) and its time."""

    seconds: float
    languages: dict[str, LanguageIndex] = field(default_factory=dict)


def pagefind_language(locale: str) -> str:
    """``fr_CA`` → ``fr-ca``: the name Pagefind gives the index of ``<html lang="fr-CA">``."""
    return locale.replace("_", "-").lower()


def pagefind_command(site: Path) -> list[str]:
    """The Pagefind command line that indexes ``site`` into ``site/pagefind/``.

    Raises ImportError when the ``pagefind_bin`` package is not installed, and
    FileNotFoundError when it holds no executable for this platform.
    """
    from pagefind_bin import get_executable

    return [
        str(get_executable()),
        "--site",
        str(site),
        "--output-subdir",
        BUNDLE_DIR,
        "--quiet",
    ]


def index_site(
    site: Path, locales: Mapping[str, str], published: Path | None = None
) -> tuple[SearchIndex | None, list[Problem]]:
    """Index the rendered ``site``; ``locales`` maps each language code to its locale.

    ``published`` is the index of the site being replaced (``output/pagefind``), if
    any: its chunks that are still right are reused instead of being written again.
    Returns the index written, or None and a French problem (the site is then not
    to be published: its search would be missing or stale).
    """
    bundle = site / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)  # the spare site's index, now stale
    started = time.perf_counter()
    reused = reuse_chunks(published, bundle) if published is not None else set()
    entry, problems = run_pagefind(site)
    if entry is None:
        return None, problems
    written = entry.get("languages", {})
    if reused:
        try:
            kept = referenced_files(bundle, written)
        except (OSError, ValueError, IndexError):
            kept = set()
        if not set(chunk_files(bundle)) - reused <= kept:  # unreadable metadata: start over
            return index_site(site, locales)
        for name in reused - kept:
            (bundle / name).unlink()
    seconds = time.perf_counter() - started
    names = {pagefind_language(locale): code for code, locale in locales.items()}
    in_order = [name for name in names if name in written] + sorted(set(written) - set(names))
    languages = {
        names.get(language, language): LanguageIndex(
            pages=int(written[language].get("page_count", 0)),
            bytes=index_bytes(bundle, language, str(written[language].get("hash", ""))),
        )
        for language in in_order
    }
    index = SearchIndex(seconds, languages)
    logger.info(summary(index))
    return index, []


def run_pagefind(site: Path) -> tuple[dict | None, list[Problem]]:
    """Run Pagefind over ``site``: the entry it wrote (``pagefind-entry.json``), or
    None and a French problem."""
    bundle = site / BUNDLE_DIR
    try:
        command = pagefind_command(site)
    except (ImportError, FileNotFoundError) as error:
        return None, [failure(f"Pagefind est introuvable ({error})", install_hint=True)]
    try:
        ran = subprocess.run(
            command,
            cwd=site,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, [failure(f"Pagefind n'a pas terminé en {TIMEOUT_SECONDS} s")]
    except OSError as error:
        return None, [failure(f"Pagefind n'a pas pu démarrer ({error})", install_hint=True)]
    said = " ".join((ran.stdout + " " + ran.stderr).split())[-SAID_CHARACTERS:]
    if ran.returncode != 0:
        return None, [failure(f"Pagefind s'est arrêté (code {ran.returncode}) : « {said} »")]
    try:
        return json.loads((bundle / ENTRY).read_text(encoding="utf-8")), []
    except (OSError, ValueError):
        return None, [failure(f"Pagefind n'a pas écrit {BUNDLE_DIR}/{ENTRY} : « {said} »")]


def chunk_files(bundle: Path) -> list[str]:
    """The files of ``bundle`` named after a hash of their content (relative names):
    each language's metadata and the chunks of its index."""
    files = [path.name for path in bundle.glob("pagefind.*.pf_meta")]
    for folder in INDEX_FOLDERS:
        files += (f"{folder}/{path.name}" for path in (bundle / folder).glob("*"))
    return files


def reuse_chunks(published: Path, bundle: Path) -> set[str]:
    """Copy the chunks of the ``published`` index into ``bundle``, where Pagefind
    leaves them as they are; the names copied (none when that index was written by
    another version of Pagefind, or cannot be read)."""
    try:
        entry = json.loads((published / ENTRY).read_text(encoding="utf-8"))
        if entry.get("version") != version("pagefind_bin"):
            return set()
    except (OSError, ValueError, PackageNotFoundError):
        return set()
    names = set(chunk_files(published))
    try:
        for folder in INDEX_FOLDERS:
            (bundle / folder).mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy2(published / name, bundle / name)  # its time too: see the tests
    except OSError:  # unreadable: index from scratch
        shutil.rmtree(bundle, ignore_errors=True)
        return set()
    return names


def referenced_files(bundle: Path, languages: Mapping[str, Mapping]) -> set[str]:
    """The files the index written into ``bundle`` uses: each language's metadata
    (named in the entry) and every chunk whose hash that metadata holds.

    Pagefind documents no list of its files: the metadata (gzip, Pagefind's
    signature, then CBOR) names the fragments, word chunks and filter chunks by
    their hashes, and any text it holds that is not a hash names no file.
    """
    files = set()
    for language in languages.values():
        meta = f"pagefind.{language['hash']}.pf_meta"
        data = gzip.decompress((bundle / meta).read_bytes())
        if not data.startswith(SIGNATURE):
            raise ValueError(f"{meta}: not a Pagefind file")
        files.add(meta)
        for text in cbor_texts(data[len(SIGNATURE) :]):
            files |= {f"{folder}/{text}{suffix}" for folder, suffix in CHUNK_SUFFIXES.items()}
    return files


def cbor_texts(data: bytes) -> list[str]:
    """Every text string of one CBOR data item (RFC 8949), in order.

    Raises ValueError on what Pagefind's metadata never holds (indefinite lengths).
    """
    texts = []
    position, pending = 0, 1
    while pending:
        pending -= 1
        major, info = data[position] >> 5, data[position] & 0x1F
        position += 1
        if info < 24:
            argument = info
        elif info < 28:
            size = 1 << (info - 24)
            argument = int.from_bytes(data[position : position + size], "big")
            position += size
        else:
            raise ValueError(f"CBOR: indefinite length at byte {position - 1}")
        if major == 3:
            texts.append(data[position : position + argument].decode("utf-8"))
        if major in (2, 3):  # byte and text strings: their bytes follow
            position += argument
        elif major == 4:  # an array: its items follow
            pending += argument
        elif major == 5:  # a map: its keys and values follow
            pending += 2 * argument
        elif major == 6:  # a tag: one item follows
            pending += 1
    return texts


def index_bytes(bundle: Path, language: str, meta_hash: str) -> int:
    """The bytes of one language's index: its metadata file and its chunks."""
    files = [bundle / f"pagefind.{meta_hash}.pf_meta"]
    for folder in INDEX_FOLDERS:
        files += (bundle / folder).glob(f"{language}_*")
    return sum(path.stat().st_size for path in files if path.is_file())


def summary(index: SearchIndex) -> str:
    """« Recherche : fr 98 pages (54 Ko), en 93 pages (41 Ko), indexées en 0,2 s »."""
    parts = ", ".join(
        f"{code} {language.pages} pages ({format_filesize(language.bytes, 'fr')})"
        for code, language in index.languages.items()
    )
    return f"Recherche : {parts}, indexées en {format_seconds(index.seconds)}"


def failure(message: str, install_hint: bool = False) -> Problem:
    """The build's problem when the index cannot be made; nothing is published."""
    hint = (
        " ; installez les dépendances du site : .venv/bin/pip install -r requirements.txt"
        if install_hint
        else ""
    )
    return Problem("", 0, f"recherche : l'index n'a pas pu être construit : {message}{hint}")
