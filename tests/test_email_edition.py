"""The email edition as a mailbox sees it: the .eml parsed by Python's ``email``
package, its HTML part read by an HTML parser and rendered in Chromium."""

from __future__ import annotations

import email
import email.policy
import io
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from plugins.build import PROJECT_ROOT
from plugins.email_edition.commands import Request, run_email
from plugins.email_edition.plaintext import Notes, html_to_text
from plugins.i18n.formatting import format_filesize
from tests.conftest import build_copy, read_html

CONF = PROJECT_ROOT / "pelicanconf.py"
INFO = "bulletins/info-psoc/01.md"
CAMPAGNE = "bulletins/campagne/2013-04-18.md"
SITE = "https://bulletins.ctroc.org"
UNSUBSCRIBE_URL = "https://listes.ctroc.org/desabonnement?liste=bulletins"
VIDEO = "https://www.youtube-nocookie.com/embed/a1b2c3d4e5f"
VIDEO_TITLE = "Capsule vidéo des maisons des jeunes"
MAP_ALT = "Carte des 15 tables régionales membres de la CTROC"
# As readers see it: French typography (non-breaking spaces; plugins.i18n.typography).
TITLE = (
    "INFO-PSOC no\u00a01\u00a0: budget 2017-2018, groupe de travail avec le MSSS et bilan de "
    "la campagne"
)


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


