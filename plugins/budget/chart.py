"""Geometry of the budget chart (horizontal bars), computed at build time.

The question the chart answers at a glance: how far is what was really added
from what the campaign demanded? Each update is a group: its year, its whole
title (wrapped over as many lines as it needs, never cut), then one bar per
known amount (demanded, announced, really added) and, when both are known, the
gap between demanded and really added, measured by a bracket and labelled with
its amount.

Every bar is an amount per year, never a total over several years beside a
yearly one: the campaign's demands are yearly (« le gouvernement doit octroyer
annuellement 225 millions »), while the government's money is often spread
over ``Years`` (« 25 millions … pour les 5 prochaines années »), which is
shown as its yearly share (5 M$) under a label giving the total as announced.

The drawing is 360 units wide (a 375 px screen shows it at about its natural
size); SVG text does not wrap, so labels are broken into lines here, measured
in the page's font (plugins.budget.typeface). Every bar carries its amount
just after its end, in text smaller than the bar is thick; the bars are
scaled so that the longest bar and its amount fit in the width. Nothing
depends on colour: each kind has its own pattern (the template's defs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from plugins.budget.typeface import Typeface
from plugins.model import BudgetUpdate

KINDS = ("demanded", "announced", "added")
WIDTH = 360
X0 = 1  # room for the bars' stroke on the left
YEAR_SIZE = 16
TITLE_SIZE = 15
TEXT_SIZE = 14  # kind labels, amounts, the period and the gap
LEADING = 1.3
BAR_HEIGHT = 22  # thicker than TEXT_SIZE: an amount never looks bigger than its bar
AMOUNT_GAP = 6  # between a bar's end and its amount
BAR_SPACING = 8
TICK = 5  # half the height of the gap bracket's end ticks
GROUP_SPACING = 22
SLACK = 2  # units kept free at the end of a measured line: the browser may kern or hint wider


Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Label:
    """A text drawn on one or more lines (tspans), first baseline at ``y``."""

    role: str  # year, title, period, kind, amount, gap
    lines: tuple[str, ...]
    x: float
    y: float
    size: int
    bold: bool = False
    anchor: str = "start"  # SVG text-anchor

    @property
    def line_height(self) -> float:
        return round(self.size * LEADING, 1)

    @property
    def text(self) -> str:
        """The whole label, as the lines join back."""
        return " ".join(self.lines)


@dataclass(frozen=True)
class Bar:
    kind: str  # demanded, announced, added
    amount: Decimal
    x: float
    y: float
    width: float
    height: int


@dataclass(frozen=True)
class Gap:
    """The bracket from the end of the really-added bar to the end of the demanded bar."""

    amount: Decimal
    x1: float
    x2: float
    y: float  # the bracket's line
    guide_top: float | None  # a dashed guide rises to the demanded bar's end, when clear


@dataclass(frozen=True)
class BarGroup:
    update: BudgetUpdate
    labels: tuple[Label, ...]
    bars: tuple[Bar, ...]
    gap: Gap | None


@dataclass(frozen=True)
class Chart:
    groups: tuple[BarGroup, ...]
    width: int
    height: float


@dataclass(frozen=True)
class ChartWords:
    """The chart's visible words in one language (gettext and Babel, from the generator)."""

    kinds: Mapping[str, str]  # demanded → « Revendiqué »
    money: Callable[[Decimal], str]  # 450 → « 450 M$ »
    basis: str  # « Montants par année »
    spread: Callable[
        [str, str, int], str
    ]  # (« Réellement ajouté », « 25 M$ », 5) → « … : 25 M$ sur 5 ans »
    gap: Callable[[str], str]  # « 470 M$ » → « Écart : 470 M$ par année »


CLINGS_BACK = {"»", ":", ";", "!", "?"}  # French punctuation stays with the word before it


def words_of(text: str) -> list[str]:
    """Units a line may break between: words, with « » : ; ! ? kept on their word's line
    even when a plain space (not a no-break one) separates them."""
    units: list[str] = []
    for word in text.split(" "):
        if units and (word in CLINGS_BACK or units[-1].endswith("«")):
            units[-1] += f" {word}"
        else:
            units.append(word)
    return units


def wrap(text: str, width: float, measure: Callable[[str], float]) -> tuple[str, ...]:
    """``text`` broken at spaces into lines no wider than ``width`` (no-break spaces hold).

    A single word wider than ``width`` is broken between characters rather
    than overflowing: every character is kept, in order.
    """
    lines: list[str] = []
    current = ""
    for word in words_of(text):
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if current and measure(current + char) > width:
                lines.append(current)
                current = ""
            current += char
    if current or not lines:
        lines.append(current)
    return tuple(lines)


def bar_scale(amounts: Iterable[tuple[Decimal, float]]) -> float:
    """Units per million so that every bar, then its amount's label, fits in the width."""
    room = [
        (WIDTH - X0 - AMOUNT_GAP - label_width) / float(amount)
        for amount, label_width in amounts
        if amount > 0
    ]
    return max(min(room, default=0.0), 0.0)


def is_spread(update: BudgetUpdate, kind: str) -> bool:
    """Whether ``kind``'s amount is a total over ``Years`` (the government's money)."""
    return kind != "demanded" and (update.years or 1) > 1


def yearly(update: BudgetUpdate, kind: str) -> Decimal | None:
    """``kind``'s amount per year (to a tenth of a million), or None when unknown."""
    amount = getattr(update, kind)
    if amount is None or not is_spread(update, kind):
        return amount
    return (amount / update.years).quantize(Decimal("0.1")).normalize()


