"""Each language's folder of the staged site finished while the next one renders.

Each language's Pelican run writes below its own folder of the staged site
(French at its root, English under ``en/``), and nothing else writes there
afterwards. Once a language is rendered, its folder is finished:

1. its pages kept from the published site are linked (plugins.content.kept);
2. what the older site left there and this build did not write is removed
   (``staging.prune_stale``): it must not be indexed;
3. the search prepares its shards (``SearchIndexing.prepare``, plugins.search),
   and Pagefind runs over them in a thread, while the build's thread renders
   the next language: the thread only waits for Pagefind, another process,
   which uses the other core.

A shard whose every page is written (or kept from the published site) while a
language renders is indexed then, in the same thread (``page_written``, ``page_kept``): on
a first build, most of the search index is made while Pelican writes the pages,
and after one edit, the edited page's shard while the rest of the site renders.

The file work stays in the build's thread: a thread making thousands of short
system calls would wait for the interpreter's lock after each one while the
other renders. Languages are indexed one at a time, in the site's order: the
first shard of each language writes into ``pagefind/`` itself, so no two of
them may run at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from plugins.build.staging import Staging, prune_stale
from plugins.content.kept import KeptPages
from plugins.search.indexing import SearchIndexing, ShardRun
from plugins.search.shards import BUNDLE_DIR, indexable, site_pages


def inside(name: str, folder: str, skip: tuple[str, ...]) -> bool:
    """Whether the site path ``name`` is below ``folder`` but not below one of ``skip``."""
    if folder and not name.startswith(folder + "/"):
        return False
    return not any(name.startswith(other + "/") for other in skip)


class Finishing:
    """The languages' folders of ``staging``, each finished once rendered (``rendered``);
    ``folders`` maps each language to its folder (``""``: the root).

    Used as a context manager: leaving it on an exception (a problem, Ctrl+C) starts
    no other Pagefind run; leaving it in any way waits for the thread and removes the
    shards' trees.
    """

    def __init__(
        self,
        staging: Staging,
        folders: Mapping[str, str],
        kept: KeptPages,
        indexing: SearchIndexing | None,
    ):
        self.staging, self.folders, self.kept, self.indexing = staging, folders, kept, indexing
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="pagefind")
        self.pending: list[Future[None]] = []
        self.linked: set[str] = set()
        self.gone: list[str] = []  # kept files no longer in the published site

    def __enter__(self) -> Finishing:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is not None and self.indexing is not None:
            self.indexing.stop()
        self.thread.shutdown(wait=True, cancel_futures=kind is not None)
        if self.indexing is not None:
            self.indexing.close()

    def skipped(self, lang: str) -> tuple[str, ...]:
        """The other languages' folders inside ``lang``'s."""
        folder = self.folders[lang]
        return tuple(
            other
            for code, other in self.folders.items()
            if code != lang and other and other != folder and inside(other + "/", folder, ())
        )

    def page_written(self, path: str) -> None:
        """Pelican wrote the file ``path``: index the shard it completes, if it completes
        one, in the thread while the language goes on rendering."""
        if self.indexing is not None:
            self.start(self.indexing.wrote(path))

    def page_kept(self, name: str) -> None:
        """The page ``name`` is kept from the published site: as ``page_written``."""
        if self.indexing is not None:
            self.start(self.indexing.kept(name))

    def start(self, runs: list[ShardRun]) -> None:
        if runs:
            self.pending.append(self.thread.submit(self.indexing.run, runs))

    def rendered(self, lang: str) -> None:
        """``lang`` is rendered: link its kept pages (those listed by now: all of its
        own), remove what is stale in its folder, and index its pages in the thread."""
        folder, skip = self.folders[lang], self.skipped(lang)
        names = [name for name in self.kept.kept if inside(name, folder, skip)]
        self.linked.update(names)
        self.gone += self.kept.link_kept(names)
        if self.gone:
            return  # the build stops
        # Not the search's bundle: Pagefind may be writing there (a shard indexed while
        # rendering), and a folder it just made, still empty, would be removed under it.
        prune_stale(self.staging, folder, (*skip, BUNDLE_DIR))
        if self.indexing is not None:
            pages = site_pages(self.staging.path, folder, skip, self.indexing.known)
            runs = self.indexing.prepare(indexable(pages))
            self.pending.append(self.thread.submit(self.indexing.run, runs))

    def finish(self) -> list[str]:
        """Wait for every language's runs, then link the kept files no language listed:
        the kept files no longer in the published site."""
        for done in self.pending:
            done.result()
        unlisted = [name for name in self.kept.kept if name not in self.linked]
        self.gone += self.kept.link_kept(unlisted)
        return self.gone
