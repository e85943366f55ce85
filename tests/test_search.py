"""Search the archive (issue 17): the index the build writes, the pages that point to it,
and what a visitor gets in Chromium from output/ served on localhost."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from plugins.build.staging import spare_of
from plugins.model import ContentError
from plugins.search import indexing
from plugins.search.indexing import index_site
from plugins.search.marks import entry_attributes
from tests.conftest import build_copy, read_html
from tests.linkcheck import site_path
from tests.site_bytes import differing_files

CAMPAIGN = "/campagne/campagne-2013-04-18/"
INFO_EN = "/en/info-psoc/info-psoc-01/"
LOCALES = {"fr": "fr_CA", "en": "en_CA"}


# 1. What a page tells Pagefind (plugins.search.marks)


def test_a_bulletin_is_indexed_with_its_series_number_and_date_at_full_weight():
    marks = entry_attributes(
        "bulletin",
        "fr",
        series="info-psoc",
        series_name="INFO-PSOC",
        number=1,
        day=dt.datetime(2017, 5, 17, 9, 30),
    )

    assert "data-pagefind-body" in marks
    assert "data-pagefind-weight" not in marks  # Pagefind's 1: above every other kind
    assert marks["data-pagefind-filter"] == (
        "kind[data-kind], series[data-series], number[data-number], date[data-date]"
    )
    assert marks["data-pagefind-meta"] == (
        "kind[data-kind], series[data-series-name], number[data-number], "
        "date[data-date], date_label[data-date-label]"
    )
    assert marks["data-kind"] == "bulletin"
    assert marks["data-series"] == "info-psoc"
    assert marks["data-number"] == "1"
    assert marks["data-date"] == "2017-05-17"
    assert marks["data-date-label"] == "17 mai 2017"


def test_other_kinds_weigh_less_and_name_their_group():
    meeting = entry_attributes(
        "meeting", "en", group_name="Vision committee", day=dt.date(2013, 3, 1)
    )

    assert float(meeting["data-pagefind-weight"]) < 1
    assert meeting["data-group-name"] == "Vision committee"
    assert meeting["data-date-label"] == "March 1, 2013"
    assert "series" not in meeting["data-pagefind-filter"]
    for kind in ("budget", "page", "message"):
        assert float(entry_attributes(kind, "fr")["data-pagefind-weight"]) < 1


def test_a_page_in_another_language_than_its_sub_site_is_not_indexed():
    assert entry_attributes("meeting", "en", content_lang="fr") == {}
    assert entry_attributes("meeting", "fr", content_lang="fr")["data-kind"] == "meeting"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        entry_attributes("article", "fr")


# 2. The index Pagefind writes (plugins.search.indexing)

TINY_PAGE = """<!DOCTYPE html><html lang="{lang}"><head><title>t</title></head><body>
<nav>Navigation</nav><main data-pagefind-body data-kind="bulletin"
 data-pagefind-filter="kind[data-kind]"><h1>{title}</h1><p>{text}</p></main></body></html>"""


def tiny_site(root: Path) -> Path:
    pages = {
        "index.html": ("fr-CA", "Accueil", "Les seuils planchers du financement."),
        "en/index.html": ("en-CA", "Home", "The funding floors of the program."),
    }
    for name, (lang, title, text) in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(TINY_PAGE.format(lang=lang, title=title, text=text), "utf-8")
    return root


def test_pagefind_writes_one_index_per_language_and_replaces_a_stale_one(tmp_path):
    site = tiny_site(tmp_path)
    stale = site / "pagefind" / "fragment" / "fr-ca_0000000.pf_fragment"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"from the spare site")

    index, problems = index_site(site, LOCALES)

    assert problems == []
    assert list(index.languages) == ["fr", "en"]
    assert [language.pages for language in index.languages.values()] == [1, 1]
    assert all(language.bytes > 0 for language in index.languages.values())
    assert not stale.exists()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert set(entry["languages"]) == {"fr-ca", "en-ca"}
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "wasm.fr-ca.pagefind").is_file()  # French stemming


def test_a_failing_indexer_is_one_french_problem_with_what_it_said(tmp_path, monkeypatch):
    failing = [sys.executable, "-c", "import sys; print('disque plein'); sys.exit(3)"]
    monkeypatch.setattr(indexing, "pagefind_command", lambda site: failing)

    index, problems = index_site(tiny_site(tmp_path), LOCALES)

    assert index is None
    assert [str(p) for p in problems] == [
        "recherche : l'index n'a pas pu être construit : "
        "Pagefind s'est arrêté (code 3) : « disque plein »"
    ]


def test_a_missing_indexer_says_how_to_install_it(tmp_path, monkeypatch):
    def missing(site):
        raise FileNotFoundError("pagefind_bin/pagefind")

    monkeypatch.setattr(indexing, "pagefind_command", missing)

    index, problems = index_site(tiny_site(tmp_path), LOCALES)

    assert index is None
    [problem] = problems
    assert "Pagefind est introuvable" in problem.message
    assert problem.message.endswith("pip install -r requirements.txt")


def test_a_failed_index_publishes_nothing_and_keeps_the_previous_site(
    project_copy, tmp_path, monkeypatch
):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("ancien site", encoding="utf-8")
    failing = [sys.executable, "-c", "import sys; sys.exit(1)"]
    monkeypatch.setattr(indexing, "pagefind_command", lambda site: failing)

    with pytest.raises(ContentError) as failure:
        build_copy(project_copy, output)

    [problem] = failure.value.problems
    assert problem.message.startswith("recherche : l'index n'a pas pu être construit")
    assert sorted(p.name for p in output.iterdir()) == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "ancien site"


def test_the_preview_keeps_the_last_index_instead_of_indexing_again(project_copy, tmp_path):
    output = tmp_path / "output"
    first = build_copy(project_copy, output)
    assert first.search is not None
    entry = (output / "pagefind" / "pagefind-entry.json").read_bytes()
    page = project_copy / "bulletins" / "info-psoc" / "01.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", "utf-8")
    second = build_copy(project_copy, output, SEARCH_INDEX=False)  # what invoke serve does
    assert second.search is None and not second.unchanged
    assert "Une phrase de plus." in (output / "info-psoc/info-psoc-01/index.html").read_text()
    assert (output / "pagefind" / "pagefind-entry.json").read_bytes() == entry
    assert len(list((output / "pagefind").rglob("*"))) > 10


def test_cbor_texts_reads_every_text_string_of_nested_arrays_and_maps():
    # ["1.5.2", [["fr-ca_2bd3c01", 1500]], {"t": 1.5}, h'00ff']: RFC 8949's encoding
    data = bytes.fromhex("8465312e352e3281826d66722d63615f326264336330311905dc")
    data += bytes.fromhex("a16174f93e004200ff")

    assert indexing.cbor_texts(data) == ["1.5.2", "fr-ca_2bd3c01", "t"]


def edited_rebuild(project_copy: Path, output: Path, sentence: str) -> Path:
    """Build the copy, add ``sentence`` to the first INFO-PSOC bulletin, build again."""
    build_copy(project_copy, output)
    page = project_copy / "bulletins" / "info-psoc" / "01.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{sentence}\n", "utf-8")
    assert not build_copy(project_copy, output).unchanged
    return output


def fresh_index_of(site: Path, root: Path) -> Path:
    """The same site indexed by Pagefind from scratch, in ``root``."""
    copy = root / "fresh"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    index, problems = index_site(copy, LOCALES)
    assert problems == [] and index is not None
    return copy


def test_a_rebuild_reuses_the_unchanged_chunks_and_writes_the_index_a_fresh_run_writes(
    project_copy, tmp_path
):
    output = edited_rebuild(project_copy, tmp_path / "output", "Une phrase inédite : vérifiée.")

    assert differing_files(output, fresh_index_of(output, tmp_path)) == []  # no stale chunk
    fragments = {p.name: p for p in (output / "pagefind" / "fragment").iterdir()}
    previous = {p.name: p for p in (spare_of(output) / "pagefind" / "fragment").iterdir()}
    unchanged = fragments.keys() & previous.keys()
    assert len(unchanged) >= len(fragments) - 3  # the edited page (and its listing) only
    # Copied with their modification time, and left so by Pagefind: not written again.
    modified = {name: previous[name].stat().st_mtime_ns for name in unchanged}
    assert all(fragments[name].stat().st_mtime_ns == modified[name] for name in unchanged)
    assert not any(fragments[name].samefile(previous[name]) for name in unchanged)  # copies
    edited = [
        name
        for name in fragments.keys() - previous.keys()
        if "vérifiée".encode() in gzip.decompress(fragments[name].read_bytes())
    ]
    assert len(edited) == 1


def test_unreadable_metadata_means_indexing_again_from_scratch(tmp_path, monkeypatch):
    site = tiny_site(tmp_path / "site")
    index_site(site, LOCALES)
    published = tmp_path / "published"
    shutil.copytree(site / "pagefind", published)
    (site / "index.html").write_text(
        (site / "index.html").read_text("utf-8").replace("planchers", "plafonds"), "utf-8"
    )

    def unreadable(bundle, languages):
        raise ValueError("not CBOR")

    monkeypatch.setattr(indexing, "referenced_files", unreadable)
    index, problems = index_site(site, LOCALES, published)

    assert problems == [] and [language.pages for language in index.languages.values()] == [1, 1]
    fresh = fresh_index_of(site, tmp_path)
    assert differing_files(site, fresh) == []  # the published chunks are all gone


def test_an_index_of_another_pagefind_version_is_not_reused(tmp_path):
    site = tiny_site(tmp_path / "site")
    index_site(site, LOCALES)
    published = tmp_path / "published"
    shutil.copytree(site / "pagefind", published)
    entry = json.loads((published / "pagefind-entry.json").read_text("utf-8"))
    (published / "pagefind-entry.json").write_text(json.dumps(entry | {"version": "0.9.0"}))

    assert indexing.reuse_chunks(published, site / "pagefind") == set()
    assert indexing.reuse_chunks(published.with_name("none"), site / "pagefind") == set()


# 3. The built site: what is indexed, the search pages, the header's box


def indexed_pages(site: Path) -> dict[str, dict[str, str]]:
    """URL → the data-… attributes of <main>, for every page Pagefind indexes."""
    found = {}
    for page in sorted(site.rglob("index.html")):
        if "pagefind" in page.parts:
            continue
        main = read_html(page).find("main")
        if main is not None and main.has_attr("data-pagefind-body"):
            url = "/" + page.parent.relative_to(site).as_posix() + "/"
            found[url.replace("/./", "/")] = {k: v for k, v in main.attrs.items()}
    return found


def test_only_the_pages_worth_finding_are_indexed_each_with_its_kind(built_site):
    pages = indexed_pages(built_site)

    kinds = {url: attrs["data-kind"] for url, attrs in pages.items()}
    assert kinds[CAMPAIGN] == "bulletin"
    assert kinds[INFO_EN] == "bulletin"
    assert kinds["/calendrier/gt-financement/2013-04-16-rencontre-2/"] == "meeting"
    assert kinds["/budget/"] == "budget"
    assert kinds["/a-propos/"] == "page"
    for listing in ("/", "/en/", "/archives/", "/campagne/", "/info-psoc/2017/", "/calendrier/"):
        assert listing not in pages, f"{listing} is a list of links, not content"
    assert "/recherche/" not in pages and "/en/search/" not in pages
    campaign = pages[CAMPAIGN]
    assert campaign["data-series"] == "campagne"
    assert campaign["data-series-name"] == "Bulletin de la campagne"
    assert campaign["data-date-label"] == "18 avril 2013"


def test_an_untranslated_meeting_on_the_english_site_is_left_out_of_its_index(built_site):
    pages = indexed_pages(built_site)
    seen = set()
    for page in (built_site / "en" / "calendar").glob("*/*/index.html"):
        url = "/" + page.parent.relative_to(built_site).as_posix() + "/"
        written_in = read_html(page).find("h1")["lang"]
        assert (url in pages) == (written_in == "en"), url
        seen.add(written_in)
    assert seen == {"en", "fr"}, "the sample has translated and untranslated meetings"


def test_each_language_has_its_own_index_of_its_own_pages(built_site):
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    pages = indexed_pages(built_site)

    english = [url for url in pages if url.startswith("/en/")]
    assert entry["languages"]["en-ca"]["page_count"] == len(english)
    assert entry["languages"]["fr-ca"]["page_count"] == len(pages) - len(english)
    assert read_html(built_site / "index.html").find("html")["lang"] == "fr-CA"
    assert read_html(built_site / "en" / "index.html").find("html")["lang"] == "en-CA"


def test_navigation_footer_and_pdf_link_are_not_indexed(built_site):
    page = read_html(built_site / CAMPAIGN.strip("/") / "index.html")
    main = page.find("main")

    assert page.find("header", class_="site-header").find_parent("main") is None
    assert page.find("footer").find_parent("main") is None
    for ignored in main.select(".bulletin__pdf, .twin-note"):
        assert ignored.has_attr("data-pagefind-ignore"), ignored


def test_the_search_pages_are_twins_in_each_language(built_site):
    french_page = built_site / "recherche" / "index.html"
    english_page = built_site / "en" / "search" / "index.html"
    french, english = read_html(french_page), read_html(english_page)

    assert french.find("h1").get_text() == "Rechercher dans les bulletins"
    assert english.find("h1").get_text() == "Search the bulletins"
    english_twin = french.find("link", hreflang="en-CA")["href"]
    assert site_path(built_site, french_page, english_twin) == "/en/search/"
    french_twin = english.find("link", hreflang="fr-CA")["href"]
    assert site_path(built_site, english_page, french_twin) == "/recherche/"
    switch = english.select_one(".language-switcher a")["href"]
    assert site_path(built_site, english_page, switch) == "/recherche/"
    form = english.find("form", attrs={"data-search-page": True})
    assert form["data-none"] == "No results for “{query}”."
    pagefind = site_path(built_site, english_page, form["data-pagefind"])
    assert pagefind == "/pagefind/pagefind.js"
    assert (built_site / pagefind.lstrip("/")).is_file()
    kinds = [option.get_text() for option in english.select("#recherche-type option")]
    assert kinds == ["All types", "Bulletins", "Meetings", "Budget", "Pages", "Messages"]


def test_every_page_has_the_search_box_and_an_archives_link_without_javascript(built_site):
    pages = [p for p in built_site.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > 100
    for page in pages:
        soup = read_html(page)
        english = page.is_relative_to(built_site / "en")
        box = soup.select_one(".site-header form[data-search-box]")
        assert box is not None, page
        action = site_path(built_site, page, box["action"])
        assert action == ("/en/search/" if english else "/recherche/"), page
        assert box.has_attr("hidden"), f"{page}: the box shows before search.js can run"
        fallback = soup.select_one(".site-header [data-search-fallback]")
        archives = site_path(built_site, page, fallback["href"])
        assert archives == ("/en/archives/" if english else "/archives/"), page
        assert not fallback.has_attr("hidden"), page
        scripts = {site_path(built_site, page, s["src"]) for s in soup("script", src=True)}
        assert "/theme/js/search.js" in scripts, page


# 4. In Chromium, from the built site served on localhost

STATUS = "[data-search-status]"
RESULTS = """
return {
  status: document.querySelector('[data-search-status]').textContent,
  results: Array.from(document.querySelectorAll('.search-result')).map(item => ({
    href: item.querySelector('a').getAttribute('href'),
    title: item.querySelector('a').textContent,
    facts: item.querySelector('.search-result__facts').textContent,
    marks: Array.from(item.querySelectorAll('mark')).map(mark => mark.textContent),
  })),
};
"""


def outcome(driver, timeout: float = 30) -> dict:
    """The search page's status and results once the search it runs is over."""
    searching = driver.execute_script(
        "return document.querySelector('[data-search-page]').dataset.searching;"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = driver.execute_script(RESULTS)
        if found["status"] and found["status"] != searching:
            return found
        time.sleep(0.05)
    pytest.fail(f"the search did not finish in {timeout} s: {found}", pytrace=False)


def search_for(browser, site_url, query: str, page: str = "/recherche/") -> dict:
    from tests.gates.browser import console_errors, open_page

    console_errors(browser)  # what earlier pages logged
    open_page(browser, f"{site_url}{page}?q={quote_plus(query)}", 1280)
    return outcome(browser)


def hrefs(found: dict) -> list[str]:
    return [result["href"] for result in found["results"]]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("475 M$", "/info-psoc/info-psoc-01/"),  # written « 475\u00a0M$ » on the page
        ("2e rencontre", CAMPAIGN),  # written « 2<sup>e</sup> rencontre »
    ],
)
def test_a_query_typed_with_ordinary_spaces_finds_the_typeset_text(
    browser, site_url, query, expected
):
    found = search_for(browser, site_url, query)

    assert expected in hrefs(found)[:2], hrefs(found)
    result = next(result for result in found["results"] if result["href"] == expected)
    marked = {mark.strip(",.") for mark in result["marks"]}
    assert set(query.split()) <= marked, result["marks"]  # « 2e » whole, « 475 » and « M$ »


