"""Files a bulletin attaches (``{attach}``, or a link written from its folder):
published beside its page, in its PDF edition, and kept by the next builds."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pypdf
import pytest

from tests.conftest import build_copy, read_html
from tests.site_bytes import differing_files

INFO = Path("bulletins") / "info-psoc" / "01.md"
PAGE = "info-psoc/info-psoc-01/index.html"
PDF = "info-psoc/info-psoc-01/info-psoc-01.pdf"
ATTACHED = (
    "\n\n![Carte des régions du PSOC]({attach}images/carte.png)\n\n"
    "Lisez [le communiqué de la CTROC]({attach}documents/communique.pdf)."
)


def attach_files(content: Path, attached: str = ATTACHED) -> tuple[Path, Path]:
    """A map and a press release beside the first INFO-PSOC, linked by ``attached``."""
    from PIL import Image

    folder = (content / INFO).parent
    image, document = folder / "images" / "carte.png", folder / "documents" / "communique.pdf"
    image.parent.mkdir()
    document.parent.mkdir()
    Image.new("RGB", (60, 30), "green").save(image)
    document.write_bytes(b"%PDF-1.4\n% Communiqu\xc3\xa9 de la CTROC, 17 mai 2017\n%%EOF\n")
    source = content / INFO
    source.write_text(source.read_text(encoding="utf-8").rstrip("\n") + attached, "utf-8")
    return image, document


def linked_file(site: Path, page: str, address: str) -> Path:
    return site / posixpath.normpath(posixpath.join(posixpath.dirname(page), address))


@pytest.mark.parametrize("written", ["with {attach}", "from its folder"])
def test_attached_files_are_published_beside_the_bulletin_and_in_its_pdf(
    written, project_copy, tmp_path
):
    attached = ATTACHED if written == "with {attach}" else ATTACHED.replace("{attach}", "")
    image, document = attach_files(project_copy, attached)

    site = build_copy(project_copy, tmp_path / "output").output

    page = read_html(site / PAGE)
    shown = page.find("img", alt="Carte des régions du PSOC")["src"]
    linked = page.find("a", string="le communiqué de la CTROC")["href"]
    assert linked_file(site, PAGE, shown) == site / "info-psoc/info-psoc-01/images/carte.png"
    assert linked_file(site, PAGE, shown).read_bytes() == image.read_bytes()
    assert linked_file(site, PAGE, linked).read_bytes() == document.read_bytes()
    edition = pypdf.PdfReader(site / PDF)
    assert sum(len(page.images) for page in edition.pages) >= 1


def test_a_rebuild_keeps_the_attached_files_as_a_build_from_nothing_has_them(
    project_copy, tmp_path
):
    attach_files(project_copy)
    output = build_copy(project_copy, tmp_path / "output").output
    campaign = project_copy / "bulletins" / "campagne" / "2013-04-18.md"
    campaign.write_text(campaign.read_text(encoding="utf-8") + "\nPrécision ajoutée.\n", "utf-8")

    build_copy(project_copy, output)

    assert (output / "info-psoc/info-psoc-01/images/carte.png").is_file()
    assert (output / "info-psoc/info-psoc-01/documents/communique.pdf").is_file()
    cold = build_copy(project_copy, tmp_path / "cold", BUILD_CACHE_PATH=tmp_path / "c2").output
    assert differing_files(output, cold) == []


def test_links_written_from_the_folder_reach_a_page_and_a_shared_image(project_copy, tmp_path):
    """A Markdown file by its path (its page), an image of content/images/ (where it is
    published): as {filename} and {static} would."""
    from PIL import Image

    (project_copy / "images").mkdir(exist_ok=True)
    Image.new("RGB", (30, 30), "blue").save(project_copy / "images" / "logo-ctroc.png")
    source = project_copy / INFO
    source.write_text(
        source.read_text(encoding="utf-8").rstrip("\n")
        + "\n\n![Logo de la CTROC](../../images/logo-ctroc.png)\n\n"
        "Voir [nos membres](../../pages/membres.md#regions).",
        "utf-8",
    )

    site = build_copy(project_copy, tmp_path / "output").output

    page = read_html(site / PAGE)
    logo = linked_file(site, PAGE, page.find("img", alt="Logo de la CTROC")["src"])
    assert logo == site / "images" / "logo-ctroc.png" and logo.is_file()
    members = page.find("a", string="nos membres")["href"]
    assert members.endswith("#regions")
    assert linked_file(site, PAGE, members.split("#")[0]) == site / "membres" / "index.html"


def test_a_file_attached_by_two_bulletins_is_a_french_problem_before_pelican(project_copy):
    """Pelican publishes an attached file beside one page only: the second bulletin is
    told where the file is already used, by `invoke check` as by the build."""
    import io

    from plugins.build import PROJECT_ROOT
    from plugins.model import ContentError
    from plugins.validation.commands import run_check

    attach_files(project_copy, ATTACHED.replace("{attach}", ""))
    second = project_copy / "bulletins" / "campagne" / "2013-04-18.md"
    second.write_text(
        second.read_text(encoding="utf-8").rstrip("\n")
        + "\n\n![La carte]({attach}../info-psoc/images/carte.png)\n",
        encoding="utf-8",
    )
    line = len(second.read_text(encoding="utf-8").splitlines())
    stream = io.StringIO()

    assert run_check(PROJECT_ROOT / "pelicanconf.py", project_copy, stream) == 1
    with pytest.raises(ContentError) as refused:
        build_copy(project_copy, project_copy.parent / "output")

    expected = (
        f"content/bulletins/campagne/2013-04-18.md:{line}: « {{attach}}../info-psoc/images/"
        "carte.png » est déjà utilisé par content/bulletins/info-psoc/01.md : un fichier joint "
        "(avec {attach}, ou écrit depuis le dossier du fichier) n'est publié qu'à côté d'une "
        "seule page ; pour le montrer dans plusieurs, rangez-le dans content/images/ et "
        "liez-le avec {static}/images/…"
    )
    assert stream.getvalue().splitlines()[0] == expected
    assert [str(problem) for problem in refused.value.problems] == [expected]
