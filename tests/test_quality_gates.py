"""Quality gates: the built site as a visitor's tools see it (issue 8).

Valid HTML (Nu Html Checker), accessibility and keyboard use (axe-core in
Debian's headless Chromium), no horizontal scrolling on a phone, no broken
link, and PDF editions that print with their fonts. Mandatory when CI=true;
elsewhere a missing tool skips them with a loud reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gates import tools
from tests.gates.assets import broken_css_urls, kind_of, linked_documents
from tests.gates.browser import (
    axe_violations,
    focused,
    press,
    tab_through,
)
from tests.gates.nu_checker import html_errors
from tests.gates.pages import PAGE_KINDS, open_kind
from tests.gates.print_check import pdf_fonts, png_size, render_first_page
from tests.linkcheck import broken_links

pytestmark = pytest.mark.browser

KEYBOARD_KINDS = ("home", "bulletin-info-psoc", "bulletin-info-psoc-en")
DESKTOP = 1280
SERIOUS = {"serious", "critical"}
# A page vnu must reject: proves the checker ran and read the files it was given.
CANARY = '<!DOCTYPE html><html lang="fr"><head><title>t</title></head><body><div></body></html>'


def own_absolute_urls() -> tuple[str, ...]:
    """Absolute URLs that designate the sample site itself (feeds, calendar subscriptions)."""
    from pelican.settings import read_settings

    from plugins.build import PROJECT_ROOT

    settings = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))
    return tuple(url for url in (settings.get("FEED_SITEURL"), settings.get("SITEURL")) if url)


# 1. HTML validity


def test_every_page_passes_the_nu_html_checker(built_site, tmp_path):
    java, vnu = tools.java(), tools.vnu_jar()
    tools.require(java, vnu)
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "index.html").write_text(CANARY, encoding="utf-8")

    errors = html_errors(java.path, vnu.path, built_site, canary)

    site_errors = [error for error in errors if not Path(error.page).is_relative_to(canary)]
    assert len(site_errors) < len(errors), "vnu did not report the canary's unclosed <div>"
    assert not site_errors, f"{len(site_errors)} HTML errors:\n" + "\n".join(map(str, site_errors))


# 2. Accessibility and keyboard


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_kind_has_no_serious_accessibility_violation(
    kind, browser, site_url, built_site, axe_source
):
    open_kind(browser, site_url, built_site, kind, DESKTOP)

    violations = axe_violations(browser, axe_source)

    serious = [violation for violation in violations if violation.impact in SERIOUS]
    for violation in violations:
        print(f"{PAGE_KINDS[kind]}: {violation}")
    assert not serious, f"{PAGE_KINDS[kind]}:\n" + "\n".join(map(str, serious))


@pytest.mark.parametrize("kind", KEYBOARD_KINDS)
def test_skip_link_is_first_and_moves_focus_to_main(kind, browser, site_url, built_site):
    from selenium.webdriver.common.keys import Keys

    open_kind(browser, site_url, built_site, kind, DESKTOP)

    press(browser, Keys.TAB)
    first = focused(browser)
    assert first is not None and "skip-link" in first.classes.split(), f"first Tab: {first}"
    assert first.indicator, f"the skip link shows no focus outline: {first}"
    top = browser.execute_script("return document.activeElement.getBoundingClientRect().top;")
    assert top >= 0, "the focused skip link stays off screen"

    press(browser, Keys.ENTER)
    assert browser.execute_script("return document.activeElement.tagName;") == "MAIN"


@pytest.mark.parametrize("kind", KEYBOARD_KINDS)
def test_tabbing_shows_focus_and_reaches_the_language_switcher(kind, browser, site_url, built_site):
    open_kind(browser, site_url, built_site, kind, DESKTOP)

    stops = tab_through(browser)

    assert len(stops) > 3, f"Tab reaches only {len(stops)} elements"
    invisible = [stop for stop in stops if not (stop.focus_visible and stop.indicator)]
    assert not invisible, "focus not visible on: " + ", ".join(map(str, invisible))
    assert any(stop.in_language_switcher for stop in stops), "Tab never reaches the switcher"


# 3. Responsive: every page kind at 320, 375 and 768 px, and their screenshots, are
# tests/test_screens.py's.


# 4. Links


def test_no_broken_internal_link_anchor_or_asset(built_site):
    problems = broken_links(built_site) + broken_css_urls(built_site)

    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems)


def test_every_linked_pdf_feed_and_calendar_exists_and_reads(built_site):
    import feedparser
    from icalendar import Calendar

    documents = linked_documents(built_site, own_absolute_urls())

    unlinked = {"PDF", "feed", "calendar"} - {kind_of(path) for path in documents}
    assert not unlinked, "no page links to any " + " or ".join(sorted(unlinked))
    for path, pages in sorted(documents.items()):
        target = built_site / path.lstrip("/")
        where = f"{path} (linked from {', '.join(sorted(pages)[:3])})"
        assert target.is_file(), f"missing {where}"
        content = target.read_bytes()
        if kind_of(path) == "PDF":
            assert content.startswith(b"%PDF-"), f"not a PDF: {where}"
        elif kind_of(path) == "feed":
            feed = feedparser.parse(content)
            assert not feed.bozo and feed.version, f"unreadable feed: {where}"
        else:
            assert Calendar.from_ical(content).walk("VCALENDAR"), f"unreadable calendar: {where}"


# 6. Print check


def test_every_pdf_renders_and_embeds_its_fonts(built_site):
    pdftoppm, pdffonts = tools.poppler("pdftoppm"), tools.poppler("pdffonts")
    tools.require(pdftoppm, pdffonts)
    pdfs = sorted(built_site.rglob("*.pdf"))
    assert pdfs, "the sample site has no PDF edition"
    target = tools.artifact_dir("pdf")

    for pdf in pdfs:
        name = str(pdf.relative_to(built_site).with_suffix("")).replace("/", "--")
        png = render_first_page(pdftoppm.path, pdf, target / name)
        assert png_size(png)[0] > 100, f"{pdf.name}: first page rendered empty"
        fonts = pdf_fonts(pdffonts.path, pdf)
        assert fonts, f"{pdf.name} uses no font: is its text there?"
        loose = [font.name for font in fonts if not font.embedded]
        assert not loose, f"{pdf.name}: fonts not embedded: {', '.join(loose)}"


# 5. Mandatory on CI


def test_missing_tool_fails_on_ci_and_skips_loudly_elsewhere(monkeypatch):
    absent = tools.Tool("chromium", None, "apt-get install chromium")

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CANNOT RUN ON CI: missing chromium"):
        tools.require(absent)

    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="NOT RUN — missing chromium .*apt-get"):
        tools.require(absent)


# 5. Content-Security-Policy: the site's own scripts still run under it


def test_copy_buttons_work_under_the_content_security_policy(browser, site_url, built_site):
    from selenium.webdriver.common.by import By

    open_kind(browser, site_url, built_site, "subscribe", DESKTOP)
    policy = browser.find_element(
        By.CSS_SELECTOR, 'meta[http-equiv="Content-Security-Policy"]'
    ).get_attribute("content")
    assert "script-src 'self'" in policy
    button = browser.find_element(By.CSS_SELECTOR, "button[data-copy]")
    assert button.is_displayed()  # copier.js ran: it shows the buttons
    button.click()
    # The label changes once the clipboard has taken the address (a promise): wait for it.
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda _driver: button.text == "Adresse copiée")
