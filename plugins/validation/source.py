"""The structure of a bulletin's Markdown source, with real line numbers.

Nothing here renders Markdown: headings, sections and prose lines are read
from the text staff wrote, ignoring the metadata header and fenced code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_META_LINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_ -]*:")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Python-Markdown's own rule: 1 to 6 '#', trailing '#' dropped.
_HEADING = re.compile(r"^(#{1,6})(.*?)#*\s*$")
_ATTR_LIST = re.compile(r"\s*\{:?([^}]*)\}\s*$")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True)
class Heading:
    """A Markdown heading: ``## Budget 2017-2018 {#budget}`` at ``line``."""

    level: int
    text: str
    anchor: str | None
    line: int


@dataclass(frozen=True)
class Section:
    """A ``##`` heading and the source lines up to the next ``#``/``##``."""

    heading: Heading
    body: tuple[str, ...]

    @property
    def has_text(self) -> bool:
        """True when something other than comments and headings is written."""
        body = _COMMENT.sub("", "\n".join(self.body))
        return any(line.strip() and not _HEADING.match(line) for line in body.splitlines())


def header_length(lines: list[str]) -> int:
    """How many lines the metadata header takes (0 when there is none)."""
    if not lines or not _META_LINE.match(lines[0]):
        return 0
    for index, line in enumerate(lines):
        if not line.strip():
            return index
    return len(lines)


@lru_cache(maxsize=16)  # every check of one file reads the same text
def body_lines(text: str) -> tuple[tuple[int, str], ...]:
    """``(line number, line)`` of the body outside fenced code.

    Lines of the header and of fenced code are left out; inline code spans
    are blanked so that `<div>` or `[x](#)` shown as code is never checked.
    """
    lines = text.splitlines()
    found = []
    fence = ""
    for index in range(header_length(lines), len(lines)):
        line = lines[index]
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            continue
        if match:
            fence = match.group(1)
            continue
        if "`" in line:
            line = _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
        found.append((index + 1, line))
    return tuple(found)


def parse_heading(line: str, number: int) -> Heading | None:
    """The heading written on ``line``, or None."""
    if not line.startswith("#"):
        return None
    match = _HEADING.match(line)
    if not match:
        return None
    text = match.group(2).strip()
    anchor = None
    attrs = _ATTR_LIST.search(text)
    if attrs:
        text = text[: attrs.start()].rstrip()
        ids = [word[1:] for word in attrs.group(1).split() if word.startswith("#")]
        anchor = ids[0] if ids else None
    return Heading(len(match.group(1)), text, anchor, number)


@lru_cache(maxsize=16)
def headings(text: str) -> tuple[Heading, ...]:
    """Every heading of the body, in order."""
    found = []
    for number, line in body_lines(text):
        heading = parse_heading(line, number)
        if heading is not None:
            found.append(heading)
    return tuple(found)


def sections(text: str) -> list[Section]:
    """Every ``##`` section with the lines under it."""
    found: list[Section] = []
    current: Heading | None = None
    body: list[str] = []
    for number, line in body_lines(text):
        heading = parse_heading(line, number)
        if heading is not None and heading.level <= 2:
            if current is not None:
                found.append(Section(current, tuple(body)))
            current, body = (heading, []) if heading.level == 2 else (None, [])
            continue
        if current is not None:
            body.append(line)
    if current is not None:
        found.append(Section(current, tuple(body)))
    return found


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Case, accents, punctuation and spacing removed: how section names compare."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = ("".join(c for c in word if c.isalnum()) for word in bare.split())
    return " ".join(word for word in words if word)


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """An id as ``{#...}`` would write it: ``Groupe de travail`` → ``groupe-de-travail``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-")
