"""The checks: small pure functions, each returning the problems it finds.

Per-file checks take the file's path as staff see it, its source text and
its metadata (lower-case keys, as Pelican reads them); checks across files
take ``Entry`` values. Every message is French and says what to do.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from plugins.model import (
    LANGUAGES,
    Advice,
    Problem,
    Series,
    bulletin_slug,
    date_problem,
    metadata_lines,
    metadata_value,
    missing_metadata_problem,
    parse_iso_date,
    parse_lang,
    parse_number,
)
from plugins.validation.html_rules import check_rendered_html
from plugins.validation.source import (
    Heading,
    body_lines,
    headings,
    normalize,
    sections,
    slug,
)
from plugins.validation.targets import (
    INLINE_LINK,
    placeholder_problem,
    placeholder_problems,
    scheme_problems,
)

SUMMARY_LIMIT = 300

# ---------------------------------------------------------------------------
# Metadata.
# ---------------------------------------------------------------------------


def check_date(path: str, text: str) -> list[Problem]:
    """A ``Date`` that is not a real ``AAAA-MM-JJ`` date."""
    problem = date_problem(path, text)
    return [problem] if problem else []


def _raw(metadata: Mapping[str, Any], text: str, key: str) -> str | None:
    raw = metadata_value(text, key)
    if raw is None and metadata.get(key) is not None:
        raw = str(metadata[key])
    return raw


def check_metadata(
    path: str,
    text: str,
    metadata: Mapping[str, Any],
    table: Mapping[str, Series],
    folder: str | None = None,
) -> list[Problem]:
    """Required metadata and their formats; ``folder`` is the file's series folder."""
    lines = metadata_lines(text)
    found = [
        missing_metadata_problem(path, text, key)
        for key in ("title", "date")
        if not str(_raw(metadata, text, key) or "").strip()
    ]
    if not text.strip():
        return found[:1]
    found.extend(check_date(path, text))

    series_key = (_raw(metadata, text, "series") or "").strip()
    known = ", ".join(table)
    if not series_key:
        found.append(
            Problem(
                path,
                1,
                f"métadonnée obligatoire manquante « Series » : ajoutez « Series: {folder} »"
                if folder in table
                else f"métadonnée obligatoire manquante « Series » (séries connues : {known})",
            )
        )
    elif series_key not in table:
        close = difflib.get_close_matches(series_key, list(table), n=1)
        hint = f" — vouliez-vous dire « {close[0]} » ?" if close else ""
        found.append(
            Problem(
                path,
                lines.get("series", 1),
                f"série inconnue « {series_key} » (séries connues : {known}){hint}",
            )
        )
    elif folder is not None and folder != series_key:
        found.append(
            Problem(
                path,
                lines.get("series", 1),
                f"« Series: {series_key} » mais le fichier est dans le dossier "
                f"content/bulletins/{folder}/ : déplacez-le dans "
                f"content/bulletins/{series_key}/ ou corrigez la série",
            )
        )

    raw_number = _raw(metadata, text, "number")
    if raw_number is not None and parse_number(raw_number) is None:
        found.append(
            Problem(
                path,
                lines.get("number", 1),
                f"numéro invalide « {raw_number} » : écrivez un entier positif (1, 2, 3…)",
            )
        )
    elif raw_number is None and series_key in table and table[series_key].numbered:
        found.append(
            Problem(
                path,
                1,
                f"métadonnée obligatoire manquante « Number » : la série {series_key} "
                "est numérotée ; ajoutez « Number: … »",
            )
        )

    raw_lang = _raw(metadata, text, "lang")
    if raw_lang is not None and parse_lang(raw_lang) is None:
        found.append(
            Problem(
                path,
                lines.get("lang", 1),
                f"langue inconnue « {raw_lang} » (langues possibles : {', '.join(LANGUAGES)})",
            )
        )
    return found


def check_summary(path: str, text: str, metadata: Mapping[str, Any]) -> list[Problem]:
    """Advice (never blocking) when the summary is too long for feeds and lists."""
    summary = (_raw(metadata, text, "summary") or "").strip()
    if len(summary) <= SUMMARY_LIMIT:
        return []
    return [
        Advice(
            path,
            metadata_lines(text).get("summary", 1),
            f"résumé de {len(summary)} caractères (plus de {SUMMARY_LIMIT}) : les listes et "
            "les flux le montrent en entier ; raccourcissez-le",
        )
    ]


