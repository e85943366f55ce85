"""Pagefind run over a rendered site: the search index, one per language.

Pagefind is a Rust program shipped inside the ``pagefind_bin`` wheel (pinned in
requirements.txt): nothing is downloaded at build time. It reads every page's
``<html lang>`` and writes one index per language into ``pagefind/`` at the
site's root, with the browser side (``pagefind.js``, its worker and the
WebAssembly of each language: French stemming for ``fr-ca``).

Pagefind 1.5.2 writes its filter chunks in hash-map order: the same index comes
out in other bytes from one run to the next (upstream issue #638; the tests
compare those files by content: tests/site_bytes.py).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from plugins.i18n.formatting import format_filesize, format_seconds
from plugins.model import Problem

BUNDLE_DIR = "pagefind"
ENTRY = "pagefind-entry.json"
TIMEOUT_SECONDS = 600
SAID_CHARACTERS = 500  # of what Pagefind printed, quoted in the problem (its end)
# The files of one language's index: <bundle>/<folder>/<language>_<hash>.<extension>.
INDEX_FOLDERS = ("index", "fragment", "filter")

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


def index_site(site: Path, locales: Mapping[str, str]) -> tuple[SearchIndex | None, list[Problem]]:
    """Index the rendered ``site``; ``locales`` maps each language code to its locale.

    Returns the index written, or None and a French problem (the site is then not
    to be published: its search would be missing or stale).
    """
    bundle = site / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)  # the spare site's index, now stale
    started = time.perf_counter()
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
    seconds = time.perf_counter() - started
    said = " ".join((ran.stdout + " " + ran.stderr).split())[-SAID_CHARACTERS:]
    if ran.returncode != 0:
        return None, [failure(f"Pagefind s'est arrêté (code {ran.returncode}) : « {said} »")]
    try:
        entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, [failure(f"Pagefind n'a pas écrit {BUNDLE_DIR}/{ENTRY} : « {said} »")]
    written = entry.get("languages", {})
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
