"""PDF editions across builds: cache, identical bytes, long, short and broken bulletins."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from plugins.model import ContentError
from tests.conftest import build_copy

PDFS = (
    "campagne/campagne-2013-04-18/campagne-2013-04-18.pdf",
    "info-psoc/info-psoc-01/info-psoc-01.pdf",
    "en/info-psoc/info-psoc-01/info-psoc-01-en.pdf",
)


def render_counts(records: list[logging.LogRecord]) -> dict[str, tuple[int, int]]:
    """Sub-site -> (rendered, cached), from each « PDF (fr) : 1 rendu, 41 en cache » line."""
    counts = {}
    for record in records:
        match = re.fullmatch(r"PDF \((\w+)\) : (\d+) rendus?, (\d+) en cache", record.getMessage())
        if match and record.name == "bulletins":
            assert record.levelno == logging.INFO
            assert match[1] not in counts, f"two lines for the {match[1]} sub-site"
            counts[match[1]] = (int(match[2]), int(match[3]))
    return counts


def build_and_count(caplog, content: Path, output: Path, cache: Path) -> tuple[int, int]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bulletins"):
        build_copy(content, output, BUILD_CACHE_PATH=str(cache))
    counts = render_counts(caplog.records)
    assert set(counts) == {"fr", "en"}  # one line per sub-site, naming it
    return sum(r for r, _ in counts.values()), sum(c for _, c in counts.values())


def test_cache_renders_only_what_changed_and_bytes_never_change(
    caplog, project_copy, tmp_path, built_site
):
    cache = tmp_path / "shared-cache"
    assert build_and_count(caplog, project_copy, tmp_path / "one", cache) == (3, 0)
    assert (cache / "pdf").is_dir() and not (tmp_path / "one" / ".cache").exists()
    for name in PDFS:
        # Rendered from scratch in another folder, with another cache: same bytes.
        assert (tmp_path / "one" / name).read_bytes() == (built_site / name).read_bytes(), name

    assert build_and_count(caplog, project_copy, tmp_path / "two", cache) == (0, 3)
    for name in PDFS:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()

    source = project_copy / "bulletins" / "info-psoc" / "01.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Voici la toute première", "Voici enfin la toute première"))
    assert build_and_count(caplog, project_copy, tmp_path / "three", cache) == (1, 2)
    changed = pypdf.PdfReader(tmp_path / "three" / PDFS[1]).pages[0].extract_text()
    assert "Voici enfin la toute première" in re.sub(r"\s+", " ", changed)


SHORT = """Title: INFO-PSOC no 2 : un numéro bref
Date: 2017-09-01
Series: info-psoc
Number: 2
Lang: fr
Translation: info-psoc-02
Summary: Un numéro bref de l'INFO-PSOC, qui tient sur une seule page.

Un mot d'introduction.

## Budget

Rien de neuf au budget ce mois-ci.

## Groupe de travail

Le groupe de travail se réunira en octobre.

## Engagez-vous pour le communautaire

Participez aux actions régionales.
"""

WIDE_COLUMNS = 14


def long_bulletin() -> str:
    paragraph = (
        "Les organismes communautaires autonomes en santé et services sociaux "
        "rappellent l'échéancier du groupe de travail et les seuils planchers. " * 6
    )
    sections = [
        "Le groupe de travail",
        "L'échéancier du groupe de travail",
        "Des actions partout au Québec",
    ]
    sections += [f"Chronique régionale {n}" for n in range(1, 26)]
    body = []
    for title in sections:
        body.append(f"## {title}\n\n" + "\n\n".join([paragraph] * 6) + "\n")
    header = "| " + " | ".join(f"Regroupementrégionaldesorganismes{n}" for n in range(WIDE_COLUMNS))
    separator = "|" + " --- |" * WIDE_COLUMNS
    row = "| " + " | ".join("Montantdemandéauministère" for _ in range(WIDE_COLUMNS)) + " |"
    body.insert(1, f"{header} |\n{separator}\n{row}\n{row}\n")
    return (
        "Title: Bulletin de la campagne : un très long numéro\n"
        "Date: 2014-01-15\n"
        "Series: campagne\n"
        "Lang: fr\n"
        "Translation: campagne-2014-01-15\n"
        "Summary: Un numéro très long, avec un tableau plus large que la page.\n\n"
        "Introduction.\n\n" + "\n".join(body)
    )


@pytest.fixture(scope="module")
def unusual_site(tmp_path_factory, built_site) -> Path:
    """The sample site plus a one-page bulletin and a 40-page one with a too-wide table."""
    from plugins.build import PROJECT_ROOT

    root = tmp_path_factory.mktemp("unusual")
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "bulletins" / "info-psoc" / "02.md").write_text(SHORT, encoding="utf-8")
    (content / "bulletins" / "campagne" / "2014-01-15.md").write_text(
        long_bulletin(), encoding="utf-8"
    )
    shared_cache = built_site.parent / "cache"  # the sample bulletins are already rendered
    return build_copy(content, root / "output", BUILD_CACHE_PATH=str(shared_cache)).output


def test_one_page_bulletin_has_no_table_of_contents(unusual_site):
    pdf = pypdf.PdfReader(unusual_site / "info-psoc/info-psoc-02/info-psoc-02.pdf")
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "Dans ce numéro" not in text
    assert "Page 1 de 1" in text


def test_forty_page_bulletin_renders_with_its_table_of_contents(unusual_site):
    pdf = pypdf.PdfReader(unusual_site / "campagne/campagne-2014-01-15/campagne-2014-01-15.pdf")
    assert len(pdf.pages) >= 30
    assert "Dans ce numéro" in pdf.pages[0].extract_text()
    last = len(pdf.pages)
    assert f"Page {last} de {last}" in pdf.pages[-1].extract_text()
    assert len([item for item in pdf.outline[1] if isinstance(item, dict)]) == 28


def test_table_wider_than_the_page_wraps_inside_the_margins(unusual_site):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    pdf = unusual_site / "campagne/campagne-2014-01-15/campagne-2014-01-15.pdf"
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "3", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) <= 612 - 56  # inside the 2 cm right margin
    words = re.sub(r"<[^>]+>|\s+", "", boxes)
    assert words.count("Montant") >= 2 * WIDE_COLUMNS  # every cell is there, wrapped


BROKEN = """Title: INFO-PSOC no 3 : images douteuses
Date: 2017-10-01
Series: info-psoc
Number: 3
Lang: fr
Translation: info-psoc-03
Summary: Un numéro dont les images viennent d'ailleurs.

