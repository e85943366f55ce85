"""A link checker over a built site: every internal link, anchor and asset.

Links are read as a browser reads them, relative to their page: the default
build links ``../../membres/index.html`` (it opens from its files), the
published one ``https://…/membres/``; ``site_path`` gives both as ``/membres/``.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "form": "action",
}
INDEX = "index.html"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute):
            self.links.append(values[attribute])


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def page_url(output: Path, page: Path) -> str:
    """The address ``page`` is served at, from the site's root (``/info-psoc/x/index.html``)."""
    return "/" + page.resolve().relative_to(output.resolve()).as_posix()


def site_path(output: Path, page: Path, href: str, base: str = "") -> str:
    """Where a link of ``page`` leads, from the site's root and as the published site
    writes it: ``/membres/`` for ``../../membres/index.html``, ``/membres/``, or
    ``https://…/membres/`` (``base``: the published SITEURL, left out). A fragment stays."""
    if base and href.startswith(base.rstrip("/") + "/"):
        href = href[len(base.rstrip("/")) :]
    url = urljoin(page_url(output, page), href)
    address, hash_mark, fragment = url.partition("#")
    if address.endswith("/" + INDEX):
        address = address[: -len(INDEX)]
    return address + hash_mark + fragment


def target_file(output: Path, page: Path, url_path: str, as_files: bool = False) -> Path:
    """The file a site-internal URL path designates (``/x/`` → x/index.html, as a server
    answers). ``as_files``: as a browser opening the files does (``file://``): a folder
    stays a folder, and ``/x`` starts at the disk's root, not the site's."""
    path = unquote(url_path)
    if as_files:
        return Path(page.parent, path).resolve() if not path.startswith("/") else Path(path)
    base = output if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / INDEX
    return target


def broken_links(output: Path, as_files: bool = False) -> list[str]:
    """Every internal link of every page that points at nothing, as text; with
    ``as_files``, also every link that needs a server (a folder, a root-relative path)."""
    output = output.resolve()
    parsed: dict[Path, _Collector] = {}

    def page_of(path: Path) -> _Collector:
        if path not in parsed:
            parsed[path] = parse(path)
        return parsed[path]

    problems = []
    for page in sorted(output.rglob("*.html")):
        for link in page_of(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external (http, mailto, tel…): not ours to check offline
            target = page if not parts.path else target_file(output, page, parts.path, as_files)
            where = page.relative_to(output)
            if output not in target.parents and target != output:
                problems.append(f"{where}: {link} leaves the site")
            elif target.is_dir():
                problems.append(f"{where}: {link} → the folder {target.relative_to(output)}/")
            elif not target.is_file():
                problems.append(f"{where}: {link} → missing {target.relative_to(output)}")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in page_of(target).ids:
                    problems.append(f"{where}: {link} → no id « {parts.fragment} »")
    return problems
