"""Markdown converted once per content, not once per sub-site and per build.

plugins/build runs one Pelican run per language and each run reads every
Markdown file: without this cache a build converts the whole archive twice
and a rebuild with nothing changed converts it all again. The reader installed
here keeps, for each file's exact text and the Markdown settings, the HTML and
the raw metadata lines — in memory for the other sub-site of the same build,
and on disk under ``BUILD_CACHE_PATH/markdown/`` for the next build. Metadata
is still processed by every run (dates, URLs and settings differ per
sub-site), so a cached read gives exactly what a fresh read gives.

Before a run reads its first bulletin, the ones no cache holds are converted
by a pool of processes (``plugins.reader_cache.ahead``), one per core.

A file whose Markdown expands content from elsewhere (the meetings'
``[[calendrier …]]`` marker) is keyed on that content too: see
``plugins.reader_cache.keys``.
"""

from __future__ import annotations

import os

from pelican import signals

from plugins.reader_cache.ahead import convert_ahead
from plugins.reader_cache.reader import install_caching_reader


def convert_articles_ahead(generator) -> None:
    """Signal handler (each article's preread; acts on the first): convert the
    run's uncached bulletins in parallel before Pelican reads them one by one."""
    if getattr(generator, "converted_ahead", False):
        return
    generator.converted_ahead = True
    settings = generator.settings
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    convert_ahead(settings, [os.path.join(generator.path, f) for f in sorted(files)])


def register() -> None:
    signals.readers_init.connect(install_caching_reader)
    signals.article_generator_preread.connect(convert_articles_ahead)
