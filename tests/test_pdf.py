"""The PDF editions of the sample site, read as a member's PDF reader would."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from plugins.i18n.formatting import format_filesize
from tests.conftest import read_html
from tests.linkcheck import site_path

CAMPAGNE = "campagne/campagne-2013-04-18/campagne-2013-04-18.pdf"
INFO_FR = "info-psoc/info-psoc-01/info-psoc-01.pdf"
INFO_EN = "en/info-psoc/info-psoc-01/info-psoc-01-en.pdf"
ALL = (CAMPAGNE, INFO_FR, INFO_EN)
ORGANISATION = "Coalition des Tables régionales d'organismes communautaires"


def reader(site: Path, name: str) -> pypdf.PdfReader:
    return pypdf.PdfReader(site / name)


def page_texts(path: Path, layout: bool = True) -> list[str]:
    """Text of each page as poppler's pdftotext extracts it (pypdf when absent)."""
    if shutil.which("pdftotext"):
        options = ["-layout"] if layout else []
        text = subprocess.run(
            ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return [page for page in text.split("\f") if page.strip()]
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("name", ALL)
def test_pdf_edition_is_us_letter_on_every_page(built_site, name):
    pdf = reader(built_site, name)
    assert len(pdf.pages) >= 2
    for page in pdf.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [(CAMPAGNE, "Page {} de {}"), (INFO_FR, "Page {} de {}"), (INFO_EN, "Page {} of {}")],
)
def test_footer_numbers_every_page_out_of_the_page_count(built_site, name, pattern):
    pages = page_texts(built_site / name)
    assert len(pages) == len(reader(built_site, name).pages)
    for number, text in enumerate(pages, start=1):
        assert pattern.format(number, len(pages)) in text


def test_running_header_names_series_number_and_date_in_the_bulletin_language(built_site):
    fr = page_texts(built_site / INFO_FR)
    en = page_texts(built_site / INFO_EN)
    assert "INFO-PSOC — Numéro 1 — 17 mai 2017" in fr[1]
    assert "INFO-PSOC — No. 1 — May 17, 2017" in en[1]
    campagne = page_texts(built_site / CAMPAGNE)
    assert "18 avril 2013" in campagne[1].splitlines()[0]


def test_accented_text_is_extractable(built_site):
    text = " ".join(page.extract_text() for page in reader(built_site, CAMPAGNE).pages)
    assert "échéancier" in text
    assert "Québec" in text
    assert "«\u00a0Je tiens à ma communauté" in text  # French typography kept in the text


@pytest.mark.parametrize(
    ("name", "heading"), [(CAMPAGNE, "Dans ce numéro"), (INFO_EN, "In this issue")]
)
def test_table_of_contents_gives_the_page_of_each_section(built_site, name, heading):
    pages = page_texts(built_site / name)
    assert heading in pages[0]
    toc = pages[0].split(heading, 1)[1]
    entries = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", toc, flags=re.MULTILINE)
    sections = [s.title for s in reader(built_site, name).outline[1] if isinstance(s, dict)]
    # pdftotext writes every space as « »; the bookmarks keep the narrow one before « ! ».
    assert [title for title, _ in entries] == [flat(section) for section in sections]
    for title, page in entries:
        body = pages[int(page) - 1]
        if int(page) == 1:
            body = body.split(title, 1)[1]  # not the TOC line itself
        assert flat(title) in flat(body), f"« {title} » is not on page {page}"


def test_bookmarks_list_the_sections(built_site):
    outline = reader(built_site, CAMPAGNE).outline
    assert outline[0].title.startswith("Bulletin de la campagne")
    titles = [item.title for item in outline[1] if isinstance(item, dict)]
    assert titles[:3] == [
        "Le groupe de travail",
        "Les stratégies du printemps",
        "L'échéancier du groupe de travail",
    ]


def test_schedule_table_rows_are_never_split_across_pages(built_site):
    pages = [flat(page) for page in page_texts(built_site / CAMPAGNE, layout=False)]
    table = read_html(built_site / "campagne/campagne-2013-04-18/index.html").find("table")
    rows = [
        [flat(td.get_text()).strip() for td in tr.find_all("td")]  # « 1<sup>er</sup> »: 1er
        for tr in table.find_all("tr")
    ]
    rows = [cells for cells in rows if cells]
    assert len(rows) >= 3
    for cells in rows:
        first, last_words = cells[0], " ".join(cells[-1].split()[-2:])
        on = [i for i, text in enumerate(pages) if first in text]
        assert on, first
        assert any(last_words in pages[i] for i in on), f"row « {first} » is split"


