"""Raw HTML that would make a page invalid: unit checks on rendered fragments, end to end."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

import plugins.validation as validation
from plugins.validation.checks import check_file
from plugins.validation.html_rules import check_rendered_html
from plugins.validation.source import body_lines, headings
from tests.conftest import build_copy
from tests.test_validation import HEADER, PATH, TABLE, meta
from tests.test_validation_e2e import INFO, build_problems, edit, invoke

SECTIONS = "## Budget\n\nTexte.\n\n## Groupe de travail\n\nTexte.\n\n"
SECTIONS += "## Engagez-vous pour le communautaire\n\nTexte.\n\n"
FIRST = HEADER.count("\n") + SECTIONS.count("\n") + 1  # line of the first line after them


def rendered(body: str) -> str:
    """The fragment Pelican's Markdown settings (pelicanconf.py) make of ``body``."""
    return markdown.markdown(
        body,
        extensions=["markdown.extensions.extra", "markdown.extensions.toc", "sane_lists"],
        output_format="html5",
    )


def html_problems(extra: str, page_ids: tuple[str, ...] = ("contenu",)) -> list[tuple[int, str]]:
    """(line, message) of every problem of a valid bulletin followed by ``extra``."""
    text = HEADER + SECTIONS + extra
    body = text.split("\n\n", 1)[1]
    found = check_file(PATH, text, meta(text), TABLE, "info-psoc", rendered(body), page_ids)
    return [(p.line, p.message) for p in found]


def test_block_inside_an_inline_element_is_reported_at_its_line():
    assert html_problems('<span class="note"><div>bloc</div></span>\n') == [
        (
            FIRST,
            "HTML invalide : <div> (un bloc) ne peut pas être dans <span> ; remplacez <span> "
            "par un élément de bloc (<div>) ou sortez le <div> du <span>",
        )
    ]


def test_list_inside_a_paragraph_is_one_problem_at_the_list():
    assert html_problems("Texte.\n\n<p>ouvre\n<ul><li>x</li></ul></p>\n") == [
        (
            FIRST + 3,
            "HTML invalide : <ul> (un bloc) ne peut pas être dans <p> ; fermez le paragraphe "
            "avant (</p>) ou sortez le <ul> du <p>",
        )
    ]


def test_raw_div_written_inside_a_markdown_paragraph_is_reported():
    problems = html_problems("Un paragraphe avec <div>bloc</div> dedans.\n")
    assert [line for line, _ in problems] == [FIRST]
    assert "<div> (un bloc) ne peut pas être dans <p>" in problems[0][1]


def test_id_equal_to_a_heading_id_or_used_twice_or_used_by_the_page_is_reported():
    problems = html_problems(
        '<div id="budget">a</div>\n\n<div id="x">b</div>\n\n<div id="x">c</div>\n\n'
        '<div id="contenu">d</div>\n'
    )
    budget_heading = HEADER.count("\n") + 1
    assert problems == [
        (
            FIRST,
            f'identifiant HTML en double id="budget" (déjà utilisé ligne {budget_heading}) : '
            "un id doit être unique dans la page ; choisissez-en un autre",
        ),
        (
            FIRST + 4,
            f'identifiant HTML en double id="x" (déjà utilisé ligne {FIRST + 2}) : '
            "un id doit être unique dans la page ; choisissez-en un autre",
        ),
        (
            FIRST + 6,
            'identifiant HTML en double id="contenu" (déjà utilisé par le gabarit de la page) : '
            "un id doit être unique dans la page ; choisissez-en un autre",
        ),
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            '<td colspan="0">',
            'HTML invalide : colspan="0" sur <td> : écrivez un nombre entier de 1 à 1000 '
            "(le nombre de colonnes que la cellule occupe)",
        ),
        (
            '<td rowspan="deux">',
            'HTML invalide : rowspan="deux" sur <td> : écrivez un nombre entier de 0 à 65534 '
            "(le nombre de lignes que la cellule occupe)",
        ),
    ],
)
def test_invalid_colspan_or_rowspan_is_reported(cell, message):
    table = f"<table>\n<tr><th>A</th><th>B</th></tr>\n<tr>{cell}x</td></tr>\n</table>\n"
    assert html_problems(table) == [(FIRST + 2, message)]


def test_images_without_alt_are_reported_once_in_both_forms():
    assert html_problems(
        '<img src="img/photo.jpg">\n\n![](img/carte.png)\n\n![Carte](ok.png)\n'
    ) == [
        (
            FIRST,
            'image « photo.jpg » sans texte de remplacement : ajoutez alt="description" '
            "à la balise <img>",
        ),
        (
            FIRST + 2,
            "image « carte.png » sans texte de remplacement : décrivez-la entre les crochets "
            "![description](…)",
        ),
    ]


def test_other_html5_parse_errors_are_reported_at_the_nearest_tag():
    problems = html_problems('<div>\n<a href="x" href="y">lien</a>\n</div>\n')
    assert problems == [
        (
            FIRST + 1,
            "HTML invalide : attribut écrit deux fois dans la même balise ; vérifiez les balises",
        )
    ]


def test_valid_raw_html_tables_lists_and_markdown_pass():
    valid = (
        '<div class="encadre">\n<p>Texte <em>fort</em> et <a href="/x/">lien</a>.</p>\n'
        "<ul><li>un</li><li>deux</li></ul>\n</div>\n\n"
        '<table>\n<tr><th colspan="2">A</th></tr>\n<tr><td>1</td><td rowspan="1">2</td></tr>\n'
        "</table>\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n"
        '<img src="logo.png" alt="Logo de la CTROC">\n\n## Budget suite\n\nTexte.\n'
    )
    assert html_problems(valid) == []


