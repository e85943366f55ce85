"""The budget page: history table and inline SVG chart, one per sub-site."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pelican.generators import Generator

from plugins.budget.chart import ChartWords, budget_chart
from plugins.budget.money import format_millions
from plugins.budget.typeface import theme_typeface
from plugins.context import current
from plugins.i18n.catalogues import gettext_for, ngettext_for
from plugins.i18n.typography import typeset_text
from plugins.memo import cache_root


def budget_url(settings) -> str:
    return f"{settings.get('BUDGET_DIR', 'budget')}/"


def chart_words(theme: str | Path, lang: str) -> ChartWords:
    """The chart's words in ``lang``, from the gettext catalogues (budget domain)."""
    _, ngettext = gettext_for(theme, lang), ngettext_for(theme, lang)

    def spread(kind: str, amount: str, years: int) -> str:
        return ngettext(
            "%(kind)s\u00a0: %(amount)s sur %(num)d an",
            "%(kind)s\u00a0: %(amount)s sur %(num)d ans",
            years,
        ) % {"kind": kind, "amount": amount, "num": years}

    return ChartWords(
        kinds={
            "demanded": _("Revendiqué"),
            "announced": _("Annoncé"),
            "added": _("Réellement ajouté"),
        },
        money=lambda amount: format_millions(amount, lang),
        basis=_("Montants par année"),
        spread=spread,
        gap=lambda amount: _("Écart\u00a0: %(amount)s par année") % {"amount": amount},
    )


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
        lang = self.settings["DEFAULT_LANG"]
        localized = self.history.updates_in(lang)
        updates = [update for update, _lang in localized]
        theme = self.settings["THEME"]
        # The chart wraps its titles itself: typeset first, so « : » stays with its word.
        titled = [replace(u, title=typeset_text(u.title, text_lang)) for u, text_lang in localized]
        fonts = Path(theme) / "static" / "fonts"
        typeface = theme_typeface(fonts, cache_root(self.settings))
        chart = budget_chart(titled, chart_words(theme, lang), typeface)
        writer.write_file(
            f"{url}index.html",
            self.get_template("budget/budget"),
            self.context,
            updates=updates,
            update_langs={update.slug: lang for update, lang in localized},
            chart=chart,
            page_url=url,
            relative_urls=self.settings["RELATIVE_URLS"],
        )
