"""Amounts in millions of dollars, formatted with Babel (never the system locale)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

LOCALES = {"fr": "fr_CA", "en": "en_CA"}
NBSP = "\u00a0"


def format_millions(amount: Decimal | int, lang: str) -> str:
    """« 1 234,5 M$ » (no-break spaces) in French, "$1,234.5M" in English."""
    number = format_decimal(amount, locale=LOCALES.get(lang, "fr_CA"))
    if lang == "en":
        return f"${number}M"
    return f"{number}{NBSP}M$"
