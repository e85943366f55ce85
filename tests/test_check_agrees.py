"""`invoke check` and the build say the same thing about every bad input the suite knows.

Both load content/ once and run the same checks (plugins.validation.check_content):
for each broken copy of the sample site, the problems the build refuses to
publish are exactly the lines `invoke check` prints, each path as staff wrote
it, never a machine path.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from plugins.build import PROJECT_ROOT
from plugins.model import ContentError
from plugins.validation.commands import run_check
from tests.conftest import build_copy
from tests.test_budget import BAD_UPDATES
from tests.test_meetings import BAD_MEETINGS
from tests.test_pdf_builds import BROKEN as BROKEN_IMAGES
from tests.test_validation_html import BROKEN as BROKEN_HTML

CONF = PROJECT_ROOT / "pelicanconf.py"
INFO = "bulletins/info-psoc/01.md"
CAMPAIGN = "bulletins/campagne/2013-04-18.md"
SECOND = """Title: INFO-PSOC no 2 : le budget 2018-2019
Date: 2018-03-28
Series: info-psoc
Number: 2
Lang: fr
Translation: info-psoc-02
Summary: Ce que le budget 2018-2019 donne au PSOC.

Le budget a été déposé le 27 mars.

## Budget

Le gouvernement annonce des sommes pour le PSOC.

## Groupe de travail

Le groupe de travail s'est réuni.

![logo](images/absent.png)

## Engagez-vous pour le communautaire

Lisez [le programme]({attach}documents/programme.pdf).
"""


MEETING = "reunions/comite-psoc/2021-09-07-comite-psoc.md"
BUDGET = "budget/2017-05-17-budget-2017-2018.md"
MEETING_BODY = """<script>alert(1)</script>

<p onclick="x()">Ordre du jour</p>

Le [compte rendu](javascript:alert(1)) suivra.

![logo](images/absent.png)

