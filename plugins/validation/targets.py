"""Links and images of a source file, checked against the files that exist.

These checks depend on other files (a ``{filename}`` target can disappear
without the linking file changing): their results are kept only with a
listing of content/ (``plugins.validation.memo.tree_listing``).
"""

from __future__ import annotations

import functools
import os
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from html import unescape
from pathlib import Path

from plugins.content.links import MARKDOWN_SUFFIXES, NOT_RELATIVE, file_path, indicator_for
from plugins.model import Advice, Problem, metadata_value, parse_lang
from plugins.validation.allowlist import link_refusal
from plugins.validation.source import body_lines

# The address may hold balanced parentheses, as Markdown reads it: javascript:alert(1).
INLINE_LINK = re.compile(
    r"(!?)\[([^\]]*)\]\(\s*(<[^>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+[\"'][^)]*[\"'])?\s*\)"
)
_REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S*)")
_REFERENCE_USE = re.compile(r"(!?)\[([^\]]*)\]\[([^\]]*)\]")
# Quoted or not, as browsers read them: <img src=javascript:alert(1)>.
_HTML_ATTR = re.compile(
    r"<(a|img)\b[^>]*?\b(href|src)\s*=\s*(?:([\"'])(.*?)\3|([^\s\"'>][^\s>]*))", re.I
)
# What check_targets looks at: an indicator, an image, or a link whose address has no
# scheme and is not from the site's root (written from the file's folder: it may
# name a file of content/).
_FROM_FOLDER = r"(?!\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|[#/?)]))"
MAY_TARGET = re.compile(
    rf"[{{|]\w+[}}|]|!\[|<img\b|\]\(\s*<?{_FROM_FOLDER}|^\s*\[[^\]]+\]:\s*<?{_FROM_FOLDER}"
    rf"|\bhref\s*=\s*[\"']{_FROM_FOLDER}",
    re.IGNORECASE | re.MULTILINE,
)
# Pelican replaces ``{word}`` (or ``|word|``) at the start of a link; these words only.
_INDICATOR = re.compile(r"^(?:\{(\w+)\}|\|(\w+)\|)")
KNOWN_INDICATORS = ("filename", "static", "attach", "tag", "category", "author", "index")
_INTERNAL = re.compile(r"^(?:\{(filename|static|attach)\}|\|(filename|static|attach)\|)(.*)$")

# The PDF edition's own words (plugins/pdf_edition/fetcher.py), so a mistake reads the same.
REMOTE = "les ressources distantes ne sont jamais téléchargées ; copiez le fichier dans content/"
OUTSIDE = "ce fichier est hors du site"
PROTOCOL = "seuls les fichiers du site et les URL data: sont permis"
MISSING = "fichier introuvable"
UNREADABLE = "image illisible : format inconnu ou fichier endommagé"
# The first bytes of the image formats browsers and the PDF renderer read.
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")


def looks_like_an_image(file: Path) -> bool:
    """Whether the file starts as a PNG, JPEG, GIF, WebP, BMP, AVIF or SVG image does."""
    try:
        with file.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    if head.startswith(IMAGE_SIGNATURES):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" or head[4:12] in (b"ftypavif", b"ftypavis"):
        return True
    return b"<svg" in head.lower() or head.lstrip().startswith(b"<?xml")


def unreadable_image_problem(path: str, line: int, written: str) -> Problem:
    return Problem(
        path,
        line,
        f"image illisible « {written} » : format inconnu ou fichier endommagé ; "
        "enregistrez-la en PNG ou en JPEG",
    )


def written_targets(text: str) -> tuple[tuple[int, bool, str, str], ...]:
    """``(line, is image, target, as written)`` of every link and image of the body.

    Inline links, reference definitions (with the images that use them) and
    raw ``<a href>``/``<img src>``. Kept for the last texts: every file is
    asked twice (placeholders, then targets).
    """
    return _written_targets(text)


@functools.lru_cache(maxsize=16)
def _written_targets(text: str) -> tuple[tuple[int, bool, str, str], ...]:
    return tuple(_each_target(text))


