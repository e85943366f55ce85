"""Geometry of the budget chart (horizontal bars), computed at build time.

The template draws it as inline SVG; every bar carries its amount as text
and a distinct pattern, so nothing depends on colour (print, colour-blind).

Designed for a phone first: the drawing is 360 units wide (a 375 px screen
shows it at about its natural size, so 14-unit text stays about 13 px) and
each bar has the full width under its own line of text (label on the left,
amount on the right); the height grows with the number of bars.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from plugins.model import BudgetUpdate

KINDS = ("demanded", "announced", "added")
WIDTH = 360
LABEL_WIDTH = 0  # labels sit above their bar, not beside it
BAR_SPACE = WIDTH - 4  # room for the bar's stroke
TEXT_HEIGHT = 18  # the label-and-amount line above a bar
BAR_HEIGHT = 16
ROW_HEIGHT = TEXT_HEIGHT + BAR_HEIGHT + 8
HEADING_HEIGHT = 44  # year, then title, on two lines


@dataclass(frozen=True)
class Bar:
    kind: str  # demanded, announced, added
    amount: Decimal
    x: int
    y: int
    width: int
    height: int

    @property
    def text_y(self) -> int:
        """Baseline of the label-and-amount line above the bar."""
        return self.y - 5


@dataclass(frozen=True)
class BarGroup:
    update: BudgetUpdate
    y: int  # baseline of the group's first heading line (the year)
    bars: tuple[Bar, ...]

    @property
    def title_y(self) -> int:
        """Baseline of the second heading line (the title)."""
        return self.y + 18


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
        heading = y + 16
        y += HEADING_HEIGHT
        bars = []
        for kind in KINDS:
            amount = getattr(update, kind)
            if amount is None:
                continue
            bar_y = y + TEXT_HEIGHT
            bars.append(Bar(kind, amount, 1, bar_y, scale(amount, largest), BAR_HEIGHT))
            y += ROW_HEIGHT
        groups.append(BarGroup(update, heading, tuple(bars)))
        y += 12
    return Chart(tuple(groups), WIDTH, max(y, 40), LABEL_WIDTH)
