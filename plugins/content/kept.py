"""Pages kept from the published site when nothing they are made from changed.

A rebuild after one edited bulletin renders every page through the theme's
templates again (about 1,700 at N = 1,000), though all but a few come out in
the same bytes. What a page written through Pelican's writer is made from:

- the theme, the plugins, the settings and the day (``freshness.code_digest``);
- the header of every bulletin and page (titles, dates, series, summaries and
  translation keys make the listings, the neighbours, the twins and the menu),
  and the whole text of one without a ``Summary:`` (Pelican then summarises its
  body);
- everything else under content/, as the build-wide freshness check sees it
  (size and time): meetings, budget updates, stories, images, attachments;
- for the page of one bulletin or page: that file's text and its PDF edition's
  address and size. No other page shows a body: the feeds, calendars, PDF
  editions and the search index, which do, are not written through the writer
  (each is made again, or kept by its own inputs: ``PlanMemo``, ``KeptLinks``,
  a feed by its header and items through ``key_of``, the search shards'
  digests).

The first three make the site's digest (``site_digest``); with the page's name
and, for the page of one file, the last item, they make the page's key. A page
whose key is the one the published site's page was written with is not
rendered: its files (one, or each page of a paginated listing) are linked from
the published site once every language is rendered (``link_kept``). The key and
the files of every page are recorded with the build (``freshness.record_build``),
and trusted only while output/ is as that build left it
(``freshness.published_record``). tests/test_kept_pages.py holds the claims
above against the theme: a rebuild that keeps pages writes the bytes a cold
build writes.

Hard links, not copies, and nothing ever writes into a linked file: a file is
shared only by the published site and the one before it (the spare, which the
next build writes over), as the page of the published record that has it; before
the writer renders a page, its staged files are removed (``make_room``), and the
links are made once every page is written. The published site never changes
under its readers. Without a published record (a first or forced build, output/
changed by hand), the staged site loses every shared file first (``unshare``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugins.content.loading import ContentModel
from plugins.hardlinks import share
from plugins.model import SourceFile
from plugins.walks import tree_entries


def content_digest(model: ContentModel) -> str:
    """Every file under content/ as the pages depend on it: the header of each
    bulletin and page (its whole text without a summary), the size and time of
    everything else (as ``walks.tree_entries`` lists it)."""
    headers = {file.relative: file for file in model.bulletins + model.pages}
    digest = hashlib.sha256()
    for entry in tree_entries(Path(model.root)):
        file = headers.get(entry.split("\0", 1)[0])
        if file is not None:
            entry = f"{file.relative}\0{header_of(file)}"
        digest.update(entry.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def header_of(file: SourceFile) -> str:
    """What other pages show of a bulletin or page: its header's fields, or its whole
    text when it has no ``Summary:`` (Pelican then summarises its body)."""
    if "summary" not in file.fields:
        return file.text
    fields = sorted((key, [v for _, v in lines]) for key, lines in file.fields.items())
    return json.dumps(fields, ensure_ascii=False)


def site_digest(code: str, model: ContentModel) -> str:
    """``KeptPages.site``: the code digest and the content as pages depend on it."""
    return hashlib.sha256(f"{code}\0{content_digest(model)}".encode()).hexdigest()


def unshare(site: Path) -> None:
    """Remove the files of ``site`` that are hard links shared with another site
    (pages kept by an earlier build): with no published pages to keep from, nothing
    says which pages they belong to (``KeptPages.make_room``)."""
    for directory, _dirs, files in os.walk(site):
        for name in files:
            path = os.path.join(directory, name)
            if os.lstat(path).st_nlink > 1:
                os.unlink(path)


@dataclass
class KeptPages:
    """The published pages' keys and files, and those of the pages written now.

    ``site`` is ``site_digest``; ``staged`` the site being written; ``published``
    the site it replaces, whose pages had the entries ``previous``: by page name
    (its first file, in the site: ``en/info-psoc/…/index.html``), its key and files.
    """

    site: str
    staged: Path
    published: Path
    previous: Mapping[str, tuple[str, list[str]]] = field(default_factory=dict)
    pages: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # this build's
    kept: list[str] = field(default_factory=list)  # files to link from the published site
    writing: list[str] | None = None  # files written for the page being rendered

    def key(self, name: str, file: SourceFile | None = None, pdf: Any = None) -> str:
        """The key of the page ``name``: made from ``file`` (and its PDF edition),
        or, without one, from the whole site."""
        own = ""
        if file is not None:
            edition = (pdf.url, pdf.size) if pdf is not None else None
            own = f"{file.relative}\0{edition!r}\0{file.text}"
        return self.key_of(name, own)

    def key_of(self, name: str, made_of: str) -> str:
        """The key of the file ``name`` made from the site and ``made_of``, everything
        else it is made from (a feed: its header and items)."""
        text = f"{self.site}\0{name}\0{made_of}"
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    def name(self, target: str | os.PathLike[str]) -> str:
        """The page's name: the path of its (first) file in the site."""
        return os.path.relpath(target, self.staged).replace(os.sep, "/")

    def keep(self, name: str, key: str) -> bool:
        """Whether the page ``name`` is kept: the published one has ``key``.

        Its files are linked by ``link_kept``, after every page is rendered.
        """
        entry = self.previous.get(name)
        if entry is None or entry[0] != key:
            return False
        self.pages[name] = (key, list(entry[1]))
        self.kept += entry[1]
        return True

    @contextlib.contextmanager
    def rendering(self, name: str, key: str) -> Iterator[None]:
        """Record the files written for the page ``name`` (``wrote``) under ``key``."""
        self.writing = []
        try:
            yield
            self.pages[name] = (key, [self.name(path) for path in self.writing])
        finally:
            self.writing = None

    def wrote(self, path: str) -> None:
        """Pelican's ``content_written``: one file of the page being rendered."""
        if self.writing is not None:
            self.writing.append(path)

    def make_room(self, name: str) -> None:
        """Before the page ``name`` is rendered: remove its staged files (the file
        ``name`` and those it had in the published site), which may be links to the
        published ones, so that what is written there is a file of its own."""
        entry = self.previous.get(name)
        for file in {name, *(entry[1] if entry else ())}:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.staged / file)

    def link_kept(self, names: Iterable[str] | None = None) -> list[str]:
        """Link every kept file (or those of ``names``) from the published site into the
        staged one (over the spare's older file, ``hardlinks.share``); the kept files
        no longer in the published site (removed by hand during the build), which the
        build then cannot publish."""
        missing = []
        for name in self.kept if names is None else names:
            try:
                share(self.published / name, self.staged / name)
            except FileNotFoundError:
                missing.append(name)
        return missing

    def fresh(self) -> KeptPages:
        """The same published entries, nothing kept or written yet (a worker's copy)."""
        return KeptPages(self.site, self.staged, self.published, self.previous)

    def merge(self, other: KeptPages) -> None:
        """Add what a language rendered in a worker process kept and wrote."""
        self.pages.update(other.pages)
        self.kept += other.kept
