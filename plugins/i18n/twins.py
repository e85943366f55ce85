"""Each bulletin and page links to its twin in the other language, from the model.

A sub-site's Pelican run reads only its own language's files; the twins of
its items come from the loaded model, where every language's files are. A
twin's path is the shape the other sub-site gives it (the same URL settings,
another SITEURL); templates link it with ``href`` (plugins.addresses.SiteLinks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plugins.context import current
from plugins.model import Bulletin, SourceFile

if TYPE_CHECKING:
    from plugins.content.loading import ContentModel


@dataclass(frozen=True)
class Twin:
    """The same bulletin or page in another language."""

    lang: str
    path: str  # in its own sub-site: info-psoc/info-psoc-01/
    title: str


def item_slug(file: SourceFile, settings: Mapping[str, Any], bulletin: Bulletin | None) -> str:
    """The slug Pelican publishes ``file`` under: ``Slug``, else the bulletin's
    (``info-psoc-01``), else the title slugified as Pelican does it."""
    from pelican.utils import slugify

    explicit = (file.raw("slug") or "").strip()
    if explicit:
        return explicit
    if bulletin is not None:
        return bulletin.slug
    return slugify(
        file.raw("title") or file.stem,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def translation_groups(
    files: Iterable[SourceFile], slugs: Mapping[str, str]
) -> dict[str, tuple[SourceFile, ...]]:
    """Files by translation key (``Translation``, else the slug): each group is one
    item in every language it has."""
    groups: dict[str, list[SourceFile]] = {}
    for file in files:
        key = (file.raw("translation") or "").strip() or slugs[file.source_path]
        groups.setdefault(key, []).append(file)
    return {key: tuple(group) for key, group in groups.items()}


def item_url(file: SourceFile, model: ContentModel, settings: Mapping[str, Any]) -> str:
    """The URL of ``file`` in its own sub-site, relative to that sub-site's SITEURL."""
    slug = model.slug(file)
    bulletin = model.bulletin(file)
    if bulletin is None:
        return settings["PAGE_URL"].format(slug=slug, lang=file.lang)
    return settings["ARTICLE_URL"].format(
        slug=slug, category=bulletin.series.key, lang=file.lang, date=bulletin.date
    )


def twins_of(
    file: SourceFile,
    model: ContentModel,
    settings: Mapping[str, Any],
    siteurls: Mapping[str, str],
) -> list[Twin]:
    """The files of ``file``'s translation group in another language the site builds
    (a key of ``siteurls``)."""
    return [
        Twin(
            lang=other.lang,
            path=item_url(other, model, settings),
            title=other.raw("title") or "",
        )
        for other in model.translations_of(file)
        if other.lang != file.lang and other.lang in siteurls
    ]


def attach_twins(content: Any) -> None:
    """Signal handler (content_object_init): ``twins`` of a bulletin or page."""
    context = current()
    file = context.model.file(content.source_path)
    if file is None:
        return  # a static file
    content.twins = twins_of(file, context.model, content.settings, context.siteurls)
