"""Feeds hold the newest FEED_MAX_ITEMS bulletins, each item built once for all feeds."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import feedparser
import pytest

import pelicanconf
import plugins.feeds.site as feeds_site
from tests.conftest import PROJECT_ROOT, build_copy, read_html

INFO_FR = "tag:ctroc.org,2013:info-psoc/1/fr"
NEWER_FR = "tag:ctroc.org,2013:info-psoc/2/fr"
CAMPAGNE_FR = "tag:ctroc.org,2013:campagne/2013-04-18/fr"


NEWER = """Title: INFO-PSOC no 2 : un numéro plus récent
Date: 2017-09-01
Series: info-psoc
Number: 2
Lang: fr
Translation: info-psoc-02
Summary: Un numéro plus récent que le premier.

Un mot d'introduction, avec un [lien](/a-propos/).

## Budget

Rien de neuf au budget ce mois-ci.

## Groupe de travail

Le groupe de travail se réunira en octobre.

## Engagez-vous pour le communautaire

Participez aux actions régionales.
"""


def entries(site, relative: str) -> list:
    feed = feedparser.parse((site / relative).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed.entries


def test_feeds_hold_at_most_the_configured_number_of_items():
    assert pelicanconf.FEED_MAX_ITEMS == 100


@pytest.fixture(scope="module")
def one_item_site(tmp_path_factory, built_site):
    """The sample site plus a newer INFO-PSOC, built with FEED_MAX_ITEMS=1.

    Also returns how many times each bulletin's feed item was built.
    """
    root = tmp_path_factory.mktemp("one-item")
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "bulletins" / "info-psoc" / "02.md").write_text(NEWER, encoding="utf-8")
    built: Counter = Counter()
    original = feeds_site.feed_item

    def counting(article, *args):
        built[article.source_path] += 1
        return original(article, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(feeds_site, "feed_item", counting)
        build_copy(
            content,
            root / "output",
            FEED_MAX_ITEMS=1,
            RENDER_JOBS=1,  # one process, so the counter sees both languages
            BUILD_CACHE_PATH=str(built_site.parent / "cache"),
        )
    return root / "output", built


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_feed_keeps_only_the_newest_items_when_capped(one_item_site, fmt):
    site, _ = one_item_site
    newest = entries(site, f"flux/bulletins.{fmt}.xml")
    assert [entry.id for entry in newest] == [NEWER_FR]  # 3 bulletins, the newest kept
    assert [e.type for e in newest[0].enclosures] == ["application/pdf"]
    assert "http://localhost:8000/a-propos/" in newest[0].content[0].value
    # The cap is per feed: each series feed holds its own newest bulletin.
    assert [e.id for e in entries(site, f"flux/info-psoc.{fmt}.xml")] == [NEWER_FR]
    assert [e.id for e in entries(site, f"flux/campagne.{fmt}.xml")] == [CAMPAGNE_FR]
    assert [e.id for e in entries(site, f"en/feeds/bulletins.{fmt}.xml")] == [
        "tag:ctroc.org,2013:info-psoc/1/en"
    ]


def test_subscribe_page_still_lists_every_feed_when_capped(one_item_site, built_site):
    site, _ = one_item_site
    page = "abonnement/index.html"
    links = [a["href"] for a in read_html(site / page).select("a[href$='.xml']")]
    expected = [a["href"] for a in read_html(built_site / page).select("a[href$='.xml']")]
    assert links and links == expected


def test_each_item_is_built_once_and_only_for_bulletins_a_feed_holds(one_item_site):
    _, built = one_item_site
    names = {
        Path(source).relative_to(one_item_site[0].parent / "content").as_posix(): n
        for source, n in built.items()
    }
    # fr: 6 feeds share 2 items (info-psoc 01 is in none); en: 4 feeds share 1.
    assert names == {
        "bulletins/info-psoc/02.md": 1,
        "bulletins/campagne/2013-04-18.md": 1,
        "bulletins/info-psoc/01.en.md": 1,
    }