def test_unbalanced_tags_are_reported_once_not_again_by_the_parser():
    problems = html_problems("<div>\nTexte.\n")
    assert problems == [
        (FIRST, "balise HTML <div> jamais fermée : ajoutez </div> à la fin du bloc")
    ]


def test_markdown_output_alone_never_counts_as_raw_html():
    text = HEADER + "## Un\n\n> citation\n\n* liste *avec* emphase\n"
    body = text.split("\n\n", 1)[1]
    lines = [h.line for h in headings(text)]
    assert check_rendered_html(PATH, rendered(body), body_lines(text), lines) == []


# --- end to end -----------------------------------------------------------------------------

BROKEN = (
    "publié un communiqué.\n\n"
    '<span id="budget"><div>bloc</div></span>\n\n'
    "<p>ouvre <ul><li>x</li></ul></p>\n\n"
    '<table>\n<tr><th>A</th></tr>\n<tr><td colspan="0">x</td></tr>\n</table>\n\n'
    '<img src="images/photo.jpg">\n\n'
    "![](images/carte.png)\n\n"
)
EXPECTED = [
    (15, "HTML invalide : <div> (un bloc) ne peut pas être dans <span>"),
    (15, 'identifiant HTML en double id="budget" (déjà utilisé ligne 11)'),
    (17, "HTML invalide : <ul> (un bloc) ne peut pas être dans <p>"),
    (21, 'HTML invalide : colspan="0" sur <td>'),
    (24, "image introuvable « images/photo.jpg »"),
    (24, "image « photo.jpg » sans texte de remplacement"),
    (26, "image introuvable « images/carte.png »"),
    (26, "image « carte.png » sans texte de remplacement"),
]


def starts(problems: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return sorted((line, message) for line, message in problems)


def test_build_refuses_invalid_raw_html_with_file_and_line(project_copy):
    edit(project_copy, INFO, "publié un communiqué.\n\n", BROKEN)
    found = [(line, msg) for name, line, msg in build_problems(project_copy) if name == str(INFO)]
    assert len(found) == len(EXPECTED), found
    for (line, message), (want_line, want) in zip(starts(found), EXPECTED, strict=True):
        assert line == want_line and message.startswith(want), (line, message)
    assert not (project_copy.parent / "output").exists()


def test_invoke_check_reports_invalid_raw_html_once_each(project_copy):
    edit(project_copy, INFO, "publié un communiqué.\n\n", BROKEN)
    checked = invoke("check", "--content", str(project_copy))
    assert checked.returncode == 1
    lines = [line for line in checked.stdout.splitlines() if line.startswith("content/")]
    assert len(lines) == len(EXPECTED), checked.stdout
    for line, (number, want) in zip(lines, EXPECTED, strict=True):
        assert line.startswith(f"content/{INFO}:{number}: {want}"), line
    assert "Empty alt" not in checked.stdout + checked.stderr


def test_warm_build_checks_only_the_changed_file(project_copy, monkeypatch):
    output = project_copy.parent / "output"
    build_copy(project_copy, output)
    checked: list[str] = []
    real = validation.check_file

    def counting(path, *args, **kwargs):
        checked.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(validation, "check_file", counting)
    edit(project_copy, INFO, "publié un communiqué.", "publié un communiqué de presse.")
    build_copy(project_copy, output, PDF_JOBS=1)
    assert checked == [f"content/{INFO}"]
    assert Path(output / "info-psoc" / "info-psoc-01" / "index.html").exists()


def test_block_written_in_a_table_outside_any_cell_is_reported():
    table = "<table>\n<tr><th>A</th></tr>\n<div>x</div>\n</table>\n"
    assert html_problems(table) == [
        (
            FIRST + 2,
            "HTML invalide : <div> écrit dans un tableau hors d'une cellule <td> ou <th> ; "
            "vérifiez les balises",
        )
    ]


def test_control_characters_are_not_html_problems():
    assert html_problems('Voici\x0c\x01 du texte.\n\n<div class="x">ok</div>\n') == []


def test_plain_markdown_heading_that_takes_the_page_s_own_id_is_reported():
    text = HEADER + "## Un\n\nTexte.\n\n## Contenu\n\nTexte.\n"
    body = text.split("\n\n", 1)[1]
    lines = [h.line for h in headings(text)]
    problems = check_rendered_html(PATH, rendered(body), body_lines(text), lines, ("contenu",))
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (lines[1], 'identifiant HTML en double id="contenu"')
    ]


@pytest.mark.parametrize(
    "extra",
    [
        "## Autre {#budget}\n\nTexte.\n",
        "Un paragraphe {#contenu}\n\nTexte.\n",
        "![](logo.png)\n",
        "![ ](logo.png)\n",
        "Un paragraphe.\n{: #double }\n\nUn autre.\n{: #double }\n",
        "![Logo de la CTROC](logo.png)\n\n## Autre {#autre}\n\nTexte.\n",
        "Texte {: .note }\n",
    ],
)
def test_markdown_only_fragments_skip_the_walk_exactly_when_it_finds_nothing(extra):
    from plugins.validation import html_rules

    text = HEADER + SECTIONS + extra
    body = body_lines(text)
    html = rendered(text.split("\n\n", 1)[1])
    lines = [h.line for h in headings(text)]
    walked = html_rules._walked_problems(PATH, html, body, lines, ("contenu",), True)  # noqa: SLF001
    skipped = html_rules.nothing_to_walk(html, "\n".join(t for _, t in body), ("contenu",))
    assert skipped == (walked == [])
    assert check_rendered_html(PATH, html, body, lines, ("contenu",)) == walked
