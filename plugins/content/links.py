"""Links and images written from a bulletin's own folder, published with it.

Staff write ``![Carte](images/carte.png)`` or ``[le communiqué](documents/c.pdf)``
beside their Markdown file, as every Markdown editor previews it. Pelican
publishes such a file, and makes such a link follow it, only when the link says
how: ``{attach}`` (the file is published beside the page), ``{static}`` (a file
of ``STATIC_PATHS``, published where it is) or ``{filename}`` (another bulletin
or page). ``published_links`` gives each address that names a file of the
content folder the indicator it needs, before Pelican reads the HTML; any other
address is left as written (a page of the published site, by its own path).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator, Sequence
from html import unescape
from pathlib import Path

# An address with a scheme (https:, mailto:), from the site's root, an anchor, a
# query, or already with Pelican's indicator ({attach}, |static|).
NOT_RELATIVE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|[/#{|?]")
ATTRIBUTES = ('src="', 'href="')  # as Markdown writes them
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Pelican's indicators that publish a file of the content folder, and how.
PUBLISHING = {
    "{attach}": "attach",
    "|attach|": "attach",
    "{static}": "static",
    "|static|": "static",
}
ATTACH_MARKS = tuple(mark for mark, how in PUBLISHING.items() if how == "attach")


def address_spans(html: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each ``src`` and ``href`` value of ``html``."""
    for attribute in ATTRIBUTES:
        at = html.find(attribute)
        while at != -1:
            start = at + len(attribute)
            end = html.find('"', start)
            if end == -1:
                break
            yield start, end
            at = html.find(attribute, end)


def relative_addresses(html: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each ``src`` or ``href`` value of ``html`` that is relative."""
    for start, end in address_spans(html):
        if end > start and not NOT_RELATIVE.match(html, start):
            yield start, end


def file_path(address: str) -> str:
    """The file path an address names: entities decoded, without its anchor or query,
    percent-escapes undone (``documents/mon%20communiqué.pdf#p2`` → ``documents/mon
    communiqué.pdf``)."""
    return urllib.parse.unquote(unescape(address).split("#", 1)[0].split("?", 1)[0])


def indicator_for(
    address: str, source: Path, content: Path, static_paths: Sequence[str] = ()
) -> str:
    """Pelican's indicator for the relative ``address``, written in the file ``source``:
    ``""`` when it is not relative or names no file of ``content``."""
    if NOT_RELATIVE.match(address):
        return ""
    written = file_path(address)
    if not written:
        return ""
    root = content.resolve()
    file = (source.parent / written).resolve()
    if root not in file.parents or not file.is_file():
        return ""
    if file.suffix.lower() in MARKDOWN_SUFFIXES:
        return "{filename}"
    relative = file.relative_to(root).as_posix()
    if any(relative.startswith(folder.strip("/") + "/") for folder in static_paths):
        return "{static}"
    return "{attach}"


def published_links(
    html: str, source: Path, content: Path, static_paths: Sequence[str] = ()
) -> str:
    """``html`` (the conversion of the Markdown file ``source``, in the folder
    ``content``) with the indicator each relative address to a file of ``content``
    needs for Pelican to publish and follow it."""
    pieces, last = [], 0
    for start, end in sorted(relative_addresses(html)):
        indicator = indicator_for(html[start:end], source, content, static_paths)
        if indicator:
            pieces += [html[last:start], indicator]
            last = start
    return "".join(pieces) + html[last:] if pieces else html


def published_files(
    html: str, source: Path, content: Path, static_paths: Sequence[str] = ()
) -> list[tuple[str, str, Path]]:
    """``(address, how, file)`` of each address of ``html`` (the conversion of
    ``source``) that publishes a file of ``content``: ``how`` is ``attach`` (beside
    the page) or ``static`` (where it is), as written or as ``published_links`` makes it."""
    found = []
    root = content.resolve()
    for address in (html[start:end] for start, end in address_spans(html)):
        mark = next((mark for mark in PUBLISHING if address.startswith(mark)), "")
        if not mark:
            mark = indicator_for(address, source, content, static_paths)
            if mark not in PUBLISHING:
                continue  # not a file of the content folder, or a page ({filename})
        path = address.removeprefix(mark)
        path = file_path(path)
        file = ((root if path.startswith("/") else source.parent) / path.lstrip("/")).resolve()
        if root in file.parents and file.is_file():
            found.append((address, PUBLISHING[mark], file))
    return found


def attaches(html: str) -> bool:
    """Whether ``html`` has Pelican move a file beside its page (``{attach}``)."""
    return any(mark in html for mark in ATTACH_MARKS)
