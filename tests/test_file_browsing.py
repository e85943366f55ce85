"""The default build opens from its files (double-click output/index.html, ``file://``);
the published one (publishconf.py) keeps its absolute folder URLs.

Over ``file://`` a link to a folder shows the folder, and a link from the site's root
starts at the disk's root: every link of the default build is relative to its page
and names a file (plugins/addresses.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from icalendar import Calendar

from plugins.addresses import SiteLinks, file_urls, without_index
from plugins.build import PROJECT_ROOT, build_site
from tests.conftest import CONF, read_html
from tests.linkcheck import LINK_ATTRIBUTES, broken_links, site_path

PUBLISHED = "https://bulletins.ctroc.org"
BULLETIN = "info-psoc/info-psoc-01/index.html"
IMAGE_ALT = "Le budget du PSOC en 2017-2018"


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory) -> Path:
    """A copy of the sample content whose INFO-PSOC no 1 shows an image kept beside it
    (content/bulletins/info-psoc/images/), and the build cache both builds share."""
    from PIL import Image

    root = tmp_path_factory.mktemp("browsable")
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    images = content / "bulletins" / "info-psoc" / "images"
    images.mkdir()
    Image.new("RGB", (160, 90), (29, 63, 110)).save(images / "budget-psoc.png")
    source = content / "bulletins" / "info-psoc" / "01.md"
    text = source.read_text(encoding="utf-8")
    heading = "## Budget 2017-2018 {#budget}\n"
    assert heading in text
    image = f"![{IMAGE_ALT}]({{static}}images/budget-psoc.png)\n"
    source.write_text(text.replace(heading, f"{heading}\n{image}\n", 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def browsable_site(site_folder) -> Path:
    """That content built with the default settings (pelicanconf.py)."""
    return build_site(
        CONF,
        output=site_folder / "output",
        overrides={
            "PATH": str(site_folder / "content"),
            "BUILD_CACHE_PATH": str(site_folder / "cache"),
        },
    ).output


@pytest.fixture(scope="module")
def published_site(site_folder) -> Path:
    """The sample content built with the production settings (publishconf.py)."""
    return build_site(
        PROJECT_ROOT / "publishconf.py",
        output=site_folder / "published",
        overrides={"BUILD_CACHE_PATH": str(site_folder / "cache")},
    ).output


# --- The links themselves ---------------------------------------------------------------


def test_with_relative_urls_pages_name_their_folders_index_file():
    settings = {
        "ARTICLE_URL": "{category}/{slug}/",
        "ARTICLE_SAVE_AS": "{category}/{slug}/index.html",
        "SERIES_YEAR_URL": "{series}/{year}/",
        "SERIES_YEAR_SAVE_AS": "{series}/{year}/index.html",
        "TAG_URL": "tag/{slug}.html",
        "TAG_SAVE_AS": "",
        "FEED_SITEURL": "http://localhost:8000",
    }
    assert file_urls(settings) == {
        "ARTICLE_URL": "{category}/{slug}/index.html",
        "SERIES_YEAR_URL": "{series}/{year}/index.html",
    }


def test_a_published_address_leaves_the_index_file_out():
    assert (
        without_index(f"{PUBLISHED}/{BULLETIN}#budget")
        == f"{PUBLISHED}/info-psoc/info-psoc-01/#budget"
    )
    assert without_index("../../membres/index.html") == "../../membres/"
    assert without_index("index.html") == ""
    assert without_index(f"{PUBLISHED}/info-psoc/info-psoc-01/info-psoc-01.pdf").endswith(".pdf")


LANGUAGES = {"fr": {"path": ""}, "en": {"path": "en"}}


def links_of(lang: str, relative: bool, root: str = "") -> SiteLinks:
    siteurls = {"fr": root, "en": f"{root}/en"}
    return SiteLinks.of(
        {
            "DEFAULT_LANG": lang,
            "LANGUAGES": LANGUAGES,
            "SITEURL": siteurls[lang],
            "ROOT_SITEURL": root,
            "LANGUAGE_SITEURLS": siteurls,
            "RELATIVE_URLS": relative,
        }
    )


def test_relative_links_go_up_from_the_page_and_across_sub_sites():
    english = links_of("en", relative=True)
    # From en/info-psoc/info-psoc-01/index.html, whose SITEURL Pelican makes "../..".
    assert english.href(BULLETIN, "../..") == "../../info-psoc/info-psoc-01/index.html"
    assert english.href("", "../..") == "../../index.html"
    assert english.href("", "../..", lang="fr") == "../../../index.html"
    assert (
        english.href("theme/css/screen.css", "../..", root=True) == "../../../theme/css/screen.css"
    )
    assert english.href("archives/#info-psoc", "../..") == "../../archives/index.html#info-psoc"
    french = links_of("fr", relative=True)
    assert french.href("", ".") == "index.html"
    assert french.href("calendrier/", ".", lang="en") == "en/calendrier/index.html"
    assert french.href("flux/bulletins.rss.xml", "..") == "../flux/bulletins.rss.xml"


def test_absolute_links_keep_the_published_folders():
    english = links_of("en", relative=False, root=PUBLISHED)
    assert english.href("info-psoc/info-psoc-01/", f"{PUBLISHED}/en") == (
        f"{PUBLISHED}/en/info-psoc/info-psoc-01/"
    )
    assert english.href("", f"{PUBLISHED}/en", lang="fr") == f"{PUBLISHED}/"
    assert english.href("theme/css/screen.css", f"{PUBLISHED}/en", root=True) == (
        f"{PUBLISHED}/theme/css/screen.css"
    )


def test_the_link_checker_refuses_folders_and_the_disks_root_for_file_browsing(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>a</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/">folder</a><a href="/a/index.html">root</a><a href="a/index.html">ok</a>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == []
    problems = broken_links(tmp_path, as_files=True)
    assert len(problems) == 2
    assert "a/ → the folder a/" in problems[0] and "/a/index.html leaves the site" in problems[1]


# --- The default build, opened from its files ---------------------------------------------


def test_every_local_link_of_every_page_is_a_file_beside_it(browsable_site):
    """Every href, src and form action of every page, resolved against the page's file,
    is a file of output/ (not a folder, not a path from the disk's root)."""
    assert broken_links(browsable_site, as_files=True) == []
    pages = [p for p in browsable_site.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > 100


def test_the_pdf_of_the_default_build_links_the_published_folders(browsable_site):
    from pypdf import PdfReader

    reader = PdfReader(browsable_site / "info-psoc" / "info-psoc-01" / "info-psoc-01.pdf")
    links = {
        annotation.get_object()["/A"]["/URI"]
        for pdf_page in reader.pages
        for annotation in pdf_page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    }
    assert f"{PUBLISHED}/info-psoc/info-psoc-01/" in links
    assert f"{PUBLISHED}/membres/" in links
    assert not [link for link in links if "index.html" in link]


def test_the_image_of_a_bulletin_is_published_beside_the_content(browsable_site):
    page = browsable_site / BULLETIN
    image = read_html(page).find("img", alt=IMAGE_ALT)
    assert image is not None
    assert not image["src"].startswith("/")
    assert (page.parent / unquote(image["src"])).resolve().is_file()


SCREEN_CSS_APPLIED = """
const header = document.querySelector('.site-header');
const inner = document.querySelector('.site-header__inner');
return {
  display: getComputedStyle(inner).display,
  background: getComputedStyle(header).backgroundColor,
  skip: getComputedStyle(document.querySelector('.skip-link')).position,
};
"""


def assert_styled(driver) -> None:
    """screen.css and the tokens it imports apply: values no browser default gives."""
    style = driver.execute_script(SCREEN_CSS_APPLIED)
    assert style["display"] == "flex", (driver.current_url, style)
    assert style["skip"] == "absolute", (driver.current_url, style)
    assert style["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), style


def follow(driver, selector: str, expected: Path) -> None:
    """Click the link ``selector`` designates; wait until ``expected`` is the page shown."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(driver, 30).until(lambda d: d.current_url == expected.as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def linked_file(driver, selector: str) -> Path:
    """The file a link of the page shown leads to (its ``href`` as the browser resolves it)."""
    from selenium.webdriver.common.by import By

    url = driver.find_element(By.CSS_SELECTOR, selector).get_property("href")
    parts = urlsplit(url)
    assert parts.scheme == "file", url
    return Path(unquote(parts.path))


def test_opened_from_its_files_the_site_is_styled_and_its_links_work(browser, browsable_site):
    from selenium.webdriver.common.by import By

    from tests.gates.browser import console_errors, open_page

    home = browsable_site / "index.html"
    console_errors(browser)  # what earlier tests left in the log
    open_page(browser, home.as_uri(), 1280)
    assert_styled(browser)
    # Search cannot run from file://: the header offers the archives instead of the box.
    assert browser.find_element(By.CSS_SELECTOR, "[data-search-fallback]").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "[data-search-box]").is_displayed()

    bulletin = browsable_site / BULLETIN
    follow(browser, '.card h3 a[href$="info-psoc-01/index.html"]', bulletin)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("INFO-PSOC no 1")
    assert_styled(browser)
    image = browser.find_element(By.CSS_SELECTOR, f'.bulletin__body img[alt="{IMAGE_ALT}"]')
    assert browser.execute_script("return arguments[0].naturalWidth;", image) == 160
    pdf = linked_file(browser, ".bulletin__pdf a")
    assert pdf == (bulletin.parent / "info-psoc-01.pdf").resolve()
    assert pdf.read_bytes().startswith(b"%PDF-")

    english = browsable_site / "en" / BULLETIN
    follow(browser, '.language-switcher a[hreflang="en"]', english)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en-CA"
    assert_styled(browser)
    follow(browser, "a.site-name", browsable_site / "en" / "index.html")
    assert_styled(browser)
    follow(browser, '.language-switcher a[hreflang="fr"]', home)
    assert_styled(browser)

    follow(browser, "[data-search-fallback]", browsable_site / "archives" / "index.html")
    assert_styled(browser)
    calendar = browsable_site / "calendrier" / "index.html"
    follow(browser, '.site-nav a[href$="calendrier/index.html"]', calendar)
    ics = linked_file(browser, 'main a[href$="toutes-les-rencontres.ics"]')
    assert ics == (browsable_site / "calendrier" / "toutes-les-rencontres.ics").resolve()
    assert Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert console_errors(browser) == []


def test_served_over_http_the_same_files_work(browser, browsable_site):
    """``invoke serve`` and any web server: the links that name index.html work there too."""
    from selenium.webdriver.common.by import By

    from tests.gates.browser import console_errors, open_page, serve

    with serve(browsable_site) as origin:
        console_errors(browser)
        open_page(browser, f"{origin}/en/", 1280)
        assert_styled(browser)
        # The header's box replaces the archives link where search can run.
        assert browser.find_element(By.CSS_SELECTOR, "[data-search-box]").is_displayed()
        browser.find_element(By.CSS_SELECTOR, '.card h3 a[href$="info-psoc-01/index.html"]').click()
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(browser, 30).until(
            lambda d: (
                d.current_url == f"{origin}/en/{BULLETIN}"
                and d.execute_script("return document.readyState") == "complete"
            )
        )
        assert_styled(browser)
        assert console_errors(browser) == []


def test_what_is_read_outside_the_site_stays_absolute_in_the_default_build(browsable_site):
    page = read_html(browsable_site / BULLETIN)
    og = page.find("meta", property="og:url")["content"]
    assert og == "http://localhost:8000/info-psoc/info-psoc-01/"
    feed = feedparser.parse((browsable_site / "flux" / "bulletins.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith("/info-psoc/info-psoc-01/"))
    assert entry.link == "http://localhost:8000/info-psoc/info-psoc-01/"
    subscribe = read_html(browsable_site / "abonnement" / "index.html")
    values = [field["value"] for field in subscribe.select("input.copy-field__url")]
    assert values and all(value.startswith("http://localhost:8000/") for value in values)


# --- The published build ----------------------------------------------------------------


def local_links(page: Path) -> list[str]:
    """Every href, src and action of ``page`` that is neither mail, phone nor a fragment."""
    soup = read_html(page)
    found = []
    for tag, attribute in LINK_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if value and not re.match(r"(mailto|tel):|#", value):
                found.append(value)
    return found


def test_the_published_site_keeps_absolute_folder_urls(published_site):
    for page in sorted(published_site.rglob("*.html")):
        where = page.relative_to(published_site)
        for link in local_links(page):
            if link.startswith(f"{PUBLISHED}/"):
                assert "index.html" not in link, (where, link)
            else:  # another site, or webcal:, nothing relative, nothing from the root
                assert urlsplit(link).scheme, (where, link)

    page = published_site / BULLETIN
    soup = read_html(page)
    assert soup.find("meta", property="og:url")["content"] == f"{PUBLISHED}/info-psoc/info-psoc-01/"
    twin = soup.find("link", hreflang="en-CA")["href"]
    assert twin == f"{PUBLISHED}/en/info-psoc/info-psoc-01/"
    pdf = soup.select_one(".bulletin__pdf a")["href"]
    assert pdf == f"{PUBLISHED}/info-psoc/info-psoc-01/info-psoc-01.pdf"
    home = read_html(published_site / "index.html")
    cards = {a["href"] for a in home.select(".card h3 a")}
    assert f"{PUBLISHED}/info-psoc/info-psoc-01/" in cards
    assert site_path(published_site, page, twin, PUBLISHED) == "/en/info-psoc/info-psoc-01/"


def test_the_published_feeds_and_calendars_keep_their_addresses(published_site):
    feed = feedparser.parse((published_site / "flux" / "bulletins.atom.xml").read_bytes())
    links = {e.link for e in feed.entries}
    assert f"{PUBLISHED}/info-psoc/info-psoc-01/" in links
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"{PUBLISHED}/flux/bulletins.atom.xml"
    enclosures = {link.href for e in feed.entries for link in e.links if link.rel == "enclosure"}
    assert f"{PUBLISHED}/info-psoc/info-psoc-01/info-psoc-01.pdf" in enclosures
    calendar = Calendar.from_ical(
        (published_site / "calendrier" / "gt-financement.ics").read_bytes()
    )
    urls = {str(event.get("url")) for event in calendar.walk("VEVENT")}
    assert f"{PUBLISHED}/calendrier/gt-financement/2013-09-25-rencontre-6/" in urls
    subscribe = read_html(published_site / "abonnement" / "index.html")
    values = {field["value"] for field in subscribe.select("input.copy-field__url")}
    assert f"{PUBLISHED}/flux/bulletins.rss.xml" in values
    assert f"{PUBLISHED}/calendrier/toutes-les-rencontres.ics" in values
