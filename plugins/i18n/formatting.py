"""Dates, numbers and sizes formatted with Babel, never the system locale; text
typeset as the language wants it (``plugins.i18n.typography``)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from plugins.i18n.typography import typeset_html, typeset_text

LOCALES = {"fr": "fr_CA", "en": "en_CA"}
TIMEZONE = "America/Montreal"


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, "fr_CA")


@functools.lru_cache(maxsize=8192)  # every page of an archive shows the same dates again
def format_date(value: dt.date, lang: str, style: str = "long") -> str:
    """« 18 avril 2013 », « 1er mars 2013 » / "April 18, 2013"."""
    text = babel_format_date(value, style, locale=locale_of(lang))
    if lang == "fr" and style in ("long", "full") and value.day == 1:
        # French writes the first day of a month as an ordinal: « 1er mars ».
        text = re.sub(r"(?<!\d)1(?= )", "1er", text, count=1)
    return text


def format_time(value: dt.datetime, lang: str) -> str:
    """« 9 h 30 » / "9:30 a.m."."""
    if lang == "fr":
        return babel_format_time(value, "H 'h' mm", locale="fr_CA")
    return babel_format_time(value, "short", locale="en_CA")


def format_datetime(value: dt.datetime, lang: str) -> str:
    return babel_format_datetime(value, "long", locale=locale_of(lang))


def format_number(value: int | float | Decimal, lang: str) -> str:
    """« 1 234,5 » / "1,234.5"."""
    return format_decimal(value, locale=locale_of(lang))


def format_seconds(seconds: float, lang: str = "fr") -> str:
    """« 6,4 s » / "6.4 s": a duration the terminal reports, to a tenth of a second."""
    return f"{format_decimal(seconds, format='0.0', locale=locale_of(lang))} s"


def format_filesize(size: int, lang: str) -> str:
    """« 123 Ko » / "123 KB" (1 Ko = 1 000 octets, rounded up)."""
    kilo = max(1, -(-size // 1000))
    if kilo >= 1000:
        mega = Decimal(size) / Decimal(1_000_000)
        amount = format_decimal(round(mega, 1), locale=locale_of(lang))
        return f"{amount} Mo" if lang == "fr" else f"{amount} MB"
    amount = format_decimal(kilo, locale=locale_of(lang))
    return f"{amount} Ko" if lang == "fr" else f"{amount} KB"


def typeset_markup(value: object, lang: str | None) -> Markup:
    """Text (escaped) or markup, typeset as HTML: French spaces and ``<sup>``."""
    return Markup(typeset_short_html(str(escape(value)), lang))


@functools.lru_cache(maxsize=4096)
def typeset_short_html(fragment: str, lang: str | None) -> str:
    """``typeset_html`` of a title or a date, which every list showing it asks again."""
    return typeset_html(fragment, lang)


def jinja_filters(lang: str) -> dict[str, Callable]:
    """The filters the theme uses, bound to the sub-site's language.

    ``typeset`` (HTML: a heading, a paragraph) and ``typeset_text`` (an attribute,
    an SVG text) take the language of the text when it is not the sub-site's
    (« {{ meeting.title | typeset(meeting.lang) }} »).
    """
    return {
        "typeset": lambda value, text_lang=None: typeset_markup(value, text_lang or lang),
        "typeset_text": lambda value, text_lang=None: typeset_text(str(value), text_lang or lang),
        # Pages show a date as typeset text (« 1<sup>er</sup> mars 2013 »).
        "date_long": lambda value: typeset_markup(format_date(value, lang, "long"), lang),
        "date_short": lambda value: format_date(value, lang, "short"),
        "time_local": lambda value: format_time(value, lang),
        "number": lambda value: format_number(value, lang),
        "filesize": lambda value: format_filesize(value, lang),
        "isodate": lambda value: value.isoformat(),
    }
