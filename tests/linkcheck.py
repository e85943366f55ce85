"""A link checker over a built site: every internal link, anchor and asset."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src"}


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


def target_file(output: Path, page: Path, url_path: str) -> Path:
    """The file a site-internal URL path designates (``/x/`` → x/index.html)."""
    path = unquote(url_path)
    base = output if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(output: Path) -> list[str]:
    """Every internal link of every page that points at nothing, as text."""
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
            target = page if not parts.path else target_file(output, page, parts.path)
            where = page.relative_to(output)
            if output not in target.parents and target != output:
                problems.append(f"{where}: {link} leaves the site")
            elif not target.is_file():
                problems.append(f"{where}: {link} → missing {target.relative_to(output)}")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in page_of(target).ids:
                    problems.append(f"{where}: {link} → no id « {parts.fragment} »")
    return problems