class Editions:
    """The sample content (plus an image and a video in the campaign bulletin),
    its site built, and the email editions `invoke email` writes from it."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        self.cache = root / "cache"
        email_settings = dict(read_settings(str(CONF))["EMAIL"])
        email_settings["unsubscribe_url"] = UNSUBSCRIBE_URL
        self.overrides = {
            "PATH": str(self.content),
            "BUILD_CACHE_PATH": str(self.cache),
            "EMAIL": email_settings,
        }

    def request(self, bulletin: str, lang: str | None = None) -> Request:
        return Request(CONF, str(self.content / bulletin), lang, self.overrides, self.output)

    def write(self, bulletin: str, lang: str | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        status = run_email(self.request(bulletin, lang), out, err)
        return status, out.getvalue(), err.getvalue()

    def eml(self, name: str) -> Path:
        return self.cache / "email" / name


def add_image_and_video(content: Path) -> None:
    from PIL import Image

    (content / "images").mkdir()
    Image.new("RGB", (120, 80), (140, 29, 64)).save(content / "images" / "carte.png")
    path = content / CAMPAGNE
    text = path.read_text(encoding="utf-8").rstrip("\n")
    embed = f'<iframe src="{VIDEO}" title="{VIDEO_TITLE}" allowfullscreen></iframe>'
    path.write_text(
        f"{text}\n\n![{MAP_ALT}]({{static}}/images/carte.png)\n\n{embed}\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Editions:
    made = Editions(tmp_path_factory.mktemp("email"))
    shutil.copytree(PROJECT_ROOT / "content", made.content)
    add_image_and_video(made.content)
    for bulletin, lang in ((INFO, None), (INFO, "en"), (CAMPAGNE, None)):
        status, out, err = made.write(bulletin, lang)
        assert status == 0, err
    return made


@pytest.fixture(scope="module")
def info(editions):
    return parse(editions.eml("info-psoc-01.eml"))


# 1. What `invoke email` says and writes.


def test_the_edition_is_written_outside_output_and_its_path_printed(editions):
    status, out, err = editions.write(INFO)
    assert status == 0 and err == ""
    path = editions.eml("info-psoc-01.eml")
    size = format_filesize(path.stat().st_size, "fr")
    assert out == f"Édition courriel de INFO-PSOC no 1 ({size}) : {path}\n"
    assert not any(p.suffix == ".eml" for p in editions.output.rglob("*"))


def test_the_same_input_gives_the_same_bytes(editions):
    first = editions.eml("info-psoc-01.eml").read_bytes()
    assert editions.write(INFO)[0] == 0
    assert editions.eml("info-psoc-01.eml").read_bytes() == first


# 2. Headers.


def test_headers_come_from_the_settings_and_the_bulletin(info):
    assert info["From"] == "CTROC <financementocasss@gmail.com>"
    assert info["To"] == "financementocasss@gmail.com"
    assert info["Reply-To"] == "financementocasss@gmail.com"
    assert info["Subject"] == TITLE
    assert info["Date"] == "Wed, 17 May 2017 00:00:00 -0400"
    assert info["Message-ID"] == "<info-psoc-01.fr@bulletins.ctroc.org>"
    assert info["Content-Language"] == "fr"
    assert info["List-Unsubscribe"].strip() == (
        f"<mailto:financementocasss@gmail.com?subject=D%C3%A9sabonnement>, <{UNSUBSCRIBE_URL}>"
    )
    assert info["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_headers_are_encoded_so_accents_survive(editions):
    raw = editions.eml("campagne-2013-04-18.eml").read_bytes()
    assert raw.isascii()  # 7-bit on the wire: encoded words and quoted-printable
    subject = re.search(rb"^Subject: (.*?)\r\n(?=\S)", raw, re.S | re.M).group(1)
    assert b"=?utf-8?b?wqvCoEplIHRpZW5zIMOgIG1hIGNv?=" in subject  # «\u00a0Je tiens à ma co
    message = parse(editions.eml("campagne-2013-04-18.eml"))
    assert message["Subject"] == (
        "Bulletin de la campagne «\u00a0Je tiens à ma communauté > je soutiens le "
        "communautaire\u00a0»"
    )


def test_it_is_multipart_alternative_text_then_html(info):
    assert info.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in info.iter_parts()] == ["text/plain", "text/html"]
    for part in info.iter_parts():
        assert part.get_content_charset() == "utf-8"


def test_without_an_https_unsubscribe_address_there_is_no_one_click_header(editions):
    from plugins.content.loading import load_content
    from plugins.email_edition.edition import Addresses, email_message, published

    settings = read_settings(str(CONF))  # the sample's EMAIL: a mailto: only
    model = load_content({**settings, **editions.overrides, "PROJECT_ROOT": str(PROJECT_ROOT)})
    bulletin = model.bulletin(model.file(str(editions.content / INFO)))
    page = editions.output / "info-psoc/info-psoc-01/index.html"
    edition = published(page, bulletin, f"{SITE}/info-psoc/info-psoc-01/", SITE)
    message = email_message(edition, settings, Addresses.from_settings(settings["EMAIL"]))
    assert message["List-Unsubscribe"].strip() == (
        "<mailto:financementocasss@gmail.com?subject=D%C3%A9sabonnement>"
    )
    assert "List-Unsubscribe-Post" not in message


# 3. The text part.


def test_the_text_part_reads_as_it_is(info, editions):
    text = plain(info)
    lines = text.splitlines()
    assert lines[0:2] == [
        "INFO-PSOC no\u00a01\u00a0: budget 2017-2018, groupe de travail avec le MSSS et",
        "bilan de la campagne",
    ]
    assert lines[2] == "=" * len(lines[0])
    assert lines[3] == "INFO-PSOC, numéro 1 — 17 mai 2017"
    pdf = editions.output / "info-psoc/info-psoc-01/info-psoc-01.pdf"
    assert f"Lire en ligne\u00a0: {SITE}/info-psoc/info-psoc-01/" in lines
    size = format_filesize(pdf.stat().st_size, "fr")
    pdf_url = f"{SITE}/info-psoc/info-psoc-01/info-psoc-01.pdf"
    assert f"Télécharger le PDF ({size})\u00a0: {pdf_url}" in lines
    assert "Budget 2017-2018\n----------------\n" in text
    assert "En résumé\n~~~~~~~~~\n" in text
    assert "\n- L'ensemble des regroupements présents, provinciaux et régionaux,\n" in text
    assert "\n  - Leur membership élargi\u202f;\n" in text  # a nested list, indented
    assert "> «\u00a0Tout le monde s'entend sur la confusion" in text
    assert "votre TROC ou votre ROC [1]." in text
    assert text.rstrip().endswith(f"Liens\n[1] {SITE}/membres/")
    assert "<" not in text.replace("<", "")  # no markup…
    assert not re.search(r"</?[a-z]+[ >]", text)  # …at all
    for line in lines:
        assert len(line) <= 72 or "://" in line or set(line) <= {"-", "~", "="}, line


def test_a_wide_table_is_written_row_by_row_and_embeds_as_links(editions):
    text = plain(parse(editions.eml("campagne-2013-04-18.eml")))
    assert "Rencontre\u00a0: Rencontre 1\nDate\u00a0: 1er mars 2013\nStatut\u00a0: Tenue\n" in text
    assert f"[Image\u00a0: {MAP_ALT}]" in text
    number = re.search(rf"{VIDEO_TITLE} \[(\d+)\]", text).group(1)
    assert f"\n[{number}] {VIDEO}" in text


def test_a_narrow_table_is_aligned_in_columns():
    table = (
        "<table><thead><tr><th>Année</th><th>Montant ajouté</th></tr></thead><tbody>"
        "<tr><td>2017-2018</td><td>25 M$</td></tr><tr><td>2018-2019</td><td>5 M$</td></tr>"
        "</tbody></table>"
    )
    assert html_to_text(table, str, Notes()) == (
        "Année      Montant ajouté\n---------  --------------\n2017-2018  25 M$\n2018-2019  5 M$"
    )


def test_the_english_edition_speaks_english(editions):
    message = parse(editions.eml("info-psoc-01-en.eml"))
    assert message["Subject"].startswith("INFO-PSOC No. 1: 2017-2018 budget")
    assert message["Message-ID"] == "<info-psoc-01.en@bulletins.ctroc.org>"
    assert message["Content-Language"] == "en"
    text = plain(message)
    assert "INFO-PSOC, number 1 — May 17, 2017" in text
    assert f"Read online: {SITE}/en/info-psoc/info-psoc-01/" in text
    soup = BeautifulSoup(html_of(message), "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.find("a", string="Read online")["href"] == f"{SITE}/en/info-psoc/info-psoc-01/"


# 4. The HTML part.


def test_the_html_part_is_safe_self_contained_and_small(info):
    body = html_of(info)
    assert len(body.encode("utf-8")) < 102 * 1024  # Gmail clips above
    soup = BeautifulSoup(body, "html.parser")
    for name in ("script", "form", "iframe", "object", "embed", "input", "link"):
        assert soup.find(name) is None, name
    for tag in soup.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")], tag.name
    for style in soup.find_all("style"):
        outside_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", style.text)
        assert not outside_media.strip(), "a rule outside a media query stayed in <style>"
    assert soup.find(style=re.compile(r"max-width:\s*600px")) is not None


def test_french_typography_reaches_the_subject_and_both_parts(info, editions):
    """The page's typeset text (plugins.i18n.typography) is what the email carries:
    non-breaking spaces everywhere, raised letters in the HTML, letters in the text."""
    assert info["Subject"].startswith("INFO-PSOC no\u00a01\u00a0: budget")
    html = BeautifulSoup(html_of(info), "html.parser")
    assert html.find("h1").decode_contents().startswith("INFO-PSOC n<sup>o</sup>\u00a01\u00a0:")
    assert "On y revendique 475\u00a0M$, ce qui inclut le 355\u00a0M$" in html.get_text()
    text = plain(info)
    assert "475\u00a0M$, ce qui inclut" in text
    assert "cadres régionaux\u202f? Décidera-t-elle" in text.replace("\n", " ")
    campaign = parse(editions.eml("campagne-2013-04-18.eml"))
    assert "<sup>e</sup> rencontre" in html_of(campaign)
    assert "la 2e rencontre" in plain(campaign).replace("\n", " ")
    english = parse(editions.eml("info-psoc-01-en.eml"))
    assert english["Subject"].startswith("INFO-PSOC No. 1: 2017-2018 budget")
    assert "\u202f" not in plain(english) and "<sup>" not in html_of(english)


def test_the_html_part_has_a_preheader_header_and_absolute_links(info, editions):
    soup = BeautifulSoup(html_of(info), "html.parser")
    assert soup.html["lang"] == "fr"
    preheader = soup.body.find("div")
    assert "display:none" in preheader["style"].replace(" ", "")
    assert preheader.get_text().startswith("Première édition de l'INFO-PSOC\u00a0: 25 millions")
    header = soup.get_text(" ")
    assert "INFO-PSOC — numéro 1" in " ".join(header.split())
    assert "17 mai 2017" in header
    assert soup.find("h1").get_text() == TITLE
    read = soup.find("a", string="Lire en ligne")
    assert read["href"] == f"{SITE}/info-psoc/info-psoc-01/"
    pdf = soup.find("a", string=re.compile("^Télécharger le PDF"))
    assert pdf["href"] == f"{SITE}/info-psoc/info-psoc-01/info-psoc-01.pdf"
    for link in soup.find_all("a", href=True):
        assert link["href"].startswith(("https://", "mailto:")), link["href"]
        # The page links index.html files (it opens from output/); mail gives folders.
        assert "index.html" not in link["href"], link["href"]
    assert f"{SITE}/membres/" in {link["href"] for link in soup.find_all("a", href=True)}
    h2 = soup.find("h2")
    assert "color" in h2.get("style", "")  # styled inline, not by a <style> rule


def test_images_are_absolute_with_their_text_and_embeds_are_links(editions):
    soup = BeautifulSoup(html_of(parse(editions.eml("campagne-2013-04-18.eml"))), "html.parser")
    [image] = [img for img in soup.find_all("img") if "carte" in img.get("src", "")]
    assert image["src"] == f"{SITE}/images/carte.png"
    assert image["alt"] == MAP_ALT
    assert soup.find("iframe") is None
    assert soup.find("a", href=VIDEO).get_text() == VIDEO_TITLE


# 5. In a real browser.


@pytest.mark.browser
@pytest.mark.parametrize("width", [600, 375])
def test_the_html_part_renders_in_chromium_without_sideways_scroll(info, editions, tmp_path, width):
    from tests.gates import tools
    from tests.gates.browser import chromium_session, horizontal_overflow, open_page, save_full_page

    chromium, chromedriver = tools.chromium(), tools.chromedriver()
    tools.require(chromium, chromedriver)
    page = tmp_path / "info-psoc-01.html"
    page.write_text(html_of(info), encoding="utf-8")
    with chromium_session(chromium.path, chromedriver.path, tmp_path / "profile") as driver:
        open_page(driver, page.as_uri(), width)
        scroll_width, inner_width = horizontal_overflow(driver)
        assert scroll_width <= inner_width
        shown = driver.execute_script(
            "return document.querySelector('h1').getBoundingClientRect().width;"
        )
        assert 0 < shown <= min(width, 600)
        target = tools.artifact_dir("email") / f"info-psoc-01-{width}.png"
        save_full_page(driver, width, target)
    assert target.stat().st_size > 10_000


# 6. Subscribing by email.


def test_the_subscribe_pages_offer_email_when_configured(built_site):
    french = read_html(built_site / "abonnement/index.html")
    section = french.find(id="par-courriel").find_parent("section")
    link = section.find("a", string="S'abonner par courriel")
    assert link["href"].startswith("mailto:financementocasss@gmail.com?subject=")
    assert "financementocasss@gmail.com" in section.get_text()
    english = read_html(built_site / "en/subscribe/index.html")
    assert english.find(id="par-courriel").get_text() == "By email"
    assert english.find("a", string="Subscribe by email") is not None


def test_without_a_subscription_address_the_section_is_absent(project_copy, tmp_path):
    result = build_copy(project_copy, tmp_path / "output", EMAIL=None)
    page = read_html(result.output / "abonnement/index.html")
    assert page.find(id="par-courriel") is None
    assert "courriel" not in page.find("main").find("h2").get_text()


# 7. Bad input for `invoke email`: one French line, nothing written.


def test_an_unknown_bulletin_or_a_missing_twin_is_one_french_line(editions, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    missing = Request(CONF, "content/bulletins/info-psoc/09.md", None, editions.overrides)
    assert run_email(missing, out, err) == 1
    assert err.getvalue() == (
        "bulletin introuvable : content/bulletins/info-psoc/09.md ; aucune édition n'a été "
        "écrite.\n"
    )
    err = io.StringIO()
    no_twin = editions.request(CAMPAGNE, "en")
    assert run_email(no_twin, out, err) == 1
    assert err.getvalue().startswith(
        f"{editions.content / CAMPAGNE} n'a pas de version « en » : créez-la avec invoke new "
        "--translate"
    )
    assert out.getvalue() == ""
    assert not editions.eml("campagne-2013-04-18-en.eml").exists()
