"""The budget page as a reader sees it: table, inline SVG chart, money in both languages."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from plugins.budget.chart import budget_chart, wrap
from plugins.budget.money import format_millions
from plugins.budget.pages import chart_words
from plugins.budget.reading import parse_amount, parse_fiscal_year
from plugins.budget.typeface import theme_typeface
from plugins.build import language_settings
from plugins.model import BudgetUpdate, ContentError
from plugins.validation import check_content
from tests.conftest import CONF, build_copy, read_html
from tests.linkcheck import site_path

NBSP = "\u00a0"
THEME = Path(__file__).resolve().parents[1] / "theme"
FRENCH_WORDS = chart_words(THEME, "fr")
TYPEFACE = theme_typeface(THEME / "static" / "fonts")


def chart(updates):
    return budget_chart(updates, FRENCH_WORDS, TYPEFACE)


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
    drawn = chart(
        [update(demanded=Decimal(475), announced=Decimal(80), added=Decimal(25)), update()]
    )
    assert len(drawn.groups) == 1  # an update without any amount draws nothing
    bars = {bar.kind: bar.width for bar in drawn.groups[0].bars}
    # Per year: the demand is yearly, the government's 80 and 25 M$ are over 5 years.
    assert bars["added"] / bars["demanded"] == pytest.approx(5 / 475, rel=0.01)
    assert bars["announced"] / bars["demanded"] == pytest.approx(16 / 475, rel=0.01)
    one_year = chart([replace(update(demanded=Decimal(475), added=Decimal(25)), years=None)])
    bars = {bar.kind: bar.width for bar in one_year.groups[0].bars}
    assert bars["added"] / bars["demanded"] == pytest.approx(25 / 475, rel=0.01)
    partial = chart([update(demanded=Decimal(225))])
    assert [bar.kind for bar in partial.groups[0].bars] == ["demanded"]
    assert partial.groups[0].gap is None  # nothing really added to compare with


def test_chart_wraps_long_words_without_losing_a_character():
    def measure(text: str) -> float:
        return len(text) * 10

    lines = wrap("Revendication de la campagne", 120, measure)
    assert lines == ("Revendicatio", "n de la", "campagne")  # too wide a word is broken, not cut
    assert "".join(lines).replace(" ", "") == "Revendicationdelacampagne"
    assert all(measure(line) <= 120 for line in lines)
    assert " ".join(wrap("un deux trois", 1000, measure)) == "un deux trois"
    assert wrap(f"x Écart{NBSP}:", 80, measure) == ("x", f"Écart{NBSP}:")  # no-break space holds
    assert wrap("campagne « Je tiens »", 120, measure) == ("campagne", "« Je tiens »")


def test_chart_gap_is_demanded_minus_really_added_only_when_something_is_missing():
    gap = chart([update(demanded=Decimal(475), added=Decimal(25))]).groups[0].gap
    assert gap is not None and gap.amount == Decimal(470)  # 475 a year, 25 over 5 years
    labels = {
        label.role: label.text for label in chart([update(added=Decimal(7))]).groups[0].labels
    }
    assert labels["kind"] == f"Réellement ajouté{NBSP}: 7{NBSP}M$ sur 5 ans"
    assert labels["amount"] == f"1,4{NBSP}M$"  # to a tenth of a million
    assert gap.x1 < gap.x2
    assert chart([update(demanded=Decimal(5), added=Decimal(25))]).groups[0].gap is None  # 5 a year


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
    assert second[6] == f"INFO-PSOC no{NBSP}1"  # French typography: « n° » raised
    assert rows[1].find_all("td")[-1].find("sup").get_text() == "o"


def test_budget_chart_is_accessible_inline_svg_with_its_numbers(built_site):
    page = read_html(built_site / "budget" / "index.html")
    svg = page.find("svg")
    assert svg["role"] == "img"
    assert svg.title.get_text().startswith("Montants revendiqués, annoncés et réellement ajoutés")
    description = svg.desc.get_text()
    assert f"annoncé 16{NBSP}M$" in description
    assert f"réellement ajouté 5{NBSP}M$." in description
    assert "(montants par année)" in description
    assert f"Écart{NBSP}: 470{NBSP}M$ par année." in description
    labels = [t.get_text() for t in svg.find_all("text")]
    for amount in ("225", "475", "16", "5"):
        assert f"{amount}{NBSP}M$" in labels
    assert {"Revendiqué", "Montants par année"} <= set(labels)
    assert f"Annoncé{NBSP}: 80{NBSP}M$ sur 5 ans" in [
        " ".join(t.stripped_strings) for t in svg.find_all("text")
    ]
    fills = {rect["fill"] for rect in svg.select("rect.budget-chart__bar")}
    assert len(fills) == 3  # solid, hatched, dotted: not colour alone
    assert svg.find_parent("figure").figcaption.get_text().startswith("Barre pleine")
    assert page.select_one(".table-scroll table.budget-table")  # the table stays the equivalent


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


def test_a_mistake_in_a_french_update_is_not_blamed_on_its_twin(project_copy):
    original = project_copy / "budget" / "2017-05-17-budget-2017-2018.md"
    original.write_text(
        original.read_text(encoding="utf-8").replace("Added: 25", "Added: abc"), encoding="utf-8"
    )
    problems = [
        str(p)
        for p in check_content(
            language_settings(
                CONF, "fr", project_copy.parent / "output", {"PATH": str(project_copy)}
            )
        )[1]
    ]
    assert [p.split(": ")[0] for p in problems] == [
        "content/budget/2017-05-17-budget-2017-2018.md:7"
    ]
    assert "montant invalide « abc » pour Added" in problems[0]


def test_chart_is_drawn_for_a_phone_and_grows_with_its_rows():
    from plugins.budget.chart import WIDTH

    one = chart([update(demanded=Decimal(475))])
    three = chart([update(demanded=Decimal(475), announced=Decimal(80), added=Decimal(25))])
    assert WIDTH <= 375  # shown near its natural size on a 375 px screen: text stays ~13 px or more
    assert three.height > one.height
    kinds = [label for label in three.groups[0].labels if label.role == "kind"]
    for bar, kind in zip(three.groups[0].bars, kinds, strict=True):
        assert bar.x + bar.width <= WIDTH and kind.y < bar.y  # each label above its bar


def test_budget_table_title_sits_outside_the_scrolling_area(built_site):
    page = read_html(built_site / "budget" / "index.html")
    region = page.select_one(".table-scroll")
    title = page.find(id=region["aria-labelledby"])
    assert title.get_text().startswith("Historique des mises à jour budgétaires")
    assert title.find_parent(class_="table-scroll") is None
    svg = page.find("svg")
    assert svg["viewbox"].split()[2] == "360"


# --- issue 19: a chart that reads at a glance (the SVG as a browser parses it) --------

SVG_NS = {"svg": "http://www.w3.org/2000/svg"}


def built_svg(page: Path):
    """The chart of a built budget page, parsed as XML (inline SVG must be well formed)."""
    import xml.etree.ElementTree as ET

    html = page.read_text(encoding="utf-8")
    return ET.fromstring(re.search(r"<svg\b.*?</svg>", html, re.DOTALL).group(0))


def chart_texts(svg, role: str) -> list[str]:
    """The whole text of each label of ``role``: its tspans joined as the lines they are."""
    return [
        " ".join(span.text or "" for span in text.findall("svg:tspan", SVG_NS))
        for text in svg.iterfind(f".//svg:text[@class='budget-chart__{role}']", SVG_NS)
    ]


def millions(label: str) -> Decimal:
    """« 1 234,5 M$ » or "$1,234.5M" → Decimal("1234.5")."""
    digits = re.sub(r"[^\d,.]", "", label)
    return Decimal(digits.replace(",", "") if "$" == label[0] else digits.replace(",", "."))


@pytest.mark.parametrize("lang_dir", ["", "en"])
def test_every_chart_label_is_whole_never_cut_with_an_ellipsis(built_site, lang_dir):
    page = built_site / lang_dir / "budget" / "index.html"
    svg = built_svg(page)
    table_titles = [th.get_text() for th in read_html(page).select("table.budget-table tbody th")]

    assert chart_texts(svg, "title") == table_titles  # wrapped over lines, joined back whole
    assert any(
        len(text.findall("svg:tspan", SVG_NS)) > 1 for text in svg.iter(f"{{{SVG_NS['svg']}}}text")
    )
    for text in svg.iter(f"{{{SVG_NS['svg']}}}text"):
        whole = "".join(text.itertext())
        assert "..." not in whole and "…" not in whole, whole


def test_chart_bars_are_as_long_as_their_amounts_and_their_labels_fit_them(built_site):
    svg = built_svg(built_site / "budget" / "index.html")
    bars = svg.findall(".//svg:rect[@class='budget-chart__bar']", SVG_NS)
    amounts = [millions(label) for label in chart_texts(svg, "amount")]
    assert amounts == [Decimal(225), Decimal(475), Decimal(16), Decimal(5)]  # per year
    widths = [float(bar.get("width")) for bar in bars]
    per_million = widths[1] / 475
    for width, amount in zip(widths, amounts, strict=True):
        assert width == pytest.approx(float(amount) * per_million, rel=0.01), (width, amount)
    amount_texts = svg.findall(".//svg:text[@class='budget-chart__amount']", SVG_NS)
    for bar, text in zip(bars, amount_texts, strict=True):
        top, thickness = float(bar.get("y")), float(bar.get("height"))
        assert float(text.get("font-size")) <= thickness  # a value never looks bigger than its bar
        assert float(text.get("x")) > float(bar.get("x")) + float(bar.get("width"))  # after its end
        assert top < float(text.get("y")) <= top + thickness  # on the bar's own line
    view_width = float(svg.get("viewBox").split()[2])
    for text, amount in zip(amount_texts, amounts, strict=True):
        label = "".join(text.itertext())
        assert (
            float(text.get("x")) + TYPEFACE.width(label, float(text.get("font-size")), bold=True)
            <= view_width
        ), amount


def test_chart_shows_the_gap_between_demanded_and_really_added_with_its_amount(built_site):
    svg = built_svg(built_site / "budget" / "index.html")
    gaps = svg.findall(".//svg:path[@class='budget-chart__gap']", SVG_NS)
    assert len(gaps) == 1  # only 2017-2018 gives both what was demanded and what was added
    assert chart_texts(svg, "gap") == [f"Écart{NBSP}: 470{NBSP}M$ par année"]
    assert chart_texts(svg, "period") == ["Montants par année"] * 2  # one basis for all
    bars = {
        bar.get("data-kind"): bar
        for bar in svg.findall(".//svg:rect[@class='budget-chart__bar']", SVG_NS)[1:]
    }
    ends = {kind: float(bar.get("x")) + float(bar.get("width")) for kind, bar in bars.items()}
    xs = [float(x) for x in re.findall(r"[MH]([\d.]+)", gaps[0].get("d"))]
    assert min(xs) == pytest.approx(ends["added"], abs=0.2)  # from what was really added
    assert max(xs) == pytest.approx(ends["demanded"], abs=0.2)  # to what was demanded
    per_million = float(bars["demanded"].get("width")) / 475
    assert (max(xs) - min(xs)) / per_million == pytest.approx(470, rel=0.01)


def test_english_chart_is_in_english(built_site):
    svg = built_svg(built_site / "en" / "budget" / "index.html")
    kinds = chart_texts(svg, "kind")
    assert kinds[:2] == ["Demanded", "Demanded"]
    assert kinds[2:] == ["Announced: $80M over 5 years", "Actually added: $25M over 5 years"]
    assert chart_texts(svg, "amount") == ["$225M", "$475M", "$16M", "$5M"]
    assert chart_texts(svg, "period") == ["Amounts per year"] * 2
    assert chart_texts(svg, "gap") == ["Gap: $470M per year"]
    assert svg.find("svg:title", SVG_NS).text.startswith("Amounts demanded, announced")
    assert "Gap: $470M per year." in svg.find("svg:desc", SVG_NS).text
    assert "M$" not in "".join(svg.itertext()) and "Écart" not in "".join(svg.itertext())