# ---------------------------------------------------------------------------
# Sections and headings.
# ---------------------------------------------------------------------------


def satisfies(heading: Heading, rule: str) -> bool:
    """A heading satisfies a rule by its words or by its explicit id."""
    if normalize(heading.text) == normalize(rule):
        return True
    return heading.anchor is not None and slug(heading.anchor) == slug(rule)


def find_section(rule: str, candidates: Iterable[Heading]) -> Heading | None:
    return next((h for h in candidates if satisfies(h, rule)), None)


def misleveled_sections(text: str, required: Sequence[str]) -> dict[str, Heading]:
    """Required sections found only as a heading of another level than ``##``."""
    everything = headings(text)
    level2 = [h for h in everything if h.level == 2]
    found = {}
    for rule in required:
        if find_section(rule, level2) is None:
            elsewhere = find_section(rule, everything)
            if elsewhere is not None:
                found[rule] = elsewhere
    return found


def skipped_levels(text: str) -> dict[int, int]:
    """Line of each heading that skips a level → level of the heading before it (1: title)."""
    found = {}
    previous = 1
    for heading in headings(text):
        if heading.level > previous + 1:
            found[heading.line] = previous
        previous = heading.level
    return found


def check_required_sections(path: str, text: str, required: Sequence[str]) -> list[Problem]:
    """Each required section is a ``##`` heading; near misses get a suggestion.

    A required section at the wrong level that also skips a level gets one
    message saying both.
    """
    everything = headings(text)
    level2 = [h for h in everything if h.level == 2]
    misleveled = misleveled_sections(text, required)
    skipped = skipped_levels(text)
    found = []
    for rule in required:
        if find_section(rule, level2):
            continue
        elsewhere = misleveled.get(rule)
        if elsewhere is not None:
            skip = ""
            if elsewhere.line in skipped:
                after = skipped[elsewhere.line]
                skip = " qui saute un niveau après " + (
                    "le titre du bulletin" if after == 1 else f"un titre de niveau {after}"
                )
            found.append(
                Problem(
                    path,
                    elsewhere.line,
                    f"section obligatoire « {rule} » écrite comme un titre de niveau "
                    f"{elsewhere.level}{skip} : commencez la ligne par « ## » (deux dièses)",
                )
            )
            continue
        names = {normalize(h.text): h for h in level2}
        close = difflib.get_close_matches(normalize(rule), list(names), n=1, cutoff=0.75)
        if close:
            near = names[close[0]]
            found.append(
                Problem(
                    path,
                    near.line,
                    f"section obligatoire manquante « {rule} » — "
                    f"vouliez-vous dire « {near.text} » ?",
                )
            )
        else:
            found.append(
                Problem(
                    path,
                    1,
                    f"section obligatoire manquante « {rule} » : ajoutez un titre « ## {rule} »",
                )
            )
    return found


def check_empty_sections(path: str, text: str) -> list[Problem]:
    """A ``##`` section with nothing written under it (comments do not count)."""
    return [
        Problem(
            path,
            section.heading.line,
            f"section vide « {section.heading.text} » : écrivez son texte sous le titre "
            "(les commentaires <!-- … --> ne comptent pas)",
        )
        for section in sections(text)
        if not section.has_text
    ]


def check_heading_levels(path: str, text: str, required: Sequence[str] = ()) -> list[Problem]:
    """No level skipped: the bulletin's title is level 1, then ``##``, ``###``…

    A required section at the wrong level is left to ``check_required_sections``,
    which reports the skip with it, in one message.
    """
    reported = {h.line for h in misleveled_sections(text, required).values()}
    found = []
    previous = 1
    for heading in headings(text):
        if heading.level > previous + 1 and heading.line not in reported:
            after = "le titre du bulletin" if previous == 1 else f"un titre de niveau {previous}"
            fixed = "#" * (previous + 1)
            found.append(
                Problem(
                    path,
                    heading.line,
                    f"niveau de titre sauté : « {'#' * heading.level} {heading.text} » suit "
                    f"{after} ; écrivez « {fixed} {heading.text} »",
                )
            )
        previous = heading.level
    return found


# ---------------------------------------------------------------------------
# Links and raw HTML.
# ---------------------------------------------------------------------------


