"""Geometry of the budget chart (horizontal bars), computed at build time.

The template draws it as inline SVG; every bar carries its amount as text
and a distinct pattern, so nothing depends on colour (print, colour-blind).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from plugins.model import BudgetUpdate

KINDS = ("demanded", "announced", "added")
LABEL_WIDTH = 170
BAR_SPACE = 390
ROW_HEIGHT = 26
HEADING_HEIGHT = 30
WIDTH = 720


@dataclass(frozen=True)
class Bar:
    kind: str  # demanded, announced, added
    amount: Decimal
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class BarGroup:
    update: BudgetUpdate
    y: int  # baseline of the group's heading
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    groups: tuple[BarGroup, ...]
    width: int
    height: int
    label_width: int


def scale(amount: Decimal, largest: Decimal) -> int:
    """Bar length in pixels; a known amount is at least 2 px wide."""
    if largest <= 0:
        return 2
    return max(2, round(float(amount / largest) * BAR_SPACE))


def budget_chart(updates: Iterable[BudgetUpdate]) -> Chart:
    """One group per update that has at least one amount, oldest first."""
    updates = [u for u in updates if any(getattr(u, k) is not None for k in KINDS)]
    amounts = [getattr(u, k) for u in updates for k in KINDS if getattr(u, k) is not None]
    largest = max(amounts, default=Decimal(0))
    groups, y = [], 0
    for update in updates:
        heading = y + 20
        y += HEADING_HEIGHT
        bars = []
        for kind in KINDS:
            amount = getattr(update, kind)
            if amount is None:
                continue
            bars.append(Bar(kind, amount, LABEL_WIDTH, y + 4, scale(amount, largest), 18))
            y += ROW_HEIGHT
        groups.append(BarGroup(update, heading, tuple(bars)))
        y += 8
    return Chart(tuple(groups), WIDTH, max(y, 40), LABEL_WIDTH)
