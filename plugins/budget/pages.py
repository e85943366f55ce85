"""The budget page: history table and inline SVG chart, one per sub-site."""

from __future__ import annotations

from pelican.generators import Generator

from plugins.budget.chart import budget_chart
from plugins.budget.money import format_millions
from plugins.context import current


def budget_url(settings) -> str:
    return f"{settings.get('BUDGET_DIR', 'budget')}/"


class BudgetGenerator(Generator):
    """Writes /budget/ (and /en/budget/) from content/budget/."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = self.settings["DEFAULT_LANG"]
        self.env.filters["millions"] = lambda amount: format_millions(amount, lang)

    def generate_context(self) -> None:
        self.history = current().model.history
        self.context["BUDGET_URL"] = budget_url(self.settings)

    def generate_output(self, writer) -> None:
        url = budget_url(self.settings)
        localized = self.history.updates_in(self.settings["DEFAULT_LANG"])
        updates = [update for update, _lang in localized]
        writer.write_file(
            f"{url}index.html",
            self.get_template("budget/budget"),
            self.context,
            updates=updates,
            update_langs={update.slug: lang for update, lang in localized},
            chart=budget_chart(updates),
            page_url=url,
            relative_urls=self.settings["RELATIVE_URLS"],
        )