def page_words(path: Path) -> list[list[tuple[str, float, float, float]]]:
    """Words of each page with their position (text, x min, y min, x max), by poppler."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    soup = BeautifulSoup(html, "html.parser")
    return [
        [
            (w.get_text(), float(w["xmin"]), float(w["ymin"]), float(w["xmax"]))
            for w in page.find_all("word")
        ]
        for page in soup.find_all("page")
    ]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_schedule_table_gives_the_objectives_most_of_the_width_from_the_first_line(built_site):
    table = read_html(built_site / "campagne/campagne-2013-04-18/index.html").find("table")
    row = table.find("tbody").find_all("tr")[1]
    header = row.find("th").get_text(" ", strip=True).split()  # ["Rencontre", "2"]
    objectives = row.find_all("td")[-1].get_text(" ", strip=True).split()[:3]
    for words in page_words(built_site / CAMPAGNE):
        texts = [word[0] for word in words]
        starts = [i for i in range(len(texts)) if texts[i : i + len(objectives)] == objectives]
        heads = [i for i in range(len(texts)) if texts[i : i + len(header)] == header]
        if not starts or not heads:
            continue
        head, first = words[heads[-1]], words[starts[0]]
        right = max(word[3] for word in words)
        # The objectives share the row's first line with « Rencontre 2 »…
        assert abs(first[2] - head[2]) < 1, (head, first)
        # …and their column takes at least half of the table, not a third.
        assert right - first[1] >= 0.5 * (right - head[1]), (head, first, right)
        return
    pytest.fail(f"row « {' '.join(header)} » not found in the PDF")


def test_links_are_clickable_and_absolute(built_site):
    uris = set()
    for page in reader(built_site, CAMPAGNE).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.add(action["/URI"])
    assert "https://www.facebook.com/jesoutienslecommunautaire" in uris
    assert "mailto:financementocasss@gmail.com" in uris
    assert any(uri.endswith("/abonnement/") and uri.startswith("https://") for uri in uris)


def test_organisation_name_and_contact_close_the_bulletin(built_site):
    last = flat(page_texts(built_site / INFO_FR)[-1])
    assert ORGANISATION in last
    assert "financementocasss@gmail.com" in last
    assert "514-844-1309" in last
    assert "Phone: 514-844-1309" in flat(page_texts(built_site / INFO_EN)[-1])


@pytest.mark.parametrize(
    ("name", "lang", "date"),
    [
        (CAMPAGNE, "fr-CA", "20130418"),
        (INFO_FR, "fr-CA", "20170517"),
        (INFO_EN, "en-CA", "20170517"),
    ],
)
def test_metadata_title_author_language_and_bulletin_dates(built_site, name, lang, date):
    pdf = reader(built_site, name)
    meta = pdf.metadata
    assert meta["/Author"] == ORGANISATION
    assert meta["/Title"]
    assert pdf.trailer["/Root"]["/Lang"] == lang
    assert meta["/CreationDate"].startswith(f"D:{date}")
    assert meta["/ModDate"].startswith(f"D:{date}")
    html = read_html((built_site / name).parent / "index.html")
    assert meta["/Title"] == html.find("h1").get_text().strip()


@pytest.mark.parametrize("name", ALL)
def test_pdf_is_tagged_for_accessibility(built_site, name):
    root = reader(built_site, name).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part>1<" in xmp or b'pdfuaid:part="1"' in xmp


@pytest.mark.parametrize("name", ALL)
def test_fonts_are_the_shipped_font_embedded(built_site, name):
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed")
    lines = subprocess.run(
        ["pdffonts", str(built_site / name)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        assert "DejaVu-Sans" in line
        assert line.split()[-5] == "yes", line  # the "emb" column


@pytest.mark.parametrize(
    ("page", "name", "label"),
    [
        ("info-psoc/info-psoc-01/index.html", INFO_FR, "Télécharger le PDF ({})"),
        ("en/info-psoc/info-psoc-01/index.html", INFO_EN, "Download the PDF ({})"),
        ("campagne/campagne-2013-04-18/index.html", CAMPAGNE, "Télécharger le PDF ({})"),
    ],
)
def test_bulletin_page_links_its_pdf_with_the_real_size(built_site, page, name, label):
    link = read_html(built_site / page).select_one(".bulletin__pdf a")
    assert site_path(built_site, built_site / page, link["href"]) == "/" + name
    size = (built_site / name).stat().st_size
    lang = "en" if name.startswith("en/") else "fr"
    assert link.get_text(strip=True) == label.format(format_filesize(size, lang))
    assert re.search(r"\(\d+ (Ko|KB)\)", link.get_text())


def test_pdf_sits_beside_its_page_with_a_self_explaining_name(built_site):
    for name in ALL:
        path = built_site / name
        assert path.is_file()
        assert (path.parent / "index.html").is_file()
        assert path.stem == path.parent.name + ("-en" if name.startswith("en/") else "")
