"""Pagefind runs over a rendered site: the search index, in shards, one run each.

Pagefind is a Rust program shipped inside the ``pagefind_bin`` wheel (pinned in
requirements.txt): nothing is downloaded at build time. It reads every page's
``<html lang>`` and writes one index per language into a bundle, with the
browser side (``pagefind.js``, its worker and the WebAssembly of each language:
French stemming for ``fr-ca``).

Its memory grows with the pages of one run (about 0.6 MB each: 700 MB for the
1,430 pages of 1,000 bulletins), and it has no incremental mode (upstream issue
#71). Each language's pages are therefore placed in shards of at most
``SEARCH_SHARD_PAGES`` pages (plugins.search.shards), and Pagefind runs once
per shard, one run at a time, over a temporary tree of hard links to that
shard's pages (so the URLs it records are the site's). A shard is indexed as
soon as each of its pages is written or kept from the published site, while the
language still renders: on a first build, Pagefind (about 6 ms a page, on one
core) then works beside Pelican (on the other) instead of after it, and after
one edit, the edited page's shard is indexed while the rest renders. Each run
writes a bundle:

- each language's first shard is written into ``pagefind/`` itself, beside
  ``pagefind.js``. Pagefind adds its files to a bundle without removing any, and
  names each index file after its language, so the languages' runs do not
  touch each other's files; only its entry (``pagefind-entry.json``) names the
  run's language alone: the build writes it last, naming every language's first
  shard;
- the other shards each into a bundle of their own, ``pagefind/shards/fr-ca-3/``,
  which keeps only the index (the browser loads the scripts and the WebAssembly
  from ``pagefind/``);
- ``pagefind/shards.json`` lists each language's bundles, which the search page
  merges (Pagefind's ``mergeIndex``, theme/static/js/search.js), and the digest
  of each shard's pages.

A rebuild takes from the published site each shard whose digest did not change,
instead of indexing it again: one edited bulletin runs Pagefind over its shard
only. The shards of ``pagefind/shards/`` are hard links (no Pagefind run writes
into a reused shard's folder, and the next build removes the whole bundle before
writing), and so are a reused first shard's chunks and metadata in ``pagefind/``
itself: each is named after its language (or its content), and only that
language's first run writes such a name. Pagefind's scripts there, and the
stemmers (two languages may share one), are copied, with their modification
time, since every first shard's run may write them again: the
published site must never change under its readers (and an unchanged file
keeps its HTTP cache).

Merged, each shard ranks its pages with its own statistics (how rare a word is
among its pages) and the browser sorts every shard's results by score: with
shards of some eighty pages, these stay close to the whole language's (a
shard filled in the order the build writes holds bulletins of nearby dates, so
a word of one season is a little less rare in its shards). A word a shard does
not hold is looked up there by its longest indexed prefix (Pagefind's rule for
a word it does not know: « plan » for « planchers »), so a rare word can bring
a few more results than one index would.

Pagefind 1.5.2 writes its filter chunks in hash-map order: the same index comes
out in other bytes from one run to the next (upstream issue #638; the tests
compare those files by content: tests/site_bytes.py).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from plugins.hardlinks import link_or_copy, link_tree
from plugins.i18n.formatting import format_filesize, format_seconds
from plugins.memo import KeptResults
from plugins.model import Problem
from plugins.search.shards import (
    BUNDLE_DIR,
    DEFAULT_SHARD_PAGES,
    MANIFEST,
    Page,
    Placement,
    Shard,
    indexable,
    manifest,
    plan_shards,
    published_digests,
    read_placement,
    shard_of,
    shard_tree,
    site_page,
    site_pages,
    write_placement,
)

ENTRY = "pagefind-entry.json"
TIMEOUT_SECONDS = 600
SAID_CHARACTERS = 500  # of what Pagefind printed, quoted in the problem (its end)
# The files of one language's index: <bundle>/<folder>/<language>_<hash>.<extension>.
INDEX_FOLDERS = ("index", "fragment", "filter")
# Pagefind's WebAssembly for the languages it does not stem, used by any of them.
GENERIC_WASM = "wasm.unknown.pagefind"

logger = logging.getLogger("bulletins")


@dataclass(frozen=True)
class LanguageIndex:
    """One language's index: the pages it holds and its size on disk (its shards
    summed, without the WebAssembly and scripts, the same for any site)."""

    pages: int
    bytes: int


@dataclass(frozen=True)
class SearchIndex:
    """What the Pagefind runs wrote: each language's index (by the site's language
    code, or Pagefind's own for a language the site does not configure), the time
    spent making it (some of it while a language renders), how many shards the
    index has and how many of them Pagefind indexed (the others were copied from
    the published site)."""

    seconds: float
    languages: dict[str, LanguageIndex] = field(default_factory=dict)
    shards: int = 0
    indexed: int = 0


def pagefind_language(locale: str) -> str:
    """``fr_CA`` → ``fr-ca``: the name Pagefind gives the index of ``<html lang="fr-CA">``."""
    return locale.replace("_", "-").lower()


def pagefind_version() -> str | None:
    """The installed Pagefind's version (None when it is missing)."""
    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return None