@pytest.mark.browser
def test_seuils_planchers_returns_the_campaign_bulletin_of_18_april_2013_first(browser, site_url):
    from tests.gates.browser import console_errors

    found = search_for(browser, site_url, "seuils planchers")

    first = found["results"][0]
    assert first["href"] == CAMPAIGN, hrefs(found)
    assert first["title"].startswith("Bulletin de la campagne «\u00a0Je tiens à ma communauté")
    assert first["facts"] == "Bulletin · Bulletin de la campagne · 18 avril 2013"
    assert {"seuils", "planchers"} <= {mark.lower().strip(",.") for mark in first["marks"]}
    assert found["status"] == f"{len(found['results'])} résultats pour « seuils planchers »."
    assert any("/calendrier/" in href for href in hrefs(found)), "meetings say it too"
    assert browser.execute_script("return location.search;") == "?q=seuils+planchers"
    assert console_errors(browser) == []


@pytest.mark.browser
@pytest.mark.parametrize("query", ["échéancier", "echeancier", "ÉCHÉANCIER"])
def test_a_word_found_with_or_without_its_accents(query, browser, site_url):
    """Pagefind 1.5 indexes each word without its diacritics, keeping the written form:
    « echeancier » finds « échéancier », and a query written like the text ranks it a
    little higher (ranking.diacriticSimilarity)."""
    found = search_for(browser, site_url, query)

    assert hrefs(found)[0] == CAMPAIGN, hrefs(found)
    assert "L'échéancier" in found["results"][0]["marks"]