def known_amounts(update: BudgetUpdate) -> list[tuple[str, Decimal]]:
    """Each known amount of ``update``, per year."""
    amounts = [(kind, yearly(update, kind)) for kind in KINDS]
    return [(kind, amount) for kind, amount in amounts if amount is not None]


def gap_amount(update: BudgetUpdate) -> Decimal | None:
    """Demanded minus really added, per year, when both are known and something is missing."""
    demanded, added = yearly(update, "demanded"), yearly(update, "added")
    if demanded is None or added is None or added >= demanded:
        return None
    return demanded - added


def guide_is_clear(x: float, top: float, bottom: float, boxes: Iterable[Box]) -> bool:
    """True when a vertical line at ``x`` between ``top`` and ``bottom`` crosses no box."""
    return not any(
        left - 2 <= x <= right + 2 and upper < bottom and lower > top
        for left, upper, right, lower in boxes
    )


def budget_chart(updates: Iterable[BudgetUpdate], words: ChartWords, typeface: Typeface) -> Chart:
    """One group per update that has at least one amount, oldest first."""
    updates = [u for u in updates if known_amounts(u)]

    def amount_width(amount: Decimal) -> float:
        return typeface.width(words.money(amount), TEXT_SIZE, bold=True) + SLACK

    scale = bar_scale(
        (amount, amount_width(amount)) for u in updates for _kind, amount in known_amounts(u)
    )
    groups, y = [], 0.0
    for update in updates:
        group, y = bar_group(update, y, scale, words, typeface)
        groups.append(group)
        y += GROUP_SPACING
    return Chart(tuple(groups), WIDTH, round(max(y - GROUP_SPACING + 4, 40), 1))


def text_block(
    role: str, text: str, y: float, size: int, typeface: Typeface, bold: bool = False
) -> tuple[Label, float]:
    """A left-aligned label wrapped to the chart's width, and the y below it."""
    lines = wrap(text, WIDTH - X0 - SLACK, lambda line: typeface.width(line, size, bold))
    label = Label(role, lines, X0, round(y + size, 1), size, bold)
    return label, y + len(lines) * label.line_height


def bar_group(
    update: BudgetUpdate, top: float, scale: float, words: ChartWords, typeface: Typeface
) -> tuple[BarGroup, float]:
    """The group of one update drawn from ``top``, and the y below it."""
    labels: list[Label] = []
    year, y = text_block(
        "year", update.fiscal_year or str(update.date.year), top, YEAR_SIZE, typeface, True
    )
    title, y = text_block("title", update.title, y, TITLE_SIZE, typeface)
    period, y = text_block("period", words.basis, y, TEXT_SIZE, typeface)
    labels += [year, title, period]
    y += 6
    bars: list[Bar] = []
    boxes: list[Box] = []  # what a gap's guide must not cross
    for kind, amount in known_amounts(update):
        text = words.kinds[kind]
        if is_spread(update, kind):
            text = words.spread(text, words.money(getattr(update, kind)), update.years)
        kind_label, y = text_block("kind", text, y, TEXT_SIZE, typeface)
        y += 2
        bar = Bar(kind, amount, X0, round(y, 1), round(float(amount) * scale, 1), BAR_HEIGHT)
        money = words.money(amount)
        amount_x = round(bar.x + bar.width + AMOUNT_GAP, 1)
        baseline = round(bar.y + BAR_HEIGHT / 2 + TEXT_SIZE * 0.35, 1)
        labels += [kind_label, Label("amount", (money,), amount_x, baseline, TEXT_SIZE, True)]
        bars.append(bar)
        boxes.append((bar.x, bar.y, bar.x + bar.width, bar.y + bar.height))
        boxes.append((amount_x, bar.y, amount_x + typeface.width(money, TEXT_SIZE, True), baseline))
        y += BAR_HEIGHT + BAR_SPACING
    gap = None
    missing = gap_amount(update)
    if missing is not None:
        text = words.gap(words.money(missing))
        gap, gap_label, y = gap_bracket(missing, text, bars, boxes, y, typeface)
        labels.append(gap_label)
    return BarGroup(update, tuple(labels), tuple(bars), gap), y


def gap_bracket(
    missing: Decimal, text: str, bars: list[Bar], boxes: list[Box], y: float, typeface: Typeface
) -> tuple[Gap, Label, float]:
    """The gap under the bars: a bracket from the added bar's end to the demanded bar's,
    its label centred under it, and the y below them."""
    by_kind = {bar.kind: bar for bar in bars}
    demanded, added = by_kind["demanded"], by_kind["added"]
    x1, x2 = round(added.x + added.width, 1), round(demanded.x + demanded.width, 1)
    line_y = round(y + TICK, 1)
    guide_top = demanded.y + demanded.height
    below = [box for box in boxes if box[1] > demanded.y]
    gap = Gap(
        missing, x1, x2, line_y, guide_top if guide_is_clear(x2, guide_top, line_y, below) else None
    )
    lines = wrap(text, WIDTH - X0 - SLACK, lambda line: typeface.width(line, TEXT_SIZE, True))
    widest = max(typeface.width(line, TEXT_SIZE, True) for line in lines)
    centre = min(max((x1 + x2) / 2, widest / 2), WIDTH - widest / 2)
    label = Label(
        "gap", lines, round(centre, 1), round(line_y + TICK + 4 + TEXT_SIZE, 1), TEXT_SIZE, True,
        "middle",
    )  # fmt: skip
    return gap, label, line_y + TICK + 4 + len(lines) * label.line_height
