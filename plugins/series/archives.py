"""Series views for templates, and the per-series, per-year archive pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plugins.context import current
from plugins.i18n.twins import Twin
from plugins.model import Series, series_table

if TYPE_CHECKING:
    from plugins.content.loading import ContentModel


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


def attach_bulletin(content: Any) -> None:
    """Signal handler (content_object_init): the typed ``bulletin`` of a bulletin."""
    file = current().model.file(content.source_path)
    if file is not None and file.relative.startswith("bulletins/"):
        content.bulletin = current().model.bulletin(file)


def plan_series_views(generator) -> None:
    """Signal handler: the ``SERIES_VIEWS`` of the sub-site (its own bulletins)."""
    settings = generator.settings
    table = series_table(settings)
    views = series_views(
        [a for a in generator.articles if getattr(a, "bulletin", None) is not None],
        table,
        settings,
        published_elsewhere(current().model, settings["DEFAULT_LANG"]),
    )
    generator.context["SERIES_VIEWS"] = views


def published_elsewhere(model: ContentModel, lang: str) -> dict[str, set[tuple]]:
    """For each other language, the (series,) and (series, year) it publishes."""
    found: dict[str, set[tuple]] = {}
    for file in model.bulletins:
        bulletin = model.bulletin(file)
        if bulletin is None or bulletin.lang == lang:
            continue
        keys = found.setdefault(bulletin.lang, set())
        keys.add((bulletin.series.key,))
        keys.add((bulletin.series.key, bulletin.date.year))
    return found


def _twins(key: tuple, path: str, title: str, elsewhere: dict[str, set[tuple]]) -> tuple[Twin, ...]:
    return tuple(
        Twin(lang=other, path=path, title=title)
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
                ),
            )
        )
    return views


def write_series_years(generator, writer) -> None:
    """Signal handler: write ``/<series>/<year>/index.html`` pages."""
    template = generator.get_template("series_year")
    for view in generator.context.get("SERIES_VIEWS", []):
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