@pytest.mark.browser
def test_french_words_are_stemmed(browser, site_url):
    """« consolider » finds the bulletin that only says « consolidation »: both are
    « consolid » to Pagefind's French stemmer (neither is a prefix of the other)."""
    found = search_for(browser, site_url, "consolider")

    assert CAMPAIGN in hrefs(found), hrefs(found)


@pytest.mark.browser
def test_an_english_search_returns_the_english_twin_and_never_a_french_page(browser, site_url):
    english = search_for(browser, site_url, "PSOC budget", page="/en/search/")
    french = search_for(browser, site_url, "PSOC budget")

    assert INFO_EN in hrefs(english)
    assert all(href.startswith("/en/") for href in hrefs(english)), hrefs(english)
    assert english["status"].endswith("results for “PSOC budget”.")
    assert "/info-psoc/info-psoc-01/" in hrefs(french)
    assert not [href for href in hrefs(french) if href.startswith("/en/")], hrefs(french)


@pytest.mark.browser
def test_after_a_rebuild_the_edited_bulletin_is_found_by_its_new_words(
    browser, project_copy, tmp_path
):
    from tests.gates.browser import serve

    output = edited_rebuild(project_copy, tmp_path / "output", "Une phrase inédite : vérifiée.")

    with serve(output) as base:
        found = search_for(browser, base, "inédite")
        english = search_for(browser, base, "PSOC budget", page="/en/search/")
        french = search_for(browser, base, "seuils planchers")

    assert hrefs(found) == ["/info-psoc/info-psoc-01/"]
    assert INFO_EN in hrefs(english)
    assert CAMPAIGN in hrefs(french)


