"""`invoke serve` as staff use it: a page open in Chromium follows their saves.

The preview server runs as its own process (``python -m plugins.build.preview``)
on a free port, over a copy of the content; the test edits files the way an
editor does and watches the page.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from plugins.build import PROJECT_ROOT, build_site, render_pages
from plugins.model import ContentError
from tests.conftest import CONF, build_copy
from tests.gates import tools
from tests.gates.browser import chromium_session, open_page
from tests.site_bytes import differing_files

INFO = Path("bulletins/info-psoc/01.md")
PAGE = "/info-psoc/info-psoc-01/"
PAGE_FILE = "info-psoc/info-psoc-01/index.html"
PDF_SIZE = re.compile(r"Télécharger le PDF \([^)]*\)")
MISSING = (
    "content/bulletins/info-psoc/01.md:1: section obligatoire manquante « Engagez-vous pour le "
    "communautaire » : ajoutez un titre « ## Engagez-vous pour le communautaire »"
)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float = 40.0, every: float = 0.2):
    """The first true value of ``condition()`` within ``seconds``, else fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"still false after {seconds} s: {condition.__doc__ or condition}")


class Preview:
    """``python -m plugins.build.preview`` over a copy of content/, its output aside."""

    def __init__(self, root: Path):
        self.content = root / "content"
        self.output = root / "output"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        shutil.copytree(PROJECT_ROOT / "content", self.content)
        self.log = (root / "preview.log").open("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "plugins.build.preview",
                "--port",
                str(self.port),
                "--content",
                str(self.content),
                "--output",
                str(self.output),
                "--cache",
                str(root / "cache"),
            ],
            cwd=PROJECT_ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def serving(self) -> bool:
        """the preview answers"""
        try:
            with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def edit(self, change) -> None:
        """Save the bulletin as editors do: a new file renamed over the old one."""
        path = self.content / INFO
        text = change(path.read_text(encoding="utf-8"))
        temporary = path.with_name(".01.md.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)

    def idle(self) -> bool:
        """the preview finished its last rebuild (or gave up on it)"""
        lines = self.said().rstrip().splitlines()
        return bool(lines) and lines[-1].startswith(("Site reconstruit", "Le site affiché reste"))

    def said(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    chromium, chromedriver = tools.chromium(), tools.chromedriver()
    tools.require(chromium, chromedriver)
    running = Preview(tmp_path_factory.mktemp("preview"))
    try:
        wait_for(running.serving, 120)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory, preview):
    chromium, chromedriver = tools.chromium(), tools.chromedriver()
    with chromium_session(
        chromium.path, chromedriver.path, tmp_path_factory.mktemp("profile")
    ) as driver:
        yield driver


def body_text(driver) -> str:
    return driver.execute_script("return document.body.innerText;")


def panel(driver):
    return driver.execute_script(
        "var p = document.getElementById('apercu-problemes');"
        "return p ? [p.getAttribute('role'), p.innerText] : null;"
    )


@pytest.mark.browser
def test_an_edit_shows_up_in_the_open_page_without_navigation(preview, browser):
    open_page(browser, preview.url + PAGE, 1280)
    sentence = "Phrase ajoutée pendant l'aperçu."
    preview.edit(lambda text: text.rstrip("\n") + f"\n\n{sentence}\n")
    wait_for(lambda: sentence in body_text(browser))
    assert browser.current_url == preview.url + PAGE
    assert panel(browser) is None


@pytest.mark.browser
def test_a_broken_bulletin_shows_its_problems_in_the_page_until_repaired(preview, browser):
    open_page(browser, preview.url + PAGE, 375)
    heading = "## Engagez-vous pour le communautaire !"
    preview.edit(lambda text: text.replace(heading, "## Engagement communautaire"))
    role, text = wait_for(lambda: panel(browser))
    assert role == "alert"
    assert MISSING in text
    assert "Engagez-vous pour le communautaire" in body_text(browser)  # the last good page
    width = browser.execute_script("return document.documentElement.scrollWidth;")
    assert width <= 375  # the panel reads on a phone
    preview.edit(lambda text: text.replace("## Engagement communautaire", heading))
    wait_for(lambda: panel(browser) is None)
    assert "Engagez-vous pour le communautaire" in body_text(browser)


@pytest.mark.browser
def test_five_saves_within_100_ms_make_one_rebuild(preview, browser):
    wait_for(preview.idle)
    before = preview.said().count("Site reconstruit")
    for number in range(5):
        preview.edit(lambda text, n=number: text.rstrip("\n") + f"\n\nSauvegarde {n}.\n")
        time.sleep(0.02)
    open_page(browser, preview.url + PAGE, 1280)
    wait_for(lambda: "Sauvegarde 4." in body_text(browser))
    time.sleep(2)  # a second rebuild, if any, would have started by now
    assert preview.said().count("Site reconstruit") == before + 1


@pytest.mark.browser
def test_a_file_saved_in_another_encoding_is_shown_as_a_problem(preview, browser):
    open_page(browser, preview.url + PAGE, 1280)
    path = preview.content / INFO
    original = path.read_bytes()
    path.write_bytes(original.replace("é".encode(), "é".encode("latin-1"), 1))
    role, text = wait_for(lambda: panel(browser))
    assert "content/bulletins/info-psoc/01.md:" in text
    assert "n'est pas en UTF-8" in text
    path.write_bytes(original)
    wait_for(lambda: panel(browser) is None)


@pytest.mark.browser
def test_the_edited_page_is_shown_before_the_rest_of_the_site_is_rebuilt(preview):
    wait_for(preview.idle)
    said = len(preview.said())
    preview.edit(lambda text: text.rstrip("\n") + "\n\nPhrase vue avant la reconstruction.\n")
    wait_for(lambda: "Site reconstruit" in preview.said()[said:])
    news = preview.said()[said:]
    assert news.index("Page mise à jour en") < news.index("Site reconstruit en")


@pytest.mark.browser
def test_the_preview_publishes_what_a_cold_build_publishes(preview, tmp_path):
    """After the edits of this module (quick passes, then full builds), output/ is what
    one build of the same content makes from nothing, PDFs included; so is the site
    the next `make site` builds (its own settings: search index, feed addresses)."""
    wait_for(preview.idle)
    overrides = {"FEED_SITEURL": f"http://localhost:{preview.port}", "SEARCH_INDEX": False}
    cold = build_copy(preview.content, tmp_path / "cold", **overrides).output
    assert differing_files(preview.output, cold) == []
    assert list(preview.output.rglob("*.pdf"))

    cache = preview.output.parent / "cache"
    following = build_site(
        CONF, preview.output, {"PATH": str(preview.content), "BUILD_CACHE_PATH": str(cache)}
    )
    assert not following.unchanged
    cold = build_copy(preview.content, tmp_path / "cold-site", BUILD_CACHE_PATH=tmp_path / "c2")
    assert differing_files(following.output, cold.output) == []


def test_a_quick_pass_renders_the_edited_page_as_the_full_build_does(project_copy, tmp_path):
    output = tmp_path / "output"
    build_copy(project_copy, output)
    published = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    bulletin = project_copy / INFO
    bulletin.write_text(
        bulletin.read_text(encoding="utf-8") + "\nPhrase de la passe rapide.\n", encoding="utf-8"
    )
    overrides = {"PATH": str(project_copy), "BUILD_CACHE_PATH": str(tmp_path / "cache")}

    pages = render_pages(CONF, [bulletin], output, overrides)

    assert list(pages) == [PAGE_FILE]
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == published
    quick = pages[PAGE_FILE].decode("utf-8")
    assert "Phrase de la passe rapide." in quick
    assert PDF_SIZE.search(quick)  # it links to the PDF served now; the new one follows
    full = (build_copy(project_copy, output).output / PAGE_FILE).read_text(encoding="utf-8")
    assert PDF_SIZE.sub("PDF", quick) == PDF_SIZE.sub("PDF", full)

    twin = bulletin.with_name("01.en.md")
    twin.write_text(twin.read_text(encoding="utf-8") + "\nA quick pass sentence.\n", "utf-8")
    pages = render_pages(CONF, [twin], output, overrides)
    assert list(pages) == [f"en/{PAGE_FILE}"]  # the English sub-site's page, alone
    english = pages[f"en/{PAGE_FILE}"].decode("utf-8")
    assert "A quick pass sentence." in english and '<html lang="en-CA">' in english
    assert re.search(r"Download the PDF \(", english)


def test_a_quick_pass_checks_the_whole_content(project_copy, tmp_path):
    output = tmp_path / "output"
    build_copy(project_copy, output)
    overrides = {"PATH": str(project_copy), "BUILD_CACHE_PATH": str(tmp_path / "cache")}
    meeting = next((project_copy / "reunions").rglob("*.md"))
    assert render_pages(CONF, [meeting], output, overrides) == {}  # only the full build shows it
    bulletin = project_copy / INFO
    text = bulletin.read_text(encoding="utf-8")
    bulletin.write_text(text.replace("## Engagez-vous pour le communautaire !", "## Engagement"))
    with pytest.raises(ContentError) as raised:
        render_pages(CONF, [meeting], output, overrides)
    assert MISSING.split(":", 2)[2].strip() in [p.message for p in raised.value.problems]


def test_only_markdown_saved_in_content_is_worth_a_quick_pass(tmp_path):
    from watchfiles import Change

    from plugins.build.preview import edited_sources

    content = tmp_path / "content"
    bulletin = content / "bulletins" / "01.md"
    bulletin.parent.mkdir(parents=True)
    bulletin.write_text("x")
    renamed = {(Change.added, str(bulletin.with_suffix(".md.tmp"))), (Change.added, str(bulletin))}
    assert edited_sources(renamed, content) == [bulletin]
    assert edited_sources({(Change.deleted, str(bulletin))}, content) == []
    template = str(tmp_path / "theme" / "templates" / "base.html")
    (tmp_path / "theme" / "templates").mkdir(parents=True)
    Path(template).write_text("x")
    assert (
        edited_sources({(Change.modified, template), (Change.added, str(bulletin))}, content) == []
    )


def test_only_a_stylesheet_change_asks_pages_for_their_styles_alone():
    from plugins.build.preview import change_event

    assert change_event({(2, "/site/theme/static/css/screen.css")}) == "css"
    assert change_event({(2, "/site/theme/static/css/screen.css"), (2, "/c/01.md")}) == "reload"
    assert change_event(set()) == "reload"


def test_the_published_files_never_hold_the_preview(preview):
    for path in preview.output.rglob("*"):
        if path.suffix in {".html", ".xml", ".ics", ".js"}:
            assert "_apercu" not in path.read_text(encoding="utf-8"), path


def test_ctrl_c_stops_it_with_one_french_line(preview):
    assert preview.stop() == 0
    said = preview.said()
    assert said.rstrip().endswith("Aperçu arrêté.")
    assert "Traceback" not in said
