"""Each sub-site keeps its own language and links every item to its twin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from plugins.model import parse_lang


@dataclass(frozen=True)
class Twin:
    """The same bulletin or page in another language."""

    lang: str
    url: str
    title: str


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


def link_article_twins(generator) -> None:
    """Signal handler: filter the article generator to its sub-site language."""
    lang = generator.settings["DEFAULT_LANG"]
    siteurls = _siteurls(generator.settings)
    # Every language's published articles, for series pages' twins (plugins.series).
    generator.articles_by_lang = {}
    for article in generator.articles:
        generator.articles_by_lang.setdefault(content_lang(article), []).append(article)
    for name in ("articles", "hidden_articles", "drafts"):
        setattr(generator, name, link_twins(getattr(generator, name), lang, siteurls))
    generator.translations = []
    generator.hidden_translations = []
    generator.drafts_translations = []


def link_page_twins(generator) -> None:
    """Signal handler: same for pages (lists changed in place: the context shares them)."""
    lang = generator.settings["DEFAULT_LANG"]
    siteurls = _siteurls(generator.settings)
    for name in ("pages", "hidden_pages", "draft_pages"):
        items = getattr(generator, name)
        items[:] = link_twins(items, lang, siteurls)
    generator.translations = []
    generator.hidden_translations = []
    generator.draft_translations = []