@pytest.mark.browser
def test_filters_narrow_by_kind_and_series_and_stay_in_the_address(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from tests.gates.browser import open_page

    open_page(browser, f"{site_url}/recherche/?q=seuils+planchers&type=meeting", 1280)
    meetings = outcome(browser)
    assert meetings["results"] and CAMPAIGN not in hrefs(meetings)
    assert all(r["facts"].startswith("Rencontre · ") for r in meetings["results"])

    Select(browser.find_element(By.ID, "recherche-type")).select_by_value("")
    Select(browser.find_element(By.ID, "recherche-serie")).select_by_value("campagne")
    campaign = outcome(browser)
    assert hrefs(campaign) == [CAMPAIGN]
    assert browser.execute_script("return location.search;") == "?q=seuils+planchers&serie=campagne"


@pytest.mark.browser
def test_the_search_page_with_results_has_no_serious_accessibility_violation(
    browser, site_url, axe_source
):
    from tests.gates.browser import axe_violations

    search_for(browser, site_url, "seuils planchers")

    violations = axe_violations(browser, axe_source)

    serious = [v for v in violations if v.impact in {"serious", "critical"}]
    assert not serious, "\n".join(map(str, serious))


@pytest.mark.browser
def test_keyboard_only_the_box_is_reached_and_a_result_opens_with_enter(browser, site_url):
    from selenium.webdriver.common.keys import Keys

    from tests.gates.browser import focused, open_page, press

    open_page(browser, f"{site_url}/recherche/", 1280)
    active = "return document.activeElement.id;"
    for _ in range(40):
        press(browser, Keys.TAB)
        if browser.execute_script(active) == "recherche-mots":
            break
    else:
        pytest.fail("Tab never reaches the search field", pytrace=False)
    assert focused(browser).indicator, "the search field shows no focus outline"
    press(browser, "seuils planchers")
    press(browser, Keys.ENTER)
    assert hrefs(outcome(browser))[0] == CAMPAIGN

    first_result = "return document.activeElement === document.querySelector('.search-result a');"
    for _ in range(10):
        press(browser, Keys.TAB)
        if browser.execute_script(first_result):
            break
    else:
        pytest.fail("Tab never reaches the first result", pytrace=False)
    assert focused(browser).focus_visible
    press(browser, Keys.ENTER)
    deadline = time.monotonic() + 10
    while browser.execute_script("return location.pathname;") != CAMPAIGN:
        assert time.monotonic() < deadline, "Enter did not open the result"
        time.sleep(0.05)


@pytest.mark.browser
def test_the_header_box_of_any_page_searches_from_the_keyboard(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.gates.browser import open_page, press

    open_page(browser, f"{site_url}/info-psoc/", 1280)
    assert browser.find_element(By.CSS_SELECTOR, "[data-search-box]").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "[data-search-fallback]").is_displayed()
    for _ in range(30):
        press(browser, Keys.TAB)
        if browser.execute_script("return document.activeElement.id;") == "recherche-entete":
            break
    else:
        pytest.fail("Tab never reaches the header's search box", pytrace=False)
    press(browser, "seuils planchers")
    press(browser, Keys.ENTER)
    # Enter submits the form: wait for the search page to be the one loaded.
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(
        lambda driver: driver.execute_script(
            "return !!document.querySelector('[data-search-page]');"
        )
    )
    found = outcome(browser)
    assert browser.execute_script("return location.pathname + location.search;") == (
        "/recherche/?q=seuils+planchers"
    )
    assert hrefs(found)[0] == CAMPAIGN


FOUND = "found"  # the query still finds the campaign bulletin
SHOWN = "shown"  # the status quotes the query as typed, as text
BAD_INPUT = {
    "a lone quote": ('"', 'Aucun résultat pour « " ».'),
    "an unclosed phrase": ('"seuils planchers', FOUND),
    # Words in these may match (Pagefind falls back to a word's longest indexed prefix):
    # whatever the count, the query is shown as the visitor typed it.
    "a script": ("<script>window.injected = 1</script>", SHOWN),
    "an image with a handler": ('<img src=x onerror="window.injected=1">', SHOWN),
    "2,000 characters": ("z" * 2000, "Aucun résultat pour « " + "z" * 60 + "… »."),
    "2,000 characters of words": ("seuils planchers " * 118, FOUND),
    "only spaces": (" " * 12, "Aucun résultat : écrivez un ou plusieurs mots à chercher."),
}


@pytest.mark.browser
@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_shown_as_text_and_logs_no_error(case, browser, site_url):
    from tests.gates.browser import console_errors

    query, expected = BAD_INPUT[case]

    found = search_for(browser, site_url, query)

    if expected == FOUND:
        assert CAMPAIGN in hrefs(found), found["status"]
    elif expected == SHOWN:
        assert found["status"].endswith(f" pour « {query} »."), found["status"]
    else:
        assert found["status"] == expected
    assert browser.execute_script("return window.injected;") is None
    injected = "return document.querySelectorAll('main script, main img').length;"
    assert browser.execute_script(injected) == 0
    typed = "return document.getElementById('recherche-mots').value.length;"
    assert browser.execute_script(typed) <= 200
    assert console_errors(browser) == []


def served_policy(built_site: Path, without: str = "") -> str:
    """The search page's Content-Security-Policy, as a host would send it in a header."""
    meta = read_html(built_site / "recherche" / "index.html").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    return " ".join(meta["content"].replace(without, "").split())


@pytest.mark.browser
def test_search_runs_under_the_sites_policy_and_needs_wasm_unsafe_eval(browser, built_site):
    """The policy of the page's <meta> does not reach Pagefind's web worker (a worker
    follows its own response's headers): served as a header on every file, as a host
    would, it does, and the search then works only with 'wasm-unsafe-eval'."""
    from tests.gates.browser import console_errors, open_page, serve

    for policy, works in (
        (served_policy(built_site), True),
        (served_policy(built_site, without="'wasm-unsafe-eval'"), False),
    ):
        with serve(built_site, headers={"Content-Security-Policy": policy}) as base:
            console_errors(browser)
            open_page(browser, f"{base}/recherche/?q=seuils+planchers", 1280)
            found = outcome(browser)
            errors = console_errors(browser)
        if works:
            assert hrefs(found)[0] == CAMPAIGN, policy
            assert errors == [], policy
        else:
            assert found["results"] == [], policy
            assert found["status"].startswith("La recherche n'a pas pu se charger"), policy


@pytest.mark.browser
def test_the_site_opened_from_its_files_shows_the_archives_link_not_a_dead_box(browser, built_site):
    from selenium.webdriver.common.by import By

    from tests.gates.browser import open_page

    open_page(browser, (built_site / "recherche" / "index.html").as_uri(), 1280)

    unavailable = browser.find_element(By.CSS_SELECTOR, "[data-search-unavailable]")
    assert unavailable.is_displayed()
    assert "pas sur le site ouvert depuis vos fichiers" in unavailable.text
    assert not browser.find_element(By.CSS_SELECTOR, "[data-search-page]").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "[data-search-fallback]").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "[data-search-box]").is_displayed()
