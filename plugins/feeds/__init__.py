"""RSS and Atom feeds of the bulletins, per series and per language (feedgen).

Pelican's own feeds are off: they have no enclosures and no stable ids.
Every page links the all-bulletins feeds of its language; series pages add
their series' feeds; the subscribe page lists every feed URL. Each item has
the full text with absolute links, a ``tag:`` id from series, number (or
date) and language, and the PDF edition as its enclosure.
"""

from __future__ import annotations

from pelican import signals

from plugins.feeds.site import announce_feeds, plan_feeds, write_feeds


def register() -> None:
    signals.generator_init.connect(announce_feeds)
    signals.article_generator_finalized.connect(plan_feeds)
    signals.finalized.connect(write_feeds)
