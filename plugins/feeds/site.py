"""Signal handlers: announce the feeds to templates, then write them.

Pages learn the feed addresses early (autodiscovery links, subscribe page);
the feeds themselves are written at ``finalized``, once the PDF editions
exist, so each item can enclose its PDF with its real size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plugins.addresses import absolute_base
from plugins.context import current
from plugins.feeds.addresses import ALL_BULLETINS, FeedAddress, feed_addresses
from plugins.feeds.items import FeedItem, KeptLinks, article_sort_key, feed_item
from plugins.feeds.render import FeedHeader, render_feed
from plugins.i18n.catalogues import gettext_for
from plugins.i18n.typography import typeset_text
from plugins.memo import cache_root
from plugins.model import ProblemLog, Series

if TYPE_CHECKING:
    from plugins.content.kept import KeptPages

PLAN = "feeds"


@dataclass(frozen=True)
class FeedGroup:
    """The RSS and Atom feeds of one subject, as the subscribe page lists them."""

    name: str
    title: str
    series: Series | None
    feeds: tuple[FeedAddress, ...]


@dataclass(frozen=True)
class FeedPlan:
    """What the sub-site's feeds will hold, decided before pages are written."""

    addresses: tuple[FeedAddress, ...]
    articles: tuple[Any, ...]


def all_bulletins_title(settings: Mapping[str, Any]) -> str:
    _ = gettext_for(settings["THEME"], settings["DEFAULT_LANG"])
    return _("tous les bulletins")


def addresses_for(settings: Mapping[str, Any], series: Sequence[Series]) -> list[FeedAddress]:
    return feed_addresses(settings, settings["SITENAME"], all_bulletins_title(settings), series)


def feed_groups(addresses: Sequence[FeedAddress], lang: str, all_title: str) -> list[FeedGroup]:
    """Addresses grouped by subject, in order: all bulletins, then each series."""
    groups: dict[str, list[FeedAddress]] = {}
    for address in addresses:
        groups.setdefault(address.name, []).append(address)
    return [
        FeedGroup(
            name=name,
            title=typeset_text(feeds[0].series.title(lang), lang) if feeds[0].series else all_title,
            series=feeds[0].series,
            feeds=tuple(feeds),
        )
        for name, feeds in groups.items()
    ]


def announce_feeds(generator) -> None:
    """Signal handler (generator_init): every page links the all-bulletins feeds."""
    settings = generator.settings
    addresses = addresses_for(settings, [])
    generator.context["FEED_LINKS"] = [address.as_link() for address in addresses]
    generator.context["FEED_BASE_URL"] = absolute_base(settings)


def plan_feeds(generator) -> None:
    """Signal handler (article_generator_finalized): decide which feeds exist.

    One feed pair for all bulletins, and one per series that has bulletins in
    this language; templates get them as ``FEED_GROUPS`` (subscribe page) and
    ``SERIES_FEED_LINKS`` (series pages' autodiscovery).
    """
    settings = generator.settings
    lang = settings["DEFAULT_LANG"]
    articles = tuple(
        article
        for article in generator.articles
        if getattr(article, "bulletin", None) is not None and article.bulletin.lang == lang
    )
    present = {article.bulletin.series.key for article in articles}
    series = [view.series for view in generator.context.get("SERIES_VIEWS", [])]
    addresses = addresses_for(settings, [one for one in series if one.key in present])
    groups = feed_groups(addresses, lang, all_bulletins_title(settings))
    generator.context["FEED_GROUPS"] = groups
    generator.context["SERIES_FEED_LINKS"] = {
        group.name: [feed.as_link() for feed in group.feeds]
        for group in groups
        if group.series is not None
    }
    # ``finalized`` only receives the Pelican object: the build's context carries the plan.
    current().set_plan(lang, PLAN, FeedPlan(tuple(addresses), articles))


