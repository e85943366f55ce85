"""Budget updates: what the campaign demands, what is announced, what is added.

The loader reads ``content/budget/*.md`` once into typed ``BudgetUpdate``
values (plugins.budget.reading); this plugin writes ``/budget/`` with a table
and an inline SVG chart, amounts formatted with Babel (``25 M$``, ``$25M``).
"""

from __future__ import annotations

from pelican import signals

from plugins.budget.pages import BudgetGenerator


def budget_generator(pelican):
    return BudgetGenerator


def register() -> None:
    signals.get_generators.connect(budget_generator)
