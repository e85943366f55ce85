"""A bulletin's HTML as the text/plain part of its email: readable as it is.

Headings are underlined, paragraphs wrapped at 72 columns, lists keep their
bullets and numbers, tables are aligned in columns (or written row by row
when they would not fit), and each link's address goes to a numbered note
at the end, so the text reads without a forest of URLs.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

WIDTH = 72
# The spaces HTML collapses; never the non-breaking ones French typography puts
# before « : » or inside « » (textwrap does not break a line there either).
SPACES = re.compile(r"[ \t\r\n\f\v]+")
UNDERLINES = {"h1": "=", "h2": "-", "h3": "~"}
BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 ul ol li table blockquote pre hr figure figcaption dl dt dd "
    "section article header footer".split()
)


@dataclass
class Notes:
    """The numbered addresses of the links met so far, each address once."""

    urls: list[str] = field(default_factory=list)

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1

    def text(self) -> str:
        return "\n".join(f"[{index}] {url}" for index, url in enumerate(self.urls, start=1))


class PlainText:
    """Walks an HTML fragment into text; ``_`` translates the few words it adds."""

    def __init__(
        self,
        gettext: Callable[[str], str],
        notes: Notes | None = None,
        width: int = WIDTH,
        colon: str = "\u00a0: ",
    ):
        self._ = gettext
        self.notes = notes if notes is not None else Notes()
        self.width = width
        self.colon = colon  # « Date : … » in French, "Date: …" in English

    def narrower(self, by: int) -> PlainText:
        """The same walker for content indented by ``by`` columns (same notes)."""
        return PlainText(self._, self.notes, max(self.width - by, 20), self.colon)

    # Inline content -------------------------------------------------------

    def inline(self, node) -> str:
        """The text of ``node``'s inline content, on one line (``<br>`` kept)."""
        if isinstance(node, NavigableString):
            return str(node) if SPACES.sub("", str(node)) else " "
        if not isinstance(node, Tag):
            return ""
        if node.name == "br":
            return "\n"
        if node.name == "img":
            _ = self._
            alt = (node.get("alt") or "").strip()
            return f"[{_('Image')}{self.colon}{alt}]" if alt else ""
        text = "".join(self.inline(child) for child in node.children)
        if node.name == "a" and node.get("href"):
            return self.link(SPACES.sub(" ", text).strip(" "), str(node["href"]))
        return text

    def link(self, text: str, href: str) -> str:
        address = href[len("mailto:") :] if href.startswith("mailto:") else href
        if href.startswith("#") or not text:
            return text or address
        if text in (href, address):
            return address
        return f"{text} [{self.notes.number(address)}]"

    def words(self, node) -> str:
        """Inline content with spaces collapsed, line breaks kept."""
        return collapse(self.inline(node))

    # Blocks ---------------------------------------------------------------

    def blocks(self, node) -> list[str]:
        """Each block of ``node``'s content as text, in order."""
        found: list[str] = []
        run: list = []  # inline content between blocks

        def flush() -> None:
            text = collapse("".join(self.inline(node) for node in run))
            if text:
                found.append(wrap(text, self.width))
            run.clear()

        for child in node.children:
            if isinstance(child, Tag) and child.name in BLOCKS:
                flush()
                text = self.block(child)
                if text.strip():
                    found.append(text)
            else:
                run.append(child)
        flush()
        return found

    def block(self, node: Tag) -> str:
        name = node.name
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            title = wrap(self.words(node), self.width)
            mark = UNDERLINES.get(name, "")
            longest = max(len(line) for line in title.split("\n"))
            return f"{title}\n{mark * longest}" if mark else title.upper()
        if name in ("ul", "ol"):
            return self.listing(node)
        if name == "table":
            return self.table(node)
        if name == "blockquote":
            inner = "\n\n".join(self.narrower(2).blocks(node))
            return "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
        if name == "pre":
            return "\n".join(f"    {line}" for line in node.get_text().rstrip("\n").split("\n"))
        if name == "hr":
            return "-" * 20
        if name == "p":
            return wrap(self.words(node), self.width)
        return "\n\n".join(self.blocks(node))

    def listing(self, node: Tag) -> str:
        start = int(node.get("start") or 1) if str(node.get("start") or "1").isdigit() else 1
        items = []
        for index, item in enumerate(node.find_all("li", recursive=False)):
            marker = f"{start + index}. " if node.name == "ol" else "- "
            if _has_blocks(item):
                inner = "\n\n".join(self.narrower(len(marker)).blocks(item))
                items.append(indent(inner, marker))
            else:
                items.append(hang(self.words(item), marker, self.width))
        return "\n".join(items)

    def table(self, node: Tag) -> str:
        rows = []
        for row in node.find_all("tr"):
            cells = [self.words(cell).replace("\n", " ") for cell in row.find_all(["th", "td"])]
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        columns = max(len(row) for row in rows)
        rows = [row + [""] * (columns - len(row)) for row in rows]
        widths = [max(len(row[i]) for row in rows) for i in range(columns)]
        has_header = node.find("th") is not None
        caption = node.find("caption")
        title = [self.words(caption)] if caption else []
        if sum(widths) + 2 * (columns - 1) <= self.width:
            lines = [
                "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
                for row in rows
            ]
            if has_header:
                lines.insert(1, "  ".join("-" * width for width in widths))
            return "\n".join(title + lines)
        # Too wide for a text line: each row as « header : value » lines.
        header, body = (rows[0], rows[1:]) if has_header else ([""] * columns, rows)
        records = []
        for row in body:
            record = [
                field_line(label, value, self.width, self.colon)
                for label, value in zip(header, row, strict=True)
                if value
            ]
            records.append("\n".join(record))
        return "\n\n".join(title + records)


