"""Which pages each Pagefind run indexes: the site's indexable pages in shards.

Pagefind's memory grows with the pages of one run (about 0.6 MB each), and it
has no incremental mode: each language's pages are therefore placed in shards
of at most ``SEARCH_SHARD_PAGES`` pages, a Pagefind run each (``Placement``).

A page keeps its shard from one build to the next (the placement is kept in the
build cache), so that adding or editing a page moves no other page to another
shard. A new page goes to the language's last shard while it has room, else to a
new one: on a first build, the pages fill the shards in the order the build
writes them, and a shard is whole as soon as its last page is written; on a
rebuild, a shard is whole once each page it had is written or kept. Pagefind
can then index it while the language still renders (plugins.search.indexing).
A shard's digest (its pages' paths and bytes) says whether the index the
published site holds for it is still right (it is reused then).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from plugins.hardlinks import link_or_copy
from plugins.memo import KeptResults, save_json
from plugins.walks import folder_walk

MANIFEST = "shards.json"
BUNDLE_DIR = "pagefind"  # Pagefind's bundle in the site: never indexed
SHARDS_DIR = "shards"
DEFAULT_SHARD_PAGES = 80
UNKNOWN = "unknown"  # Pagefind's name for the pages without a <html lang>

# The <html> tag's lang, and the attribute that marks the part of a page Pagefind indexes.
HTML_TAG = re.compile(rb"<html\b([^>]*)>", re.IGNORECASE)
LANG = re.compile(rb"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
BODY_MARK = b"data-pagefind-body"


@dataclass(frozen=True)
class Page:
    """One HTML file of the site Pagefind would index."""

    path: str  # relative, POSIX: info-psoc/info-psoc-01/index.html
    language: str  # as Pagefind names its index: fr-ca
    sha256: str
    marked: bool  # carries data-pagefind-body


@dataclass(frozen=True)
class Shard:
    """The pages of one language that one Pagefind run indexes, and where it writes."""

    language: str
    number: int
    bundle: str  # relative to pagefind/: "" for pagefind/ itself, else "shards/fr-ca-1/"
    pages: tuple[Page, ...]
    digest: str

    @property
    def primary(self) -> bool:
        """Written into pagefind/ itself, beside pagefind.js: the index loaded first."""
        return not self.bundle


def page_language(html: bytes) -> str:
    """``fr-ca`` for ``<html lang="fr-CA">``: Pagefind names its index after the
    attribute as written, lowercased; ``unknown`` without one."""
    tag = HTML_TAG.search(html)
    found = LANG.search(tag.group(1)) if tag else None
    if found is None:
        return UNKNOWN
    value = next(group for group in found.groups() if group is not None)
    return value.decode("utf-8", "replace").lower()


def is_marked(html: bytes) -> bool:
    """Whether a tag of ``html`` has the attribute ``data-pagefind-body`` (not the words
    « data-pagefind-body » in a page's text: after a space, inside a tag)."""
    at = html.find(BODY_MARK)
    while at != -1:
        after = html[at + len(BODY_MARK) : at + len(BODY_MARK) + 1]
        in_tag = html.rfind(b"<", 0, at) > html.rfind(b">", 0, at)
        ends = after.isspace() or after in (b"", b"=", b">", b"/")
        if in_tag and ends and html[at - 1 : at].isspace():
            return True
        at = html.find(BODY_MARK, at + 1)
    return False


def site_pages(
    site: Path, folder: str = "", skip: Collection[str] = (), known: KeptResults | None = None
) -> list[Page]:
    """Every HTML file of ``site`` below its ``folder`` (all of it by default), but for
    Pagefind's own bundle and the folders of ``site`` named in ``skip`` (the other
    languages' sub-sites), in path order.

    ``known`` keeps what a page holds by its path and its file (inode, size and
    modification time): a page a rebuild kept from the published site is a link to
    the same file, not read again (0.1 s at 1,000 bulletins).
    """
    pages = []
    for directory, prefix, files in folder_walk(site, folder, {BUNDLE_DIR, *skip}):
        for name in files:
            if name.endswith(".html"):
                pages.append(site_page(os.path.join(directory, name), prefix + name, known))
    return sorted(pages, key=lambda page: page.path.split("/"))


def site_page(path: str, relative: str, known: KeptResults | None) -> Page:
    """The page at ``path`` (``relative`` in the site), from ``known`` when its file is."""
    key = ""
    if known is not None:
        stat = os.stat(path)
        key = f"{relative}\0{stat.st_ino}\0{stat.st_size}\0{stat.st_mtime_ns}"
        found = known.get(key)
        if found is not None:
            digest, language, marked = found.split("\t")
            return Page(relative, language, digest, marked == "1")
    with open(path, "rb") as handle:
        html = handle.read()
    page = Page(relative, page_language(html), hashlib.sha256(html).hexdigest(), is_marked(html))
    if known is not None:
        known.put(key, f"{page.sha256}\t{page.language}\t{int(page.marked)}")
    return page


def indexable(pages: list[Page]) -> list[Page]:
    """The pages Pagefind indexes: those marked ``data-pagefind-body``, or every page
    when none is (Pagefind's own rule)."""
    marked = [page for page in pages if page.marked]
    return marked if marked else pages


class Placement:
    """The shard of each page, by language: those of the previous build (``previous``,
    ``{language: {path: number}}``), and where a new page goes (``place``).

    A new page goes to the language's last shard while it holds fewer than
    ``shard_pages`` pages, else to a new one: pages are never moved, so a removed
    page leaves its shard one page smaller.
    """

    def __init__(self, shard_pages: int, previous: Mapping[str, Mapping[str, int]] | None = None):
        self.shard_pages = shard_pages
        self.numbers: dict[str, dict[str, int]] = {}
        self.sizes: dict[str, Counter[int]] = {}
        self.first_new: dict[str, int] = {}  # the numbers from it on are this build's
        self.members: dict[tuple[str, int], set[str]] = {}  # the previous build's shards
        for language, numbers in (previous or {}).items():
            self.numbers[language] = dict(numbers)
            self.sizes[language] = Counter(numbers.values())
            self.first_new[language] = max(numbers.values(), default=-1) + 1
            for path, number in numbers.items():
                self.members.setdefault((language, number), set()).add(path)

    def place(self, page: Page) -> int:
        """The shard number of ``page``: its own if it has one, else the last one's
        while it has room, else a new one."""
        numbers = self.numbers.setdefault(page.language, {})
        number = numbers.get(page.path)
        if number is None:
            sizes = self.sizes.setdefault(page.language, Counter())
            number = max(sizes, default=0)
            if sizes[number] >= self.shard_pages:
                number += 1
            numbers[page.path] = number
            sizes[number] += 1
        return number

    def filled(self, language: str, number: int) -> bool:
        """Whether ``number`` is a shard this build opened and filled: no other page
        can come to it."""
        return (
            number >= self.first_new.get(language, 0)
            and self.sizes[language][number] >= self.shard_pages
        )

    def whole(self, language: str, number: int, settled: Collection[str]) -> bool:
        """Whether the shard ``number`` will hold no other page than ``settled`` (the
        pages already written or kept): a shard this build filled, or one of the
        previous build whose every page is settled (a page placed there since would
        come too late: the shard is then indexed again)."""
        previous = self.members.get((language, number))
        if previous is None:
            return self.filled(language, number)
        return len(settled) >= len(previous) and previous.issubset(settled)

    def first(self, language: str) -> int:
        """The number of the language's first shard, so far (written into pagefind/)."""
        return min(self.sizes[language])

    @staticmethod
    def of(shards: Iterable[Shard]) -> dict[str, dict[str, int]]:
        """The placement of the pages of ``shards``, to keep for the next build."""
        kept: dict[str, dict[str, int]] = {}
        for shard in shards:
            own = kept.setdefault(shard.language, {})
            own.update((page.path, shard.number) for page in shard.pages)
        return kept


def plan_shards(pages: list[Page], pagefind: str | None, placement: Placement) -> list[Shard]:
    """The shards of each language of ``pages`` (in the order the languages first
    appear), placed by ``placement`` (the pages not placed yet in their order), without
    the empty ones; each language's first shard is the primary one.

    ``pagefind`` is Pagefind's version: another version writes another index.
    """
    by_language: dict[str, dict[int, list[Page]]] = {}
    for page in pages:
        groups = by_language.setdefault(page.language, {})
        groups.setdefault(placement.place(page), []).append(page)
    return [
        shard_of(language, number, rank == 0, groups[number], pagefind)
        for language, groups in by_language.items()
        for rank, number in enumerate(sorted(groups))
    ]


def shard_of(
    language: str, number: int, primary: bool, pages: Iterable[Page], pagefind: str | None
) -> Shard:
    """The shard ``number`` of ``language`` holding ``pages``: its bundle and digest."""
    bundle = "" if primary else f"{SHARDS_DIR}/{language}-{number}/"
    members = tuple(sorted(pages, key=lambda page: page.path.split("/")))
    return Shard(language, number, bundle, members, digest(bundle, pagefind, members))


def digest(bundle: str, pagefind: str | None, pages: tuple[Page, ...]) -> str:
    """What a shard's index is made of: where it is written, by which Pagefind,
    from which pages (their paths and bytes)."""
    lines = [f"{bundle}\t{pagefind}"] + [f"{page.path}\t{page.sha256}" for page in pages]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def manifest(shards: list[Shard], pagefind: str | None) -> dict:
    """``pagefind/shards.json``: each language's bundles, the primary one first (the
    browser merges the others), with their pages and digest."""
    languages: dict[str, list[dict]] = {}
    for shard in shards:
        languages.setdefault(shard.language, []).append(
            {"bundle": shard.bundle, "pages": len(shard.pages), "digest": shard.digest}
        )
    return {"pagefind": pagefind, "languages": languages}


def published_digests(published: Path | None, pagefind: str | None) -> set[tuple[str, str]]:
    """The (language, digest) of each shard the ``published`` bundle holds; none when
    it has no readable manifest, or one written by another version of Pagefind."""
    if published is None or pagefind is None:
        return set()
    try:
        written = json.loads((published / MANIFEST).read_text(encoding="utf-8"))
        if written.get("pagefind") != pagefind:
            return set()
        return {
            (str(language), str(shard["digest"]))
            for language, shards in written["languages"].items()
            for shard in shards
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


@contextlib.contextmanager
def shard_tree(
    site: Path, shard: Shard, sources: Mapping[str, Path] | None = None
) -> Iterator[Path]:
    """A temporary folder holding ``shard``'s pages at their paths in ``site`` (hard
    links: nothing is copied), for Pagefind to index with the site's URLs; removed
    afterwards, also on failure. ``sources`` names the file of a page found elsewhere
    (a page the build keeps from the published site, not linked into ``site`` yet).

    It sits beside the staged site, named after it, so that a build killed meanwhile
    leaves nothing the next one does not remove with the staging folder.
    """
    with contextlib.ExitStack() as stack:
        try:
            folder = stack.enter_context(
                tempfile.TemporaryDirectory(prefix=f"{site.name}-pagefind-", dir=site.parent)
            )
        except OSError:  # a parent we may not write to: the system's temporary folder
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="pagefind-"))
        tree = Path(folder)
        for page in shard.pages:
            source = sources.get(page.path) if sources else None
            link_or_copy(source or site / page.path, tree / page.path)
        yield tree


def read_placement(path: Path | None) -> dict[str, dict[str, int]]:
    """The placement a previous build kept at ``path``: none when there is no such
    file, or it does not hold ``{language: {path: number}}``."""
    if path is None:
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        return {
            str(language): {str(page): int(number) for page, number in numbers.items()}
            for language, numbers in found.items()
        }
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def write_placement(path: Path, placement: Mapping[str, Mapping[str, int]]) -> None:
    """Keep ``placement`` at ``path`` for the next build (a failure to write only
    costs that build the runs of the shards it then places anew)."""
    save_json(path, placement)
