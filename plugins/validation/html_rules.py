"""Raw HTML that would make a bulletin's page invalid, found in its rendered HTML.

The checks read the HTML fragment Python-Markdown produced from the bulletin
(raw HTML is copied into it verbatim), so a ``<div>`` written inside a
Markdown paragraph is seen inside the ``<p>`` it really lands in. Each problem
is then placed on the Markdown source line where the offending tag is
written. Four families of mistakes are reported:

- content model: a block element (``<div>``, ``<ul>``, ``<table>``…) inside
  an element that only accepts phrasing content (``<p>``, ``<span>``, ``<a>``,
  ``<em>``…), which browsers silently tear apart;
- ids used twice on the page (raw ids, heading ids made by the ``toc``
  extension, ids of the page template);
- ``colspan``/``rowspan`` that are not whole numbers in range;
- images without a text alternative (``![](…)`` or ``<img>`` without ``alt``);

plus whatever else an HTML5 parser (tinyhtml5, WeasyPrint's) reports as a
parse error.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from plugins.model import Problem
from plugins.validation.allowlist import refusals

# Elements whose content must be phrasing content (HTML Living Standard).
PHRASING_ONLY = frozenset(
    "p span a em strong b i u s small mark abbr cite code q sub sup time label "
    "h1 h2 h3 h4 h5 h6 button".split()
)
# Elements that are never phrasing content: not allowed in the ones above.
FLOW_ONLY = frozenset(
    "address article aside blockquote details dialog div dl dd fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead "
    "tfoot tr td th ul".split()
)
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# colspan: 1 to 1000; rowspan: 0 to 65534 (HTML Living Standard, tables).
SPAN_LIMITS = {"colspan": (1, 1000), "rowspan": (0, 65534)}
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>")


@dataclass(frozen=True)
class Tag:
    """One start tag of the rendered fragment: its text and where it is."""

    name: str
    attrs: tuple[tuple[str, str | None], ...]
    text: str
    offset: int


class _Walker(HTMLParser):
    """Start tags in order, each with the names of the elements it is inside."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.found: list[tuple[Tag, tuple[str, ...]]] = []
        self.line_starts: list[int] = []

    def run(self, html: str) -> list[tuple[Tag, tuple[str, ...]]]:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.feed(html)
        self.close()
        return self.found

    def source_offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs) -> None:
        text = self.get_starttag_text() or f"<{tag}>"
        self.found.append((Tag(tag, tuple(attrs), text, self.source_offset()), tuple(self.stack)))
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        text = self.get_starttag_text() or f"<{tag}/>"
        self.found.append((Tag(tag, tuple(attrs), text, self.source_offset()), tuple(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


class SourceLines:
    """Finds the Markdown source line where a rendered tag is written."""

    def __init__(self, body: Sequence[tuple[int, str]]):
        self.body = body
        self.index: dict[str, list[int]] = {}
        for number, line in body:
            line = line.expandtabs(4)  # as Markdown reads the source
            for match in _START_TAG.finditer(line):
                self.index.setdefault(match.group(0), []).append(number)

    def line_of(self, tag: Tag, occurrence: int) -> int | None:
        """Line of the ``occurrence``-th (0-based) tag written exactly like ``tag``."""
        lines = self.index.get(tag.text)
        if lines and occurrence < len(lines):
            return lines[occurrence]
        return None

    def line_containing(self, needle: str) -> int | None:
        return next((number for number, line in self.body if needle in line), None)

    def line_containing_folded(self, needle: str) -> int | None:
        """The first line holding ``needle``, whatever the case of either."""
        needle = needle.casefold()
        return next((number for number, line in self.body if needle in line.casefold()), None)


def attribute(tag: Tag, name: str) -> str | None:
    return next((value for key, value in tag.attrs if key == name), None)


def misplaced_block(name: str, parents: tuple[str, ...]) -> bool:
    """A block element inside a phrasing-only one (only the outermost such block counts)."""
    if name not in FLOW_ONLY:
        return False
    last = max((i for i, p in enumerate(parents) if p in PHRASING_ONLY), default=None)
    return last is not None and not any(p in FLOW_ONLY for p in parents[last + 1 :])


def content_model_problem(path: str, line: int, tag: Tag, parents: tuple[str, ...]) -> Problem:
    parent = next(p for p in reversed(parents) if p in PHRASING_ONLY)
    if parent == "p":
        advice = f"fermez le paragraphe avant (</p>) ou sortez le <{tag.name}> du <p>"
    else:
        advice = (
            f"remplacez <{parent}> par un élément de bloc (<div>) ou sortez le <{tag.name}> "
            f"du <{parent}>"
        )
    return Problem(
        path,
        line,
        f"HTML invalide : <{tag.name}> (un bloc) ne peut pas être dans <{parent}> ; {advice}",
    )


def span_problem(path: str, line: int, tag: Tag) -> Problem | None:
    for name, (low, high) in SPAN_LIMITS.items():
        value = attribute(tag, name)
        if value is None:
            continue
        if not value.strip().isdigit() or not low <= int(value) <= high:
            unit = "colonnes" if name == "colspan" else "lignes"
            return Problem(
                path,
                line,
                f'HTML invalide : {name}="{value}" sur <{tag.name}> : écrivez un nombre '
                f"entier de {low} à {high} (le nombre de {unit} que "
                "la cellule occupe)",
            )
    return None


def alt_problem(path: str, line: int, tag: Tag, markdown: bool) -> Problem | None:
    if (attribute(tag, "alt") or "").strip():
        return None
    image = posixpath.basename(attribute(tag, "src") or "") or "?"
    fix = (
        "décrivez-la entre les crochets ![description](…)"
        if markdown
        else 'ajoutez alt="description" à la balise <img>'
    )
    return Problem(path, line, f"image « {image} » sans texte de remplacement : {fix}")


def duplicate_id_problem(path: str, line: int, value: str, first: int | None) -> Problem:
    where = f"déjà utilisé ligne {first}" if first else "déjà utilisé par le gabarit de la page"
    return Problem(
        path,
        line,
        f'identifiant HTML en double id="{value}" ({where}) : un id doit être unique dans '
        "la page ; choisissez-en un autre",
    )


# Parse errors of the HTML5 parser worth saying in French; others are named by code.
PARSE_ERRORS = {
    "unexpected-end-tag": "balise fermante </{name}> inattendue à cet endroit",
    "end-tag-too-early": "balise </{name}> fermée alors qu'un élément ouvert dedans ne l'est pas",
    "unexpected-start-tag": "balise <{name}> inattendue à cet endroit",
    "unexpected-start-tag-implies-end-tag": "<{name}> ferme implicitement l'élément ouvert",
    "duplicate-attribute": "attribut écrit deux fois dans la même balise",
    "unexpected-start-tag-implies-table-voodoo": (
        "<{name}> écrit dans un tableau hors d'une cellule <td> ou <th>"
    ),
    "unexpected-cell-in-table-body": "cellule <{name}> hors d'une ligne <tr>",
}


# The parser's error codes about tags and attributes (tinyhtml5, as html5lib names them).
STRUCTURE_ERRORS = (
    "unexpected-end-tag",
    "unexpected-start-tag",
    "unexpected-cell",
    "unexpected-row",
    "unexpected-form",
    "unexpected-table",
    "unexpected-hidden",
    "unexpected-select",
    "unexpected-character-after-attribute",
    "unexpected-character-in-unquoted-attribute",
    "end-tag-too-early",
    "adoption-agency",
    "duplicate-attribute",
    "missing-end-tag",
    "non-void-element-with-trailing-solidus",
    "expected-closing-tag",
    "expected-end-of-tag",
)


def html5_refusals(
    path: str,
    html: str,
    lines: SourceLines,
    reported: set[str],
    embed_hosts: frozenset[str] = frozenset(),
) -> list[Problem]:
    """What a browser's HTML5 parser makes of the fragment, checked again against the
    allowlist: a tag written so that the simpler walk misses it (left unclosed, as in
    ``<iframe src=… <``) becomes an element all the same."""
    from tinyhtml5.parser import HTMLParser as Html5Parser

    found = []
    fragment = Html5Parser().parse_fragment(html)
    for element in fragment.iter():
        if element is fragment or not isinstance(element.tag, str):
            continue  # the fragment itself, a comment
        name = element.tag.rpartition("}")[2].lower()
        attrs = {str(key).rpartition("}")[2]: value for key, value in element.attrib.items()}
        shown = "".join(f' {key}="{value}"' for key, value in attrs.items())
        for message in refusals(name, attrs, f"<{name}{shown}>", embed_hosts):
            if message in reported:
                continue
            reported.add(message)
            line = lines.line_containing_folded(f"<{name}") or 1
            found.append(Problem(path, line, message))
    return found


def parse_errors(html: str) -> list[tuple[int, str]]:
    """``(offset, French message)`` of each HTML5 parse error of the fragment."""
    from tinyhtml5.parser import HTMLParser as Html5Parser

    parser = Html5Parser()
    parser.parse_fragment(html)
    starts = [0] + [m.end() for m in re.finditer("\n", html)]
    found = []
    for (line, column), code, data in parser.errors:
        if not code.startswith(STRUCTURE_ERRORS):
            continue  # characters (control codes, entities) are other checks' business
        template = PARSE_ERRORS.get(code)
        name = (data or {}).get("name", "")
        message = template.format(name=name) if template else f"erreur d'analyse HTML « {code} »"
        offset = starts[min(line, len(starts)) - 1] + max(column - 1, 0)
        found.append((offset, message))
    return found


# What only a writer adds to Markdown: raw tags, explicit ids/attributes, images.
RAW_MARKUP = re.compile(r"<[A-Za-z/!]|\{[#:.]|!\[")
RAW_TAG = re.compile(r"<[A-Za-z/!]")
HEADING_ID = re.compile(r"<h[1-6][^>]*\sid=\"([^\"]+)\"")
ANY_ID = re.compile(r"\sid=\"([^\"]*)\"")
IMAGE = re.compile(r"<img\b[^>]*>")
FILLED_ALT = re.compile(r"\salt=\"[^\"]*[^\"\s][^\"]*\"")
SPAN = re.compile(r"\s(?:colspan|rowspan)=")
ATTRIBUTE_LIST = re.compile(r"\{:?[^}\n]*=")


def nothing_to_walk(html: str, body_text: str, page_ids: Iterable[str]) -> bool:
    """True when Markdown alone wrote ``html`` and it has no id, image or span to blame.

    Attribute lists ({#id}, {: …}) and images are Markdown's: without raw tags the
    only possible mistakes are a repeated id, an image without text and a span.
    """
    if RAW_TAG.search(body_text) or SPAN.search(html) or ATTRIBUTE_LIST.search(body_text):
        return False  # a raw tag, or an attribute written with {: …}: the allowlist walks it
    ids = ANY_ID.findall(html)
    if len(set(ids)) != len(ids) or not set(ids).isdisjoint(page_ids):
        return False
    return all(FILLED_ALT.search(image) for image in IMAGE.findall(html))


def heading_id_problems(
    path: str, html: str, heading_lines: Sequence[int], page_ids: Iterable[str]
) -> list[Problem]:
    """Plain Markdown writes valid HTML: only a heading id can collide with the page's.

    (The toc extension already keeps heading ids unique among themselves.)
    """
    reserved = set(page_ids)
    found = []
    for index, value in enumerate(HEADING_ID.findall(html)):
        if value in reserved:
            line = heading_lines[index] if index < len(heading_lines) else 1
            found.append(duplicate_id_problem(path, line, value, None))
    return found


def check_rendered_html(
    path: str,
    html: str,
    body: Sequence[tuple[int, str]],
    heading_lines: Sequence[int] = (),
    page_ids: Iterable[str] = (),
    balanced: bool = True,
    embed_hosts: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every problem of the rendered fragment, placed on its Markdown source line.

    ``body`` is the source's ``(line, text)`` outside the header and code;
    ``heading_lines`` the lines of the headings, in order (the rendered
    ``<hN>`` are matched to them by position); ``page_ids`` the ids the page
    template itself uses; ``embed_hosts`` the hosts an iframe may come from
    (``EMBED_HOSTS``). When ``balanced`` is False (unclosed tags were
    already reported) the parser's own errors are left out: they would only
    repeat them.
    """
    if "<" not in html:
        return []
    body_text = "\n".join(text for _, text in body)
    if not RAW_MARKUP.search(body_text):
        return heading_id_problems(path, html, heading_lines, page_ids)
    page_ids = tuple(page_ids)
    if nothing_to_walk(html, body_text, page_ids):
        return []
    return _walked_problems(path, html, body, heading_lines, page_ids, balanced, embed_hosts)


def _walked_problems(
    path: str,
    html: str,
    body: Sequence[tuple[int, str]],
    heading_lines: Sequence[int],
    page_ids: Iterable[str],
    balanced: bool,
    embed_hosts: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every tag of the fragment walked with the HTML parser, each problem at its line."""
    lines = SourceLines(body)
    seen_text: dict[str, int] = {}
    ids: dict[str, int | None] = dict.fromkeys(page_ids)
    found: list[Problem] = []
    headings_seen = 0
    tag_lines: list[tuple[int, int]] = []  # (rendered offset, source line)
    last_line = 1
    for tag, parents in _Walker().run(html):
        occurrence = seen_text.get(tag.text, 0)
        seen_text[tag.text] = occurrence + 1
        raw_line = lines.line_of(tag, occurrence)
        if re.fullmatch(r"h[1-6]", tag.name) and raw_line is None:
            if headings_seen < len(heading_lines):
                raw_line = heading_lines[headings_seen]
            headings_seen += 1
        markdown_image = tag.name == "img" and raw_line is None
        if markdown_image:
            raw_line = lines.line_containing(f"]({attribute(tag, 'src') or ''}")
        line = raw_line or last_line
        last_line = line
        tag_lines.append((tag.offset, line))
        if raw_line is not None and misplaced_block(tag.name, parents):
            found.append(content_model_problem(path, line, tag, parents))
        span = span_problem(path, line, tag)
        if span is not None:
            found.append(span)
        if tag.name == "img":
            missing = alt_problem(path, line, tag, markdown_image)
            if missing is not None:
                found.append(missing)
        refused = refusals(tag.name, dict(tag.attrs), tag.text, embed_hosts)
        if refused and raw_line is None:  # written with {: …} on a Markdown element
            written = (lines.line_containing(f"{key}=") for key, _ in tag.attrs)
            line = next((number for number in written if number is not None), line)
        found.extend(Problem(path, line, message) for message in refused)
        value = attribute(tag, "id")
        if value:
            if value in ids:
                found.append(duplicate_id_problem(path, line, value, ids[value]))
            else:
                ids[value] = line
    found += html5_refusals(path, html, lines, {p.message for p in found}, embed_hosts)
    # Markdown's own output is valid: without raw tags the parser has nothing to add.
    # One mistake, one message: the parser's errors come only when nothing else was found.
    if balanced and not found and lines.index:
        reported = {p.line for p in found}
        for offset, message in parse_errors(html):
            line = next((ln for start, ln in reversed(tag_lines) if start <= offset), 1)
            if line not in reported:
                reported.add(line)
                found.append(
                    Problem(path, line, f"HTML invalide : {message} ; vérifiez les balises")
                )
    return found
