"""The pages a visitor meets: one of each kind of the sample site, by its URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gates.browser import open_page

PAGE_KINDS = {
    "home": "/",
    "home-en": "/en/",
    "bulletin-campagne": "/campagne/campagne-2013-04-18/",
    "bulletin-info-psoc": "/info-psoc/info-psoc-01/",
    "bulletin-info-psoc-en": "/en/info-psoc/info-psoc-01/",
    "series-campagne": "/campagne/",
    "series-info-psoc": "/info-psoc/",
    "series-year": "/info-psoc/2017/",
    "archives": "/archives/",
    "archives-en": "/en/archives/",
    "calendar": "/calendrier/",
    "calendar-en": "/en/calendar/",
    "calendar-group": "/calendrier/gt-financement/",
    "meeting": "/calendrier/gt-financement/2013-03-01-rencontre-1/",
    "budget": "/budget/",
    "budget-en": "/en/budget/",
    "subscribe": "/abonnement/",
    "subscribe-en": "/en/subscribe/",
    "about": "/a-propos/",
    "members": "/membres/",
    "members-en": "/en/members/",
    "policy": "/politique-accompagnement/",
    "histoires": "/histoires-docasss/",
    "histoires-wall": "/histoires-docasss/messages/",
    "histoires-group": "/histoires-docasss/messages/rccq/",
    "search": "/recherche/",
    "search-en": "/en/search/",
}


def page_file(site: Path, url: str) -> Path:
    return site / url.lstrip("/") / "index.html"


def open_kind(browser, site_url: str, built_site: Path, kind: str, width: int) -> None:
    """Load the page of ``kind`` at ``width``; a kind the site does not build fails."""
    url = PAGE_KINDS[kind]
    if not page_file(built_site, url).is_file():
        pytest.fail(f"no {kind} page: {url} is not in the built site", pytrace=False)
    open_page(browser, site_url + url, width)