def check_links(path: str, text: str) -> list[Problem]:
    """Placeholder links ``(#)``, links without address or without text."""
    found = []
    for number, line in body_lines(text):
        if "](" not in line:
            continue
        for match in INLINE_LINK.finditer(line):
            image, label, target = match.group(1), match.group(2).strip(), match.group(3)
            target = target.strip("<>").strip()
            shown = match.group(0)
            if target == "#":
                found.append(placeholder_problem(path, number, shown))
            elif not target:
                found.append(
                    Problem(
                        path,
                        number,
                        f"lien sans adresse « {shown} » : écrivez l'adresse entre les "
                        "parenthèses ou retirez le lien",
                    )
                )
            elif not label and not image:
                found.append(
                    Problem(
                        path,
                        number,
                        f"lien sans texte « {shown} » : écrivez entre les crochets ce que "
                        "le lecteur doit cliquer",
                    )
                )
    return found


VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
_AUTOLINK = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*|[^>\s@]+@[^>\s]+)>"
    r"|(?<=\]\()\s*<[^<>\n]*>"  # a link's address in brackets: [x](<mon fichier.pdf>)
)


class _TagBalance(HTMLParser):
    """Finds unclosed or stray tags and header-less tables in raw HTML."""

    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.open: list[list[Any]] = []  # [tag, line, saw_th]
        self.problems: list[Problem] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in VOID_TAGS:
            return
        if tag == "th":
            for item in reversed(self.open):
                if item[0] == "table":
                    item[2] = True
                    break
        self.open.append([tag, self.getpos()[0], False])

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        line = self.getpos()[0]
        if not any(item[0] == tag for item in self.open):
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    f"balise HTML </{tag}> fermée sans avoir été ouverte : retirez-la",
                )
            )
            return
        while self.open:
            name, opened, saw_th = self.open.pop()
            if name == tag:
                if tag == "table" and not saw_th:
                    self.problems.append(
                        Problem(
                            self.path,
                            opened,
                            "tableau HTML sans en-têtes <th> : mettez les titres de "
                            "colonnes dans des cellules <th> (ou écrivez le tableau en Markdown)",
                        )
                    )
                return
            self.problems.append(unclosed(self.path, name, opened))

    def finish(self) -> list[Problem]:
        self.close()
        self.problems.extend(unclosed(self.path, name, line) for name, line, _ in self.open)
        self.open = []
        return self.problems


def unclosed(path: str, tag: str, line: int) -> Problem:
    return Problem(
        path,
        line,
        f"balise HTML <{tag}> jamais fermée : ajoutez </{tag}> à la fin du bloc",
    )


def check_raw_html(path: str, text: str) -> list[Problem]:
    """Raw HTML in the Markdown that would make the page invalid."""
    total = len(text.splitlines())
    kept = dict(body_lines(text))
    masked = "\n".join(
        _AUTOLINK.sub(lambda m: " " * len(m.group(0)), kept.get(n, "")) for n in range(1, total + 1)
    )
    if "<" not in masked:
        return []
    parser = _TagBalance(path)
    parser.feed(masked)
    return sorted(parser.finish())


# ---------------------------------------------------------------------------
# Across files: numbers and translations.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What the checks across files need to know of one bulletin file."""

    path: str
    series: str
    lang: str
    number: int | None
    number_line: int
    translation_key: str
    translation_line: int
    explicit_key: bool
    headings: tuple[Heading, ...]
    identified: bool = True  # date, language, series and number all valid


def identity_is_valid(text: str, metadata: Mapping[str, Any], table: Mapping[str, Series]) -> bool:
    """Whether the metadata saying which bulletin a file is (date, language, series,
    number) are all valid; when not, ``check_metadata`` reports it, once."""
    series = (_raw(metadata, text, "series") or "").strip()
    raw_lang, raw_number = _raw(metadata, text, "lang"), _raw(metadata, text, "number")
    if date_problem("", text) is not None or not (_raw(metadata, text, "date") or "").strip():
        return False
    if raw_lang is not None and parse_lang(raw_lang) is None:
        return False
    if series not in table:
        return False
    if raw_number is None:
        return not table[series].numbered
    return parse_number(raw_number) is not None


