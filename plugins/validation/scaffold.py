"""``invoke new``: a bulletin file ready to write, or the twin of one to translate.

A scaffold has valid metadata and every required section as a ``##``
heading with a one-line hint in an HTML comment: until staff write under
each heading, validation reports those sections, and only those, as empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from plugins.model import (
    Series,
    bulletin_slug,
    metadata_value,
    parse_iso_date,
    parse_lang,
    parse_number,
)
from plugins.validation.checks import satisfies
from plugins.validation.source import sections

HINTS = {
    "fr": "<!-- À écrire : le texte de la section « {name} » (remplacez ce commentaire). -->",
    "en": "<!-- To write: the text of the « {name} » section (replace this comment). -->",
}
TO_TRANSLATE = "<!-- To translate from the French original: « {name} ». -->"


class ScaffoldError(Exception):
    """Why no file was written, in French."""


def next_number(folder: Path, lang: str = "fr") -> int:
    """One more than the highest ``Number`` of the folder's bulletins in ``lang``."""
    numbers = [0]
    for source in folder.glob("*.md"):
        text = source.read_text(encoding="utf-8-sig", errors="replace")
        if (parse_lang(metadata_value(text, "lang")) or "fr") != lang:
            continue
        number = parse_number(metadata_value(text, "number") or "")
        if number is not None:
            numbers.append(number)
    return max(numbers) + 1


def header(fields: Mapping[str, object]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


def section_block(name: str, hint: str) -> str:
    return f"## {name}\n\n{hint}\n"


def new_bulletin(content: Path, series: Series, today: dt.date) -> tuple[Path, str]:
    """Path and text of the next French bulletin of ``series``."""
    folder = content / "bulletins" / series.key
    number = next_number(folder) if series.numbered else None
    name = f"{number:02d}.md" if number is not None else f"{today:%Y-%m-%d}.md"
    key = bulletin_slug(series.key, number, today)
    title = series.short_title("fr") + (f" no {number}" if number is not None else "")
    fields = {
        "Title": f"{title} : titre à écrire",
        "Date": f"{today:%Y-%m-%d}",
        "Series": series.key,
        "Number": number,
        "Lang": "fr",
        "Translation": key,
        "Summary": "Résumé à écrire en une ou deux phrases.",
    }
    body = "\n".join(
        section_block(section, HINTS["fr"].format(name=section))
        for section in series.sections("fr")
    )
    return folder / name, header(fields) + "\n" + body


def translation_path(original: Path, lang: str) -> Path:
    """``01.md`` → ``01.en.md``, beside the original."""
    return original.with_name(f"{original.stem}.{lang}.md")


def translated_bulletin(
    original: Path, text: str, table: Mapping[str, Series], lang: str
) -> tuple[Path, str]:
    """Path and text of the ``lang`` twin of the French bulletin ``text``.

    Required sections get their name in ``lang``; any other section keeps its
    French heading, with a hint to translate it.
    """
    if (parse_lang(metadata_value(text, "lang")) or "fr") != "fr":
        raise ScaffoldError(f"{original} n'est pas un bulletin français (Lang: fr) ; rien écrit.")
    series = table.get((metadata_value(text, "series") or "").strip())
    if series is None:
        raise ScaffoldError(
            f"{original} : série absente ou inconnue ; corrigez « Series » avant de traduire."
        )
    number = parse_number(metadata_value(text, "number") or "")
    date = parse_iso_date(metadata_value(text, "date") or "")
    key = (metadata_value(text, "translation") or "").strip() or bulletin_slug(
        series.key, number if series.numbered else None, date
    )
    fields = {
        "Title": f"(to translate) {metadata_value(text, 'title') or ''}".rstrip(),
        "Date": metadata_value(text, "date"),
        "Series": series.key,
        "Number": metadata_value(text, "number") if series.numbered else None,
        "Lang": lang,
        "Translation": key,
        "Summary": f"(to translate) {metadata_value(text, 'summary') or ''}".rstrip(),
    }
    french_rules = series.sections("fr")
    rules = series.sections(lang)
    blocks = []
    for section in sections(text):
        heading = section.heading
        index = next((i for i, r in enumerate(french_rules) if satisfies(heading, r)), None)
        if index is not None and index < len(rules):
            name = rules[index]
            blocks.append(section_block(name, HINTS.get(lang, HINTS["en"]).format(name=name)))
        else:
            blocks.append(section_block(heading.text, TO_TRANSLATE.format(name=heading.text)))
    return translation_path(original, lang), header(fields) + "\n" + "\n".join(blocks)


def write_new(path: Path, text: str, shown: str) -> None:
    """Write a new file; never overwrite one (``shown``: its path for staff)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{shown} existe déjà ; rien n'a été écrit.") from None
