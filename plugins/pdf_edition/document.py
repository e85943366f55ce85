"""The print HTML of a bulletin, built from its rendered Markdown (``article.content``).

Links become absolute (a printed or downloaded PDF has no site around it),
images point at their source files so the sandboxed fetcher can read them,
and ``rel="attachment"`` is removed: a PDF edition never embeds files.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugins.addresses import without_index
from plugins.content.embeds import as_links
from plugins.i18n.formatting import TIMEZONE, format_date

# Attributes through which WeasyPrint fetches a resource.
RESOURCE_ATTRIBUTES = {"img": "src", "image": "href", "object": "data", "embed": "src"}


@dataclass(frozen=True)
class Section:
    """A ``##`` section, listed in « Dans ce numéro »."""

    anchor: str
    title: str


@dataclass(frozen=True)
class Organisation:
    name: str
    short_name: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PrintDocument:
    """Plain data the print template needs for one bulletin in one language."""

    lang: str
    title: str
    series_title: str
    number: int | None
    date: dt.datetime
    content_html: str
    sections: tuple[Section, ...]
    organisation: Organisation
    summary: str = ""
    page_url: str = ""

    @property
    def lang_tag(self) -> str:
        return f"{self.lang}-CA"

    @property
    def date_text(self) -> str:
        return format_date(self.date, self.lang, "long")

    @property
    def date_w3c(self) -> str:
        """The bulletin's date for the PDF's creation and modification dates."""
        date = self.date
        if date.tzinfo is None:
            date = date.replace(tzinfo=ZoneInfo(TIMEZONE))
        return date.isoformat(timespec="seconds")


@dataclass(frozen=True)
class PreparedContent:
    """The bulletin's HTML made ready for print, and what came out of it."""

    html: str
    sections: tuple[Section, ...]
    resources: Mapping[str, str]  # URL handed to WeasyPrint -> URL as written in the content


def organisation_from_settings(settings: Mapping[str, Any]) -> Organisation:
    conf = settings.get("ORGANISATION") or {"name": settings.get("AUTHOR", "")}
    return Organisation(
        name=str(conf.get("name", "")),
        short_name=str(conf.get("short_name", "")),
        website=str(conf.get("website", "")),
        email=str(conf.get("email", "")),
        phone=str(conf.get("phone", "")),
    )


def slugify_anchor(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "section"
    anchor, counter = f"pdf-{base}", 1
    while anchor in taken:
        counter += 1
        anchor = f"pdf-{base}-{counter}"
    taken.add(anchor)
    return anchor


def prepare_content(
    html: str,
    page_url: str,
    link_base: str,
    site_prefixes: tuple[str, ...],
    static_files: Mapping[str, str],
    content_root: str,
) -> PreparedContent:
    """Print-ready HTML of a bulletin body.

    ``page_url`` is the bulletin's absolute URL (links resolve against it);
    ``site_prefixes`` are the URL prefixes of the site (SITEURL…), stripped to
    find a site path; ``static_files`` maps site paths (``images/x.png``) to
    source files; unknown site paths are looked up under ``content_root``.
    """
    # Imported here: Beautiful Soup costs 0.08 s to import, and a build without PDF
    # editions (its Histoires d'OCASSS compilations need this module) never uses it.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(as_links(html), "html.parser")
    for link in soup.find_all("link"):
        if "attachment" in (link.get("rel") or []):
            link.decompose()
    for anchor in soup.find_all("a"):
        rel = [token for token in anchor.get("rel") or [] if token.lower() != "attachment"]
        if rel:
            anchor["rel"] = rel
        elif anchor.has_attr("rel"):
            del anchor["rel"]
        href = anchor.get("href")
        if href and not href.startswith("#"):
            anchor["href"] = absolute_link(href, page_url, site_prefixes, link_base)

    resources: dict[str, str] = {}
    for tag, attribute in RESOURCE_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            original = element.get(attribute)
            if not original:
                continue
            url = resource_url(original, site_prefixes, static_files, content_root)
            element[attribute] = url
            resources[url] = original

    taken = {str(element["id"]) for element in soup.find_all(id=True)}
    sections = []
    for heading in soup.find_all("h2"):
        if not heading.get("id"):
            heading["id"] = slugify_anchor(heading.get_text(" ", strip=True), taken)
        sections.append(Section(str(heading["id"]), heading.get_text(" ", strip=True)))
    return PreparedContent(str(soup), tuple(sections), resources)


def site_path(url: str, site_prefixes: tuple[str, ...]) -> str | None:
    """``images/x.png`` for a URL of this site, None for anything else."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme or parts.netloc:
        for prefix in sorted((p for p in site_prefixes if "://" in p), key=len, reverse=True):
            if url.startswith(prefix.rstrip("/") + "/"):
                return urllib.parse.unquote(url[len(prefix.rstrip("/")) + 1 :].split("#")[0])
        return None
    if url.startswith("/"):
        path = parts.path
        for prefix in sorted(
            (p for p in site_prefixes if p.startswith("/")), key=len, reverse=True
        ):
            if path.startswith(prefix.rstrip("/") + "/"):
                path = path[len(prefix.rstrip("/")) :]
                break
        return urllib.parse.unquote(path.lstrip("/"))
    return None


def resource_url(
    url: str,
    site_prefixes: tuple[str, ...],
    static_files: Mapping[str, str],
    content_root: str,
) -> str:
    """The URL WeasyPrint fetches for a resource: the source file of a site path.

    Relative URLs stay relative (to the bulletin's source folder); anything
    that is not this site's stays as written, for the fetcher to refuse.
    """
    path = site_path(url, site_prefixes)
    if path is None:
        return url
    source = static_files.get(path) or str(Path(content_root) / path)
    return Path(source).resolve().as_uri() if Path(source).is_absolute() else source


def absolute_link(href: str, page_url: str, site_prefixes: tuple[str, ...], link_base: str) -> str:
    """A link that still works from a downloaded PDF: a page of the site at its
    published address (its folder, not the index.html a file-browsable build names)."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme:
        return href
    if href.startswith("/"):
        path = site_path(href, site_prefixes) or href.lstrip("/")
        prefix = next((p for p in site_prefixes if p.startswith("/") and href.startswith(p)), "")
        return without_index(f"{link_base.rstrip('/')}{prefix.rstrip('/')}/{path}")
    return without_index(urllib.parse.urljoin(page_url, href))


def css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside a ``<style>`` element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


def page_counter_content(pattern: str) -> str:
    """CSS ``content`` for « Page {page} de {pages} »: words from the catalogue."""
    counters = {"page": "counter(page)", "pages": "counter(pages)"}
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", pattern):
        if piece in ("{page}", "{pages}"):
            parts.append(counters[piece[1:-1]])
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)
