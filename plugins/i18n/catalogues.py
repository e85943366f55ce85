"""gettext catalogues: French is the source language, English is translated.

There is one ``.po`` per capability (``messages.po`` for the theme,
``feeds.po``, ``pdf.po``, …) so that plugins stay independent; at run time
they are merged into one set of translations per language.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def catalogue_dir(theme: str | Path) -> Path:
    return Path(theme) / "translations"


def po_files(theme: str | Path, lang: str) -> list[Path]:
    return sorted((catalogue_dir(theme) / lang / "LC_MESSAGES").glob("*.po"))


def compile_catalogues(theme: str | Path) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return them."""
    compiled = []
    for lang_dir in sorted(catalogue_dir(theme).iterdir()):
        if not lang_dir.is_dir():
            continue
        for po in po_files(theme, lang_dir.name):
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
                continue
            with po.open("rb") as source:
                catalog = read_po(source, locale=lang_dir.name)
            tmp = mo.with_suffix(".mo.tmp")
            with tmp.open("wb") as target:
                write_mo(target, catalog, use_fuzzy=False)
            tmp.replace(mo)
            compiled.append(mo)
    translations_for.cache_clear()
    return compiled


@functools.cache
def translations_for(theme: str | Path, lang: str) -> gettext.NullTranslations:
    """Every catalogue of ``lang`` chained (gettext's public fallbacks); a msgid in
    two catalogues takes the later one's text; French falls back to the msgids."""
    merged: gettext.NullTranslations | None = None
    for po in reversed(po_files(theme, lang)):
        mo = po.with_suffix(".mo")
        if not mo.exists():
            compile_catalogues(theme)
        with mo.open("rb") as handle:
            part = gettext.GNUTranslations(handle)
        if merged is None:
            merged = part
        else:
            merged.add_fallback(part)
    return merged or gettext.NullTranslations()


def gettext_for(theme: str | Path, lang: str):
    """``_()`` for Python code that writes visitor-facing text."""
    return translations_for(str(theme), lang).gettext


def ngettext_for(theme: str | Path, lang: str):
    return translations_for(str(theme), lang).ngettext
