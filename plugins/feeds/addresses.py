"""Where each feed lives: its file, its URL and how pages announce it.

Feed URLs are a promise to subscribers: ``/flux/bulletins.rss.xml`` and
``/flux/<series>.atom.xml`` (English: ``/en/feeds/…``) never move.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from plugins.addresses import absolute_base
from plugins.model import Series

ALL_BULLETINS = "bulletins"
FORMATS = {
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "atom": ("atom.xml", "application/atom+xml", "Atom"),
}


@dataclass(frozen=True)
class FeedAddress:
    """One feed file of one sub-site: all bulletins or one series, RSS or Atom."""

    name: str  # "bulletins" or a series key
    format: str  # "rss" or "atom"
    lang: str
    title: str  # « Bulletins de la CTROC — INFO-PSOC »
    save_as: str  # relative to the sub-site's OUTPUT_PATH and SITEURL: flux/info-psoc.rss.xml
    absolute_url: str  # always absolute: the feed's own self link, the address to copy
    series: Series | None = None

    @property
    def mime_type(self) -> str:
        return FORMATS[self.format][1]

    @property
    def format_label(self) -> str:
        return FORMATS[self.format][2]

    def as_link(self) -> dict[str, str]:
        """The dict base.html renders as ``<link rel="alternate">`` (``path | href``)."""
        return {
            "type": self.mime_type,
            "title": f"{self.title} ({self.format_label})",
            "path": self.save_as,
        }


def feed_address(
    settings: Mapping[str, Any],
    name: str,
    fmt: str,
    title: str,
    series: Series | None = None,
) -> FeedAddress:
    """The address of one feed of the sub-site described by ``settings``."""
    save_as = f"{settings['FEEDS_DIR']}/{name}.{FORMATS[fmt][0]}"
    return FeedAddress(
        name=name,
        format=fmt,
        lang=settings["DEFAULT_LANG"],
        title=title,
        save_as=save_as,
        absolute_url=f"{absolute_base(settings)}/{save_as}",
        series=series,
    )


def feed_addresses(
    settings: Mapping[str, Any],
    sitename: str,
    all_title: str,
    series: Iterable[Series],
) -> list[FeedAddress]:
    """All-bulletins feeds first, then each given series' feeds, RSS before Atom."""
    lang = settings["DEFAULT_LANG"]
    addresses = [
        feed_address(settings, ALL_BULLETINS, fmt, f"{sitename} — {all_title}") for fmt in FORMATS
    ]
    for one in series:
        addresses += [
            feed_address(settings, one.key, fmt, f"{sitename} — {one.short_title(lang)}", one)
            for fmt in FORMATS
        ]
    return addresses
