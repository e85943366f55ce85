"""Files too big to be a bulletin or a page: refused before anything reads them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal

from plugins.model import Problem, relative_source

DEFAULT_LIMIT = 1_000_000


def _megabytes(size: int) -> str:
    amount = Decimal(size) / Decimal(1_000_000)
    return f"{format_decimal(round(amount, 1), locale='fr_CA')} Mo"


def oversized_files(settings: Mapping[str, Any]) -> list[Problem]:
    """One problem per Markdown file of the content above ``MAX_SOURCE_BYTES``."""
    limit = int(settings.get("MAX_SOURCE_BYTES") or DEFAULT_LIMIT)
    found = []
    for source in sorted(Path(settings["PATH"]).rglob("*.md")):
        try:
            size = source.stat().st_size
        except OSError:
            continue
        if size > limit:
            found.append(
                Problem(
                    relative_source(source, settings),
                    1,
                    f"fichier trop volumineux ({_megabytes(size)} ; limite {_megabytes(limit)}) "
                    ": découpez-le en plusieurs bulletins, ou retirez le texte ou les images "
                    "collés par erreur",
                )
            )
    return found
