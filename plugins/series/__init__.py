"""Series of bulletins: slugs, series archives and per-year archives.

A bulletin's series (``Series`` metadata) is its Pelican category (the model's
reader says so, plugins.content), so the series archive is ``/<series>/``;
this plugin adds ``/<series>/<year>/`` and gives templates the typed
``article.bulletin`` and a ``SERIES_VIEWS`` list.
"""

from __future__ import annotations

from pelican import signals

from plugins.series.archives import attach_bulletin, plan_series_views, write_series_years


def register() -> None:
    signals.content_object_init.connect(attach_bulletin)
    signals.article_generator_pretaxonomy.connect(plan_series_views)
    signals.article_writer_finalized.connect(write_series_years)
