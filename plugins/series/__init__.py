"""Series of bulletins: slugs, series archives and per-year archives.

A bulletin's series (``Series`` metadata) is its Pelican category, so the
series archive is ``/<series>/``; this plugin adds ``/<series>/<year>/`` and
gives templates the typed ``article.bulletin`` and a ``SERIES_VIEWS`` list.
"""

from __future__ import annotations

from pelican import signals

from plugins.series.archives import (
    assign_slug_and_series,
    attach_bulletins,
    write_series_years,
)


def register() -> None:
    signals.article_generator_context.connect(assign_slug_and_series)
    signals.article_generator_pretaxonomy.connect(attach_bulletins)
    signals.article_writer_finalized.connect(write_series_years)
