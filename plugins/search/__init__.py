"""Search the archive: one Pagefind index per language, searched in the browser.

- the templates of bulletins, meetings, the budget, pages and the messages wall
  mark their ``<main>`` with ``search_entry(kind, …)`` (plugins.search.marks):
  only that part is indexed, bulletins weigh more, and the kind, series, number
  and date are filters and metadata of each result;
- writes ``/recherche/`` and ``/en/search/`` (plugins.search.pages); the
  header of every page has a search box leading there (a link to the archives
  where the search cannot run: no JavaScript, or the site opened as files);
- once every language is rendered, the build runs Pagefind over the staging
  site, before the swap (plugins.search.indexing): one index per ``<html lang>``,
  French words stemmed as French, English as English.
"""

from __future__ import annotations

from pelican import signals

from plugins.search.pages import SearchPageGenerator, install_search_globals


def search_page_generator(pelican):
    return SearchPageGenerator


def register() -> None:
    signals.generator_init.connect(install_search_globals)
    signals.get_generators.connect(search_page_generator)
