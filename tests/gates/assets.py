"""What the foundation's link checker does not read: CSS url()s and linked documents."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
DOCUMENT_SUFFIXES = {".pdf": "PDF", ".xml": "feed", ".ics": "calendar"}


def broken_css_urls(output: Path) -> list[str]:
    """Every url() or @import of a stylesheet in ``output`` that points at no file."""
    problems = []
    for sheet in sorted(output.rglob("*.css")):
        for _, url in CSS_URL.findall(sheet.read_text(encoding="utf-8")):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            path = unquote(parts.path)
            base = output if path.startswith("/") else sheet.parent
            if not (base / path.lstrip("/")).is_file():
                problems.append(f"{sheet.relative_to(output)}: url({url}) → missing file")
    return problems


def linked_documents(output: Path, site_urls: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """URL paths of the PDFs, feeds and calendars that pages link to, with the pages.

    Links under one of ``site_urls`` (absolute URLs of the site itself) count too.
    """
    found: dict[str, set[str]] = {}
    for page in sorted(output.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link"], href=True):
            path = _site_path(tag["href"], page, output, site_urls)
            if path and Path(path).suffix in DOCUMENT_SUFFIXES:
                found.setdefault(path, set()).add(str(page.relative_to(output)))
    return found


def _site_path(href: str, page: Path, output: Path, site_urls: tuple[str, ...]) -> str | None:
    for root in site_urls:
        if root and href.startswith(root):
            href = href[len(root) :] or "/"
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        return path
    target = (page.parent / path).resolve()
    root = output.resolve()
    return "/" + str(target.relative_to(root)) if root in target.parents else path


def kind_of(path: str) -> str:
    return DOCUMENT_SUFFIXES[Path(path).suffix]
