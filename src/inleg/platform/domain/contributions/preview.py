"""A preview per employee, in plain Dutch: what a run will write, change and end in Loket, what it holds back
and who must act on that. Built from the diff, so the page shows exactly what the writer will do.

Each line also carries its parts (kind, who must act), so a page can style or translate it without parsing
the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from inleg.platform.domain.contributions.diff import (
    Attention,
    Changes,
    Conflict,
    Create,
    Delete,
    Operation,
    Problem,
    Update,
    WhoMustAct,
)
from inleg.platform.domain.money import Cents

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


class LineKind(StrEnum):
    NEW = "nieuw"
    CHANGED = "gewijzigd"
    ENDED = "beëindigd"
    EXTENDED = "verlengd"
    REMOVED = "verwijderd"
    HELD_BACK = "niet geschreven"
    NOTHING = "geen wijziging"


@dataclass(frozen=True, slots=True)
class PreviewLine:
    kind: LineKind
    text: str
    who: WhoMustAct | None = None  # set on lines that hold something back


def euro(amount: Cents) -> str:
    """``€ 1.234,56`` (Dutch notation)."""
    sign = "-" if amount.value < 0 else ""
    whole, cents = divmod(abs(amount.value), 100)
    return f"€ {sign}{whole:,}".replace(",", ".") + f",{cents:02d}"


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _until(end: date | None) -> str:
    return f" tot en met {dutch_date(end)}" if end is not None else ""


def _operation(op: Operation, name: str) -> PreviewLine:
    if isinstance(op, Create):
        return PreviewLine(
            LineKind.NEW, f"{name}: {euro(op.value)} per periode vanaf {dutch_date(op.start)}{_until(op.end)}."
        )
    record = op.record
    since = f"{euro(record.value)} per periode vanaf {dutch_date(record.start)}"
    if isinstance(op, Delete):
        return PreviewLine(LineKind.REMOVED, f"{name}: {since}{_until(record.end)} wordt verwijderd.")
    assert isinstance(op, Update)
    if op.value != record.value or op.start != record.start:
        return PreviewLine(
            LineKind.CHANGED,
            f"{name}: {euro(record.value)} wordt {euro(op.value)} per periode vanaf {dutch_date(op.start)}"
            f"{_until(op.end)}.",
        )
    if op.end is not None and (record.end is None or op.end < record.end):
        return PreviewLine(LineKind.ENDED, f"{name}: {since} stopt na {dutch_date(op.end)}.")
    to = f"tot en met {dutch_date(op.end)}" if op.end is not None else "zonder einddatum"
    return PreviewLine(LineKind.EXTENDED, f"{name}: {since} loopt door {to}.")


def _conflict(conflict: Conflict, name: str) -> PreviewLine:
    r = conflict.record
    until = f"tot en met {dutch_date(r.end)}" if r.end is not None else "zonder einddatum"
    return PreviewLine(
        LineKind.HELD_BACK,
        f"{name}: niet geschreven. Loket heeft al {euro(r.value)} per periode vanaf {dutch_date(r.start)} {until}, "
        "niet gezet door Pensify. De salarisadministrateur beëindigt of verwijdert die waarde in Loket; daarna "
        "schrijft Pensify de regeling.",
        conflict.who,
    )


def _attention(item: Attention, name: str) -> PreviewLine:
    if item.problem is Problem.SALARY_UNKNOWN:
        periods = ", ".join(item.periods)
        text = (
            f"{name}: niet geschreven. Het salaris van periode {periods} is onbekend in Loket, en de bijdrage is "
            "een percentage van het salaris. De salarisadministrateur legt het salaris vast in Loket."
        )
    else:
        assert item.record is not None
        text = (
            f"{name}: niet geschreven. De waarde vanaf {dutch_date(item.record.start)} begint buiten het "
            "dienstverband, en Loket staat geen wijziging daarvan toe. De salarisadministrateur beëindigt of "
            "verwijdert die waarde in Loket."
        )
    return PreviewLine(LineKind.HELD_BACK, text, item.who)


def preview(changes: Sequence[Changes], component_names: Mapping[int, str]) -> list[PreviewLine]:
    """The lines for one employee's components, in the order of ``changes``: operations, then what is held
    back. One "no change" line when there is nothing at all."""
    lines: list[PreviewLine] = []
    for change in changes:
        name = component_names.get(change.plan.component_key, f"component {change.plan.component_key}")
        lines.extend(_operation(op, name) for op in change.operations)
        lines.extend(_conflict(c, name) for c in change.conflicts)
        lines.extend(_attention(a, name) for a in change.attention)
    if lines:
        return lines
    return [PreviewLine(LineKind.NOTHING, _nothing(changes))]


def _nothing(changes: Sequence[Changes]) -> str:
    """Why nothing is written: a leaver, no contribution at all, or Loket holding the plan already. Saying
    "Loket has it" of someone who left would suggest money still flows."""
    if any(change.plan.segments for change in changes):
        return "Geen wijzigingen: Loket heeft de regeling al."
    employment = changes[0].plan.employment if changes else None
    window = changes[0].plan.window_start if changes else None
    if employment is not None and window is not None and employment.end is not None and employment.end < window:
        return f"Geen wijzigingen: uit dienst sinds {dutch_date(employment.end)}; Loket houdt geen bijdrage."
    return "Geen wijzigingen: er is geen bijdrage voor deze werknemer, en Loket houdt er ook geen."
