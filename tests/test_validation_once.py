"""Each mistake is reported once, on the file that holds it (issue 4).

Every test asserts the complete list of problems, from the build and from
``invoke check`` alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.model import ContentError
from tests.conftest import build_copy
from tests.test_validation_e2e import edit, invoke

INFO = Path("bulletins/info-psoc/01.md")
INFO_EN = Path("bulletins/info-psoc/01.en.md")
SECOND = Path("bulletins/info-psoc/02.md")
SECOND_EN = Path("bulletins/info-psoc/02.en.md")
MEETING = Path("reunions/gt-financement/2013-03-01-rencontre-1.md")


def add_second_bulletin(content: Path) -> None:
    """A French bulletin no 2 and its English twin, copied from no 1 (valid as they are)."""
    for source, target in ((INFO, SECOND), (INFO_EN, SECOND_EN)):
        text = (content / source).read_text(encoding="utf-8")
        text = text.replace("Number: 1", "Number: 2").replace("info-psoc-01", "info-psoc-02")
        text = text.replace("Date: 2017-05-17", "Date: 2017-06-17")
        (content / target).write_text(text, encoding="utf-8")


def build_problems(content: Path) -> list[str]:
    """Every problem of a failed build, as printed (``path:line: message``), sorted."""
    with pytest.raises(ContentError) as failure:
        build_copy(content, content.parent / "output")
    return sorted(str(problem) for problem in failure.value.problems)


def check_problems(content: Path) -> list[str]:
    """The problem lines ``invoke check`` prints (its summary line left out)."""
    result = invoke("check", "--content", str(content))
    assert result.returncode == 1, result.stdout + result.stderr
    return sorted(line for line in result.stdout.splitlines() if line.startswith("content/"))


def test_the_twin_of_a_bulletin_with_an_impossible_date_is_not_blamed(project_copy):
    add_second_bulletin(project_copy)
    edit(project_copy, SECOND, "Date: 2017-06-17", "Date: 2017-13-45")
    expected = [
        "content/bulletins/info-psoc/02.md:2: date impossible « 2017-13-45 » : écrivez une "
        "date réelle sous la forme AAAA-MM-JJ (par exemple 2017-05-17)"
    ]
    assert build_problems(project_copy) == expected
    assert check_problems(project_copy) == expected


def test_an_unknown_language_is_one_problem_and_blames_no_other_file(project_copy):
    add_second_bulletin(project_copy)
    edit(project_copy, SECOND_EN, "Lang: en", "Lang: de")
    expected = [
        "content/bulletins/info-psoc/02.en.md:5: langue inconnue « de » "
        "(langues possibles : fr, en)"
    ]
    assert build_problems(project_copy) == expected
    assert check_problems(project_copy) == expected


def test_a_required_section_that_skips_a_level_is_one_message(project_copy):
    edit(project_copy, INFO, "## Budget 2017-2018 {#budget}", "### Budget")
    expected = [
        "content/bulletins/info-psoc/01.md:11: section obligatoire « Budget » écrite comme un "
        "titre de niveau 3 qui saute un niveau après le titre du bulletin : commencez la "
        "ligne par « ## » (deux dièses)"
    ]
    assert build_problems(project_copy) == expected
    assert check_problems(project_copy) == expected


def test_the_twin_of_an_invalid_meeting_is_not_told_to_create_it(project_copy):
    edit(project_copy, MEETING, "Group: gt-financement", "Group: gt-financment")
    (problem,) = build_problems(project_copy)
    assert problem.startswith(
        "content/reunions/gt-financement/2013-03-01-rencontre-1.md:3: groupe inconnu "
        "« gt-financment » — vouliez-vous dire « gt-financement » ?"
    )


# --- the pure checks across files ----------------------------------------------------

HEADER = "Title: T\nDate: 2017-05-17\nSeries: info-psoc\nNumber: 2\nLang: {lang}\n"
HEADER += "Translation: info-psoc-02\n\n## Budget\n\nTexte.\n"


def entry(path: str, text: str):
    from plugins.model import header_fields
    from plugins.validation.checks import entry_of
    from tests.test_validation import TABLE

    metadata = {key: values[0][1] for key, values in header_fields(text).items()}
    return entry_of(path, text, metadata, TABLE)


def test_files_with_an_invalid_identity_are_left_out_of_duplicates_and_translations():
    from plugins.validation.checks import check_duplicate_numbers, check_translations
    from tests.test_validation import TABLE

    french = entry("fr.md", HEADER.format(lang="fr").replace("2017-05-17", "2017-13-45"))
    english = entry("en.md", HEADER.format(lang="en"))
    german = entry("de.md", HEADER.format(lang="de"))
    other = entry("other.md", HEADER.format(lang="fr"))
    assert not french.identified and not german.identified and english.identified
    assert check_translations([french, english, german], TABLE) == []
    assert check_duplicate_numbers([french, german, other], TABLE) == []
