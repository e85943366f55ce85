"""French typography as the OQLF writes it, applied to what readers see.

Staff type ordinary spaces (or none) before « : », inside « », between « 25 » and
« M$ »; a browser, WeasyPrint or a mail client may then break the line there and
start the next one with « : » or « » ». The build fixes this once, where Markdown is
converted (``plugins.content.conversion``), so the pages, the PDF, the feeds and the
email edition all get the same text.

The rules (Office québécois de la langue française, Banque de dépannage
linguistique, « Espacement avant et après les signes de ponctuation et les
symboles », and « Abréviation des adjectifs numéraux ordinaux »):

- before « : », inside « » (and ‹ ›), between a number and ``%``, ``$``, ``M$``,
  ``k$``, ``¢``, ``€`` or a unit (``h``, ``min``, ``km``…), between ``no`` and its
  number, between the groups of a number already written with spaces
  (``13 000``): a non-breaking space, U+00A0 (the OQLF's « espace insécable »;
  Babel writes fr_CA numbers with the same one);
- before « ; », « ! » and « ? »: a narrow no-break space, U+202F. The OQLF
  advises the fine space there when it is available (a word processor has none,
  so its table says « no space »); every browser, WeasyPrint and mail client has
  it, and it keeps « ! » on the line of its word;
- ``2e``, ``1er``, ``1re``, ``3es``, ``XXe`` → ``2<sup>e</sup>``…, ``no 1`` →
  ``n<sup>o</sup> 1`` (HTML only: plain text keeps the letters on the line, as
  the OQLF allows « lorsque la surélévation est impossible »; Unicode's modifier
  letters « ᵉ » are missing from many fonts and read letter by letter by screen
  readers).

Never touched: tags and their attributes, comments, the content of ``code``,
``pre``, ``kbd``, ``samp``, ``script``, ``style``, ``textarea``, of an element
whose ``lang`` is not French, and addresses written in the text (``https://…``,
``www.…``, ``a@b.org``). English keeps English rules: nothing changes.

Applying twice gives what applying once gave. Time grows with the length of the
input only: the fragment is split once into tags and text, and each rule is a
regular expression compiled here, run over a text only when the character it is
about is there (about 0.12 µs per character of HTML, a third of Markdown's time).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

NBSP = "\u00a0"  # espace insécable
NNBSP = "\u202f"  # espace fine insécable
# Any space a reader sees between two words, breakable or not (a line break inside a
# Markdown paragraph is one too).
_ANY = "[ \t\r\n\u00a0\u202f]"
_BREAKABLE = "[ \t\r\n\u202f]"  # what becomes U+00A0 where a break is wrong
SPACE_CHARACTERS = frozenset(" \t\r\n\u00a0\u202f")
# Where the superscript goes (markers the HTML variant turns into tags after
# escaping the text, so a « < » written by staff never becomes one).
_SUP_OPEN, _SUP_CLOSE = "\ue000", "\ue001"
# Numbers after « nos »: two or more (« nos 3 et 4 », « nos 3, 4 », « nos 3 à 5 »).
_SERIES = r"\d+(?:[ \u00a0]*(?:,|et|à|-|–)[ \u00a0]*\d+)+"
# How much text around a text node the rules see (« no », « M$ », « 1 000 »…).
CONTEXT = 8


@dataclass(frozen=True)
class Rule:
    """One rule: what it finds and writes instead; a character the text (or what
    follows it) must hold for the rule to find anything (most text has none).

    A rule with ``before`` also replaces the spaces just before what it finds
    (any number, none included) by ``space``, when the character before those
    spaces passes ``before``. Each pattern starts with the character it is about,
    so the search skips the text in between at C speed.
    """

    pattern: re.Pattern[str]
    replace: Callable[[re.Match[str]], str]
    needs: frozenset[str]
    before: Callable[[str], bool] | None = None
    space: str = ""


def _same(match: re.Match[str]) -> str:
    return match.group(0)


def _fixed(text: str) -> Callable[[re.Match[str]], str]:
    return lambda match: text


def _nbsp_groups(match: re.Match[str]) -> str:
    return re.sub(_BREAKABLE, NBSP, match.group(0))


def _after_a_word(char: str) -> bool:
    return bool(char) and not char.isspace()


def _after_a_word_not_an_opening(char: str) -> bool:
    return _after_a_word(char) and char not in "(["


def _after_a_digit(char: str) -> bool:
    return char.isdigit()


_DIGIT = frozenset("0123456789")
_UNITS = r"(?:h|min|km|cm|mm|m|kg|g|mg|L|ml|mL|Mo|Ko|Go)(?![\w'’])"

SPACES = (
    # 13 000, 1 234 567: groups already written with spaces; never a phone number.
    Rule(
        re.compile(r"\d(?<![\d.,]\d)\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?!\d|[ \u00a0\u202f]\d)"),
        _nbsp_groups,
        _DIGIT,
    ),
    # 25 %, 475 M$, 100% → 100 %: a symbol, with or without a space before it.
    Rule(
        re.compile(r"(?:[kMG]?\$|%|‰|¢|€|£)(?!\w)"),
        _same,
        frozenset("$%‰¢€£"),
        _after_a_digit,
        NBSP,
    ),
    # 12 km, 5 min, 9 h 30: a unit written after a space (and the minutes after « h »);
    # no 1, No 12, nos 3 et 4 (never « nos 5 prochaines années »).
    Rule(
        re.compile(
            _BREAKABLE
            + r"(?:(?<=\d.)(?="
            + _UNITS
            + r")|(?=\d)(?:(?<=\d[ \u00a0\u202f]h.)|(?<=\b[Nn]o.)|(?<=\b[Nn]os.)(?="
            + _SERIES
            + ")))"
        ),
        _fixed(NBSP),
        _DIGIT,
    ),
    # Objectifs : … / Objectifs: … (never 9:30, https:, 16:9).
    Rule(re.compile(r":(?=\s|$)"), _same, frozenset(":"), _after_a_word, NBSP),
    # Pourquoi ?  Bravo !  financières ;  and runs (?!, !!!).
    Rule(
        re.compile(r"[!?]+(?=[\s»)\]\"”'’.…,]|$)"),
        _same,
        frozenset("!?"),
        _after_a_word_not_an_opening,
        NNBSP,
    ),
    Rule(re.compile(r";(?=\s|$)"), _same, frozenset(";"), _after_a_word_not_an_opening, NNBSP),
    # « Histoires d’OCASSS », «Je Soutiens»: one non-breaking space inside.
    Rule(
        re.compile(r"([«‹])" + _ANY + r"*(?=\S)"),
        lambda match: match.group(1) + NBSP,
        frozenset("«‹"),
    ),
    Rule(re.compile(r"[»›]"), _same, frozenset("»›"), _after_a_word, NBSP),
)


def _raised(match: re.Match[str]) -> str:
    if match.group(1) in ("L", "C"):
        return match.group(0)  # « Le », « Ce »: words, not ordinals
    return f"{match.group(1)}{_SUP_OPEN}{match.group(2)}{_SUP_CLOSE}"


SUPERSCRIPTS = (
    # 2e, 1er, 1re, 3es, 1ers; XXe, Ier. Never 1e3, #2e2e2e, 0x2e, 1,2e, A2e.
    Rule(re.compile(r"(\d(?<![\w.,#]\d)\d*)(ers|res|er|re|es|e)(?!\w)"), _raised, _DIGIT),
    Rule(
        re.compile(r"([IVXLC](?<![\w.,#][IVXLC])[IVXLC]*)(er|es|e)(?!\w)"),
        _raised,
        frozenset("IVXLC"),
    ),
    # no 1, nos 3 et 4 (the space before the number is already non-breaking).
    Rule(
        re.compile(r"([Nn])(?<!\w[Nn])(o(?=\u00a0\d)|os(?=\u00a0" + _SERIES + "))"),
        _raised,
        _DIGIT,
    ),
)

# Addresses written in the text: left exactly as written.
ADDRESS = re.compile(
    r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:|tel:)[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)+/[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]]"
)

# What every address holds (« / », « www. », « @ », « mailto: »): most text has none.
_MAY_ADDRESS = re.compile(r"[@/]|www\.|mailto:|tel:")


def is_french(lang: str | None) -> bool:
    """Whether ``lang`` (``fr``, ``fr-CA``…; None is the site's French) takes these rules."""
    return (lang or "fr").lower().replace("_", "-").split("-")[0] == "fr"


def _apply(rule: Rule, before: str, text: str, after: str) -> str:
    """``text`` with ``rule`` applied; ``before`` and ``after`` are only looked at."""
    whole = before + text + after
    start, end = len(before), len(before) + len(text)
    parts, last = [], start
    for match in rule.pattern.finditer(whole, start):
        found = match.start()
        if found >= end:
            break
        if match.end() > end:
            continue  # it would change the text after this one: that text's own turn
        if rule.before is not None:
            spaces = found
            while spaces > last and whole[spaces - 1] in SPACE_CHARACTERS:
                spaces -= 1
            if not rule.before(whole[spaces - 1] if spaces else ""):
                continue
            parts += [whole[last:spaces], rule.space]
        else:
            parts.append(whole[last:found])
        parts.append(rule.replace(match))
        last = match.end()
    if not parts:
        return text
    parts.append(whole[last:end])
    return "".join(parts)


def _typeset(before: str, text: str, after: str, rules: tuple[Rule, ...]) -> str:
    """``text`` typeset outside its addresses, seeing ``before`` and ``after`` it."""
    if _MAY_ADDRESS.search(text) is None:
        return _typeset_prose(before[-CONTEXT:], text, after[:CONTEXT], rules)
    out, cursor = [], 0
    for address in [*ADDRESS.finditer(text), None]:
        stop = address.start() if address else len(text)
        if stop > cursor:
            context_before = (before + "".join(out))[-CONTEXT:]
            context_after = (text[stop:] + after)[:CONTEXT]
            out.append(_typeset_prose(context_before, text[cursor:stop], context_after, rules))
        if address:
            out.append(address.group(0))
            cursor = address.end()
    return "".join(out)


def _typeset_prose(before: str, text: str, after: str, rules: tuple[Rule, ...]) -> str:
    """``text`` (no address in it) with each rule whose character is around applied."""
    present = set(before)
    present.update(text, after)
    for rule in rules:
        if not rule.needs.isdisjoint(present):
            text = _apply(rule, before, text, after)
    return text


@functools.lru_cache(maxsize=4096)  # titles, repeated on every list that shows them
def typeset_text(text: str, lang: str | None) -> str:
    """Plain text (a title, a summary, an email's Subject) with French spaces; the
    letters of ordinals stay on the line. Unchanged unless ``lang`` is French."""
    if not text or not is_french(lang):
        return text
    return _typeset("", text, "", SPACES)


# The HTML variant --------------------------------------------------------------------

_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
_LANG = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
# Elements whose text is not prose: code, what a reader types, scripts.
VERBATIM = frozenset("code pre kbd samp script style textarea".split())
RAISED = frozenset({"sup", "sub"})
# Elements inside a line of text: the rules read across them (« <em>mot</em> : »).
INLINE = frozenset(
    "a abbr b bdi bdo cite code data del dfn em i img ins kbd mark q s samp small span "
    "strong sub sup time u var wbr".split()
)
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_OBJECT = "\ufffc"  # what the rules see in place of an image or a piece of code


@dataclass
class _Piece:
    """One token of the fragment: markup, kept text (code…) or French prose."""

    raw: str
    prose: bool = False  # text the rules may change
    raised: bool = False  # inside <sup> or <sub>: no ordinal there
    text: str = ""  # prose decoded (entities read)
    after: str = ""  # the text after it on its line (as written), for the rules
    # Markup only: what the rules see across it (a block's edge starts a new line).
    edge: str | None = None


_BLOCK_EDGE, _INLINE, _IMAGE = "\n", "", _OBJECT


def _pieces(fragment: str) -> list[_Piece]:
    """The fragment as markup, text kept as is, and prose."""
    pieces: list[_Piece] = []
    stack: list[tuple[str, bool]] = []  # open elements: name, whether its text is kept
    kept = raised = 0  # how many open elements keep their text, raise it
    cursor = 0
    for match in [*_TOKEN.finditer(fragment), None]:
        stop = match.start() if match else len(fragment)
        if stop > cursor:
            raw = fragment[cursor:stop]
            if kept:
                pieces.append(_Piece(raw))
            else:
                text = html.unescape(raw) if "&" in raw else raw
                pieces.append(_Piece(raw, prose=True, raised=raised > 0, text=text))
        if match is None:
            break
        cursor = match.end()
        closing, name = match.group(1), (match.group(2) or "").lower()
        edge = _IMAGE if name == "img" else _INLINE if name in INLINE or not name else _BLOCK_EDGE
        pieces.append(_Piece(match.group(0), edge=edge))
        if not name:
            continue  # a comment or a declaration
        if closing:
            if any(open_name == name for open_name, _ in stack):
                while stack:
                    open_name, keeps = stack.pop()
                    kept -= keeps
                    raised -= open_name in RAISED
                    if open_name == name:
                        break
        elif name not in VOID and not match.group(3).rstrip().endswith("/"):
            attributes = match.group(3)
            lang = _LANG.search(attributes) if "lang" in attributes else None
            foreign = lang is not None and not is_french(next(g for g in lang.groups() if g))
            keeps = name in VERBATIM or foreign
            stack.append((name, keeps))
            kept += keeps
            raised += name in RAISED
    return pieces


def _mark_what_follows(pieces: list[_Piece]) -> None:
    """Give each prose piece the text after it on its line (the rules' context)."""
    following = ""
    for piece in reversed(pieces):
        if piece.edge is not None:
            following = "\n" if piece.edge == _BLOCK_EDGE else piece.edge + following
        elif piece.prose:
            piece.after = following[:CONTEXT]
            following = piece.text + following
        else:
            following = _OBJECT + following
        following = following[:CONTEXT]


def typeset_html(fragment: str, lang: str | None) -> str:
    """An HTML fragment (Markdown's output) with French typography in its text only:
    non-breaking spaces, and ``<sup>`` for ordinals and « no ». Unchanged unless
    ``lang`` is French."""
    if not fragment or not is_french(lang):
        return fragment
    pieces = _pieces(fragment)
    _mark_what_follows(pieces)
    out: list[str] = []
    line = ""  # the end of the current line's typeset text: the rules' context before
    for piece in pieces:
        if not piece.prose:
            out.append(piece.raw)
            if piece.edge is None:
                line = (line + _OBJECT)[-CONTEXT:]
            else:
                line = "\n" if piece.edge == _BLOCK_EDGE else (line + piece.edge)[-CONTEXT:]
            continue
        if line == "\n" and piece.text.isspace():
            out.append(piece.raw)  # the line break between two blocks
            continue
        rules = SPACES if piece.raised else SPACES + SUPERSCRIPTS
        typeset = _typeset(line, piece.text, piece.after, rules)
        line = (line + typeset.replace(_SUP_OPEN, "").replace(_SUP_CLOSE, ""))[-CONTEXT:]
        if typeset == piece.text:
            out.append(piece.raw)
            continue
        written = html.escape(typeset, quote=False) if "&" in piece.raw else typeset
        out.append(written.replace(_SUP_OPEN, "<sup>").replace(_SUP_CLOSE, "</sup>"))
    return "".join(out)
