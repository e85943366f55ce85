"""The budget page as a reader sees it: table, inline SVG chart, money in both languages."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from plugins.budget.chart import BAR_SPACE, budget_chart
from plugins.budget.money import format_millions
from plugins.budget.reading import parse_amount, parse_fiscal_year
from plugins.build import language_settings
from plugins.model import BudgetUpdate, ContentError
from plugins.validation import check_content
from tests.conftest import CONF, build_copy, read_html
from tests.linkcheck import site_path

NBSP = "\u00a0"


def update(**amounts) -> BudgetUpdate:
    values = {"demanded": None, "announced": None, "added": None, **amounts}
    return BudgetUpdate(
        "content/budget/x.md", "X", None, "2017-2018", years=5, source=None,
        body_html="", slug="x", **values,
    )  # fmt: skip


# --- money -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "french", "english"),
    [
        ("25", f"25{NBSP}M$", "$25M"),
        ("475", f"475{NBSP}M$", "$475M"),
        ("1234.5", f"1{NBSP}234,5{NBSP}M$", "$1,234.5M"),
        ("0.5", f"0,5{NBSP}M$", "$0.5M"),
    ],
)
def test_money_is_formatted_the_quebec_way_in_french_and_english(amount, french, english):
    assert format_millions(Decimal(amount), "fr") == french
    assert format_millions(Decimal(amount), "en") == english


def test_amounts_and_fiscal_years_parse_strictly():
    assert parse_amount("1 234,5") == Decimal("1234.5")
    assert parse_amount("25") == Decimal("25")
    assert parse_amount("beaucoup") is None
    assert parse_amount("25 M$") is None
    assert parse_fiscal_year("2017-2018") == "2017-2018"
    assert parse_fiscal_year("2017-2019") is None
    assert parse_fiscal_year("17-18") is None


def test_chart_bars_are_proportional_and_skip_unknown_amounts():
    chart = budget_chart(
        [update(demanded=Decimal(475), announced=Decimal(80), added=Decimal(25)), update()]
    )
    assert len(chart.groups) == 1  # an update without any amount draws nothing
    bars = {bar.kind: bar.width for bar in chart.groups[0].bars}
    assert bars["demanded"] == BAR_SPACE
    assert bars["added"] == round(25 / 475 * BAR_SPACE)
    partial = budget_chart([update(demanded=Decimal(225))])
    assert [bar.kind for bar in partial.groups[0].bars] == ["demanded"]


# --- the page --------------------------------------------------------------------


def test_budget_page_has_history_table_with_known_amounts_only(built_site):
    page = read_html(built_site / "budget" / "index.html")
    rows = page.select("table.budget-table tbody tr")
    assert len(rows) == 2
    first = [cell.get_text() for cell in rows[0].find_all(["th", "td"])]
    assert first[0] == "18 avril 2013"
    assert first[1] == "non précisé"  # no fiscal year in the 2013 source
    assert first[3] == f"225{NBSP}M$"
    assert first[4] == first[5] == "non précisé"  # absent, never shown as 0
    second = [re.sub(r"[ \n]+", " ", c.get_text()).strip() for c in rows[1].find_all(["th", "td"])]
    assert second[1] == "2017-2018"
    assert second[3] == f"475{NBSP}M$"
    assert second[4] == f"80{NBSP}M$"
    assert second[5] == f"25{NBSP}M$ sur 5 ans"
    assert second[6] == "INFO-PSOC no 1"


def test_budget_chart_is_accessible_inline_svg_with_its_numbers(built_site):
    page = read_html(built_site / "budget" / "index.html")
    svg = page.find("svg")
    assert svg["role"] == "img"
    assert svg.title.get_text().startswith("Montants revendiqués, annoncés et réellement ajoutés")
    description = svg.desc.get_text()
    assert f"annoncé 80{NBSP}M$" in description
    assert f"réellement ajouté 25{NBSP}M$ sur 5 ans" in description
    labels = [t.get_text() for t in svg.find_all("text")]
    for amount in ("225", "475", "80"):
        assert f"{amount}{NBSP}M$" in labels
    assert f"25{NBSP}M$ (sur 5 ans)" in labels
    assert {"Revendiqué", "Annoncé", "Réellement ajouté"} <= set(labels)
    fills = {rect["fill"] for rect in svg.find_all("rect", recursive=False)}
    assert len(fills) == 3  # solid, hatched, dotted: not colour alone
    assert svg.find_parent("figure").figcaption.get_text().startswith("Barre pleine")


def test_english_budget_page_uses_english_money_and_labels(built_site):
    path = built_site / "en" / "budget" / "index.html"
    page = read_html(path)
    text = page.get_text()
    assert page.h1.get_text() == "The PSOC budget"
    assert "$25M" in text and "$475M" in text and "$80M" in text and "$225M" in text
    assert "over 5 years" in text
    assert "Actually added" in text and "not specified" in text
    assert "M$" not in page.find("svg").get_text()
    switch = page.select_one(".language-switcher a")["href"]
    assert site_path(built_site, path, switch) == "/budget/"


# --- bad input ---------------------------------------------------------------------


BAD_UPDATES = {
    "budget/2018-01-01-montant.md": (
        "Title: Montant illisible\nDate: 2018-01-01\nFiscal_year: 2018-2019\nAdded: beaucoup\n",
        "content/budget/2018-01-01-montant.md:4: montant invalide « beaucoup » pour Added",
    ),
    "budget/2018-01-02-exercice.md": (
        "Title: Exercice faux\nDate: 2018-01-02\nFiscal_year: 2018-2020\nAdded: 10\n",
        "content/budget/2018-01-02-exercice.md:3: exercice financier invalide « 2018-2020 » : "
        "écrivez AAAA-AAAA+1, par exemple 2017-2018",
    ),
    "budget/2018-01-03-duree.md": (
        "Title: Durée\nDate: 2018-01-03\nAdded: 10\nYears: cinq\n",
        "content/budget/2018-01-03-duree.md:4: durée invalide « cinq » pour Years",
    ),
    "budget/2018-01-04-sans-titre.md": (
        "Date: 2018-01-04\nAdded: 10\n",
        "content/budget/2018-01-04-sans-titre.md:1: métadonnée obligatoire manquante « Title »",
    ),
}


def write_bad_updates(content: Path) -> None:
    for relative, (text, _message) in BAD_UPDATES.items():
        (content / relative).write_text(text, encoding="utf-8")


def test_each_bad_budget_update_has_its_french_message(project_copy):
    write_bad_updates(project_copy)
    settings = language_settings(
        CONF, "fr", project_copy.parent / "output", {"PATH": str(project_copy)}
    )
    problems = [str(p) for p in check_content(settings)[1]]
    for _text, message in BAD_UPDATES.values():
        assert any(p.startswith(message) for p in problems), (message, problems)
    assert len(problems) == len(BAD_UPDATES)


def test_bad_budget_update_fails_the_build_and_keeps_the_previous_output(project_copy, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "sentinelle.txt").write_text("avant", encoding="utf-8")
    write_bad_updates(project_copy)
    with pytest.raises(ContentError) as error:
        build_copy(project_copy, output)
    messages = [str(p) for p in error.value.problems]
    assert any(m.startswith(BAD_UPDATES["budget/2018-01-01-montant.md"][1]) for m in messages)
    assert [p.name for p in output.iterdir()] == ["sentinelle.txt"]


# --- issue 7: English twins, phone-first chart --------------------------------------


def test_english_budget_page_uses_the_english_twins_of_updates(built_site):
    page = read_html(built_site / "en" / "budget" / "index.html")
    rows = page.select("table.budget-table tbody tr")
    titles = [row.th for row in rows]
    assert titles[1].get_text() == "2017-2018 budget: 25 million added to the PSOC, not 80 million"
    assert titles[1]["lang"] == "en"
    assert rows[1].find_all("td")[-1].get_text() == "INFO-PSOC no. 1"
    details = page.find("h2", id="details-2017-05-17-budget-2017-2018")
    assert details["lang"] == "en" and details.get_text().startswith("2017-2018 budget")
    assert "Budget 2017-2018 :" not in page.get_text()
    french = read_html(built_site / "budget" / "index.html")
    assert french.select("table.budget-table tbody th")[1]["lang"] == "fr"


def test_a_missing_twin_falls_back_to_french_marked_as_french(project_copy, tmp_path):
    (project_copy / "budget" / "2013-04-18-revendication-campagne.en.md").unlink()
    output = build_copy(project_copy, tmp_path / "output").output
    page = read_html(output / "en" / "budget" / "index.html")
    first = page.select("table.budget-table tbody th")[0]
    assert first["lang"] == "fr" and first.get_text().startswith("Revendication de la campagne")


def test_a_twin_restating_amounts_or_without_original_is_a_problem(project_copy):
    folder = project_copy / "budget"
    twin = folder / "2017-05-17-budget-2017-2018.en.md"
    twin.write_text(
        twin.read_text(encoding="utf-8").replace("Lang: en", "Lang: en\nAdded: 30"),
        encoding="utf-8",
    )
    (folder / "2020-01-01-orphelin.en.md").write_text(
        "Title: Orphan\nDate: 2020-01-01\n", encoding="utf-8"
    )
    problems = sorted(
        str(p)
        for p in check_content(
            language_settings(
                CONF, "fr", project_copy.parent / "output", {"PATH": str(project_copy)}
            )
        )[1]
    )
    assert problems[0].startswith(
        "content/budget/2017-05-17-budget-2017-2018.en.md:5: montant dans une traduction (Added)"
    )
    assert problems[1].startswith(
        "content/budget/2020-01-01-orphelin.en.md:1: traduction sans mise à jour française"
    )
    assert len(problems) == 2


def test_chart_is_drawn_for_a_phone_and_grows_with_its_rows():
    from plugins.budget.chart import WIDTH

    one = budget_chart([update(demanded=Decimal(475))])
    three = budget_chart([update(demanded=Decimal(475), announced=Decimal(80), added=Decimal(25))])
    assert WIDTH <= 375  # shown near its natural size on a 375 px screen: text stays ~14 px
    assert three.height > one.height
    for bar in three.groups[0].bars:
        assert bar.x + bar.width <= WIDTH and bar.text_y < bar.y


def test_budget_table_title_sits_outside_the_scrolling_area(built_site):
    page = read_html(built_site / "budget" / "index.html")
    region = page.select_one(".table-scroll")
    title = page.find(id=region["aria-labelledby"])
    assert title.get_text().startswith("Historique des mises à jour budgétaires")
    assert title.find_parent(class_="table-scroll") is None
    svg = page.find("svg")
    assert svg["viewbox"].split()[2] == "360"