def _each_target(text: str) -> Iterator[tuple[int, bool, str, str]]:
    lines = body_lines(text)
    definitions: dict[str, str] = {}
    for _, line in lines:
        match = _REFERENCE_DEF.match(line)
        if match:
            definitions[match.group(1).strip().casefold()] = match.group(2).strip("<>")
    for number, line in lines:
        if "[" not in line and "<" not in line:
            continue  # most prose: no link, no image, no tag
        for match in INLINE_LINK.finditer(line):
            yield number, bool(match.group(1)), match.group(3).strip("<>").strip(), match.group(0)
        definition = _REFERENCE_DEF.match(line)
        if definition:
            yield number, False, definition.group(2).strip("<>").strip(), definition.group(0)
        for match in _REFERENCE_USE.finditer(line):
            name = (match.group(3) or match.group(2)).strip().casefold()
            if match.group(1) and name in definitions:
                yield number, True, definitions[name], match.group(0)
        if "<" not in line:
            continue
        for match in _HTML_ATTR.finditer(line):
            quote, value = match.group(3) or "", match.group(4) or match.group(5) or ""
            shown = f"{match.group(2)}={quote}{value}{quote}"
            yield number, match.group(1).lower() == "img", value.strip(), shown


def target_line(text: str, address: str) -> int:
    """Line of the Markdown where the link or image ``address`` is written, else 1."""
    return next((line for line, _, target, _ in written_targets(text) if target == address), 1)


def shared_attachment_problem(
    path: str, line: int, address: str, first: str, static_paths: Sequence[str]
) -> Problem:
    """``address`` attaches a file that the file ``first`` also uses."""
    folder = f"content/{static_paths[0].strip('/')}/" if static_paths else "content/images/"
    return Problem(
        path,
        line,
        f"« {address} » est déjà utilisé par {first} : un fichier joint (avec {{attach}}, ou "
        "écrit depuis le dossier du fichier) n'est publié qu'à côté d'une seule page ; pour "
        f"le montrer dans plusieurs, rangez-le dans {folder} et liez-le avec "
        f"{{static}}/{folder.removeprefix('content/')}…",
    )


def placeholder_problem(path: str, line: int, shown: str) -> Problem:
    """A link whose address is still « # », as written (inline, reference or raw HTML)."""
    return Problem(
        path,
        line,
        f"lien provisoire « {shown} » : remplacez « # » par la vraie adresse ou retirez le lien",
    )


def placeholder_problems(path: str, text: str) -> list[Problem]:
    """Placeholder ``#`` targets in reference definitions and raw HTML links.

    (Inline ``[x](#)`` links are reported by ``checks.check_links``.)
    """
    found = []
    for number, _, target, shown in written_targets(text):
        if target != "#" or shown.startswith("[") and "](" in shown:
            continue
        found.append(placeholder_problem(path, number, shown))
    return found


def scheme_problems(path: str, text: str) -> list[Problem]:
    """Links (Markdown or HTML) whose address is neither the web, mail, a phone nor
    the site: ``javascript:``, ``vbscript:``, ``data:``, ``file:``…"""
    found = []
    for number, image, target, _ in written_targets(text):
        reason = None if image else link_refusal(target)
        if reason is not None:
            found.append(Problem(path, number, reason))
    return found


def internal_target(target: str) -> tuple[str, str] | None:
    """``("filename", "/pages/x.md")`` for ``{filename}/pages/x.md``, else None."""
    match = _INTERNAL.match(target)
    if not match:
        return None
    return match.group(1) or match.group(2), match.group(3)


