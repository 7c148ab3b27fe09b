"""The chart of the four amounts over the periods: bars drawn on the server as SVG (no JavaScript), with the same
numbers in a table beside it for screen readers and printing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inleg.platform.domain.contributions.preview import euro
from inleg.platform.reconciliation.services import Totals

WIDTH, HEIGHT, TOP, BOTTOM = 720, 220, 10, 30
SERIES = (
    ("asked", "gevraagd", "#6b8fd6"),
    ("held", "vastgelegd", "#9b7fd1"),
    ("paid", "betaald", "#e0a43a"),
    ("received", "ontvangen", "#3a9b6b"),
)


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    title: str


@dataclass(frozen=True, slots=True)
class Label:
    x: int
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    legend: tuple[tuple[str, str], ...]


def chart(totals: Sequence[Totals]) -> Chart:
    values = [getattr(t, name) for t in totals for name, _l, _c in SERIES]
    top = max((v.value for v in values if v is not None), default=0) or 1
    slot = WIDTH // max(len(totals), 1)
    bar = max(min(slot // 5, 30), 2)
    bars, labels = [], []
    usable = HEIGHT - TOP - BOTTOM
    for i, total in enumerate(totals):
        left = i * slot + (slot - 4 * bar) // 2
        for j, (name, label, colour) in enumerate(SERIES):
            amount = getattr(total, name)
            height = 0 if amount is None else round(usable * amount.value / top)
            title = f"{total.period} {label}: " + ("niet gelezen" if amount is None else euro(amount))
            bars.append(Bar(left + j * bar, TOP + usable - height, bar - 2, height, colour, title))
        labels.append(Label(i * slot + slot // 2, str(total.period)))
    return Chart(WIDTH, HEIGHT, tuple(bars), tuple(labels), tuple((label, colour) for _n, label, colour in SERIES))