def field_line(label: str, value: str, width: int, colon: str = "\u00a0: ") -> str:
    """« Date : 1er mars 2013 »; a long label gets its value on the lines below."""
    if not label:
        return hang(value, "- ", width)
    if len(label) <= 16:
        return hang(value, f"{label}{colon}", width)
    return f"{label}{colon.rstrip()}\n" + hang(value, "  ", width)


def collapse(text: str) -> str:
    """Spaces collapsed in each line, line breaks (``<br>``) kept."""
    lines = (SPACES.sub(" ", line).strip(" ") for line in text.split("\n"))
    return "\n".join(lines).strip("\n")


def _has_blocks(node: Tag) -> bool:
    return any(isinstance(child, Tag) and child.name in BLOCKS for child in node.children)


def wrap(text: str, width: int = WIDTH) -> str:
    """Each line of ``text`` wrapped at ``width`` (a ``<br>`` stays a line break)."""
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) or ""
        for line in text.split("\n")
    )


def indent(text: str, marker: str) -> str:
    """Text already wrapped, after ``marker`` and indented under it."""
    space = " " * len(marker)
    return "\n".join(
        (marker if number == 0 else space if line else "") + line
        for number, line in enumerate(text.split("\n"))
    )


def hang(text: str, marker: str, width: int = WIDTH) -> str:
    """``text`` after ``marker``, wrapped at ``width``, its following lines indented
    under the first."""
    space = " " * len(marker)
    lines = []
    for number, paragraph in enumerate(text.split("\n")):
        first = marker if number == 0 else space
        lines.append(
            textwrap.fill(
                paragraph,
                width,
                initial_indent=first,
                subsequent_indent=space,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or first.rstrip()
        )
    return "\n".join(lines)


def html_to_text(
    fragment: str, gettext: Callable[[str], str], notes: Notes, colon: str = "\u00a0: "
) -> str:
    """The text of an HTML fragment, blocks separated by a blank line; link
    addresses are numbered in ``notes``."""
    soup = BeautifulSoup(fragment, "html.parser")
    return "\n\n".join(PlainText(gettext, notes, colon=colon).blocks(soup))
