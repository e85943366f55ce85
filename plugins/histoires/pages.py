"""The wall of the action's messages, per regroupement, and its feed.

``/histoires-docasss/messages/`` lists every event newest first with its
messages; ``…/messages/<regroupement>/`` one regroupement's; the English
sub-site has the same pages under ``/en/`` (the messages stay as they were
sent, in French). Each message links its hashtags and mentions, and offers
« Publier sur X » (a web intent with the text filled in) and « Partager sur
Facebook » (the message's place on the wall). Each sub-site also writes the
messages' feeds (``/flux/histoires.rss.xml`` and ``.atom.xml``; ``/en/feeds/…``)
and the printable compilations (``plugins.histoires.compilation``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican.generators import Generator

from plugins.addresses import absolute_base, published_base
from plugins.context import current
from plugins.feeds.addresses import FeedAddress, feed_address
from plugins.feeds.items import Category, FeedItem
from plugins.feeds.render import FeedHeader, render_feed
from plugins.histoires.compilation import Compilation, publish_compilations
from plugins.histoires.reading import Wall
from plugins.histoires.rules import HASHTAG
from plugins.i18n.catalogues import gettext_for
from plugins.model import Regroupement, Story, StoryMessage

WALL_DIR = "histoires-docasss/messages"
FEED_NAME = "histoires"
TIMEZONE = ZoneInfo("America/Montreal")
_MENTION = re.compile(r"(?<![\w@])@(\w+)")


@dataclass(frozen=True)
class MessageView:
    """A message as the wall shows it."""

    anchor: str
    message: StoryMessage
    html: Markup
    post_url: str  # « Publier sur X »: the text pre-filled
    share_url: str  # « Partager sur Facebook »: the message's place on the wall


@dataclass(frozen=True)
class EventView:
    story: Story
    messages: tuple[MessageView, ...]


@dataclass(frozen=True)
class GroupView:
    group: Regroupement
    url: str  # histoires-docasss/messages/rccq/
    events: tuple[EventView, ...]
    count: int
    pdf: Compilation | None = None


def linked(text: str) -> Markup:
    """The message's text, escaped, its hashtags and mentions as links."""
    escaped = html.escape(text, quote=True)
    escaped = HASHTAG.sub(
        lambda m: f'<a href="https://x.com/hashtag/{m.group(1)}">#{m.group(1)}</a>', escaped
    )
    escaped = _MENTION.sub(
        lambda m: f'<a href="https://x.com/{m.group(1)}">@{m.group(1)}</a>', escaped
    )
    return Markup(escaped)


def post_url(text: str) -> str:
    return "https://x.com/intent/post?" + urllib.parse.urlencode({"text": text})


def share_url(page: str) -> str:
    return "https://www.facebook.com/sharer/sharer.php?" + urllib.parse.urlencode({"u": page})


def event_views(stories: Sequence[Story], wall_url: str) -> tuple[EventView, ...]:
    """Each story with its messages, anchored on the wall at ``wall_url`` (absolute)."""
    views = []
    for story in stories:
        messages = []
        for index, message in enumerate(story.messages, start=1):
            anchor = f"{story.slug}-{index}"
            messages.append(
                MessageView(
                    anchor=anchor,
                    message=message,
                    html=linked(message.text),
                    post_url=post_url(message.text),
                    share_url=share_url(f"{wall_url}#{anchor}"),
                )
            )
        views.append(EventView(story, tuple(messages)))
    return tuple(views)


def group_views(
    wall: Wall, base: str, compilations: Mapping[str, Compilation]
) -> tuple[GroupView, ...]:
    """Each regroupement with messages, by name."""
    views = []
    for group in sorted(wall.regroupements.values(), key=lambda g: g.name.casefold()):
        stories = wall.of_group(group.key)
        if not stories:
            continue
        url = f"{WALL_DIR}/{group.key}/"
        views.append(
            GroupView(
                group,
                url,
                event_views(stories, f"{base}/{url}"),
                wall.message_count(group.key),
                compilations.get(group.key),
            )
        )
    return tuple(views)


