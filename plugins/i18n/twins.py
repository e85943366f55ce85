"""Each sub-site keeps its own language and links every item to its twin.

The first run of a build reads every language's files (its items need their
twins) and records them in a ``LanguageIndex``; the runs after it read only
their own language's files and take the other languages from the index.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from plugins.model import parse_lang


@dataclass(frozen=True)
class Twin:
    """The same bulletin or page in another language."""

    lang: str
    url: str
    title: str


@dataclass(frozen=True)
class Known:
    """An item of another language, as the runs after the first one see it."""

    metadata: dict[str, Any]
    slug: str
    url: str
    title: str
    source_path: str


@dataclass
class LanguageIndex:
    """Every language's items, recorded by a build's first run for the runs after it."""

    # (generator kind, list name) -> the items of every language in that list.
    lists: dict[tuple[str, str], list[Known]] = field(default_factory=dict)
    # Absolute source path -> the language it declares.
    langs: dict[str, str] = field(default_factory=dict)

    def knows(self, kind: str) -> bool:
        return any(recorded == kind for recorded, _ in self.lists)

    def record(self, kind: str, name: str, items: Iterable[Any]) -> None:
        known = self.lists.setdefault((kind, name), [])
        for item in items:
            path = os.path.abspath(item.source_path)
            known.append(Known(item.metadata, item.slug, item.url, item.title, path))
            self.langs[path] = content_lang(item)

    def elsewhere(self, kind: str, name: str, lang: str) -> list[Known]:
        """The recorded items of ``name`` in any language but ``lang``."""
        return [k for k in self.lists.get((kind, name), []) if content_lang(k) != lang]


def content_lang(content: Any) -> str:
    """The language a content file declares (French when it says nothing)."""
    return parse_lang(content.metadata.get("lang", "fr")) or "fr"


def twin_key(content: Any) -> str:
    return str(content.metadata.get("translation") or content.slug).strip()


def absolute_url(siteurl: str, url: str) -> str:
    return f"{siteurl.rstrip('/')}/{url.lstrip('/')}"


def link_twins(everything: Iterable[Any], lang: str, siteurls: dict[str, str]) -> list[Any]:
    """Keep the items of ``lang``; give each a ``twins`` list of the others."""
    items = list(everything)
    by_key: dict[str, list[Any]] = {}
    for item in items:
        by_key.setdefault(twin_key(item), []).append(item)
    kept = []
    for item in items:
        if content_lang(item) != lang:
            continue
        item.twins = [
            Twin(
                lang=content_lang(other),
                url=absolute_url(siteurls.get(content_lang(other), ""), other.url),
                title=other.title,
            )
            for other in by_key[twin_key(item)]
            if content_lang(other) != lang
        ]
        kept.append(item)
    return kept


def _siteurls(settings: dict[str, Any]) -> dict[str, str]:
    return settings.get("LANGUAGE_SITEURLS") or {settings["DEFAULT_LANG"]: settings["SITEURL"]}


def language_index(generator) -> LanguageIndex | None:
    """The build's index (plugins/build shares one between its runs), if any."""
    return generator.settings.get("LANGUAGE_INDEX")


def read_own_language(generator) -> None:
    """Signal handler (articles and pages generators' init): after the build's
    first run, read only the files of this sub-site's language.

    A file the first run could not read is not in the index: it is read again.
    """
    index = language_index(generator)
    if index is None or not index.knows(_kind(generator)):
        return
    lang = generator.settings["DEFAULT_LANG"]
    every_file = generator.get_files

    def own_files(paths, exclude=None, extensions=None):
        found = every_file(paths, exclude=exclude, extensions=extensions)
        where = generator.path
        return {f for f in found if index.langs.get(_absolute(where, f), lang) == lang}

    generator.get_files = own_files


def _absolute(base: str, path: str) -> str:
    return os.path.abspath(os.path.join(base, path))


def _kind(generator) -> str:
    from pelican.generators import PagesGenerator

    return "pages" if isinstance(generator, PagesGenerator) else "articles"


def with_other_languages(generator, kind: str, name: str) -> list[Any]:
    """The generator's ``name`` list, plus the other languages' items when it read only its own.

    The first run of a build (it reads everything) records its lists instead.
    """
    items = list(getattr(generator, name))
    index = language_index(generator)
    if index is None:
        return items
    lang = generator.settings["DEFAULT_LANG"]
    if not index.knows(kind) or (kind, name) not in index.lists:
        index.record(kind, name, items)
        return items
    own = [item for item in items if content_lang(item) == lang]
    return own + index.elsewhere(kind, name, lang)


def link_article_twins(generator) -> None:
    """Signal handler: filter the article generator to its sub-site language."""
    lang = generator.settings["DEFAULT_LANG"]
    siteurls = _siteurls(generator.settings)
    lists = {
        name: with_other_languages(generator, "articles", name)
        for name in ("articles", "hidden_articles", "drafts")
    }
    # Every language's published articles, for series pages' twins (plugins.series).
    generator.articles_by_lang = {}
    for article in lists["articles"]:
        generator.articles_by_lang.setdefault(content_lang(article), []).append(article)
    for name, items in lists.items():
        setattr(generator, name, link_twins(items, lang, siteurls))
    generator.translations = []
    generator.hidden_translations = []
    generator.drafts_translations = []


def link_page_twins(generator) -> None:
    """Signal handler: same for pages (lists changed in place: the context shares them)."""
    lang = generator.settings["DEFAULT_LANG"]
    siteurls = _siteurls(generator.settings)
    for name in ("pages", "hidden_pages", "draft_pages"):
        items = with_other_languages(generator, "pages", name)
        getattr(generator, name)[:] = link_twins(items, lang, siteurls)
    generator.translations = []
    generator.hidden_translations = []
    generator.draft_translations = []