def entry_of(
    path: str, text: str, metadata: Mapping[str, Any], table: Mapping[str, Series]
) -> Entry:
    """The cross-file facts of one file, whatever state its metadata is in."""
    lines = metadata_lines(text)
    series = (_raw(metadata, text, "series") or "").strip()
    number = parse_number(_raw(metadata, text, "number") or "")
    date = parse_iso_date(_raw(metadata, text, "date") or "")
    key = (_raw(metadata, text, "translation") or "").strip()
    raw_lang = _raw(metadata, text, "lang")
    return Entry(
        path=path,
        series=series,
        lang=parse_lang(raw_lang) or str(raw_lang).strip(),  # "de": neither fr nor en
        number=number,
        number_line=lines.get("number", 1),
        translation_key=key or bulletin_slug(series, number, date),
        translation_line=lines.get("translation", 1),
        explicit_key=bool(key),
        headings=tuple(h for h in headings(text) if h.level == 2),
        identified=identity_is_valid(text, metadata, table),
    )


def check_duplicate_numbers(entries: Iterable[Entry], table: Mapping[str, Series]) -> list[Problem]:
    """Two bulletins of one numbered series and language with the same number.

    Files whose identity is invalid are left out: their mistake is reported once.
    """
    groups: dict[tuple[str, str, int], list[Entry]] = {}
    used: dict[tuple[str, str], set[int]] = {}
    for entry in entries:
        if not entry.identified or entry.number is None or entry.series not in table:
            continue
        if not table[entry.series].numbered:
            continue
        groups.setdefault((entry.series, entry.lang, entry.number), []).append(entry)
        used.setdefault((entry.series, entry.lang), set()).add(entry.number)
    found = []
    for (series, lang, number), same in groups.items():
        if len(same) < 2:
            continue
        free = max(used[(series, lang)]) + 1
        for entry in same:
            others = ", ".join(sorted(o.path for o in same if o is not entry))
            found.append(
                Problem(
                    entry.path,
                    entry.number_line,
                    f"numéro {number} en double dans la série {series} ({lang}) : aussi utilisé "
                    f"par {others} ; le prochain numéro libre est {free}",
                )
            )
    return found


def _labels(found: Sequence[Heading], rules: Sequence[str]) -> list[int | None]:
    """For each section, the index of the required rule it satisfies (or None)."""
    return [next((i for i, r in enumerate(rules) if satisfies(h, r)), None) for h in found]


def missing_in_translation(
    original: Sequence[Heading],
    original_rules: Sequence[str],
    twin: Sequence[Heading],
    twin_rules: Sequence[str],
) -> list[Heading]:
    """The original's sections that have no counterpart in the twin.

    Required sections pair by their position in the series' lists; the other
    sections pair in order between two such anchors.
    """
    orig_labels = _labels(original, original_rules)
    twin_labels = _labels(twin, twin_rules)
    shared = {label for label in orig_labels if label is not None} & set(twin_labels)
    missing = [
        heading
        for heading, label in zip(original, orig_labels, strict=True)
        if label is not None and label not in shared and label >= len(twin_rules)
    ]

    def segments(found: Sequence[Heading], labels: list[int | None]) -> dict[Any, list[Heading]]:
        groups: dict[Any, list[Heading]] = {}
        anchor: int | None = None
        for heading, label in zip(found, labels, strict=True):
            if label in shared:
                anchor = label
            elif label is None or (found is twin):
                # In the twin, a required section the original lacks still pairs with one.
                groups.setdefault(anchor, []).append(heading)
        return groups

    twin_groups = segments(twin, twin_labels)
    for anchor, items in segments(original, orig_labels).items():
        count = len(twin_groups.get(anchor, []))
        missing.extend(items[count:])
    return sorted(missing, key=lambda h: h.line)


def check_translations(entries: Iterable[Entry], table: Mapping[str, Series]) -> list[Problem]:
    """Translations point at a French original and have every one of its sections.

    A translation whose identity is invalid is not checked; a French original
    whose identity is invalid still counts as existing, but its sections are
    not compared (its own mistake is reported, once, on it).
    """
    entries = list(entries)
    originals: dict[str, Entry] = {}
    for entry in entries:
        if entry.lang == "fr":
            known = originals.get(entry.translation_key)
            if known is None or (entry.identified and not known.identified):
                originals[entry.translation_key] = entry
    found = []
    for entry in entries:
        if entry.lang == "fr" or not entry.identified:
            continue
        original = originals.get(entry.translation_key)
        if original is not None and not original.identified:
            continue
        if original is None:
            found.append(
                Problem(
                    entry.path,
                    entry.translation_line,
                    f"clé de traduction « {entry.translation_key} » : aucun bulletin français "
                    "ne porte cette clé ; copiez la ligne « Translation » de l'original français",
                )
            )
            continue
        rules = table[original.series].sections("fr") if original.series in table else ()
        twin_rules = table[entry.series].sections(entry.lang) if entry.series in table else ()
        for heading in missing_in_translation(original.headings, rules, entry.headings, twin_rules):
            found.append(
                Problem(
                    entry.path,
                    entry.translation_line,
                    f"traduction incomplète : la section « {heading.text} » de l'original "
                    f"({original.path}:{heading.line}) n'a pas d'équivalent ici ; traduisez-la",
                )
            )
    return found


