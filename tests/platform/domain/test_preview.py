"""The preview per employee: plain Dutch lines for what a run writes, changes, ends and holds back."""

from __future__ import annotations

from datetime import date

from inleg.platform.domain.contributions import (
    ComponentPlan,
    Employment,
    HeldRecord,
    Segment,
    WhoMustAct,
    diff,
    preview,
)
from inleg.platform.domain.contributions.plan import Blocked, BlockReason, Kind
from inleg.platform.domain.contributions.preview import LineKind, dutch_date, euro
from inleg.platform.domain.money import Cents
from tests.platform.domain.helpers import key

GROSS, NET = 751, 831
NAMES = {GROSS: "Pensify Inleg", NET: "Netto inleg"}
EMP = Employment("emp-1", date(2024, 1, 1))
B = date(2025, 3, 1)


def plan_of(component: int, *segments: tuple[date, date | None, int]) -> ComponentPlan:
    kind = Kind.GROSS if component == GROSS else Kind.NET
    return ComponentPlan(EMP, component, kind, B, tuple(Segment(s, e, Cents(v)) for s, e, v in segments))


def record(id_: str, start: date, end: date | None, cents: int, component: int = GROSS) -> HeldRecord:
    return HeldRecord(id_, EMP.id, component, start, end, Cents(cents), '"1"')


def test_euro_and_dates_in_dutch() -> None:
    assert euro(Cents(123456)) == "€ 1.234,56"
    assert euro(Cents(5)) == "€ 0,05"
    assert euro(Cents(-5)) == "€ -0,05"
    assert euro(Cents(10_000_000_000)) == "€ 100.000.000,00"
    assert dutch_date(date(2025, 3, 1)) == "1 maart 2025"


def test_new_changed_ended_extended_removed() -> None:
    gross = diff(
        plan_of(GROSS, (B, date(2025, 5, 31), 5000), (date(2025, 6, 1), None, 6000)),
        [record("a", date(2025, 1, 1), None, 5000)],
        {"a"},
    )
    net = diff(
        plan_of(NET, (date(2025, 4, 1), None, 3000)),
        [record("n1", B, date(2025, 3, 31), 2500, NET), record("n2", date(2025, 4, 1), None, 2500, NET)],
        {"n1", "n2"},
    )
    lines = preview([gross, net], NAMES)
    assert [(line.kind, line.text) for line in lines] == [
        (LineKind.ENDED, "Pensify Inleg: € 50,00 per periode vanaf 1 januari 2025 stopt na 31 mei 2025."),
        (LineKind.NEW, "Pensify Inleg: € 60,00 per periode vanaf 1 juni 2025."),
        (
            LineKind.REMOVED,
            "Netto inleg: € 25,00 per periode vanaf 1 maart 2025 tot en met 31 maart 2025 wordt verwijderd.",
        ),
        (LineKind.CHANGED, "Netto inleg: € 25,00 wordt € 30,00 per periode vanaf 1 april 2025."),
    ]
    assert all(line.who is None for line in lines)


def test_extended() -> None:
    changes = diff(plan_of(GROSS, (B, None, 5000)), [record("a", date(2025, 1, 1), date(2025, 4, 30), 5000)], {"a"})
    (line,) = preview([changes], NAMES)
    assert (line.kind, line.text) == (
        LineKind.EXTENDED,
        "Pensify Inleg: € 50,00 per periode vanaf 1 januari 2025 loopt door zonder einddatum.",
    )


def test_a_conflict_says_who_must_act() -> None:
    changes = diff(plan_of(GROSS, (B, None, 5000)), [record("x", date(2025, 1, 1), None, 2500)], set())
    (line,) = preview([changes], NAMES)
    assert line.kind is LineKind.HELD_BACK
    assert line.who is WhoMustAct.SALARISADMINISTRATEUR
    assert line.text == (
        "Pensify Inleg: niet geschreven. Loket heeft al € 25,00 per periode vanaf 1 januari 2025 zonder einddatum, "
        "niet gezet door Pensify. De salarisadministrateur beëindigt of verwijdert die waarde in Loket; daarna "
        "schrijft Pensify de regeling."
    )


def test_salary_unknown_says_who_must_act() -> None:
    blocked = ComponentPlan(EMP, GROSS, Kind.GROSS, B, (), Blocked(BlockReason.SALARY_UNKNOWN, (key(2025, 7),)))
    (line,) = preview([diff(blocked, [], set())], NAMES)
    assert line.who is WhoMustAct.SALARISADMINISTRATEUR
    assert "salaris van periode 2025-07 is onbekend" in line.text


def test_nothing_to_do_is_one_line() -> None:
    changes = diff(plan_of(GROSS, (B, None, 5000)), [record("a", B, None, 5000)], {"a"})
    (line,) = preview([changes], NAMES)
    assert (line.kind, line.text) == (LineKind.NOTHING, "Geen wijzigingen: Loket heeft de regeling al.")


def test_a_leaver_is_not_told_loket_has_the_scheme() -> None:
    # Left on 31 January, the window starts 1 March: the plan is empty and Loket holds nothing.
    leaver = Employment("emp-2", date(2024, 1, 1), date(2025, 1, 31))
    empty = ComponentPlan(leaver, GROSS, Kind.GROSS, B, ())
    (line,) = preview([diff(empty, [], set())], NAMES)
    assert (line.kind, line.text) == (
        LineKind.NOTHING,
        "Geen wijzigingen: uit dienst sinds 31 januari 2025; Loket houdt geen bijdrage.",
    )


def test_no_contribution_at_all_is_said_as_such() -> None:
    (line,) = preview([diff(ComponentPlan(EMP, GROSS, Kind.GROSS, B, ()), [], set())], NAMES)
    assert line.text == "Geen wijzigingen: er is geen bijdrage voor deze werknemer, en Loket houdt er ook geen."