Introduction.

## Budget

![Mot de passe](file:///etc/passwd)

## Groupe de travail

![Logo distant](https://example.com/logo.png)

## Engagez-vous pour le communautaire

![Absente]({static}/images/absente.png)

![Cassée]({static}/images/cassee.png)
"""


def test_refused_images_stop_the_build_with_french_file_line_messages(
    project_copy, tmp_path, built_site
):
    (project_copy / "bulletins" / "info-psoc" / "03.md").write_text(BROKEN, encoding="utf-8")
    (project_copy / "images").mkdir(exist_ok=True)
    (project_copy / "images" / "cassee.png").write_bytes(b"ceci n'est pas une image")
    output = tmp_path / "output"
    with pytest.raises(ContentError) as error:
        build_copy(project_copy, output, BUILD_CACHE_PATH=str(built_site.parent / "cache"))
    # Refused before anything is rendered, each on its line, as `invoke check` says it.
    messages = [str(p) for p in error.value.problems]
    path = "content/bulletins/info-psoc/03.md"
    assert (
        f"{path}:13: ressource refusée dans l'édition PDF : « file:///etc/passwd » "
        "(ce fichier est hors du site)"
    ) in messages, messages
    remote = f"{path}:17: ressource refusée dans l'édition PDF : « https://example.com/logo.png »"
    assert any(m.startswith(remote) for m in messages), messages
    missing = f"{path}:21: image introuvable « {{static}}/images/absente.png »"
    assert any(m.startswith(missing) for m in messages), messages
    assert (
        f"{path}:23: image illisible « images/cassee.png » : format inconnu ou fichier endommagé ; "
        "enregistrez-la en PNG ou en JPEG"
    ) in messages, messages
    assert not output.exists()


NO_ALT = """Title: INFO-PSOC no 4 : une photo sans description
Date: 2017-11-01
Series: info-psoc
Number: 4
Lang: fr
Translation: info-psoc-04
Summary: Un numéro dont la photo n'a pas de texte de remplacement.

Introduction.

![]({static}/images/photo.png)
"""


def test_image_without_alt_text_is_reported_once_in_french(project_copy, tmp_path, built_site):
    from PIL import Image

    (project_copy / "images").mkdir(exist_ok=True)
    Image.new("RGB", (4, 4), "white").save(project_copy / "images" / "photo.png")
    (project_copy / "bulletins" / "info-psoc" / "04.md").write_text(NO_ALT, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build_copy(project_copy, tmp_path / "output", BUILD_CACHE_PATH=str(tmp_path / "cache"))
    image = [
        str(p)
        for p in error.value.problems
        if p.path.endswith("info-psoc/04.md") and ("image" in p.message or "alt" in p.message)
    ]
    assert len(image) == 1, image  # validation's or the PDF edition's, never both
    assert ":11: image « " in image[0] and "sans texte de remplacement" in image[0]


def test_a_title_with_angle_brackets_keeps_its_text_in_the_pdf(project_copy, tmp_path):
    from pypdf import PdfReader

    source = project_copy / "bulletins" / "info-psoc" / "01.md"
    text = source.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("Title:"))
    source.write_text(text.replace(title, "Title: Hausse < 5 % mais > 2 % du PSOC"), "utf-8")
    output = build_copy(project_copy, tmp_path / "output").output
    reader = PdfReader(output / "info-psoc" / "info-psoc-01" / "info-psoc-01.pdf")
    typeset = "Hausse < 5\u00a0% mais > 2\u00a0% du PSOC"  # French spaces (plugins.i18n.typography)
    assert reader.metadata.title == typeset
    assert typeset in reader.pages[0].extract_text()


def test_an_image_replaced_under_the_same_name_makes_its_pdf_again(caplog, project_copy, tmp_path):
    """A bulletin's PDF is taken from the cache without planning it again while its
    inputs are the same (PlanMemo): the bytes of the images it shows are inputs too."""
    from PIL import Image

    folder = project_copy / "bulletins" / "info-psoc"
    (folder / "images").mkdir()
    image = folder / "images" / "carte.png"
    Image.new("RGB", (40, 20), "red").save(image)
    source = folder / "01.md"
    text = source.read_text(encoding="utf-8").rstrip("\n")
    source.write_text(text + "\n\n![Carte des tables régionales](images/carte.png)\n", "utf-8")
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert build_and_count(caplog, project_copy, output, cache) == (3, 0)
    first = (output / PDFS[1]).read_bytes()

    Image.new("RGB", (80, 40), "blue").save(image)
    assert build_and_count(caplog, project_copy, output, cache) == (1, 2)
    assert (output / PDFS[1]).read_bytes() != first
