"""Titles, summaries and header values are text everywhere: never parsed as HTML.

A bulletin's title and summary, and a meeting's title, carrying markup and
ampersands, are read back from every output a reader meets (the page, its
<title>, its description and OpenGraph tags, the home page card, the feeds
read by feedparser, the PDF's metadata read by pypdf, the calendar read by
icalendar): each shows exactly what staff wrote, and no output holds an
element made from it. French typography is the one change: non-breaking spaces
(and, in a heading, a raised « o » in « no 1 »), never an element from the text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pypdf
import pytest
from icalendar import Calendar

from plugins.build import PROJECT_ROOT
from tests.conftest import build_copy, read_html

INFO = Path("bulletins/info-psoc/01.md")
MEETING = Path("reunions/assemblees/2021-04-09-agr-visio.md")
TITLE = 'INFO-PSOC no 1 : <b>budget</b> & « coupes » <script>alert("titre")</script>'
SUMMARY = "Le PSOC <img src=x onerror=alert(2)> passe de 25 M$ à > 30 M$ & *plus* [ici](#)."
MEETING_TITLE = "Assemblée <i>générale</i> & suivi <script>alert(3)</script>"
PAGE = "info-psoc/info-psoc-01/index.html"
# As readers see them: the same text, with French spaces (plugins.i18n.typography).
TITLE_SHOWN = (
    "INFO-PSOC no\u00a01\u00a0: <b>budget</b> & «\u00a0coupes\u00a0» "
    '<script>alert("titre")</script>'
)
SUMMARY_SHOWN = (
    "Le PSOC <img src=x onerror=alert(2)> passe de 25\u00a0M$ à > 30\u00a0M$ & *plus* [ici](#)."
)


def replace_header(path: Path, key: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[index] = f"{key}: {value}\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("plain")
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    replace_header(content / INFO, "Title", TITLE)
    replace_header(content / INFO, "Summary", SUMMARY)
    replace_header(content / MEETING, "Title", MEETING_TITLE)
    return build_copy(content, root / "output").output


def test_no_output_holds_an_element_made_from_a_header(site):
    """(An ICS is text: there the title is written as is, see the calendar test.)"""
    for path in site.rglob("*"):
        if path.suffix in {".html", ".xml"}:
            text = path.read_text(encoding="utf-8")
            for made in ("<script>alert", "<img src=x", "<b>budget", "<i>générale"):
                assert made not in text, (path, made)


def test_the_bulletin_page_shows_title_and_summary_as_written(site):
    page = read_html(site / PAGE)
    assert page.find("h1").get_text() == TITLE_SHOWN
    assert page.title.get_text() == f"{TITLE_SHOWN} — Bulletins de la CTROC"
    assert page.find("meta", attrs={"name": "description"})["content"] == SUMMARY_SHOWN
    assert page.find("meta", property="og:title")["content"] == TITLE_SHOWN
    assert page.find("meta", property="og:description")["content"] == SUMMARY_SHOWN
    assert page.find("meta", property="og:type")["content"] == "article"
    assert page.find("meta", property="og:url")["content"].endswith("/info-psoc/info-psoc-01/")
    assert [str(element) for element in page.find("h1").find_all(True)] == ["<sup>o</sup>"]


def test_the_home_page_card_shows_them_as_written(site):
    home = read_html(site / "index.html")
    card = next(c for c in home.select("article.card") if "/info-psoc-01/" in str(c))
    assert card.find("h3").get_text() == TITLE_SHOWN
    summary = card.find(class_="summary")
    assert summary.get_text() == SUMMARY_SHOWN
    assert summary.find(True) is None


@pytest.mark.parametrize("name", ["flux/info-psoc.atom.xml", "flux/info-psoc.rss.xml"])
def test_feeds_carry_them_as_text(site, name):
    feed = feedparser.parse((site / name).read_bytes())
    [entry] = feed.entries
    assert entry.title == TITLE_SHOWN
    assert entry.summary == SUMMARY_SHOWN.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    )  # HTML that shows the text: feedparser keeps the summary's HTML as HTML


def test_the_pdf_metadata_is_the_text(site):
    info = pypdf.PdfReader(site / "info-psoc/info-psoc-01/info-psoc-01.pdf").metadata
    assert info.title == TITLE_SHOWN
    assert info.subject == SUMMARY_SHOWN


def test_the_calendar_and_the_meeting_page_show_the_meeting_title_as_written(site):
    calendar = Calendar.from_ical((site / "calendrier/assemblees.ics").read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert MEETING_TITLE in summaries
    page = read_html(site / "calendrier/assemblees/2021-04-09-agr-visio/index.html")
    assert page.find("h1").get_text() == MEETING_TITLE
    assert page.find("meta", property="og:title")["content"] == MEETING_TITLE
