"""The search page of each sub-site (``/recherche/``, ``/en/search/``) and the
template globals that mark pages for the index and link the header's box to it."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from pelican.generators import Generator

from plugins.i18n.twins import Twin
from plugins.search.marks import Kind, entry_attributes

DEFAULT_DIR = "recherche"


def search_dir(settings: Mapping[str, Any], lang: str | None = None) -> str:
    """``recherche`` or ``search``: the sub-site's folder of its search page
    (``SEARCH_DIR`` among the language's overrides in ``LANGUAGES``)."""
    lang = lang or settings["DEFAULT_LANG"]
    overrides = settings.get("LANGUAGES", {}).get(lang, {}).get("overrides", {})
    return overrides.get("SEARCH_DIR", DEFAULT_DIR)


def search_twins(settings: Mapping[str, Any]) -> list[Twin]:
    """The search page of the other sub-sites (their folder names differ)."""
    lang = settings["DEFAULT_LANG"]
    return [
        Twin(lang=other, path=f"{search_dir(settings, other)}/", title="")
        for other in settings.get("LANGUAGE_SITEURLS", {})
        if other != lang
    ]


def install_search_globals(generator) -> None:
    """``search_entry(kind, …)`` (the attributes of an indexed page's ``<main>``) and
    ``SEARCH_URL`` (the header's search box) in every generator's templates."""
    lang = generator.settings["DEFAULT_LANG"]
    generator.env.globals.update(
        search_entry=functools.partial(entry_attributes, lang=lang),
        SEARCH_URL=f"{search_dir(generator.settings)}/",
        SEARCH_KINDS=[kind.value for kind in Kind],
    )


class SearchPageGenerator(Generator):
    """Writes the sub-site's search page; the index itself is built after every
    language is rendered (plugins.search.indexing, run by plugins.build)."""

    def generate_output(self, writer) -> None:
        url = f"{search_dir(self.settings)}/"
        writer.write_file(
            f"{url}index.html",
            self.get_template("search/search"),
            self.context,
            page_url=url,
            page_twins=search_twins(self.settings),
            relative_urls=self.settings["RELATIVE_URLS"],
        )
