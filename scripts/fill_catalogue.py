"""Fill a .po catalogue from a Python dict of translations (msgid -> msgstr).

Usage: python scripts/fill_catalogue.py LANG DOMAIN translations.py
French catalogues copy each msgid (French is the source language); other
languages take the dict's entries and report any msgid left untranslated.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def fill(lang: str, domain: str, table: dict[str, str]) -> list[str]:
    po = ROOT / "theme" / "translations" / lang / "LC_MESSAGES" / f"{domain}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if lang == "fr":
            message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        elif key in table:
            value = table[key]
            message.string = value if isinstance(message.id, str) else tuple(value)
        elif not message.string:
            missing.append(key)
        message.flags.discard("fuzzy")
    catalog.project = "Bulletins"
    catalog.copyright_holder = "CTROC"
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=True, no_location=True)
    return missing


if __name__ == "__main__":
    lang, domain, source = sys.argv[1:4]
    table = runpy.run_path(source).get("TRANSLATIONS", {})
    left = fill(lang, domain, table)
    for key in left:
        print(f"untranslated: {key}")
    sys.exit(1 if left else 0)