Voir [le bulletin]({filename}/bulletins/info-psoc/01.md)."""


def append(name: str, text: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        path = content / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n")

    return edit


def replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        path = content / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return edit


def write_all(files: dict[str, tuple[str, str]]) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        for name, (text, _message) in files.items():
            write(name, text)(content)

    return edit


CASES: dict[str, Callable[[Path], None]] = {
    "missing image and attachment": write("bulletins/info-psoc/02.md", SECOND),
    "image appended at the end": append(CAMPAIGN, "![x](x.png)"),
    "images outside the site": write("bulletins/info-psoc/03.md", BROKEN_IMAGES),
    "invalid raw html": replace(INFO, "publié un communiqué.\n\n", BROKEN_HTML),
    "missing required section": replace(
        INFO, "## Engagez-vous pour le communautaire !", "## Engagez vous"
    ),
    "impossible date": replace(INFO, "Date: 2017-05-17", "Date: 2017-13-45"),
    "date written twice": replace(INFO, "Date: 2017-05-17", "Date: 2017-05-17\nDate: 2017-05-18"),
    "title and series written twice": replace(
        INFO, "Series: info-psoc\n", "Series: info-psoc\nTitle: Autre titre\nSeries: campagne\n"
    ),
    "link from the folder to a missing page": append(
        INFO, "Voir [nos membres](../../pages/membre.md)."
    ),
    "unknown series": replace(CAMPAIGN, "Series: campagne", "Series: campagn"),
    "placeholder link": append(INFO, "Voir [le communiqué](#)."),
    "link to a missing page": append(INFO, "Voir [les membres]({filename}/pages/membre.md)."),
    "link to the other language": append(INFO, "Voir [about]({filename}/pages/about.md)."),
    "mistyped schedule marker": append(CAMPAIGN, "[[calendrier gt-financment]]"),
    "not utf-8": write("bulletins/info-psoc/04.md", "Title: Été\n".encode("latin-1")),
    "page without title": write("pages/sans-titre.md", "Slug: sans-titre\n\nTexte.\n"),
    "unknown link indicator": append(INFO, "Voir [le texte]({fichier}/pages/membres.md)."),
    "unknown publication status": replace(INFO, "Lang: fr", "Lang: fr\nStatus: brouillon"),
    "another markdown extension": write("bulletins/info-psoc/02.markdown", SECOND),
    "markup, images and internal links of a meeting and a budget update": append(
        MEETING, MEETING_BODY
    ),
    "bad meetings": write_all(BAD_MEETINGS),
    "bad budget updates": write_all(BAD_UPDATES),
}


def check_lines(content: Path) -> tuple[int, list[str]]:
    stream = io.StringIO()
    status = run_check(CONF, content, stream)
    lines = stream.getvalue().splitlines()
    return status, [line for line in lines if line.startswith("content/")]


@pytest.mark.parametrize("case", list(CASES))
def test_check_and_build_report_the_same_problems(case, project_copy, tmp_path):
    CASES[case](project_copy)
    status, checked = check_lines(project_copy)
    output = tmp_path / "output"
    with pytest.raises(ContentError) as failure:
        build_copy(project_copy, output)
    built = [str(problem) for problem in failure.value.problems]

    assert status == 1
    assert checked == built
    assert not output.exists()
    for line in built:
        assert str(project_copy) not in line and str(PROJECT_ROOT) not in line, line
        assert "file://" not in line or "file:///etc/passwd" in line, line


def test_a_missing_image_is_named_as_written_on_its_own_line(project_copy):
    CASES["missing image and attachment"](project_copy)
    _, checked = check_lines(project_copy)
    assert checked == [
        "content/bulletins/info-psoc/02.md:19: image introuvable « images/absent.png » : "
        "vérifiez le chemin et le nom du fichier (écrit depuis le dossier du fichier Markdown, "
        "par exemple images/logo.png)",
        "content/bulletins/info-psoc/02.md:23: lien interne introuvable "
        "« documents/programme.pdf » : vérifiez le chemin du fichier visé "
        "(par exemple {attach}documents/communique.pdf, rangé à côté du fichier)",
    ]


MISSING_IMAGES = {
    "beside the bulletin": (
        CAMPAIGN,
        "![x](x.png)",
        "image introuvable « x.png » : vérifiez le chemin et le nom du fichier (écrit depuis "
        "le dossier du fichier Markdown, par exemple images/logo.png)",
    ),
    "from the content folder": (
        INFO,
        "![logo]({static}/images/absent.png)",
        "image introuvable « {static}/images/absent.png » : vérifiez le chemin et le nom du "
        "fichier (par exemple {static}/images/logo.png pour content/images/logo.png)",
    ),
}


@pytest.mark.parametrize("where", list(MISSING_IMAGES))
def test_a_missing_image_appended_at_the_end_is_quoted_as_written_on_its_line(where, project_copy):
    name, image, message = MISSING_IMAGES[where]
    append(name, image)(project_copy)
    last = len((project_copy / name).read_text(encoding="utf-8").splitlines())
    _, checked = check_lines(project_copy)
    assert checked == [f"content/{name}:{last}: {message}"]


def test_an_image_or_a_link_markdown_shows_as_code_is_not_checked(project_copy):
    """An indented block is code: the page shows its text, so nothing in it is looked
    up; the same line out of the block is."""
    code = "Pour insérer le logo, écrivez :\n\n\t![logo](images/absent.png)\n\n"
    code += "    [les membres]({filename}/pages/membre.md)"
    append(INFO, code)(project_copy)
    assert check_lines(project_copy) == (0, [])

    append(INFO, "![logo](images/absent.png)")(project_copy)
    status, checked = check_lines(project_copy)
    assert status == 1 and len(checked) == 1
    assert "image introuvable « images/absent.png »" in checked[0]


def test_an_address_in_angle_brackets_or_by_reference_is_looked_up_not_taken_for_a_tag(
    project_copy,
):
    append(INFO, "![logo](<images/mon logo.png>)\n\n![carte][c]\n\n[c]: images/carte.png")(
        project_copy
    )
    lines = (project_copy / INFO).read_text(encoding="utf-8").splitlines()
    _, checked = check_lines(project_copy)
    assert [line.split(" : ")[0] for line in checked] == [
        f"content/{INFO}:{len(lines) - 4}: image introuvable « images/mon logo.png »",
        f"content/{INFO}:{len(lines) - 2}: image introuvable « images/carte.png »",
    ]


def test_a_link_written_from_the_folder_to_no_file_is_refused_or_warned(project_copy):
    """To a Markdown file, the link is broken for certain; to another file, likely (it
    may be a file of the published site, by its own path: a warning)."""
    append(
        INFO,
        "Voir [nos membres](../../pages/membre.md), [le communiqué](documents/absent.pdf), "
        "[l'abonnement](../../abonnement/) et [le site](https://ctroc.org/).",
    )(project_copy)
    line = len((project_copy / INFO).read_text(encoding="utf-8").splitlines())
    stream = io.StringIO()
    assert run_check(CONF, project_copy, stream) == 1
    said = [text for text in stream.getvalue().splitlines() if INFO in text]
    assert said == [
        f"content/{INFO}:{line}: lien introuvable « ../../pages/membre.md » : aucun fichier "
        "Markdown à ce chemin depuis le dossier du fichier ; vérifiez le nom (par exemple "
        "../../pages/membres.md)",
        f"avertissement : content/{INFO}:{line}: lien « documents/absent.pdf » : aucun fichier "
        "à ce chemin depuis le dossier du fichier ; si c'est un document à joindre, vérifiez "
        "son nom (rangé à côté du fichier, il est publié avec lui)",
    ]


def test_any_header_key_written_twice_is_named_with_both_lines(project_copy):
    CASES["title and series written twice"](project_copy)
    _, checked = check_lines(project_copy)
    assert checked == [
        f"content/{INFO}:4: métadonnée « Title » écrite deux fois (lignes 1 et 4) : "
        "gardez-en une seule",
        f"content/{INFO}:5: métadonnée « Series » écrite deux fois (lignes 3 et 5) : "
        "gardez-en une seule",
    ]


def test_a_meeting_or_a_budget_update_is_held_to_the_html_rules_of_a_page(project_copy):
    """Their bodies reach their pages as Markdown made them: no script, no image (they
    show none), no internal link (they resolve none)."""
    CASES["markup, images and internal links of a meeting and a budget update"](project_copy)
    append(BUDGET, '<img src="x.png" alt="logo" onerror="alert(2)">')(project_copy)
    last = len((project_copy / MEETING).read_text(encoding="utf-8").splitlines())
    budget_last = len((project_copy / BUDGET).read_text(encoding="utf-8").splitlines())
    _, checked = check_lines(project_copy)
    script = "le contenu publié ne peut pas contenir de script"
    assert checked == [
        f"content/{BUDGET}:{budget_last}: attribut « onerror » refusé : {script}",
        f"content/{BUDGET}:{budget_last}: image « x.png » : une mise à jour budgétaire "
        "n'affiche pas d'image (seuls les bulletins et les pages en publient) ; retirez-la, "
        "ou mettez-la dans un bulletin",
        f"content/{MEETING}:{last - 8}: balise « script » refusée : {script}",
        f"content/{MEETING}:{last - 6}: attribut « onclick » refusé : {script}",
        f"content/{MEETING}:{last - 4}: adresse refusée « javascript:alert(1) » : une adresse "
        "« javascript: » exécute un script ; seuls http, https, mailto, tel et les pages du "
        "site sont permis",
        f"content/{MEETING}:{last - 2}: image « images/absent.png » : une rencontre "
        "n'affiche pas d'image (seuls les bulletins et les pages en publient) ; retirez-la, "
        "ou mettez-la dans un bulletin",
        f"content/{MEETING}:{last}: lien interne « {{filename}}/bulletins/info-psoc/01.md » : "
        "une rencontre ne résout pas les liens vers les fichiers du site ({filename}, {static}, "
        "{attach}, ou écrits depuis son dossier : seuls les bulletins et les pages le font) ; "
        "écrivez l'adresse complète de la page visée (https://…)",
    ]


def test_whatever_pelican_still_logs_is_one_french_problem_naming_its_file(project_copy):
    """The checks run before Pelican reads anything; a message it logs anyway (here a
    real record of its contents module, as it would log it while writing the page)
    fails the build, quoted, on the file Pelican was on."""
    import logging

    from pelican.writers import Writer

    original = Writer.write_file

    def writing(self, name, template, context, *args, **kwargs):
        if kwargs.get("article") is not None:
            logging.getLogger("pelican.contents").warning(
                "Unable to find '%s', skipping url replacement.", "ailleurs.md"
            )
        return original(self, name, template, context, *args, **kwargs)

    Writer.write_file = writing
    try:
        with pytest.raises(ContentError) as failure:
            # One process, so both languages' writers are the patched one.
            build_copy(project_copy, project_copy.parent / "output", RENDER_JOBS=1)
    finally:
        Writer.write_file = original
    assert [str(p) for p in failure.value.problems] == [
        f"content/{name}:1: Pelican signale : « Unable to find 'ailleurs.md', "
        "skipping url replacement. »"
        for name in (CAMPAIGN, "bulletins/info-psoc/01.en.md", INFO)
    ]
    assert not (project_copy.parent / "output").exists()


def test_a_bulletin_saved_as_markdown_is_named_not_left_out(project_copy):
    CASES["another markdown extension"](project_copy)
    _, checked = check_lines(project_copy)
    assert checked == [
        "content/bulletins/info-psoc/02.markdown:1: extension « .markdown » : ce fichier "
        "n'est pas lu ; renommez-le en « 02.md »"
    ]


def test_a_project_kept_under_a_hidden_or_underscore_folder_is_read(project_copy, tmp_path):
    moved = tmp_path / "_projets" / ".site" / "content"
    moved.parent.mkdir(parents=True)
    project_copy.rename(moved)
    (moved / "bulletins" / "info-psoc" / "_brouillon.md").write_text("pas lu", encoding="utf-8")
    status, checked = check_lines(moved)
    assert (status, checked) == (0, [])
    output = build_copy(moved, tmp_path / "output").output
    assert (output / "info-psoc" / "info-psoc-01" / "index.html").is_file()