def pagefind_command(site: Path, output: Path) -> list[str]:
    """The Pagefind command line that indexes ``site`` into the bundle ``output``.

    Raises ImportError when the ``pagefind_bin`` package is not installed, and
    FileNotFoundError when it holds no executable for this platform.
    """
    from pagefind_bin import get_executable

    return [
        str(get_executable()),
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--quiet",
    ]


def placement_path(cache: Path, published: Path | None) -> Path:
    """Where the build's search ``cache`` keeps the placement of the pages of the
    ``published`` bundle (one file per published site)."""
    key = hashlib.sha256(str(published).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return cache / f"placement-{key}.json"


def index_site(
    site: Path,
    locales: Mapping[str, str],
    published: Path | None = None,
    shard_pages: int = DEFAULT_SHARD_PAGES,
    runs: int = 1,
) -> tuple[SearchIndex | None, list[Problem]]:
    """Index the rendered ``site`` into ``site/pagefind/``, in shards of at most
    ``shard_pages`` pages placed in path order, ``runs`` Pagefind runs at a time
    (``SEARCH_JOBS``: each holds about 0.6 MB a page of its shard); ``locales`` maps
    each language code to its locale.

    ``published`` is the bundle of the site being replaced (``output/pagefind``), if
    any: its shards whose pages did not change are taken instead of indexed again.
    Returns the index written, or None and a French problem (the site is then not
    to be published: its search would be missing or stale).
    """
    indexing = SearchIndexing(site, locales, published, shard_pages, runs)
    indexing.add(indexable(site_pages(site)))
    return indexing.finish()


@dataclass
class ShardRun:
    """One Pagefind run to make: a shard, the tree of its pages (``shard_tree``), and
    what came of it (the entry Pagefind wrote, or a problem)."""

    shard: Shard
    tree: Path  # removed with the others by ``SearchIndexing.close``, in the build's thread
    replaces: bool = False  # its bundle holds an index of other pages, made while rendering
    entry: dict | None = None
    problems: list[Problem] = field(default_factory=list)


class SearchIndexing:
    """The search index of a site, made a language at a time, then its entry and
    manifest written (``finish``): the build indexes each language once it is
    rendered, while the next one renders (plugins.build.finishing).

    Each language's pages are ``prepare``d where they are found (its shards
    planned, the unchanged ones copied from the published site, each other's tree
    of pages made), then Pagefind ``run`` over them, in another thread if need be:
    runs only wait for Pagefind, and no two threads touch the same files.
    ``add`` does both.

    While a language renders, each page it writes (``wrote``) or keeps from the
    published site (``kept``) is placed in its shard: a shard is indexed as soon
    as it is whole (``Placement.whole``: this build filled it, or each page it had
    is there), beside the rendering, and kept if its pages are still those the
    language's ``prepare`` finds once rendered (else it is indexed again).

    A language's shards are planned from the pages of the ``prepare`` it comes in.
    Should a later one bring pages of a language already indexed (a page whose
    ``<html lang>`` is not its folder's: the theme never writes one), ``finish``
    indexes every page again, all at once.

    ``cache`` is a folder of the build cache: what the pages hold (``site_pages``)
    and the placement of the published site's pages are kept there.
    """

    def __init__(
        self,
        site: Path,
        locales: Mapping[str, str],
        published: Path | None = None,
        shard_pages: int = DEFAULT_SHARD_PAGES,
        runs: int = 1,
        cache: Path | None = None,
    ):
        self.site, self.published = site, published
        self.known = KeptResults(cache / "pages.json") if cache is not None else None
        self.placed = placement_path(cache, published) if cache is not None else None
        self.bundle = site / BUNDLE_DIR
        self.seconds = 0.0  # spent preparing, running and finishing, in either thread
        self.timing = threading.Lock()  # the two threads add to ``seconds``
        self.locales, self.shard_pages, self.at_a_time = locales, shard_pages, runs
        self.pagefind = pagefind_version()
        self.order = [pagefind_language(locale) for locale in locales.values()]
        self.stopped = threading.Event()  # set by ``stop`` or a failed run: none starts
        self.trees = contextlib.ExitStack()  # the shards' trees left, until ``close``
        self.pages: list[Page] = []  # every page prepared, for ``finish`` to index again
        self.mixed = False  # a language came in two ``prepare``
        with self.timed():
            self.start_over()

    def start_over(self) -> None:
        """An empty bundle, with the published site's runtime files when its shards can
        be reused."""
        shutil.rmtree(self.bundle, ignore_errors=True)  # the spare site's index, now stale
        reusable = published_digests(self.published, self.pagefind)
        if reusable and not copied_runtime(self.published, self.bundle):
            reusable = set()
        self.reusable = reusable
        # With no published shard to reuse, pages are placed anew, as they are written.
        previous = read_placement(self.placed) if reusable else {}
        self.placement = Placement(self.shard_pages, previous)
        # The pages written or kept so far, and their files, by (language, shard number).
        self.settled: dict[tuple[str, int], dict[str, tuple[Page, Path]]] = {}
        self.started: set[tuple[str, int]] = set()  # the shards ``settle`` ran
        self.early: dict[tuple[str, str], ShardRun] = {}  # indexed while rendering, by bundle
        self.dropped: list[ShardRun] = []  # those whose pages then changed
        self.shards: list[Shard] = []
        self.records: dict[Shard, dict] = {}  # of the shards copied from the published site
        self.runs: list[ShardRun] = []
        self.problems: list[Problem] = []

    def add(self, pages: list[Page]) -> None:
        """``prepare`` ``pages`` and ``run`` Pagefind over them."""
        self.run(self.prepare(pages))

    def wrote(self, path: str) -> list[ShardRun]:
        """The build wrote the file ``path`` of the site: if it is a page to index, place
        it; the run of its shard, if that shard is now whole (``settle``)."""
        relative = os.path.relpath(path, self.site).replace(os.sep, "/")
        if not relative.endswith(".html") or relative.startswith(("../", BUNDLE_DIR + "/")):
            return []
        with self.timed():
            return self.settle(site_page(path, relative, self.known), Path(path))

    def kept(self, name: str) -> list[ShardRun]:
        """The build keeps the page ``name`` from the published site (linked once the
        language is rendered): as ``wrote``, with the published file."""
        if self.published is None or not name.endswith(".html"):
            return []
        source = self.published.parent / name
        with self.timed():
            try:
                page = site_page(str(source), name, self.known)
            except OSError:
                return []  # gone from the published site: the build will say so
            return self.settle(page, source)

    def settle(self, page: Page, source: Path) -> list[ShardRun]:
        """``page``, at ``source``, is as the site will hold it: the run of its shard
        once every page of that shard is (``Placement.whole``), made now, while the
        language goes on rendering, unless the published site holds that shard."""
        if not page.marked or self.problems or self.stopped.is_set():
            return []
        number = self.placement.place(page)
        key = (page.language, number)
        settled = self.settled.setdefault(key, {})
        settled[page.path] = (page, source)
        if key in self.started or not self.placement.whole(page.language, number, settled):
            return []
        self.started.add(key)
        first = number == self.placement.first(page.language)
        pages = [settled_page for settled_page, _ in settled.values()]
        shard = shard_of(page.language, number, first, pages, self.pagefind)
        if (shard.language, shard.digest) in self.reusable:
            return []  # ``prepare`` takes it from the published site
        sources = {path: file for path, (_, file) in settled.items()}
        run = self.tree_run(shard, sources=sources)
        if run is None:
            return []
        self.early[(shard.language, shard.bundle)] = run
        return [run]

    def tree_run(
        self, shard: Shard, replaces: bool = False, sources: Mapping[str, Path] | None = None
    ) -> ShardRun | None:
        """The run of ``shard``, its tree of pages made (``sources``: see ``shard_tree``);
        None and a problem when the tree cannot be."""
        try:
            tree = self.trees.enter_context(shard_tree(self.site, shard, sources))
        except OSError as error:
            message = f"les pages à indexer n'ont pas pu être réunies ({error})"
            self.problems = [failure(message)]
            return None
        return ShardRun(shard, tree, replaces=replaces)

    def prepare(self, pages: list[Page]) -> list[ShardRun]:
        """Plan the shards of ``pages`` (those Pagefind indexes: ``indexable``), copy
        from the published site those whose pages did not change: the runs the
        others need, each with its tree of pages made."""
        with self.timed():
            return self.prepared(pages)

    @contextlib.contextmanager
    def timed(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            with self.timing:
                self.seconds += time.perf_counter() - started

    def prepared(self, pages: list[Page]) -> list[ShardRun]:
        self.pages += pages
        done = {shard.language for shard in self.shards}
        if any(page.language in done for page in pages):
            self.mixed = True
        if self.problems or self.mixed or not pages:
            return []
        shards = sorted(
            plan_shards(pages, self.pagefind, self.placement),
            key=lambda one: (language_rank(one.language, self.order), one.language, one.number),
        )
        self.shards += shards
        runs = []
        for shard in shards:
            early = self.early.pop((shard.language, shard.bundle), None)
            if early is not None and early.shard.digest == shard.digest:
                self.runs.append(early)  # indexed while the language rendered
                continue
            if early is not None:  # its bundle is indexed again, never copied into
                self.dropped.append(early)
            elif (shard.language, shard.digest) in self.reusable:  # the digest covers its bundle
                record = copied_shard(self.published, self.bundle, shard)
                if record is not None:
                    self.records[shard] = record
                    continue
            run = self.tree_run(shard, replaces=early is not None)
            if run is None:
                return []
            runs.append(run)
        self.runs += runs
        return runs

    def run(self, runs: list[ShardRun]) -> None:
        """Run Pagefind over each of ``runs``, ``SEARCH_JOBS`` at a time, until one
        fails or ``stop`` is called.

        Each run is a process of its own, over a tree of its own, writing a bundle
        of its own, except the first shard of each language: those all write into
        ``pagefind/`` (each run writes Pagefind's scripts there again), so they run
        one after the other, as one task. The threads only wait for the processes:
        the trees are removed by ``close``, in the build's thread (removing one here,
        a system call per file, each waiting for the interpreter's lock while a
        language renders, took 0.3 s between two runs).
        """
        first = [run for run in runs if run.shard.primary]
        tasks = ([first] if first else []) + [[run] for run in runs if not run.shard.primary]

        def one_by_one(task: list[ShardRun]) -> None:
            for run in task:
                if self.stopped.is_set():
                    return
                if run.replaces:  # Pagefind adds to a bundle: never to another index
                    cleared(self.bundle, run.shard.language, run.shard.bundle)
                run.entry, run.problems = run_pagefind(run.tree, self.bundle / run.shard.bundle)
                if run.entry is None:
                    self.stopped.set()
                    return

        with self.timed(), ThreadPoolExecutor(max(1, self.at_a_time)) as pool:
            list(pool.map(one_by_one, tasks))

    def drop_early(self) -> None:
        """Remove the bundles of the shards indexed while rendering whose pages then
        changed or went, unless another run wrote there since (once every run is over)."""
        bundles = {(shard.language, shard.bundle) for shard in self.shards}
        for run in [*self.dropped, *self.early.values()]:
            if (run.shard.language, run.shard.bundle) not in bundles:
                cleared(self.bundle, run.shard.language, run.shard.bundle)
        self.dropped, self.early = [], {}

    def stop(self) -> None:
        """Start no other Pagefind run (the build stops): ``run`` returns after the
        current one."""
        self.stopped.set()

    def close(self) -> None:
        """Remove the shards' trees."""
        self.trees.close()

    def finish(self) -> tuple[SearchIndex | None, list[Problem]]:
        """Once every run is over: write the entry naming every language's first shard
        and the manifest; the index written, or None and the first problem."""
        with self.timed():
            return self.finished()

    def finished(self) -> tuple[SearchIndex | None, list[Problem]]:
        self.close()
        if self.known is not None:
            self.known.save()
        self.drop_early()
        if self.mixed and not self.problems:
            pages, self.pages, self.mixed = self.pages, [], False
            self.start_over()
            self.add(pages)
            self.close()
        # A run that failed says why; those it stopped only that they did not run.
        self.problems = self.problems or [p for run in self.runs for p in run.problems][:1]
        for run in self.runs:
            if self.problems:
                break
            self.records[run.shard], self.problems = ran_record(run, self.bundle)
        if self.problems:
            return None, self.problems[:1]
        if not self.shards:
            return None, [failure("le site n'a aucune page HTML à indexer")]
        written = [(shard, self.records[shard]) for shard in self.shards]
        try:
            primary = {shard.language: record for shard, record in written if shard.primary}
            write_entry(self.bundle, self.published, primary)
            text = json.dumps(manifest(self.shards, self.pagefind), ensure_ascii=False, indent=1)
            (self.bundle / MANIFEST).write_text(text + "\n", encoding="utf-8")
        except (OSError, ValueError) as error:
            return None, [failure(f"{BUNDLE_DIR}/{ENTRY} n'a pas pu être écrit ({error})")]
        if self.placed is not None:
            write_placement(self.placed, Placement.of(self.shards))
        index = SearchIndex(
            self.seconds,
            language_indexes(self.bundle, written, self.locales),
            shards=len(self.shards),
            indexed=len(self.runs),
        )
        logger.info(summary(index))
        return index, []


def language_rank(language: str, order: list[str]) -> int:
    """The site's languages in its order, then any other Pagefind found."""
    return order.index(language) if language in order else len(order)


def ran_record(run: ShardRun, bundle: Path) -> tuple[dict, list[Problem]]:
    """The language's record in the entry ``run`` left (its metadata's hash, its page
    count), its bundle reduced to its index; else a French problem."""
    if run.entry is None:
        return {}, run.problems or [failure("l'indexation a été interrompue")]
    languages = run.entry.get("languages", {})
    record = languages.get(run.shard.language)
    if not isinstance(record, dict):
        named = ", ".join(languages) or "aucun"
        message = f"Pagefind n'a pas écrit l'index « {run.shard.language} » (écrit : {named})"
        return {}, [failure(message)]
    if not run.shard.primary:
        keep_index_only(bundle / run.shard.bundle)
    return record, []


def run_pagefind(site: Path, output: Path) -> tuple[dict | None, list[Problem]]:
    """Run Pagefind over ``site`` into the bundle ``output``: the entry it wrote
    (``pagefind-entry.json``), or None and a French problem."""
    try:
        command = pagefind_command(site, output)
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
        return json.loads((output / ENTRY).read_text(encoding="utf-8")), []
    except (OSError, ValueError):
        return None, [failure(f"Pagefind n'a pas écrit {BUNDLE_DIR}/{ENTRY} : « {said} »")]


def keep_index_only(target: Path) -> None:
    """A shard's own bundle keeps its entry, metadata and chunks: the browser loads
    Pagefind's scripts and WebAssembly once, from ``pagefind/``."""
    for path in target.iterdir():
        if path.is_file() and path.name != ENTRY and not path.name.endswith(".pf_meta"):
            path.unlink()


def copied_runtime(published: Path, bundle: Path) -> bool:
    """Copy into ``bundle`` the files of the ``published`` one that no page shapes
    (Pagefind's scripts, styles and generic WebAssembly), which a run writes again,
    byte for byte, only for the languages it indexes; False when they cannot be."""
    try:
        bundle.mkdir(parents=True, exist_ok=True)
        for path in published.iterdir():
            if path.is_file() and not page_shaped(path.name):
                shutil.copy2(path, bundle / path.name)
    except OSError:
        shutil.rmtree(bundle, ignore_errors=True)
        return False
    return True


def page_shaped(name: str) -> bool:
    """Whether a file at the top of ``pagefind/`` depends on the pages: the entry, the
    manifest, a language's metadata or its stemming WebAssembly."""
    if name in (ENTRY, MANIFEST) or name.endswith(".pf_meta"):
        return True
    return name.startswith("wasm.") and name != GENERIC_WASM


def cleared(bundle: Path, language: str, shard_bundle: str) -> None:
    """Remove what a run wrote for a shard of ``language`` into ``shard_bundle`` (its
    own folder, or for a language's first shard, the language's metadata and chunks
    in ``pagefind/`` itself: Pagefind's scripts and stemmers are the same for any)."""
    if shard_bundle:
        shutil.rmtree(bundle / shard_bundle, ignore_errors=True)
        return
    metadata = bundle.glob(f"pagefind.{glob.escape(language)}_*.pf_meta")
    for path in [*metadata, *language_chunks(bundle, language)]:
        path.unlink(missing_ok=True)


def language_chunks(bundle: Path, language: str) -> list[Path]:
    """The chunks of ``language``'s index in ``bundle`` (index, fragments, filters),
    each named after the language: ``fragment/fr-ca_1a2b3c4.pf_fragment``."""
    return [
        path
        for folder in INDEX_FOLDERS
        for path in (bundle / folder).glob(f"{glob.escape(language)}_*")
    ]


def copied_shard(published: Path, bundle: Path, shard: Shard) -> dict | None:
    """Copy the published index of ``shard`` (unchanged since) into ``bundle``: its
    language's record in that index's entry, or None when it cannot be read (nothing
    of it is left then: the shard is indexed again)."""
    try:
        if shard.primary:
            return copied_primary(published, bundle, shard.language)
        link_tree(published / shard.bundle, bundle / shard.bundle)
        return entry_record(bundle / shard.bundle, shard.language)
    except (OSError, ValueError, KeyError, TypeError):
        if not shard.primary:
            shutil.rmtree(bundle / shard.bundle, ignore_errors=True)
        return None


def copied_primary(published: Path, bundle: Path, language: str) -> dict:
    """Copy one language's first shard out of the published ``pagefind/``: its
    metadata, its chunks (named after the language) and its WebAssembly; its record.
    Raises OSError (what was copied is removed), KeyError or ValueError."""
    record = entry_record(published, language)
    names = [f"pagefind.{record['hash']}.pf_meta"]
    if record.get("wasm"):
        names.append(f"wasm.{record['wasm']}.pagefind")
    names += sorted(
        path.relative_to(published).as_posix() for path in language_chunks(published, language)
    )
    copied = []
    try:
        for name in names:
            if name.startswith("wasm."):  # a stemmer another language may share: copied
                shutil.copy2(published / name, bundle / name)
            else:  # named after its language or its content: no other run writes them
                link_or_copy(published / name, bundle / name)
            copied.append(name)
    except OSError:
        for name in copied:
            (bundle / name).unlink(missing_ok=True)
        raise
    return record


def entry_record(bundle: Path, language: str) -> dict:
    """``language``'s record in the entry of ``bundle``: {"hash", "wasm", "page_count"}."""
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    record = entry["languages"][language]
    if not isinstance(record, dict) or not isinstance(record.get("hash"), str):
        raise ValueError(f"{bundle / ENTRY}: no index for {language}")
    return record


def write_entry(bundle: Path, published: Path | None, languages: dict[str, dict]) -> None:
    """``pagefind/pagefind-entry.json`` naming every language's first shard, as the
    last run wrote it otherwise (or the published one, when no run wrote there)."""
    source = bundle / ENTRY
    if not source.is_file() and published is not None:
        source = published / ENTRY
    entry = json.loads(source.read_text(encoding="utf-8"))
    entry["languages"] = languages
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    (bundle / ENTRY).write_text(text, encoding="utf-8")


def language_indexes(
    bundle: Path, written: list[tuple[Shard, dict]], locales: Mapping[str, str]
) -> dict[str, LanguageIndex]:
    """Each language's pages and bytes, its shards summed, by the site's language code."""
    names = {pagefind_language(locale): code for code, locale in locales.items()}
    pages: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for shard, record in written:
        code = names.get(shard.language, shard.language)
        pages[code] = pages.get(code, 0) + int(record.get("page_count", 0))
        size = index_bytes(bundle / shard.bundle, shard.language, str(record["hash"]))
        sizes[code] = sizes.get(code, 0) + size
    return {code: LanguageIndex(pages[code], sizes[code]) for code in pages}


def index_bytes(bundle: Path, language: str, meta_hash: str) -> int:
    """The bytes of one language's index: its metadata file and its chunks."""
    files = [bundle / f"pagefind.{meta_hash}.pf_meta", *language_chunks(bundle, language)]
    return sum(path.stat().st_size for path in files if path.is_file())


def summary(index: SearchIndex) -> str:
    """« Recherche : fr 98 pages (54 Ko), en 93 pages (41 Ko), indexées en 0,2 s », and
    « , 2 index sur 10 refaits » when the others were the published site's."""
    parts = ", ".join(
        f"{code} {language.pages} pages ({format_filesize(language.bytes, 'fr')})"
        for code, language in index.languages.items()
    )
    line = f"Recherche : {parts}, indexées en {format_seconds(index.seconds)}"
    if index.indexed < index.shards:
        redone = "refaits" if index.indexed > 1 else "refait"
        line += f", {index.indexed} index sur {index.shards} {redone}"
    return line


def failure(message: str, install_hint: bool = False) -> Problem:
    """The build's problem when the index cannot be made; nothing is published."""
    hint = (
        " ; installez les dépendances du site : .venv/bin/pip install -r requirements.txt"
        if install_hint
        else ""
    )
    return Problem("", 0, f"recherche : l'index n'a pas pu être construit : {message}{hint}")