def feed_header(address: FeedAddress, settings: Mapping[str, Any]) -> FeedHeader:
    """What one feed says about itself, in the sub-site's language."""
    _ = gettext_for(settings["THEME"], settings["DEFAULT_LANG"])
    base = absolute_base(settings)
    organisation = settings.get("ORGANISATION") or {}
    if address.series is None:
        home = f"{base}/"
        description = _(
            "Chaque bulletin de la CTROC dès sa parution : le texte intégral et l'édition PDF."
        )
    else:
        home = f"{base}/{settings['CATEGORY_URL'].format(slug=address.name)}"
        description = address.series.description(address.lang) or address.title
    return FeedHeader(
        address=address,
        feed_id=f"tag:{settings['FEED_TAG_AUTHORITY']}:feeds/{address.name}/{address.lang}",
        home_url=home,
        description=description,
        author_name=str(organisation.get("name") or settings.get("AUTHOR", "")),
        author_email=str(organisation.get("email") or ""),
        language=str(settings.get("LOCALE_CODE") or address.lang).replace("_", "-"),
    )


def articles_of(address: FeedAddress, newest: Sequence[Any], limit: int | None) -> list[Any]:
    """The bulletins one feed holds, from ``newest`` (sorted newest first), at most ``limit``."""
    chosen = [
        article
        for article in newest
        if address.name == ALL_BULLETINS or article.bulletin.series.key == address.name
    ]
    return chosen[:limit] if limit else chosen


class ItemMemo:
    """Each bulletin's feed item, built once for all the feeds that hold it.

    Building an item absolutizes its HTML (lxml): the RSS and Atom feeds, of
    all bulletins and of its series, share that work, and the next build reads
    it back (``links``, a ``KeptLinks``). Problems are logged once.
    """

    def __init__(self, settings: Mapping[str, Any], base: str, log: ProblemLog, links: KeptLinks):
        self.settings, self.base, self.log, self.links = settings, base, log, links
        self.items: dict[int, FeedItem] = {}

    def item(self, article: Any) -> FeedItem:
        key = id(article)
        if key not in self.items:
            file = current().model.file(article.source_path)
            text = file.text if file is not None else ""
            item, problems = feed_item(article, self.settings, self.base, text, self.links)
            self.log.extend(problems)
            self.items[key] = item
        return self.items[key]


def write_feeds(pelican) -> None:
    """Signal handler (finalized): write every planned feed of the sub-site.

    Each feed holds the newest FEED_MAX_ITEMS bulletins; only those get a feed
    item, each built once (``ItemMemo``), so a long archive costs no more than
    its latest bulletins.
    """
    settings = pelican.settings
    context = current()
    plan: FeedPlan | None = context.plan(settings["DEFAULT_LANG"], PLAN)
    if plan is None or not context.writes_everything:
        return
    lang = settings["DEFAULT_LANG"]
    links = KeptLinks(cache_root(settings) / "feeds" / f"links-{lang}.json")
    memo = ItemMemo(settings, absolute_base(settings), context.problems, links)
    newest = sorted(
        plan.articles, key=lambda article: article_sort_key(article, settings), reverse=True
    )
    limit = settings.get("FEED_MAX_ITEMS")
    output = Path(settings["OUTPUT_PATH"])
    for address in plan.addresses:
        items = [memo.item(article) for article in articles_of(address, newest, limit)]
        write_feed(output / address.save_as, feed_header(address, settings), items, context.kept)
    links.save()


def write_feed(
    target: Path, header: FeedHeader, items: list[FeedItem], kept: KeptPages | None
) -> None:
    """Render one feed into ``target``, unless the published site's was made from the
    same header and items: that one is kept (plugins.content.kept), as a page is.

    Its items are made anyway (their problems are this build's); rendering them
    into RSS or Atom is what a rebuild after one edited bulletin need not redo.
    """
    if kept is None:
        write_bytes(target, render_feed(header, items))
        return
    name = kept.name(target)
    key = kept.key_of(name, repr(header) + "".join(item.digest for item in items))
    if kept.keep(name, key):
        return
    kept.make_room(name)
    with kept.rendering(name, key):
        write_bytes(target, render_feed(header, items))
        kept.wrote(str(target))


def write_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
