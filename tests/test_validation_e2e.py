"""Validation end to end: broken copies of the sample site, built and checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from plugins.build import PROJECT_ROOT
from plugins.model import ContentError
from tests.conftest import build_copy

INFO = Path("bulletins/info-psoc/01.md")
INFO_EN = Path("bulletins/info-psoc/01.en.md")
CAMPAGNE = Path("bulletins/campagne/2013-04-18.md")


def edit(content: Path, name: Path, old: str, new: str) -> None:
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_problems(content: Path) -> list[tuple[str, int, str]]:
    """(file relative to content/, line, message) of every bulletin problem of a failed build."""
    with pytest.raises(ContentError) as failure:
        build_copy(content, content.parent / "output")
    found = []
    for problem in failure.value.problems:
        name = problem.path.split("content/", 1)[-1] if problem.path else ""
        if name.startswith("bulletins/"):
            found.append((name, problem.line, problem.message))
    return found


def invoke(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(PROJECT_ROOT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_build_lists_every_problem_of_every_file(project_copy):
    edit(project_copy, INFO, "## Engagez-vous pour le communautaire !", "## Engagez vous")
    edit(project_copy, CAMPAGNE, "## Des actions partout au Québec !", "## Des actions")
    problems = build_problems(project_copy)
    assert (
        "bulletins/info-psoc/01.md",
        1,
        "section obligatoire manquante « Engagez-vous pour le communautaire » : "
        "ajoutez un titre « ## Engagez-vous pour le communautaire »",
    ) in problems
    assert (
        "bulletins/campagne/2013-04-18.md",
        1,
        "section obligatoire manquante « Des actions partout au Québec » : "
        "ajoutez un titre « ## Des actions partout au Québec »",
    ) in problems
    assert problems == sorted(problems)


def test_near_miss_heading_in_a_build_points_at_the_heading(project_copy):
    edit(
        project_copy,
        INFO,
        "## Engagez-vous pour le communautaire !",
        "## Engagez vous pour le communautaire",
    )
    line = (
        (project_copy / INFO)
        .read_text()
        .splitlines()
        .index("## Engagez vous pour le communautaire")
    )
    assert build_problems(project_copy) == [
        (
            "bulletins/info-psoc/01.md",
            line + 1,
            "section obligatoire manquante « Engagez-vous pour le communautaire » — "
            "vouliez-vous dire « Engagez vous pour le communautaire » ?",
        )
    ]


def test_impossible_date_is_one_precise_problem_at_the_date_line(project_copy):
    edit(project_copy, INFO, "Date: 2017-05-17", "Date: 2017-13-45")
    problems = [p for p in build_problems(project_copy) if p[0] == "bulletins/info-psoc/01.md"]
    assert problems == [
        (
            "bulletins/info-psoc/01.md",
            2,
            "date impossible « 2017-13-45 » : écrivez une date réelle sous la forme "
            "AAAA-MM-JJ (par exemple 2017-05-17)",
        )
    ]


def test_missing_title_is_one_problem_at_line_one(project_copy):
    path = project_copy / CAMPAGNE
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    assert build_problems(project_copy) == [
        (
            "bulletins/campagne/2013-04-18.md",
            1,
            "métadonnée obligatoire manquante « Title » : ajoutez une ligne « Title: … » "
            "en tête du fichier",
        )
    ]


def test_unknown_series_duplicate_number_and_placeholder_link(project_copy):
    edit(project_copy, CAMPAGNE, "Series: campagne", "Series: campagn")
    twin = (project_copy / INFO).read_text(encoding="utf-8")
    (project_copy / "bulletins/info-psoc/02.md").write_text(
        twin.replace("Translation: info-psoc-01", "Translation: info-psoc-02").replace(
            "Pour toutes informations", "Voir [le communiqué](#). Pour toutes informations"
        ),
        encoding="utf-8",
    )
    problems = build_problems(project_copy)
    messages = {(name, line): message for name, line, message in problems}
    assert messages[("bulletins/campagne/2013-04-18.md", 3)] == (
        "série inconnue « campagn » (séries connues : campagne, info-psoc) — "
        "vouliez-vous dire « campagne » ?"
    )
    assert messages[("bulletins/info-psoc/01.md", 4)].startswith(
        "numéro 1 en double dans la série info-psoc (fr) : aussi utilisé par "
    )
    assert messages[("bulletins/info-psoc/02.md", 4)].endswith(
        "content/bulletins/info-psoc/01.md ; le prochain numéro libre est 2"
    )
    assert any(m.startswith("lien provisoire « [le communiqué](#) »") for m in messages.values())


def test_translation_missing_a_section_fails_the_build(project_copy):
    path = project_copy / INFO_EN
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("## Contact us")], encoding="utf-8")
    (problem,) = build_problems(project_copy)
    assert problem[:2] == ("bulletins/info-psoc/01.en.md", 6)
    assert problem[2].startswith("traduction incomplète : la section « Pour nous joindre »")


def test_empty_section_fails_the_build(project_copy):
    path = project_copy / CAMPAGNE
    text = path.read_text(encoding="utf-8")
    start = text.index("## Des actions partout au Québec !")
    end = text.index("## À propos de la campagne")
    path.write_text(text[:start] + "## Des actions partout au Québec !\n\n" + text[end:])
    line = text[:start].count("\n") + 1
    assert build_problems(project_copy) == [
        (
            "bulletins/campagne/2013-04-18.md",
            line,
            "section vide « Des actions partout au Québec ! » : écrivez son texte sous le titre "
            "(les commentaires <!-- … --> ne comptent pas)",
        )
    ]


def test_file_not_in_utf8_and_empty_file_are_reported(project_copy):
    (project_copy / "bulletins/info-psoc/02.md").write_bytes(
        b"Title: Ete\nDate: 2017-06-01\nSeries: info-psoc\nNumber: 2\n\n## \xc9t\xe9\n"
    )
    (project_copy / "bulletins/info-psoc/03.md").write_text("", encoding="utf-8")
    problems = build_problems(project_copy)
    assert (
        "bulletins/info-psoc/02.md",
        6,
        "impossible de lire ce fichier : le fichier n'est pas en UTF-8 (octet invalide "
        "ligne 6) ; enregistrez-le en UTF-8",
    ) in problems
    assert (
        "bulletins/info-psoc/03.md",
        1,
        "fichier vide : un bulletin commence par ses métadonnées (Title, Date, …)",
    ) in problems


def test_long_summary_is_a_warning_that_does_not_fail_the_build(project_copy):
    edit(project_copy, CAMPAGNE, "Summary: ", "Summary: " + "Très long. " * 30)
    result = build_copy(project_copy, project_copy.parent / "output")
    (advice,) = result.advice
    assert advice.path.endswith("content/bulletins/campagne/2013-04-18.md")
    assert advice.message.startswith("résumé de ")


def test_title_with_script_is_built_and_escaped_everywhere(project_copy):
    edit(
        project_copy,
        CAMPAGNE,
        "Title: Bulletin de la campagne",
        "Title: <script>alert(1)</script> Bulletin de la campagne",
    )
    output = build_copy(project_copy, project_copy.parent / "output").output
    written = [
        p for p in output.rglob("*") if p.suffix in {".html", ".xml", ".ics", ".json", ".txt"}
    ]
    assert written
    for path in written:
        assert "<script>alert(1)" not in path.read_text(encoding="utf-8"), path
    page = output / "campagne" / "campagne-2013-04-18" / "index.html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.read_text(encoding="utf-8")


# --- invoke check and invoke new ----------------------------------------------------


def test_invoke_check_exits_1_with_every_message_and_0_when_clean(project_copy):
    clean = invoke("check", "--content", str(project_copy))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Aucun problème" in clean.stdout

    edit(project_copy, INFO, "## Engagez-vous pour le communautaire !", "## Engagez vous")
    edit(project_copy, CAMPAGNE, "Date: 2013-04-18", "Date: 2013-02-30")
    broken = invoke("check", "--content", str(project_copy))
    assert broken.returncode == 1
    assert "Traceback" not in broken.stdout + broken.stderr
    assert broken.stdout.splitlines() == [
        "content/bulletins/campagne/2013-04-18.md:2: date impossible « 2013-02-30 » : écrivez "
        "une date réelle sous la forme AAAA-MM-JJ (par exemple 2017-05-17)",
        "content/bulletins/info-psoc/01.md:1: section obligatoire manquante « Engagez-vous "
        "pour le communautaire » : ajoutez un titre « ## Engagez-vous pour le communautaire »",
        "2 problèmes dans 2 fichiers.",
    ]


def test_invoke_check_prints_advice_as_a_warning_and_exits_0(project_copy):
    edit(project_copy, CAMPAGNE, "Summary: ", "Summary: " + "Très long. " * 30)
    edit(project_copy, INFO, "Summary: ", "Summary: " + "Très long. " * 30)
    checked = invoke("check", "--content", str(project_copy))
    assert checked.returncode == 0, checked.stdout
    warnings = checked.stdout.splitlines()[:-1]
    assert [line.split(":")[1] for line in warnings] == [
        " content/bulletins/campagne/2013-04-18.md",
        " content/bulletins/info-psoc/01.md",
    ]
    assert all(line.startswith("avertissement : ") for line in warnings)


def test_invoke_new_scaffold_fails_for_its_placeholders_until_all_are_written(project_copy):
    created = invoke("new", "--series", "info-psoc", "--content", str(project_copy))
    assert created.returncode == 0, created.stderr
    path = Path(created.stdout.strip())
    if not path.is_absolute():
        path = (PROJECT_ROOT / path).resolve()
    assert path == (project_copy / "bulletins/info-psoc/02.md").resolve()

    twin = invoke("new", "--translate", str(path), "--lang", "en", "--content", str(project_copy))
    assert twin.returncode == 0, twin.stderr
    assert (project_copy / "bulletins/info-psoc/02.en.md").exists()

    checked = invoke("check", "--content", str(project_copy))
    assert checked.returncode == 1
    problems = checked.stdout.splitlines()[:-1]
    assert len([line for line in problems if ": section vide « " in line]) == 6
    assert len([line for line in problems if ": titre provisoire « " in line]) == 2
    assert len([line for line in problems if ": résumé provisoire « " in line]) == 2
    assert len(problems) == 10
    assert checked.stdout.splitlines()[-1] == "10 problèmes dans 2 fichiers."

    # Sections written under the hints: the hints, title and summary remain to replace.
    twin_path = project_copy / "bulletins/info-psoc/02.en.md"
    twin_path.unlink()
    text = path.read_text(encoding="utf-8").replace("-->\n", "-->\nDu texte.\n")
    path.write_text(text, encoding="utf-8")
    checked = invoke("check", "--content", str(project_copy))
    problems = checked.stdout.splitlines()[:-1]
    hints = [line for line in problems if "commentaire d'aide de « invoke new »" in line]
    assert len(hints) == 3 and len(problems) == 5, problems
    assert "titre provisoire « INFO-PSOC no 2 : titre à écrire » : écrivez le vrai titre" in (
        checked.stdout
    )


def test_invoke_new_never_overwrites(project_copy):
    before = (project_copy / INFO_EN).read_bytes()
    refused = invoke(
        "new",
        "--translate",
        str(project_copy / INFO),
        "--lang",
        "en",
        "--content",
        str(project_copy),
    )
    assert refused.returncode == 1
    assert "existe déjà ; rien n'a été écrit." in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (project_copy / INFO_EN).read_bytes() == before


def test_invoke_new_rejects_an_unknown_series(project_copy):
    refused = invoke("new", "--series", "infopsoc", "--content", str(project_copy))
    assert refused.returncode == 1
    assert (
        refused.stderr.strip()
        == "série inconnue « infopsoc » (séries connues : campagne, info-psoc)."
    )
