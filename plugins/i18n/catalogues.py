"""gettext catalogues: French is the source language, English is translated.

There is one ``.po`` per capability (``messages.po`` for the theme,
``feeds.po``, ``pdf.po``, …) so that plugins stay independent; at run time
they are merged into one set of translations per language.
"""

from __future__ import annotations

import functools
import gettext
import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def catalogue_dir(theme: str | Path) -> Path:
    return Path(theme) / "translations"


def po_files(theme: str | Path, lang: str) -> list[Path]:
    return sorted((catalogue_dir(theme) / lang / "LC_MESSAGES").glob("*.po"))


MERGED = "bulletins.mo"  # every domain of a language in one catalogue, compiled


def compile_catalogues(theme: str | Path) -> list[Path]:
    """Compile each language's ``.po`` files into one ``.mo`` when missing or older.

    Domains stay separate on disk (one ``.po`` per capability); merged at compile
    time, a lookup is one dictionary access whatever the number of domains. A
    msgid in two domains takes the later domain's text.
    """
    compiled = []
    for lang_dir in sorted(catalogue_dir(theme).iterdir()):
        if not lang_dir.is_dir():
            continue
        sources = po_files(theme, lang_dir.name)
        target = lang_dir / "LC_MESSAGES" / MERGED
        newest = max((po.stat().st_mtime_ns for po in sources), default=0)
        if target.exists() and target.stat().st_mtime_ns >= newest:
            continue
        merged = Catalog(locale=lang_dir.name)
        for po in sources:
            with po.open("rb") as source:
                for message in read_po(source, locale=lang_dir.name):
                    if message.id:
                        merged[message.id] = message
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            write_mo(handle, merged, use_fuzzy=False)
        temporary.replace(target)
        compiled.append(target)
    translations_for.cache_clear()
    return compiled


@functools.cache
def translations_for(theme: str | Path, lang: str) -> gettext.NullTranslations:
    """The merged catalogue of ``lang``; French falls back to the msgids."""
    target = catalogue_dir(theme) / lang / "LC_MESSAGES" / MERGED
    if not target.exists():
        compile_catalogues(theme)
    if not target.exists():
        return gettext.NullTranslations()
    with target.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def gettext_for(theme: str | Path, lang: str):
    """``_()`` for Python code that writes visitor-facing text."""
    return translations_for(str(theme), lang).gettext


def ngettext_for(theme: str | Path, lang: str):
    return translations_for(str(theme), lang).ngettext


def theme_environment(theme: str | Path, lang: str):
    """Jinja for the theme's templates rendered outside Pelican (the PDF editions, the
    email edition): autoescaped, with ``lang``'s catalogues and date filters."""
    import jinja2

    from plugins.i18n.formatting import jinja_filters

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(theme) / "templates")),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations_for(str(theme), lang), newstyle=True)
    env.filters.update(jinja_filters(lang))
    return env
