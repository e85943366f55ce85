"""Series views for templates, and the per-series, per-year archive pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pelican.urlwrappers import Category

from plugins.i18n.twins import Twin, absolute_url
from plugins.model import Bulletin, Series, bulletin_from_metadata, relative_source, series_table


@dataclass(frozen=True)
class YearArchive:
    """The bulletins of one series published in one year."""

    series: Series
    year: int
    articles: tuple[Any, ...]
    url: str
    save_as: str
    twins: tuple[Twin, ...] = ()


@dataclass(frozen=True)
class SeriesView:
    """A series as the theme shows it: its bulletins, newest first, and years."""

    series: Series
    url: str
    articles: tuple[Any, ...]
    years: tuple[YearArchive, ...]
    twins: tuple[Twin, ...] = ()

    @property
    def latest(self) -> Any | None:
        return self.articles[0] if self.articles else None


def assign_slug_and_series(generator, metadata: dict[str, Any]) -> None:
    """Signal handler: the series becomes the category; the slug is derived.

    ``info-psoc-01`` or ``campagne-2013-04-18``: URLs do not move when a title
    is edited. Invalid metadata is left alone: plugins.validation reports it.
    """
    settings = generator.settings
    table = series_table(settings)
    key = str(metadata.get("series", "")).strip()
    if key in table:
        metadata["category"] = Category(key, settings)
    bulletin = bulletin_from_metadata(metadata, "", table)
    if bulletin is not None and "slug" not in metadata:
        metadata["slug"] = bulletin.slug


def bulletin_of(article: Any, settings: dict[str, Any]) -> Bulletin | None:
    return bulletin_from_metadata(
        article.metadata,
        relative_source(article.source_path, settings),
        series_table(settings),
    )


def attach_bulletins(generator) -> None:
    """Signal handler: ``article.bulletin`` and the ``SERIES_VIEWS`` context."""
    settings = generator.settings
    for article in generator.articles:
        article.bulletin = bulletin_of(article, settings)
    lang = settings["DEFAULT_LANG"]
    # Independent of plugin order: only this sub-site's language is listed.
    views = series_views(
        [a for a in generator.articles if a.bulletin is not None and a.bulletin.lang == lang],
        series_table(settings),
        settings,
        published_elsewhere(generator, settings),
    )
    generator.context["SERIES_VIEWS"] = views
    generator.series_views = views


def published_elsewhere(generator, settings: dict[str, Any]) -> dict[str, set[tuple]]:
    """For each other language, the (series,) and (series, year) it publishes."""
    lang = settings["DEFAULT_LANG"]
    table = series_table(settings)
    found: dict[str, set[tuple]] = {}
    for other, articles in getattr(generator, "articles_by_lang", {}).items():
        if other == lang:
            continue
        keys = found.setdefault(other, set())
        for article in articles:
            bulletin = bulletin_from_metadata(article.metadata, "", table)
            if bulletin is not None:
                keys.add((bulletin.series.key,))
                keys.add((bulletin.series.key, bulletin.date.year))
    return found


def _twins(
    key: tuple, url: str, title: str, elsewhere: dict[str, set[tuple]], siteurls
) -> tuple[Twin, ...]:
    return tuple(
        Twin(lang=other, url=absolute_url(siteurls.get(other, ""), url), title=title)
        for other, keys in sorted(elsewhere.items())
        if key in keys
    )


def series_views(
    articles: Iterable[Any],
    table: dict[str, Series],
    settings: dict[str, Any],
    elsewhere: dict[str, set[tuple]] | None = None,
) -> list[SeriesView]:
    """One view per configured series (in settings order), newest first."""
    elsewhere = elsewhere or {}
    siteurls = settings.get("LANGUAGE_SITEURLS", {})
    by_series: dict[str, list[Any]] = {key: [] for key in table}
    for article in articles:
        by_series[article.bulletin.series.key].append(article)
    views = []
    for key, items in by_series.items():
        items.sort(key=lambda a: (a.bulletin.date, a.bulletin.number or 0), reverse=True)
        years: dict[int, list[Any]] = {}
        for article in items:
            years.setdefault(article.bulletin.date.year, []).append(article)
        archives = tuple(
            YearArchive(
                series=table[key],
                year=year,
                articles=tuple(year_items),
                url=settings["SERIES_YEAR_URL"].format(series=key, year=year),
                save_as=settings["SERIES_YEAR_SAVE_AS"].format(series=key, year=year),
                twins=_twins(
                    (key, year),
                    settings["SERIES_YEAR_URL"].format(series=key, year=year),
                    str(year),
                    elsewhere,
                    siteurls,
                ),
            )
            for year, year_items in sorted(years.items(), reverse=True)
        )
        views.append(
            SeriesView(
                series=table[key],
                url=settings["CATEGORY_URL"].format(slug=key),
                articles=tuple(items),
                years=archives,
                twins=_twins(
                    (key,),
                    settings["CATEGORY_URL"].format(slug=key),
                    key,
                    elsewhere,
                    siteurls,
                ),
            )
        )
    return views


def write_series_years(generator, writer) -> None:
    """Signal handler: write ``/<series>/<year>/index.html`` pages."""
    template = generator.get_template("series_year")
    for view in getattr(generator, "series_views", []):
        for archive in view.years:
            writer.write_file(
                archive.save_as,
                template,
                generator.context,
                series_view=view,
                archive=archive,
                articles=archive.articles,
                url=archive.url,
                relative_urls=generator.settings["RELATIVE_URLS"],
            )