def check_file(
    path: str,
    text: str,
    metadata: Mapping[str, Any],
    table: Mapping[str, Series],
    folder: str | None = None,
    html: str | None = None,
    page_ids: Iterable[str] = (),
    embed_hosts: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every per-file check of one bulletin.

    ``html`` is the fragment Markdown rendered from it (None: not checked),
    ``page_ids`` the ids the page template around it already uses and
    ``embed_hosts`` the hosts an iframe may come from.
    """
    found = check_metadata(path, text, metadata, table, folder)
    if not text.strip():
        return found
    series = table.get((_raw(metadata, text, "series") or "").strip())
    lang = parse_lang(_raw(metadata, text, "lang"))  # None: reported, sections unknown
    required = series.sections(lang) if series is not None and lang is not None else ()
    found.extend(check_required_sections(path, text, required))
    found.extend(check_empty_sections(path, text))
    found.extend(check_heading_levels(path, text, required))
    found.extend(check_links(path, text))
    found.extend(placeholder_problems(path, text))
    found.extend(scheme_problems(path, text))
    unbalanced = check_raw_html(path, text)
    found.extend(unbalanced)
    if html is not None:
        lines = [h.line for h in headings(text)]
        found.extend(
            check_rendered_html(
                path, html, body_lines(text), lines, page_ids, not unbalanced, embed_hosts
            )
        )
    found.extend(check_summary(path, text, metadata))
    found.extend(check_scaffold_leftovers(path, text, metadata))
    return found


# What `invoke new` writes for staff to replace (plugins/validation/scaffold.py).
SCAFFOLD_TITLE = "titre à écrire"
SCAFFOLD_SUMMARY = "Résumé à écrire en une ou deux phrases."
TO_TRANSLATE = "(to translate)"
_SCAFFOLD_HINT = re.compile(r"<!--\s*(À écrire|To write|To translate from)\b")


def check_scaffold_leftovers(path: str, text: str, metadata: Mapping[str, Any]) -> list[Problem]:
    """Placeholders of ``invoke new`` left in the title, the summary or the sections."""
    lines = metadata_lines(text)
    found = []
    title = (_raw(metadata, text, "title") or "").strip()
    if SCAFFOLD_TITLE in title or title.startswith(TO_TRANSLATE):
        found.append(
            Problem(
                path,
                lines.get("title", 1),
                f"titre provisoire « {title} » : écrivez le vrai titre du bulletin",
            )
        )
    summary = (_raw(metadata, text, "summary") or "").strip()
    if summary == SCAFFOLD_SUMMARY or summary.startswith(TO_TRANSLATE):
        found.append(
            Problem(
                path,
                lines.get("summary", 1),
                f"résumé provisoire « {summary} » : résumez le bulletin en une ou deux phrases",
            )
        )
    empty = {section.heading.line for section in sections(text) if not section.has_text}
    owner = 0
    for number, line in body_lines(text):
        heading = _HEADING_START.match(line)
        if heading:
            owner = number
        if "<!--" in line and _SCAFFOLD_HINT.search(line) and owner not in empty:
            found.append(
                Problem(
                    path,
                    number,
                    "commentaire d'aide de « invoke new » laissé dans le texte : "
                    "retirez-le une fois la section écrite",
                )
            )
    return found


_HEADING_START = re.compile(r"^#{1,6}\s")


def check_page(path: str, text: str) -> list[Problem]:
    """The source-level checks of a page (content/pages/): date, links, raw HTML."""
    found = check_date(path, text)
    found.extend(check_links(path, text))
    found.extend(placeholder_problems(path, text))
    found.extend(scheme_problems(path, text))
    found.extend(check_raw_html(path, text))
    return found
