"""Budget updates: what the campaign demands, what is announced, what is added.

Reads ``content/budget/*.md`` once per run into typed ``BudgetUpdate``
values and writes ``/budget/`` with a table and an inline SVG chart, amounts
formatted with Babel (``25 M$``, ``$25M``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pelican import signals

from plugins.budget.pages import BudgetGenerator
from plugins.budget.reading import load_history
from plugins.model import Problem


def budget_generator(pelican):
    return BudgetGenerator


def collect_problems(settings: Mapping[str, Any]) -> list[Problem]:
    """Every budget problem of the content, without building (``invoke check``)."""
    return list(load_history(settings).problems)


def register() -> None:
    signals.get_generators.connect(budget_generator)