def feed_items(
    events: Sequence[EventView], settings: Mapping[str, Any], wall_url: str
) -> list[FeedItem]:
    """One entry per message of the wall's ``events``, newest event first."""
    organisation = settings.get("ORGANISATION") or {}
    authority = settings["FEED_TAG_AUTHORITY"]
    action = (settings.get("ACTION") or {}).get("name", "Histoires d'OCASSS")
    items = []
    for event in events:
        story = event.story
        moment = dt.datetime.combine(story.date, dt.time(), tzinfo=TIMEZONE)
        for view in event.messages:
            who = story.group.acronym if story.group else ""
            text = view.message.text
            title = f"{story.title} ({view.message.network.value.capitalize()})"
            items.append(
                FeedItem(
                    guid=f"tag:{authority}:histoires/{view.anchor}/{settings['DEFAULT_LANG']}",
                    title=title,
                    link=f"{wall_url}#{view.anchor}",
                    content=f"<p>{view.html}</p>",
                    summary=html.escape(f"{who} : {text}" if who else text),
                    published=moment,
                    updated=moment,
                    category=Category("histoires", action, wall_url),
                    lang="fr",
                    number=None,
                    author_name=str(organisation.get("name") or ""),
                    author_email=str(organisation.get("email") or ""),
                    enclosure=None,
                )
            )
    return items


def histoires_feeds(settings: Mapping[str, Any]) -> list[FeedAddress]:
    _ = gettext_for(settings["THEME"], settings["DEFAULT_LANG"])
    title = _("Histoires d'OCASSS — les messages")
    return [feed_address(settings, FEED_NAME, fmt, title) for fmt in ("rss", "atom")]


class WallGenerator(Generator):
    """Writes the wall, one page per regroupement, its feeds and its compilations."""

    def generate_context(self) -> None:
        self.wall = current().model.wall
        self.context["HISTOIRES_URL"] = f"{WALL_DIR}/"
        self.context["HISTOIRES_COUNT"] = self.wall.message_count() if self.wall else 0
        has_messages = self.wall is not None and bool(self.wall.stories)
        self.feeds = histoires_feeds(self.settings) if has_messages else []
        self.context["HISTOIRES_FEEDS"] = self.feeds

    def generate_output(self, writer) -> None:
        if self.wall is None or not self.wall.stories or not current().writes_everything:
            return
        settings = self.settings
        base = absolute_base(settings)
        wall_url = f"{base}/{WALL_DIR}/"
        printed_url = f"{published_base(settings)}/{WALL_DIR}/"
        compilations = publish_compilations(self.wall, settings, f"{WALL_DIR}/", printed_url)
        groups = group_views(self.wall, base, {k: v for k, v in compilations.items() if k})
        events = event_views(self.wall.stories, wall_url)
        common = {
            "relative_urls": settings["RELATIVE_URLS"],
            "groups": groups,
            "wall_feeds": [address.as_link() for address in self.feeds],
            "wall_url": f"{WALL_DIR}/",
        }
        writer.write_file(
            f"{WALL_DIR}/index.html",
            self.get_template("histoires/wall"),
            self.context,
            events=events,
            shown_count=self.wall.message_count(),
            group=None,
            pdf=compilations.get(None),
            page_url=f"{WALL_DIR}/",
            **common,
        )
        for view in groups:
            writer.write_file(
                f"{view.url}index.html",
                self.get_template("histoires/wall"),
                self.context,
                events=view.events,
                shown_count=view.count,
                group=view,
                pdf=view.pdf,
                page_url=view.url,
                **common,
            )
        self.write_feeds(events, wall_url)

    def write_feeds(self, events: Sequence[EventView], wall_url: str) -> None:
        items = feed_items(events, self.settings, wall_url)
        organisation = self.settings.get("ORGANISATION") or {}
        lang = self.settings["DEFAULT_LANG"]
        _ = gettext_for(self.settings["THEME"], lang)
        for address in self.feeds:
            header = FeedHeader(
                address=address,
                feed_id=f"tag:{self.settings['FEED_TAG_AUTHORITY']}:feeds/{FEED_NAME}/{lang}",
                home_url=wall_url,
                description=_(
                    "Les messages de l'action « Histoires d'OCASSS » envoyés à la ministre."
                ),
                author_name=str(organisation.get("name") or ""),
                author_email=str(organisation.get("email") or ""),
                language=str(self.settings.get("LOCALE_CODE") or "fr").replace("_", "-"),
            )
            target = Path(self.settings["OUTPUT_PATH"]) / address.save_as
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render_feed(header, items))