def target_file(written: str, source: Path, content: Path) -> Path:
    """The file a ``{filename}`` path names: ``/x`` from the content root, ``x`` beside."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(written).path)
    if path.startswith("/"):
        return content / path.lstrip("/")
    return source.parent / path


def unpublished_targets(path: str, text: str, kind: str, html: str | None = None) -> list[Problem]:
    """The images and internal links (``{filename}``…, or written from its folder to a
    file) of a file whose HTML the site shows as it is, a meeting or a budget update
    (``kind``: « une rencontre »): neither would reach its page, which only links and
    shows what bulletins and pages publish."""
    if not MAY_TARGET.search(text):
        return []
    found = []
    for number, image, target, _ in rendered_targets(text, html):
        if image:
            message = (
                f"image « {target} » : {kind} n'affiche pas d'image (seuls les bulletins et "
                "les pages en publient) ; retirez-la, ou mettez-la dans un bulletin"
            )
        elif _INDICATOR.match(target) or names_a_file(target):
            message = (
                f"lien interne « {target} » : {kind} ne résout pas les liens vers les fichiers "
                "du site ({filename}, {static}, {attach}, ou écrits depuis son dossier : seuls "
                "les bulletins et les pages le font) ; écrivez l'adresse complète de la page "
                "visée (https://…)"
            )
        else:
            continue
        found.append(Problem(path, number, message))
    return found


def names_a_file(target: str) -> bool:
    """Whether the relative address ``target`` names a file (it has an extension other
    than a web page's), which may or may not exist."""
    if NOT_RELATIVE.match(target):
        return False
    written = file_path(target)
    suffix = Path(written).suffix.lower()
    return bool(written) and not written.endswith("/") and suffix not in ("", ".html", ".htm")


def unresolved_link(
    path: str, line: int, target: str, source: Path, content: Path
) -> Problem | None:
    """A link written from the file's folder to a file that is not there: published,
    it would be broken. Certainly so for a Markdown file (a problem); likely for
    another (advice: it may be a file of the published site, by its own path)."""
    if not names_a_file(target):
        return None
    file = (source.parent / file_path(target)).resolve()
    if content.resolve() in file.parents and file.is_file():
        return None
    if file.suffix.lower() in MARKDOWN_SUFFIXES:
        return Problem(
            path,
            line,
            f"lien introuvable « {target} » : aucun fichier Markdown à ce chemin depuis le "
            "dossier du fichier ; vérifiez le nom (par exemple ../../pages/membres.md)",
        )
    return Advice(
        path,
        line,
        f"lien « {target} » : aucun fichier à ce chemin depuis le dossier du fichier ; si "
        "c'est un document à joindre, vérifiez son nom (rangé à côté du fichier, il est "
        "publié avec lui)",
    )


def missing_image_problem(path: str, line: int, target: str) -> Problem:
    """An image named with ``{static}`` (or ``{attach}``…) that is not a file of content/,
    quoted as written."""
    return Problem(
        path,
        line,
        f"image introuvable « {target} » : vérifiez le chemin et le nom du fichier "
        "(par exemple {static}/images/logo.png pour content/images/logo.png)",
    )


# What each indicator names, as the example of a missing target's message shows it.
TARGET_EXAMPLES = {
    "filename": "{filename}/pages/membres.md",
    "static": "{static}/images/logo.png pour content/images/logo.png",
    "attach": "{attach}documents/communique.pdf, rangé à côté du fichier",
}


def missing_target_problem(path: str, line: int, written: str, word: str = "filename") -> Problem:
    """A ``{filename}``/``{static}``/``{attach}`` (``word``) target that is not a file
    of content/."""
    return Problem(
        path,
        line,
        f"lien interne introuvable « {written.lstrip('/')} » : vérifiez le chemin du "
        f"fichier visé (par exemple {TARGET_EXAMPLES.get(word, TARGET_EXAMPLES['filename'])})",
    )


def unknown_indicator_problem(path: str, line: int, target: str, indicator: str) -> Problem:
    return Problem(
        path,
        line,
        f"indicateur de lien inconnu « {indicator} » dans « {target} » : écrivez "
        "{filename} (un fichier du site), {static} ou {attach} devant le chemin",
    )


def file_lang(text: str) -> str | None:
    """The language a Markdown file's header declares (French when it says nothing;
    None for a language the site does not know, which is reported on its own)."""
    return parse_lang(metadata_value(text, "lang") or "fr")


def other_language_message(written: str, lang: str, own: str) -> str:
    """Worded once for the check and for the build (Pelican's "Unable to find" in a sub-site)."""
    return (
        f"lien interne vers « {written.lstrip('/')} », un fichier en langue « {lang} » : "
        f"le site « {own} » ne le publie pas ; liez sa traduction en langue « {own} »"
    )


def image_refusal(target: str, source: Path, content: Path) -> str | None:
    """Why an image may not be used (not a file of the site), or None."""
    parts = urllib.parse.urlsplit(target)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None
    if scheme in ("http", "https", "ftp") or target.startswith("//"):
        return REMOTE
    if scheme == "file":
        return OUTSIDE
    if scheme:
        return PROTOCOL
    root = content.resolve()
    if target.startswith("/"):
        file = (content / urllib.parse.unquote(parts.path).lstrip("/")).resolve()
    else:
        file = (source.parent / urllib.parse.unquote(parts.path)).resolve()
    if root not in file.parents:
        return OUTSIDE
    if not file.is_file():
        return MISSING
    if not looks_like_an_image(file):
        return UNREADABLE
    return None


def refusal_message(target: str, reason: str, pdf: bool) -> str:
    """The PDF edition's words for bulletins (said once), the same family for pages."""
    if reason == UNREADABLE:
        return unreadable_image_problem("", 0, target).message
    if reason == MISSING:
        return (
            f"image introuvable « {target} » : vérifiez le chemin et le nom du fichier "
            "(écrit depuis le dossier du fichier Markdown, par exemple images/logo.png)"
        )
    if pdf:
        return f"ressource refusée dans l'édition PDF : « {target} » ({reason})"
    return f"image refusée : « {target} » ({reason})"


# An address the HTML links or shows: a link's href, an image's src.
_ADDRESS = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def rendered_targets(text: str, html: str | None) -> list[tuple[int, bool, str, str]]:
    """``written_targets`` of ``text`` that its ``html`` links or shows: not those
    Markdown made code of (an indented block), which are text, not links.
    All of them without ``html``.

    An address written more often than the HTML has it was made code of that many
    times: those written on indented lines are left out first. A reference
    definition (``[logo]: images/logo.png``) is kept: the HTML has its uses.
    """
    targets = written_targets(text)
    if html is None:
        return list(targets)
    shown = Counter(unescape(a or b) for a, b in _ADDRESS.findall(html))
    uses = [i for i, target in enumerate(targets) if not _REFERENCE_DEF.match(target[3])]
    written = Counter(targets[i][2] for i in uses)
    lines = text.splitlines()
    as_code: set[int] = set()  # indexes in ``targets``
    for address, count in written.items():
        extra = count - shown[address]
        if extra <= 0:
            continue
        places = [i for i in uses if targets[i][2] == address]
        indented = [i for i in places if lines[targets[i][0] - 1].startswith(("\t", "    "))]
        as_code.update((indented + [i for i in places if i not in indented])[:extra])
    return [target for i, target in enumerate(targets) if i not in as_code]


def check_targets(
    path: str,
    text: str,
    source: Path,
    content: Path,
    pdf: bool = True,
    langs: Mapping[str, str | None] | None = None,
    html: str | None = None,
) -> list[Problem]:
    """``{filename}``/``{static}``/``{attach}`` targets that do not exist and images
    that are not files of the site; ``pdf``: the file has a PDF edition (bulletins).

    ``langs`` gives the language of each loaded Markdown file (by absolute path),
    so a linked file is not read again; without it the file is read. ``html``, the
    file's conversion, when given, leaves out what it shows as code.
    """
    if not MAY_TARGET.search(text):
        return []  # no internal link and no image: nothing to look up
    found = []
    own = file_lang(text)
    for number, image, target, _ in rendered_targets(text, html):
        indicator = _INDICATOR.match(target)
        word = indicator and (indicator.group(1) or indicator.group(2))
        if word and word not in KNOWN_INDICATORS:
            found.append(unknown_indicator_problem(path, number, target, indicator.group(0)))
            continue
        internal = internal_target(target)
        if internal is None and indicator_for(target, source, content) == "{filename}":
            internal = ("filename", target)  # written from its folder: the build adds it
        if internal is not None:
            word, written = internal
            file = target_file(written, source, content) if written else None
            if file is not None and not file.is_file() and image:
                found.append(missing_image_problem(path, number, target))
            elif file is not None and not file.is_file():
                found.append(missing_target_problem(path, number, written, word))
            elif file is not None and image and not looks_like_an_image(file):
                found.append(unreadable_image_problem(path, number, written.lstrip("/")))
            elif file is not None and file.suffix == ".md" and own is not None:
                resolved = os.path.abspath(file)
                if langs is not None and resolved in langs:
                    lang = langs[resolved]
                else:
                    lang = file_lang(file.read_bytes().decode("utf-8-sig", errors="replace"))
                if lang is not None and lang != own:
                    found.append(Problem(path, number, other_language_message(written, lang, own)))
            continue
        if not image and not indicator:
            unresolved = unresolved_link(path, number, target, source, content)
            if unresolved is not None:
                found.append(unresolved)
            continue
        if image and target and target != "#":
            reason = image_refusal(target, source, content)
            if reason is not None:
                found.append(Problem(path, number, refusal_message(target, reason, pdf)))
    return sorted(set(found), key=lambda problem: (problem.line, problem.message))
