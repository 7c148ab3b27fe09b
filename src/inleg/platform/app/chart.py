"""A bar chart of deposits per period as SVG geometry (drawn by the template; no script). Employer money and own
money stacked; the template also gives the same figures as a table."""

from __future__ import annotations

from dataclasses import dataclass

from inleg.platform.domain.money import Cents

WIDTH, HEIGHT, BOTTOM, LEFT = 640, 240, 28, 8


@dataclass(frozen=True)
class Bar:
    label: str
    x: int
    width: int
    employer_y: int
    employer_h: int
    own_y: int
    own_h: int
    title: str


def bars(points: list[tuple[str, Cents, Cents, str]]) -> list[Bar]:
    """``points``: (label, employer, own, title) oldest first."""
    if not points:
        return []
    top = max((e.value + o.value for _, e, o, _t in points), default=0) or 1
    room = HEIGHT - BOTTOM - 8
    slot = (WIDTH - 2 * LEFT) // max(len(points), 1)
    width = max(4, int(slot * 0.6))
    result = []
    for i, (label, employer, own, title) in enumerate(points):
        employer_h = round(room * employer.value / top)
        own_h = round(room * own.value / top)
        x = LEFT + i * slot + (slot - width) // 2
        employer_y = HEIGHT - BOTTOM - employer_h
        result.append(Bar(label, x, width, employer_y, employer_h, employer_y - own_h, own_h, title))
    return result
