"""Each validation check, fed small strings: the exact French message and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plugins.model import Advice, series_table
from plugins.validation.checks import (
    check_duplicate_numbers,
    check_empty_sections,
    check_file,
    check_heading_levels,
    check_links,
    check_metadata,
    check_raw_html,
    check_required_sections,
    check_summary,
    check_translations,
    entry_of,
)
from plugins.validation.scaffold import new_bulletin, next_number, translated_bulletin
from plugins.validation.source import headings, normalize

PATH = "content/bulletins/info-psoc/01.md"
SERIES = {
    "campagne": {
        "title": {"fr": "Bulletin de la campagne"},
        "numbered": False,
        "required_sections": {
            "fr": ["Le groupe de travail", "L'échéancier du groupe de travail"],
            "en": ["The working group", "The working group's schedule"],
        },
    },
    "info-psoc": {
        "title": {"fr": "INFO-PSOC"},
        "numbered": True,
        "required_sections": {
            "fr": ["Budget", "Groupe de travail", "Engagez-vous pour le communautaire"],
            "en": ["Budget", "Working group", "Engagez-vous pour le communautaire"],
        },
    },
}
TABLE = series_table({"SERIES": SERIES})
HEADER = "Title: INFO-PSOC no 1\nDate: 2017-05-17\nSeries: info-psoc\nNumber: 1\nLang: fr\n\n"


def meta(text: str) -> dict[str, str]:
    """Metadata as Pelican would read the header (lower-case keys)."""
    found = {}
    for line in text.split("\n\n")[0].splitlines():
        key, _, value = line.partition(":")
        found[key.strip().lower()] = value.strip()
    return found


def messages(problems) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in problems]


# --- sections -----------------------------------------------------------------


def test_section_names_match_ignoring_case_accents_punctuation_and_spaces():
    text = HEADER + "## L’échéancier  du Groupe de travail !\n\nTexte.\n"
    assert check_required_sections(PATH, text, ["L'échéancier du groupe de travail"]) == []
    assert normalize("  L’ÉCHÉANCIER du groupe ") == normalize("l'echeancier du groupe")


def test_explicit_heading_id_satisfies_a_rule():
    text = HEADER + "## Budget 2017-2018 {#budget}\n\nTexte.\n\n## Rencontre {#groupe-de-travail}\n"
    assert check_required_sections(PATH, text, ["Budget", "Groupe de travail"]) == []


def test_missing_required_section_names_file_and_line_one():
    problems = check_required_sections(
        PATH, HEADER + "## Budget\n\nTexte.\n", ["Groupe de travail"]
    )
    assert [str(p) for p in problems] == [
        f"{PATH}:1: section obligatoire manquante « Groupe de travail » : "
        "ajoutez un titre « ## Groupe de travail »"
    ]


def test_near_miss_heading_gets_a_suggestion_at_its_line():
    text = HEADER + "Intro.\n\n## Engagez vous pour le communautaire\n\nTexte.\n"
    problems = check_required_sections(PATH, text, ["Engagez-vous pour le communautaire"])
    assert [str(p) for p in problems] == [
        f"{PATH}:9: section obligatoire manquante « Engagez-vous pour le communautaire » — "
        "vouliez-vous dire « Engagez vous pour le communautaire » ?"
    ]


def test_required_section_written_at_the_wrong_level_says_so():
    text = HEADER + "## Autre\n\nTexte.\n\n### Budget\n\nTexte.\n"
    problems = check_required_sections(PATH, text, ["Budget"])
    assert messages(problems) == [
        (
            11,
            "section obligatoire « Budget » écrite comme un titre de niveau 3 : "
            "commencez la ligne par « ## » (deux dièses)",
        )
    ]


def test_headings_inside_fenced_code_are_ignored():
    text = HEADER + "```\n## Budget\n```\n\nTexte.\n"
    assert headings(text) == ()
    assert len(check_required_sections(PATH, text, ["Budget"])) == 1


def test_empty_section_is_reported_at_its_heading_comments_do_not_count():
    text = HEADER + "## Budget\n\n<!-- à écrire -->\n\n## Groupe de travail\n\nTexte.\n"
    assert messages(check_empty_sections(PATH, text)) == [
        (
            7,
            "section vide « Budget » : écrivez son texte sous le titre "
            "(les commentaires <!-- … --> ne comptent pas)",
        )
    ]


def test_section_with_text_only_in_a_subsection_is_not_empty():
    text = HEADER + "## Budget\n\n### Détail\n\nTexte.\n"
    assert check_empty_sections(PATH, text) == []


@pytest.mark.parametrize(
    ("body", "line", "written", "after", "fixed"),
    [
        ("### Trop bas\n", 7, "### Trop bas", "le titre du bulletin", "## Trop bas"),
        ("## A\n\nx\n\n#### B\n", 11, "#### B", "un titre de niveau 2", "### B"),
    ],
)
def test_skipped_heading_level_is_reported(body, line, written, after, fixed):
    assert messages(check_heading_levels(PATH, HEADER + body)) == [
        (line, f"niveau de titre sauté : « {written} » suit {after} ; écrivez « {fixed} »")
    ]


def test_heading_levels_in_order_pass():
    assert check_heading_levels(PATH, HEADER + "## A\n\n### B\n\n## C\n") == []


# --- links and raw HTML ---------------------------------------------------------


def test_placeholder_and_empty_links_are_reported_with_their_line():
    text = HEADER + "Voir [ici](#).\n\nEt [là]() et [](https://ctroc.org).\n"
    assert messages(check_links(PATH, text)) == [
        (
            7,
            "lien provisoire « [ici](#) » : remplacez « # » par la vraie adresse "
            "ou retirez le lien",
        ),
        (
            9,
            "lien sans adresse « [là]() » : écrivez l'adresse entre les parenthèses "
            "ou retirez le lien",
        ),
        (
            9,
            "lien sans texte « [](https://ctroc.org) » : écrivez entre les crochets "
            "ce que le lecteur doit cliquer",
        ),
    ]


def test_links_shown_as_code_are_not_checked():
    assert check_links(PATH, HEADER + "Écrivez `[texte](#)` puis corrigez.\n") == []


def test_unclosed_div_is_reported_at_its_opening_line():
    text = HEADER + "Texte.\n\n<div class='encadre'>\n\nSuite.\n"
    assert messages(check_raw_html(PATH, text)) == [
        (9, "balise HTML <div> jamais fermée : ajoutez </div> à la fin du bloc")
    ]


def test_table_without_header_cells_is_reported():
    text = HEADER + "<table>\n<tr><td>1</td></tr>\n</table>\n"
    assert messages(check_raw_html(PATH, text)) == [
        (
            7,
            "tableau HTML sans en-têtes <th> : mettez les titres de colonnes dans des "
            "cellules <th> (ou écrivez le tableau en Markdown)",
        )
    ]


def test_valid_html_autolinks_and_comments_pass():
    text = (
        HEADER + "<table><tr><th>Date</th></tr><tr><td>1</td></tr></table>\n\n"
        "<https://ctroc.org> <info@ctroc.org> <!-- note --> a > b\n"
    )
    assert check_raw_html(PATH, text) == []


def test_stray_closing_tag_is_reported():
    assert messages(check_raw_html(PATH, HEADER + "Texte.</div>\n")) == [
        (7, "balise HTML </div> fermée sans avoir été ouverte : retirez-la")
    ]


# --- metadata ---------------------------------------------------------------------


def test_missing_title_is_reported_at_line_one():
    text = "Date: 2017-05-17\nSeries: info-psoc\nNumber: 1\n\n## Budget\n"
    assert [str(p) for p in check_metadata(PATH, text, meta(text), TABLE, "info-psoc")] == [
        f"{PATH}:1: métadonnée obligatoire manquante « Title » : ajoutez une ligne "
        "« Title: … » en tête du fichier"
    ]


def test_impossible_date_is_reported_at_the_date_line():
    text = HEADER.replace("2017-05-17", "2017-13-45")
    assert messages(check_metadata(PATH, text, meta(text), TABLE, "info-psoc")) == [
        (
            2,
            "date impossible « 2017-13-45 » : écrivez une date réelle sous la forme "
            "AAAA-MM-JJ (par exemple 2017-05-17)",
        )
    ]


def test_unknown_series_lists_the_known_ones_and_suggests():
    text = HEADER.replace("Series: info-psoc", "Series: info-psco")
    assert messages(check_metadata(PATH, text, meta(text), TABLE)) == [
        (
            3,
            "série inconnue « info-psco » (séries connues : campagne, info-psoc) — "
            "vouliez-vous dire « info-psoc » ?",
        )
    ]


@pytest.mark.parametrize("raw", ["abc", "0", "-2", "1.5"])
def test_number_must_be_a_positive_integer(raw):
    text = HEADER.replace("Number: 1", f"Number: {raw}")
    assert messages(check_metadata(PATH, text, meta(text), TABLE, "info-psoc")) == [
        (4, f"numéro invalide « {raw} » : écrivez un entier positif (1, 2, 3…)")
    ]


def test_numbered_series_requires_a_number():
    text = HEADER.replace("Number: 1\n", "")
    assert messages(check_metadata(PATH, text, meta(text), TABLE, "info-psoc")) == [
        (
            1,
            "métadonnée obligatoire manquante « Number » : la série info-psoc est "
            "numérotée ; ajoutez « Number: … »",
        )
    ]


def test_unknown_language_and_wrong_folder_are_reported():
    text = HEADER.replace("Lang: fr", "Lang: de")
    assert messages(check_metadata(PATH, text, meta(text), TABLE, "campagne")) == [
        (
            3,
            "« Series: info-psoc » mais le fichier est dans le dossier "
            "content/bulletins/campagne/ : déplacez-le dans content/bulletins/info-psoc/ "
            "ou corrigez la série",
        ),
        (5, "langue inconnue « de » (langues possibles : fr, en)"),
    ]


def test_empty_file_is_one_problem():
    assert messages(check_file(PATH, "", {}, TABLE, "info-psoc")) == [
        (1, "fichier vide : un bulletin commence par ses métadonnées (Title, Date, …)")
    ]


def test_long_summary_is_advice_not_a_problem():
    text = HEADER.replace("Lang: fr\n", "Lang: fr\nSummary: " + "mot " * 100 + "\n")
    (advice,) = check_summary(PATH, text, meta(text))
    assert isinstance(advice, Advice)
    assert advice.line == 6
    assert advice.message.startswith("résumé de 399 caractères (plus de 300)")


# --- across files -----------------------------------------------------------------


def entry(path: str, text: str):
    return entry_of(path, text, meta(text), TABLE)


def test_duplicate_numbers_name_both_files():
    one = entry(PATH, HEADER)
    two = entry("content/bulletins/info-psoc/02.md", HEADER)
    english = entry("content/bulletins/info-psoc/01.en.md", HEADER.replace("fr", "en"))
    assert sorted(map(str, check_duplicate_numbers([one, two, english], TABLE))) == [
        "content/bulletins/info-psoc/01.md:4: numéro 1 en double dans la série info-psoc (fr) : "
        "aussi utilisé par content/bulletins/info-psoc/02.md ; le prochain numéro libre est 2",
        "content/bulletins/info-psoc/02.md:4: numéro 1 en double dans la série info-psoc (fr) : "
        "aussi utilisé par content/bulletins/info-psoc/01.md ; le prochain numéro libre est 2",
    ]


FRENCH = HEADER.replace("Lang: fr", "Lang: fr\nTranslation: info-psoc-01") + (
    "## Budget\n\nx\n\n## Groupe de travail\n\nx\n\n## Bilan\n\nx\n\n"
    "## Engagez-vous pour le communautaire !\n\nx\n\n## Pour nous joindre\n\nx\n"
)
ENGLISH = HEADER.replace("Lang: fr", "Lang: en\nTranslation: info-psoc-01") + (
    "## Budget\n\nx\n\n## Working group\n\nx\n\n## Review\n\nx\n\n"
    "## Engagez-vous pour le communautaire!\n\nx\n"
)


def test_translation_missing_a_section_of_the_original_is_reported():
    problems = check_translations(
        [entry(PATH, FRENCH), entry("content/bulletins/info-psoc/01.en.md", ENGLISH)], TABLE
    )
    assert [str(p) for p in problems] == [
        "content/bulletins/info-psoc/01.en.md:6: traduction incomplète : la section "
        f"« Pour nous joindre » de l'original ({PATH}:24) n'a pas d'équivalent ici ; "
        "traduisez-la"
    ]


def test_complete_translation_passes():
    english = ENGLISH + "\n## Contact us\n\nx\n"
    assert check_translations([entry(PATH, FRENCH), entry("x.en.md", english)], TABLE) == []


def test_translation_key_pointing_at_nothing_is_reported():
    english = ENGLISH.replace("Translation: info-psoc-01", "Translation: info-psoc-1")
    assert messages(
        check_translations([entry(PATH, FRENCH), entry("x.en.md", english)], TABLE)
    ) == [
        (
            6,
            "clé de traduction « info-psoc-1 » : aucun bulletin français ne porte cette clé ; "
            "copiez la ligne « Translation » de l'original français",
        )
    ]


# --- scaffolds --------------------------------------------------------------------


def only_empty_sections(path: str, text: str, folder: str) -> list[str]:
    problems = check_file(path, text, meta(text), TABLE, folder)
    assert problems, "a scaffold must not pass as it is"
    return [p.message.split(" : ")[0] for p in problems]


def test_new_bulletin_fails_for_its_placeholders_and_empty_sections(tmp_path: Path):
    folder = tmp_path / "bulletins" / "info-psoc"
    folder.mkdir(parents=True)
    (folder / "01.md").write_text(HEADER, encoding="utf-8")
    path, text = new_bulletin(tmp_path, TABLE["info-psoc"], dt.date(2018, 3, 1))
    assert path == folder / "02.md"
    assert "Date: 2018-03-01\n" in text and "Number: 2\n" in text
    assert "Translation: info-psoc-02\n" in text
    assert only_empty_sections("02.md", text, "info-psoc") == [
        "section vide « Budget »",
        "section vide « Groupe de travail »",
        "section vide « Engagez-vous pour le communautaire »",
        "titre provisoire « INFO-PSOC no 2",
        "résumé provisoire « Résumé à écrire en une ou deux phrases. »",
    ]


def test_new_campagne_bulletin_is_named_after_today(tmp_path: Path):
    path, text = new_bulletin(tmp_path, TABLE["campagne"], dt.date(2018, 3, 1))
    assert path.name == "2018-03-01.md"
    assert "Number" not in text
    assert only_empty_sections("x.md", text, "campagne")[:2] == [
        "section vide « Le groupe de travail »",
        "section vide « L'échéancier du groupe de travail »",
    ]


def test_next_number_ignores_translations(tmp_path: Path):
    (tmp_path / "01.md").write_text(HEADER, encoding="utf-8")
    (tmp_path / "07.en.md").write_text(HEADER.replace("Number: 1\nLang: fr", "Number: 7\nLang: en"))
    assert next_number(tmp_path) == 2


def test_translated_twin_has_english_names_same_key_and_fails_only_for_empty_sections():
    path, text = translated_bulletin(Path("content/bulletins/info-psoc/01.md"), FRENCH, TABLE, "en")
    assert path == Path("content/bulletins/info-psoc/01.en.md")
    assert "Translation: info-psoc-01\n" in text and "Lang: en\n" in text
    assert [h.text for h in headings(text)] == [
        "Budget",
        "Working group",
        "Bilan",
        "Engagez-vous pour le communautaire",
        "Pour nous joindre",
    ]
    assert set(only_empty_sections("x.en.md", text, "info-psoc")) == {
        "section vide « Budget »",
        "section vide « Working group »",
        "section vide « Bilan »",
        "section vide « Engagez-vous pour le communautaire »",
        "section vide « Pour nous joindre »",
        "titre provisoire « (to translate) INFO-PSOC no 1 »",
        "résumé provisoire « (to translate) »",
    }
    assert check_translations([entry(PATH, FRENCH), entry("x.en.md", text)], TABLE) == []


# --- the staff guide ----------------------------------------------------------------

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide-redaction.md"


def test_staff_guide_lists_the_required_sections_of_the_settings():
    from pelican.settings import read_settings

    conf = Path(__file__).resolve().parents[1] / "pelicanconf.py"
    guide = GUIDE.read_text(encoding="utf-8")
    for series in series_table(read_settings(str(conf))).values():
        assert f"(`{series.key}`" in guide
        for lang in ("fr", "en"):
            for name in series.sections(lang):
                assert f"| {name} |" in guide, name


@pytest.mark.parametrize(
    "start",
    [
        "impossible de lire ce fichier : le fichier n'est pas en UTF-8",
        "fichier vide : ",
        "métadonnée obligatoire manquante « Title »",
        "date impossible « ",
        "série inconnue « ",
        "« Series: info-psoc » mais le fichier est dans le dossier",
        "métadonnée obligatoire manquante « Number »",
        "numéro invalide « ",
        "en double dans la série",
        "langue inconnue « ",
        "section obligatoire manquante « ",
        "— vouliez-vous dire « ",
        "écrite comme un titre de niveau 3",
        "section vide « ",
        "niveau de titre sauté : ",
        "clé de traduction « ",
        "traduction incomplète : ",
        "lien provisoire « ",
        "lien sans adresse « ",
        "lien sans texte « ",
        "balise HTML <div> jamais fermée",
        "fermée sans avoir été ouverte",
        "tableau HTML sans en-têtes <th>",
        "sans texte de remplacement : décrivez-la entre les crochets",
        'sans texte de remplacement : ajoutez alt="description"',
        "HTML invalide : <div> (un bloc) ne peut pas être dans <span>",
        "HTML invalide : <ul> (un bloc) ne peut pas être dans <p>",
        'identifiant HTML en double id="budget"',
        "déjà utilisé par le gabarit de la page",
        'HTML invalide : colspan="0" sur <td>',
        "; vérifiez les balises",
        "caractères (plus de 300)",
        "existe déjà ; rien n'a été écrit.",
    ],
)
def test_staff_guide_explains_each_message(start):
    assert start in GUIDE.read_text(encoding="utf-8")
