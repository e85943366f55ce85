"""Feeds as a feed reader sees them: parsed by feedparser, checked against the site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from plugins.feeds.items import absolutize_links, bulletin_guid, pdf_enclosure
from plugins.model import Advice, PdfEdition, Problem
from tests.conftest import build_copy, read_html
from tests.linkcheck import site_path

DEV_ORIGIN = "http://localhost:8000"
FRENCH_FEEDS = {
    "flux/bulletins.rss.xml": 2,
    "flux/bulletins.atom.xml": 2,
    "flux/campagne.rss.xml": 1,
    "flux/campagne.atom.xml": 1,
    "flux/info-psoc.rss.xml": 1,
    "flux/info-psoc.atom.xml": 1,
}
ENGLISH_FEEDS = {
    "en/feeds/bulletins.rss.xml": 1,
    "en/feeds/bulletins.atom.xml": 1,
    "en/feeds/info-psoc.rss.xml": 1,
    "en/feeds/info-psoc.atom.xml": 1,
}
ALL_FEEDS = {**FRENCH_FEEDS, **ENGLISH_FEEDS}
# The action's messages (tests/test_histoires.py reads them): 7 entries each.
MESSAGE_FEEDS = [
    "en/feeds/histoires.atom.xml",
    "en/feeds/histoires.rss.xml",
    "flux/histoires.atom.xml",
    "flux/histoires.rss.xml",
]
GUIDS = {
    "fr": {"tag:ctroc.org,2013:info-psoc/1/fr", "tag:ctroc.org,2013:campagne/2013-04-18/fr"},
    "en": {"tag:ctroc.org,2013:info-psoc/1/en"},
}
PAGE_KINDS = {
    "fr": {
        "home": "index.html",
        "bulletin": "info-psoc/info-psoc-01/index.html",
        "series": "info-psoc/index.html",
        "page": "a-propos/index.html",
        "archives": "archives/index.html",
    },
    "en": {
        "home": "en/index.html",
        "bulletin": "en/info-psoc/info-psoc-01/index.html",
        "series": "en/info-psoc/index.html",
        "page": "en/about/index.html",
        "archives": "en/archives/index.html",
    },
}
FEEDS_DIR = {"fr": "/flux", "en": "/en/feeds"}


def parse(site: Path, relative: str):
    return feedparser.parse((site / relative).read_bytes())


def feed_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.xml"))


def output_file(site: Path, url: str, origin: str = DEV_ORIGIN) -> Path:
    """The file of ``site`` an absolute URL of the built site points at."""
    assert url.startswith(origin + "/"), url
    return site / url[len(origin) + 1 :]


# --- Every feed, as a reader parses it ------------------------------------------


def test_exactly_the_promised_feed_files_are_written(built_site):
    assert feed_files(built_site) == sorted([*ALL_FEEDS, *MESSAGE_FEEDS])


@pytest.mark.parametrize("relative", sorted(ALL_FEEDS))
def test_feed_parses_cleanly_with_the_expected_item_count(built_site, relative):
    feed = parse(built_site, relative)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version in {"rss20", "atom10"}
    assert len(feed.entries) == ALL_FEEDS[relative]


@pytest.mark.parametrize("relative", sorted(ALL_FEEDS))
def test_feed_declares_its_language(built_site, relative):
    expected = "en-CA" if relative.startswith("en/") else "fr-CA"
    assert parse(built_site, relative).feed.language == expected


@pytest.mark.parametrize("relative", sorted(ENGLISH_FEEDS))
def test_english_feeds_hold_english_items_at_english_urls(built_site, relative):
    feed = parse(built_site, relative)
    assert {entry.id for entry in feed.entries} <= GUIDS["en"]
    for entry in feed.entries:
        assert entry.link.startswith(f"{DEV_ORIGIN}/en/")
        for enclosure in entry.enclosures:
            assert enclosure.href.startswith(f"{DEV_ORIGIN}/en/")
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{DEV_ORIGIN}/{relative}"]


@pytest.mark.parametrize("relative", sorted(FRENCH_FEEDS))
def test_french_feeds_hold_only_french_items(built_site, relative):
    feed = parse(built_site, relative)
    assert {entry.id for entry in feed.entries} <= GUIDS["fr"]
    for entry in feed.entries:
        assert not entry.link.startswith(f"{DEV_ORIGIN}/en/")


def test_series_feed_holds_only_its_series(built_site):
    feed = parse(built_site, "flux/campagne.atom.xml")
    assert [entry.id for entry in feed.entries] == ["tag:ctroc.org,2013:campagne/2013-04-18/fr"]
    assert [tag.term for tag in feed.entries[0].tags] == ["campagne"]


def test_all_bulletins_feed_lists_newest_first(built_site):
    feed = parse(built_site, "flux/bulletins.rss.xml")
    assert [entry.id for entry in feed.entries] == [
        "tag:ctroc.org,2013:info-psoc/1/fr",
        "tag:ctroc.org,2013:campagne/2013-04-18/fr",
    ]


# --- Each item ----------------------------------------------------------------------


@pytest.mark.parametrize("relative", ["flux/bulletins.rss.xml", "flux/bulletins.atom.xml"])
def test_item_has_title_link_summary_author_category_and_full_content(built_site, relative):
    entry = parse(built_site, relative).entries[0]
    assert entry.title.startswith("INFO-PSOC no\u00a01\u00a0: budget 2017-2018")
    assert entry.link == f"{DEV_ORIGIN}/info-psoc/info-psoc-01/"
    assert "25 millions ajoutés au PSOC" in entry.summary
    assert "Coalition des Tables régionales d'organismes communautaires" in entry.author
    assert [tag.term for tag in entry.tags] in (["info-psoc"], ["INFO-PSOC"])
    content = entry.content[0].value
    assert "Engagez-vous pour le communautaire" in content
    assert "Voici la toute première édition de l'INFO-PSOC" in content
    # The full text, not a summary: every section of the page is in the item.
    page = read_html(built_site / "info-psoc/info-psoc-01/index.html")
    headings = [h.get_text(strip=True) for h in page.select(".bulletin__body h2")]
    item_headings = [h.get_text(strip=True) for h in BeautifulSoup(content, "html.parser")("h2")]
    assert item_headings == headings


def test_publication_dates_carry_the_montreal_offset(built_site):
    atom = (built_site / "flux/bulletins.atom.xml").read_text(encoding="utf-8")
    rss = (built_site / "flux/bulletins.rss.xml").read_text(encoding="utf-8")
    # Both sample bulletins fall in daylight saving time (EDT, UTC−4).
    assert "<published>2017-05-17T00:00:00-04:00</published>" in atom
    assert "<published>2013-04-18T00:00:00-04:00</published>" in atom
    assert "<pubDate>Wed, 17 May 2017 00:00:00 -0400</pubDate>" in rss
    entry = parse(built_site, "flux/bulletins.atom.xml").entries[0]
    assert entry.published_parsed[:4] == (2017, 5, 17, 4)  # UTC


@pytest.mark.parametrize("relative", sorted(ALL_FEEDS))
def test_every_link_and_image_in_item_content_is_absolute(built_site, relative):
    for entry in parse(built_site, relative).entries:
        for html in [entry.content[0].value, entry.summary]:
            soup = BeautifulSoup(html, "html.parser")
            for tag, attribute in [("a", "href"), ("img", "src")]:
                for element in soup.find_all(tag, attrs={attribute: True}):
                    assert urlsplit(element[attribute]).scheme, element


def test_internal_links_in_content_point_at_the_dev_origin(built_site):
    entry = parse(built_site, "flux/campagne.atom.xml").entries[0]
    links = [a["href"] for a in BeautifulSoup(entry.content[0].value, "html.parser")("a")]
    assert f"{DEV_ORIGIN}/abonnement/" in links
    assert "http://jesoutienslecommunautaire.org" in links
    assert "mailto:financementocasss@gmail.com" in links


# --- Stable ids ---------------------------------------------------------------------


def test_rss_guids_are_tag_uris_that_are_not_permalinks(built_site):
    tree = etree.parse(str(built_site / "flux/bulletins.rss.xml"))
    guids = tree.findall(".//item/guid")
    assert {g.text for g in guids} == GUIDS["fr"]
    assert {g.get("isPermaLink") for g in guids} == {"false"}


def test_atom_ids_are_tag_uris(built_site):
    feed = parse(built_site, "flux/bulletins.atom.xml")
    assert {entry.id for entry in feed.entries} == GUIDS["fr"]
    assert feed.feed.id == "tag:ctroc.org,2013:feeds/bulletins/fr"


def test_guid_is_made_of_series_number_or_date_and_language():
    series = SimpleNamespace(key="campagne")
    undated = SimpleNamespace(series=series, number=None, date=dt.date(2013, 4, 18), lang="fr")
    numbered = SimpleNamespace(series=series, number=7, date=dt.date(2020, 1, 1), lang="en")
    assert bulletin_guid("ctroc.org,2013", undated) == "tag:ctroc.org,2013:campagne/2013-04-18/fr"
    assert bulletin_guid("ctroc.org,2013", numbered) == "tag:ctroc.org,2013:campagne/7/en"


def test_guids_survive_a_title_edit_and_a_new_site_url(built_site, project_copy, tmp_path):
    source = project_copy / "bulletins/info-psoc/01.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("Title: INFO-PSOC no 1 :", "Title: INFO-PSOC numéro 1 (titre corrigé) :"),
        encoding="utf-8",
    )
    origin = "https://bulletins.example.org"
    rebuilt = build_copy(project_copy, tmp_path / "output", SITEURL=origin, RELATIVE_URLS=False)
    rebuilt = rebuilt.output
    for relative in ALL_FEEDS:
        before = parse(built_site, relative)
        after = parse(rebuilt, relative)
        assert [e.id for e in after.entries] == [e.id for e in before.entries]
    after = parse(rebuilt, "flux/info-psoc.atom.xml").entries[0]
    assert after.title.startswith("INFO-PSOC numéro 1 (titre corrigé)")
    # With an absolute SITEURL (publishconf.py), items and autodiscovery use it.
    assert after.link == f"{origin}/info-psoc/info-psoc-01/"
    home = read_html(rebuilt / "en/index.html")
    hrefs = {link["href"] for link in home.select('link[rel="alternate"][type$="+xml"]')}
    assert hrefs == {
        f"{origin}/en/feeds/bulletins.rss.xml",
        f"{origin}/en/feeds/bulletins.atom.xml",
    }


# --- PDF enclosures -------------------------------------------------------------------


def pdf_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.pdf"))


@pytest.mark.parametrize("relative", sorted(ALL_FEEDS))
def test_enclosure_is_the_pdf_with_its_size_on_disk(built_site, relative):
    if not pdf_files(built_site):
        pytest.skip("no PDF edition in the build: plugins.pdf_edition is not installed")
    feed = parse(built_site, relative)
    for entry in feed.entries:
        assert len(entry.enclosures) == 1, entry.id
        enclosure = entry.enclosures[0]
        assert enclosure.type == "application/pdf"
        pdf = output_file(built_site, enclosure.href)
        assert pdf.is_file()
        assert int(enclosure.length) == pdf.stat().st_size


def test_atom_enclosure_link_keeps_rel_type_and_length(built_site):
    """feedgen 1.0.0 drops them (issues #135, #143); plugins.feeds puts them back."""
    if not pdf_files(built_site):
        pytest.skip("no PDF edition in the build: plugins.pdf_edition is not installed")
    tree = etree.parse(str(built_site / "flux/info-psoc.atom.xml"))
    atom = "{http://www.w3.org/2005/Atom}"
    links = tree.findall(f"{atom}entry/{atom}link")
    assert [link.get("rel") for link in links] == ["alternate", "enclosure"]
    enclosure = links[1]
    pdf = built_site / "info-psoc/info-psoc-01/info-psoc-01.pdf"
    assert enclosure.get("type") == "application/pdf"
    assert enclosure.get("length") == str(pdf.stat().st_size)


def test_bulletin_whose_pdf_failed_gets_a_problem_not_an_enclosure():
    article = SimpleNamespace(pdf=None)
    enclosure, problems = pdf_enclosure(article, DEV_ORIGIN, "content/bulletins/x/01.md")
    assert enclosure is None
    assert len(problems) == 1
    problem = problems[0]
    assert type(problem) is Problem
    assert str(problem).startswith("content/bulletins/x/01.md:1: ")
    assert "PDF" in problem.message


def test_missing_pdf_file_is_a_problem(tmp_path):
    gone = PdfEdition(url="x/x-01/x-01.pdf", path=tmp_path / "x-01.pdf", size=10)
    enclosure, problems = pdf_enclosure(SimpleNamespace(pdf=gone), DEV_ORIGIN, "a.md")
    assert enclosure is None
    assert [type(p) for p in problems] == [Problem]


def test_enclosure_length_is_the_file_size(tmp_path):
    file = tmp_path / "x-01.pdf"
    file.write_bytes(b"%PDF-1.7" + b"0" * 100)
    pdf = PdfEdition(url="x/x-01/x-01.pdf", path=file, size=108)
    enclosure, problems = pdf_enclosure(SimpleNamespace(pdf=pdf), DEV_ORIGIN, "a.md")
    assert problems == []
    assert enclosure.url == f"{DEV_ORIGIN}/x/x-01/x-01.pdf"
    assert enclosure.length == 108


def test_without_the_pdf_capability_there_is_no_enclosure_and_no_problem():
    assert pdf_enclosure(SimpleNamespace(), DEV_ORIGIN, "a.md") == (None, [])


# --- Autodiscovery and the subscribe page -------------------------------------------


def alternate_feeds(site: Path, page: Path) -> dict[str, str]:
    """The feeds ``page`` announces: site path → type."""
    return {
        site_path(site, page, link["href"]): link["type"]
        for link in read_html(page).select('head link[rel="alternate"]')
        if link.get("type", "").endswith("+xml")
    }


@pytest.mark.parametrize(
    ("lang", "kind"), [(lang, kind) for lang in PAGE_KINDS for kind in PAGE_KINDS[lang]]
)
def test_every_page_kind_announces_the_feeds_of_its_language(built_site, lang, kind):
    feeds = alternate_feeds(built_site, built_site / PAGE_KINDS[lang][kind])
    base = FEEDS_DIR[lang]
    assert feeds[f"{base}/bulletins.rss.xml"] == "application/rss+xml"
    assert feeds[f"{base}/bulletins.atom.xml"] == "application/atom+xml"
    for href in feeds:
        assert (built_site / href.lstrip("/")).is_file(), href
    series_feeds = {f"{base}/info-psoc.rss.xml", f"{base}/info-psoc.atom.xml"}
    if kind == "series":
        assert series_feeds <= set(feeds)
    else:
        assert not series_feeds & set(feeds)


@pytest.mark.parametrize(
    ("page", "feeds_dir", "calendar_dir"),
    [
        ("abonnement/index.html", "flux", "calendrier"),
        ("en/subscribe/index.html", "en/feeds", "en/calendar"),
    ],
)
def test_subscribe_page_lists_every_feed_and_calendar_written(
    built_site, page, feeds_dir, calendar_dir
):
    soup = read_html(built_site / page)
    listed = [field["value"] for field in soup.select("input.copy-field__url")]
    feeds = {f"{DEV_ORIGIN}/{p}" for p in feed_files(built_site) if p.startswith(feeds_dir + "/")}
    calendars = {
        f"{DEV_ORIGIN}/{p.relative_to(built_site).as_posix()}"
        for p in (built_site / calendar_dir).glob("*.ics")
    }
    assert feeds
    assert set(listed) == feeds | calendars
    assert len(listed) == len(set(listed))
    for url in listed:
        assert output_file(built_site, url).is_file(), url
    for field in soup.select("input.copy-field__url"):
        assert field.has_attr("readonly")
        assert soup.find("label", attrs={"for": field["id"]}) is not None


def test_subscribe_page_keeps_its_explanation_and_is_linked_from_every_page(built_site):
    soup = read_html(built_site / "abonnement/index.html")
    assert soup.find("h2", string="Qu'est-ce qu'un fil de nouvelles\u202f?")
    assert soup.find("h2", string="Les adresses des fils de nouvelles")
    english = read_html(built_site / "en/subscribe/index.html")
    assert english.find("h2", string="News feed addresses")
    for kind, relative in PAGE_KINDS["fr"].items():
        page = built_site / relative
        links = {site_path(built_site, page, a["href"]) for a in read_html(page)("a", href=True)}
        assert "/abonnement/" in links, kind


def render_subscribe_list(**context) -> BeautifulSoup:
    from jinja2 import Environment, FileSystemLoader

    from plugins.build import PROJECT_ROOT

    env = Environment(
        loader=FileSystemLoader(PROJECT_ROOT / "theme/templates"),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
    )
    env.install_null_translations(newstyle=True)
    # The theme's links from the site's root, as built with an empty SITEURL (plugins.i18n).
    env.filters["href"] = lambda path, lang=None, root=False: f"/{path}"
    html = env.get_template("feeds/subscribe.html").render(LANG="fr", **context)
    return BeautifulSoup(html, "html.parser")


def test_subscribe_page_lists_calendar_urls_when_calendars_exist():
    soup = render_subscribe_list(
        FEED_GROUPS=[],
        FEED_BASE_URL="https://bulletins.example.org",
        CALENDAR_FEEDS=[
            {"title": "Toutes les rencontres", "url": "calendrier/toutes-les-rencontres.ics"},
            {"title": "Comité PSOC", "url": "calendrier/comite-psoc.ics"},
        ],
    )
    values = [field["value"] for field in soup.select("input.copy-field__url")]
    assert values == [
        "https://bulletins.example.org/calendrier/toutes-les-rencontres.ics",
        "https://bulletins.example.org/calendrier/comite-psoc.ics",
    ]
    labels = [label.get_text(strip=True) for label in soup("label")]
    assert labels == ["Toutes les rencontres", "Comité PSOC"]
    opens = [a["href"] for a in soup.select("a.copy-field__open")]
    assert opens[0] == "webcal://bulletins.example.org/calendrier/toutes-les-rencontres.ics"


def test_subscribe_page_has_no_calendar_section_without_calendars():
    soup = render_subscribe_list(FEED_GROUPS=[], FEED_BASE_URL=DEV_ORIGIN)
    assert soup.find(id="adresses-agendas") is None


# --- Content made safe for XML, bytes made stable -----------------------------------


def test_absolutize_links_resolves_relative_and_root_relative_urls():
    html = (
        '<p><a href="/abonnement/">ici</a> <img src="images/logo.png" alt=""> '
        '<a href="#budget">budget</a> <a href="mailto:a@b.org">écrire</a> '
        '<a href="https://ctroc.org/">CTROC</a></p>'
    )
    soup = BeautifulSoup(absolutize_links(html, f"{DEV_ORIGIN}/en/info-psoc/x/"), "html.parser")
    assert [a["href"] for a in soup("a")] == [
        f"{DEV_ORIGIN}/abonnement/",
        f"{DEV_ORIGIN}/en/info-psoc/x/#budget",
        "mailto:a@b.org",
        "https://ctroc.org/",
    ]
    assert soup.img["src"] == f"{DEV_ORIGIN}/en/info-psoc/x/images/logo.png"


def test_absolutize_links_gives_the_sites_pages_by_their_folder():
    html = (
        '<p><a href="../../membres/index.html#tables">membres</a> '
        '<a href="https://ctroc.org/index.html">CTROC</a></p>'
    )
    site = f"{DEV_ORIGIN}/en"
    soup = BeautifulSoup(absolutize_links(html, f"{site}/info-psoc/x/", site), "html.parser")
    assert [a["href"] for a in soup("a")] == [
        f"{DEV_ORIGIN}/en/membres/#tables",
        "https://ctroc.org/index.html",
    ]


def test_control_characters_are_removed_and_reported_with_file_and_line(project_copy, tmp_path):
    source = project_copy / "bulletins/info-psoc/01.md"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    title_line = next(i for i, line in enumerate(lines, 1) if line.startswith("Title:"))
    body_line = next(i for i, line in enumerate(lines, 1) if line.startswith("Voici"))
    lines[title_line - 1] = lines[title_line - 1].replace("INFO-PSOC no 1", "INFO-PSOC\x0bno 1")
    lines[body_line - 1] = lines[body_line - 1].replace("Voici", "Voici\x0c\x01")
    source.write_text("".join(lines), encoding="utf-8")

    result = build_copy(project_copy, tmp_path / "output")

    shown = "content/bulletins/info-psoc/01.md"
    reported = [a for a in result.advice if a.path == shown and "Word" in a.message]
    assert {a.line for a in reported} == {title_line, body_line}
    assert all(isinstance(a, Advice) for a in reported)
    assert any("U+0001, U+000C" in a.message for a in reported)
    for relative in ("flux/bulletins.rss.xml", "flux/info-psoc.atom.xml"):
        raw = (result.output / relative).read_bytes()
        assert b"\x0b" not in raw and b"\x0c" not in raw and b"\x01" not in raw
        feed = feedparser.parse(raw)
        assert not feed.bozo, feed.get("bozo_exception")
        titles = [e.title for e in feed.entries]
        assert any(t.startswith("INFO-PSOCno\u00a01") for t in titles)


def test_two_builds_of_the_same_content_write_identical_feeds(built_site, tmp_path):
    import shutil

    from plugins.build import PROJECT_ROOT

    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    again = build_copy(content, tmp_path / "output").output
    assert feed_files(again) == feed_files(built_site)
    for relative in feed_files(built_site):
        assert (again / relative).read_bytes() == (built_site / relative).read_bytes(), relative


def test_feed_dates_come_from_the_newest_item_not_the_build_time(built_site):
    atom = parse(built_site, "flux/bulletins.atom.xml")
    assert atom.feed.updated == "2017-05-17T00:00:00-04:00"
    rss = etree.parse(str(built_site / "flux/campagne.rss.xml"))
    assert rss.findtext("channel/lastBuildDate") == "Thu, 18 Apr 2013 00:00:00 -0400"
