"""Addresses of the site: how its pages link each other, and the absolute ones
for what is read outside it.

Feeds, calendars, shared links (OpenGraph) and the email edition need
absolute URLs even while the development site is built with ``SITEURL = ""``.

With ``RELATIVE_URLS`` (pelicanconf.py), Pelican hands each page a ``SITEURL``
relative to it (``../..``) and output/ opens from its files (``file://``): a
link to a folder would open the folder, so such a site's links name the
folder's ``index.html`` (``file_urls``, ``SiteLinks``). publishconf.py keeps
absolute folder URLs (``/info-psoc/info-psoc-01/``): published URLs never move.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

INDEX_FILE = "index.html"

DEVELOPMENT_ORIGIN = "http://localhost:8000"


def is_absolute(url: str) -> bool:
    return bool(urlsplit(url).scheme)


def absolute_base(settings: Mapping[str, Any]) -> str:
    """The sub-site's absolute URL, without a trailing slash.

    SITEURL when it is absolute (publishconf.py); otherwise FEED_SITEURL (the
    development server) followed by SITEURL (``""`` or ``"/en"``).
    """
    siteurl = str(settings.get("SITEURL", "")).rstrip("/")
    if is_absolute(siteurl):
        return siteurl
    origin = str(settings.get("FEED_SITEURL") or DEVELOPMENT_ORIGIN).rstrip("/")
    return origin + siteurl


PUBLISHED_ORIGIN = "https://bulletins.ctroc.org"


def published_base(settings: Mapping[str, Any]) -> str:
    """The sub-site's public absolute URL, for what is printed (PDFs): SITEURL when
    absolute, else PDF_LINK_SITEURL followed by the sub-site's path (``/en``)."""
    siteurl = str(settings.get("SITEURL", "")).rstrip("/")
    root = str(settings.get("ROOT_SITEURL", "")).rstrip("/")
    if is_absolute(root):
        return siteurl
    origin = str(settings.get("PDF_LINK_SITEURL") or PUBLISHED_ORIGIN).rstrip("/")
    return origin + (siteurl[len(root) :] if siteurl.startswith(root) else siteurl)


def file_urls(settings: Mapping[str, Any]) -> dict[str, str]:
    """The ``*_URL`` settings of pages saved as their folder's index.html, naming that
    file (``{category}/{slug}/index.html``): what a site opened from its files links."""
    urls = {}
    for key, url in settings.items():
        save_as = settings.get(key[: -len("URL")] + "SAVE_AS") if key.endswith("_URL") else None
        if isinstance(url, str) and url.endswith("/") and save_as == url + INDEX_FILE:
            urls[key] = save_as
    return urls


def without_index(url: str) -> str:
    """``url`` as the published site gives it: a folder's ``index.html`` left out
    (``…/info-psoc-01/index.html#budget`` → ``…/info-psoc-01/#budget``)."""
    parts = urlsplit(url)
    folder, name = posixpath.split(parts.path)
    if name != INDEX_FILE:
        return url
    if folder and not folder.endswith("/"):
        folder += "/"
    return urlunsplit((parts.scheme, parts.netloc, folder, parts.query, parts.fragment))


@functools.lru_cache(maxsize=1024)
def relative_base(page_siteurl: str, there: str, here: str) -> str:
    """From a page (its relative ``SITEURL``) of the sub-site in folder ``here``, the way
    to folder ``there``. Cached: every link of every page asks (about 40,000 at
    1,000 bulletins), for a handful of answers."""
    return posixpath.normpath(posixpath.join(page_siteurl, posixpath.relpath(there, here)))


@dataclass(frozen=True)
class SiteLinks:
    """How the pages of one sub-site link the site's files.

    ``folders`` is each language's folder under the site's root (``{"fr": "",
    "en": "en"}``), ``siteurls`` each language's SITEURL as the settings give it,
    ``root`` the root's. With ``relative``, links are relative to the page (its
    ``SITEURL``, as Pelican passes it to the template) and a folder's link names its
    ``index.html``; otherwise they start with the target sub-site's SITEURL.
    """

    lang: str
    folders: Mapping[str, str]
    siteurls: Mapping[str, str]
    root: str
    relative: bool

    @classmethod
    def of(cls, settings: Mapping[str, Any]) -> SiteLinks:
        """The links of the sub-site that ``settings`` build."""
        lang = settings["DEFAULT_LANG"]
        languages = settings.get("LANGUAGES") or {lang: {"path": ""}}
        siteurl = str(settings.get("SITEURL", "")).rstrip("/")
        return cls(
            lang=lang,
            folders={code: spec.get("path", "") for code, spec in languages.items()},
            siteurls=dict(settings.get("LANGUAGE_SITEURLS") or {lang: siteurl}),
            root=str(settings.get("ROOT_SITEURL", siteurl)).rstrip("/"),
            relative=bool(settings.get("RELATIVE_URLS")),
        )

    def href(
        self, path: str, page_siteurl: str, lang: str | None = None, root: bool = False
    ) -> str:
        """The link from a page to ``path`` (``info-psoc/``, ``flux/bulletins.rss.xml``,
        ``""`` for the home page): a path of the page's own sub-site, of ``lang``'s,
        or with ``root`` of the site's root (the theme's files, the search index)."""
        target = lang or self.lang
        if not self.relative:
            if root:
                base = self.root
            elif target == self.lang:
                base = page_siteurl.rstrip("/")
            else:
                base = self.siteurls.get(target, "").rstrip("/")
            return f"{base}/{path}"
        there = "" if root else self.folders.get(target, "")
        base = relative_base(page_siteurl or ".", there or ".", self.folders.get(self.lang) or ".")
        address, hash_mark, fragment = path.partition("#")
        if not address or address.endswith("/"):
            address += INDEX_FILE
        link = address if base == "." else f"{base}/{address}"
        return link + hash_mark + fragment
