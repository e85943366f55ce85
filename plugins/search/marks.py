"""What Pagefind reads on a page: which part is indexed, how much it weighs, its facts.

A template names the kind of its page and its facts; ``entry_attributes`` turns
them into the ``data-pagefind-*`` attributes of the page's ``<main>``, read by
Pagefind at indexing time (the values are attributes, captured by name, so a
title with a comma or a quote stays whole):

- ``data-pagefind-body``: only ``<main>`` is indexed (not the header, the
  navigation or the footer), and only on the pages that mark it;
- ``data-pagefind-weight``: bulletins rank above meetings, the budget, pages
  and messages for the same words;
- filters (``kind``, ``series``, ``number``, ``date``) narrow a search;
  metadata (the same, with the series' name and the date as readers see it)
  is shown with each result.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from plugins.i18n.formatting import format_date


class Kind(StrEnum):
    """What a search result is, as the search page's filter names it."""

    BULLETIN = "bulletin"
    MEETING = "meeting"
    BUDGET = "budget"
    PAGE = "page"
    MESSAGE = "message"


# Pagefind counts every word of the page times its weight: at 0.3, a meeting whose
# short minutes say « seuils planchers » three times ranks below the bulletin that
# reports on it (with search.js's pageLength). Headings inside keep only this weight.
WEIGHTS = {
    Kind.BULLETIN: 1.0,
    Kind.MEETING: 0.3,
    Kind.BUDGET: 0.3,
    Kind.PAGE: 0.3,
    Kind.MESSAGE: 0.3,
}

# Filter or metadata key → the attribute of <main> that holds its value.
FILTERS = {"kind": "data-kind", "series": "data-series", "number": "data-number"}
FILTERS |= {"date": "data-date"}
META = {"kind": "data-kind", "series": "data-series-name", "group": "data-group-name"}
META |= {"number": "data-number", "date": "data-date", "date_label": "data-date-label"}


def entry_attributes(
    kind: Kind | str,
    lang: str,
    *,
    content_lang: str | None = None,
    series: str | None = None,
    series_name: str | None = None,
    group_name: str | None = None,
    number: int | str | None = None,
    day: dt.date | None = None,
) -> dict[str, str]:
    """The attributes that make a page's ``<main>`` a search entry of the sub-site ``lang``.

    Empty when the page's content is in another language than its sub-site (an
    untranslated meeting shown on /en/): each language's index holds only its own
    texts. ``day`` may be a datetime (a bulletin's date): its day is kept.
    """
    kind = Kind(kind)
    if content_lang is not None and content_lang != lang:
        return {}
    values = {"data-kind": kind.value}
    if series:
        values["data-series"] = series
    if series_name:
        values["data-series-name"] = series_name
    if group_name:
        values["data-group-name"] = group_name
    if number is not None and str(number):
        values["data-number"] = str(number)
    if day is not None:
        day = day.date() if isinstance(day, dt.datetime) else day
        values["data-date"] = day.isoformat()
        values["data-date-label"] = format_date(day, lang, "long")
    attributes = {"data-pagefind-body": ""}
    if WEIGHTS[kind] != 1.0:
        attributes["data-pagefind-weight"] = f"{WEIGHTS[kind]:g}"
    attributes["data-pagefind-filter"] = captures(FILTERS, values)
    attributes["data-pagefind-meta"] = captures(META, values)
    return attributes | values


def captures(keys: dict[str, str], values: dict[str, str]) -> str:
    """``kind[data-kind], series[data-series]``: each key the page has a value for."""
    return ", ".join(
        f"{key}[{attribute}]" for key, attribute in keys.items() if attribute in values
    )
