"""RSS 2.0 and Atom bytes from feed items, with feedgen.

The bytes depend on the items only (the feed's date is its newest item's,
never the build time), so two builds of the same content are identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from plugins.feeds.addresses import FeedAddress
from plugins.feeds.items import FeedItem

# The date of a feed with no item yet: fixed, so an empty feed is deterministic too.
EMPTY_FEED_DATE = dt.datetime(2013, 1, 1, tzinfo=dt.UTC)
GENERATOR = "Bulletins (feedgen)"


@dataclass(frozen=True)
class FeedHeader:
    """What a feed says about itself."""

    address: FeedAddress
    feed_id: str  # tag: URI
    home_url: str  # the page the feed follows (home or series page), absolute
    description: str
    author_name: str
    author_email: str
    language: str  # fr-CA / en-CA


class AtomLinkRepair(BaseEntryExtension):
    """Puts back ``rel``, ``type`` and ``length`` on Atom entry links.

    feedgen 1.0.0 drops them (its issues #135 and #143), which turns the PDF
    enclosure into a second alternate link; this restores the attributes.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def remember(self, links: Sequence[dict[str, str]]) -> None:
        self.links = [dict(link) for link in links]

    def extend_atom(self, entry):
        elements = [e for e in entry if etree.QName(e).localname == "link"]
        for element, link in zip(elements, self.links, strict=False):
            if element.get("href") != link.get("href"):
                continue
            for name in ("rel", "type", "hreflang", "title", "length"):
                if link.get(name):
                    element.set(name, str(link[name]))
        return entry


def person(name: str, email: str) -> dict[str, str]:
    """A feedgen author: the e-mail only when there is one."""
    return {"name": name, "email": email} if email else {"name": name}


def feed_updated(items: Sequence[FeedItem]) -> dt.datetime:
    """The newest item's date: the feed's ``updated`` and ``lastBuildDate``."""
    return max((item.updated for item in items), default=EMPTY_FEED_DATE)


def feed_generator(header: FeedHeader, items: Sequence[FeedItem]) -> FeedGenerator:
    """A feedgen feed holding ``items`` in the given order."""
    fg = FeedGenerator()
    fg.id(header.feed_id)
    fg.title(header.address.title)
    fg.subtitle(header.description)
    # feedgen gives RSS's <link> the last link: the page, not the feed itself.
    fg.link(href=header.address.absolute_url, rel="self", type=header.address.mime_type)
    fg.link(href=header.home_url, rel="alternate", type="text/html")
    fg.language(header.language)
    fg.author(person(header.author_name, header.author_email))
    fg.generator(GENERATOR)
    fg.updated(feed_updated(items))
    for item in items:
        add_entry(fg, item)
    return fg


def add_entry(fg: FeedGenerator, item: FeedItem) -> None:
    entry = fg.add_entry(order="append")
    entry.id(item.guid)
    entry.guid(item.guid, permalink=False)
    entry.title(item.title)
    entry.link(href=item.link, rel="alternate", type="text/html")
    entry.content(item.content, type="html")
    if item.summary:
        entry.summary(item.summary, type="html")
    entry.published(item.published)
    entry.updated(item.updated)
    entry.author(person(item.author_name, item.author_email))
    entry.category(term=item.category.term, label=item.category.label, scheme=item.category.scheme)
    if item.enclosure is not None:
        entry.enclosure(item.enclosure.url, str(item.enclosure.length), item.enclosure.mime_type)
    entry.register_extension("atomlinks", AtomLinkRepair, atom=True, rss=False)
    entry.atomlinks.remember(entry.link())


def render_feed(header: FeedHeader, items: Sequence[FeedItem]) -> bytes:
    """The feed's file content, RSS or Atom as its address says."""
    fg = feed_generator(header, items)
    if header.address.format == "rss":
        return fg.rss_str(pretty=True)
    return fg.atom_str(pretty=True)
