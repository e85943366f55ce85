"""Budget update files → typed ``BudgetUpdate`` values and their problems.

Amounts are millions of dollars as the sources give them; an amount the
sources do not give stays absent (None), never 0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from plugins.meetings.reading import ParsedSource, parse_sources
from plugins.model import (
    BudgetUpdate,
    Problem,
    SourceFile,
    invalid_field,
    metadata_lines,
    missing_key_problem,
    missing_keys_problems,
    parse_number,
)

BUDGET_DIR = "budget"
AMOUNTS = ("demanded", "announced", "added")
REQUIRED = ("title", "date")
_FISCAL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class History:
    """Every valid budget update, oldest first, and the problems found."""

    updates: tuple[BudgetUpdate, ...]
    problems: tuple[Problem, ...]
    twins: Mapping[str, Mapping[str, BudgetUpdate]] = field(default_factory=dict)  # slug → lang

    def updates_in(self, lang: str) -> tuple[tuple[BudgetUpdate, str], ...]:
        """(update, language of its texts): the twin in ``lang``, else the French original."""
        return tuple(
            (self.twins[u.slug][lang], lang) if lang in self.twins.get(u.slug, {}) else (u, "fr")
            for u in self.updates
        )


def parse_amount(raw: Any) -> Decimal | None:
    """« 25 », « 1 234,5 » or « 1234.5 » (millions) → Decimal; None if not a number."""
    text = re.sub(r"[\s\u00a0\u202f]", "", str(raw)).replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_fiscal_year(raw: Any) -> str | None:
    """``2017-2018`` (second year = first + 1), else None."""
    match = _FISCAL_YEAR.match(str(raw).strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        return None
    return match.group(0)


def _line(source: ParsedSource, key: str) -> int:
    return metadata_lines(source.text).get(key, 1)


def amount_problems(source: ParsedSource) -> list[Problem]:
    return [
        Problem(
            source.path,
            _line(source, key),
            f"montant invalide « {source.metadata[key]} » pour {key.capitalize()} : "
            "écrivez un nombre de millions de dollars, par exemple 25 ou 1234,5 "
            "(ou retirez la ligne si le montant n'est pas connu)",
        )
        for key in AMOUNTS
        if key in source.metadata and parse_amount(source.metadata[key]) is None
    ]


def fiscal_year_problems(source: ParsedSource) -> list[Problem]:
    return invalid_field(
        source.path,
        source.text,
        source.metadata,
        "fiscal_year",
        parse_fiscal_year,
        "exercice financier invalide « {raw} » : écrivez AAAA-AAAA+1, par exemple 2017-2018",
    )


def years_problems(source: ParsedSource) -> list[Problem]:
    return invalid_field(
        source.path,
        source.text,
        source.metadata,
        "years",
        parse_number,
        "durée invalide « {raw} » pour Years : écrivez un nombre entier d'années, par exemple 5",
    )


def check_source(source: ParsedSource) -> list[Problem]:
    return (
        missing_keys_problems(source.path, source.metadata, REQUIRED)
        + amount_problems(source)
        + fiscal_year_problems(source)
        + years_problems(source)
    )


def update_from_source(source: ParsedSource) -> BudgetUpdate:
    """The typed update of a file that passed ``check_source``."""
    meta = source.metadata
    date = meta["date"]
    amounts = {key: parse_amount(meta[key]) if key in meta else None for key in AMOUNTS}
    return BudgetUpdate(
        source_path=source.path,
        title=str(meta["title"]).strip(),
        date=date.date() if isinstance(date, dt.datetime) else date,
        fiscal_year=parse_fiscal_year(meta["fiscal_year"]) if "fiscal_year" in meta else None,
        demanded=amounts["demanded"],
        announced=amounts["announced"],
        added=amounts["added"],
        years=parse_number(meta["years"]) if "years" in meta else None,
        source=str(meta["source"]).strip() if "source" in meta else None,
        body_html=source.html,
        slug=source.stem,
    )


TWIN_SUFFIX = re.compile(r"\.(?P<lang>en)$")
TWIN_TEXTS = ("title", "source")  # what a twin translates; amounts stay in the French file


def translation_key(source: ParsedSource) -> str:
    """``Translation`` when given, else the file name without ``.en``."""
    return str(source.metadata.get("translation") or TWIN_SUFFIX.sub("", source.stem)).strip()


def twin_problems(
    source: ParsedSource, originals: Mapping[str, BudgetUpdate], present: Iterable[str] = ()
) -> list[Problem]:
    """A twin must match a French update and must not restate its amounts.

    ``present`` holds the translation keys of every French file, valid or not: the
    original's mistakes are reported on the original only.
    """
    key = translation_key(source)
    if key not in originals and key in present:
        return []
    if key not in originals:
        return [
            Problem(
                source.path,
                _line(source, "translation"),
                f"traduction sans mise à jour française « {key} » : donnez-lui la même ligne "
                "« Translation: … » que le fichier français (ou le même nom sans .en)",
            )
        ]
    problems = [
        Problem(
            source.path,
            _line(source, key_name),
            f"montant dans une traduction ({key_name.capitalize()}) : les montants viennent "
            f"du fichier français {originals[key].source_path} ; retirez cette ligne",
        )
        for key_name in (*AMOUNTS, "fiscal_year", "years")
        if key_name in source.metadata
    ]
    if not str(source.metadata.get("title", "")).strip():
        problems += [missing_key_problem(source.path, "title")]
    return problems


def localized_update(original: BudgetUpdate, twin: ParsedSource) -> BudgetUpdate:
    """The French update with the twin's title, source and text."""
    meta = twin.metadata
    return replace(
        original,
        title=str(meta["title"]).strip(),
        source=str(meta["source"]).strip() if "source" in meta else original.source,
        body_html=twin.html or original.body_html,
    )


def history_from_sources(sources: Iterable[ParsedSource]) -> History:
    updates, problems = [], []
    sources = list(sources)
    twins = [s for s in sources if TWIN_SUFFIX.search(s.stem)]
    originals: dict[str, BudgetUpdate] = {}
    present = {translation_key(source) for source in sources if source not in twins}
    for source in sources:
        if source in twins:
            continue
        found = check_source(source)
        problems += found
        if not found:
            update = update_from_source(source)
            updates.append(update)
            originals[translation_key(source)] = update
    translated: dict[str, dict[str, BudgetUpdate]] = {}
    for twin in twins:
        found = twin_problems(twin, originals, present)
        problems += found
        if not found and translation_key(twin) in originals:
            original = originals[translation_key(twin)]
            lang = TWIN_SUFFIX.search(twin.stem).group("lang")
            translated.setdefault(original.slug, {})[lang] = localized_update(original, twin)
    updates.sort(key=lambda u: (u.date, u.source_path))
    return History(tuple(updates), tuple(problems), translated)


def history_from_files(files: Iterable[SourceFile]) -> History:
    """The history of the loaded budget files, with every problem."""
    sources, problems = parse_sources(files, BUDGET_DIR)
    history = history_from_sources(sources)
    return replace(history, problems=tuple(problems) + history.problems)
