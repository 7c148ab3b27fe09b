"""The reconciliation's statuses, each checked by hand, and the property that a row is in order exactly when the
four amounts agree."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inleg.platform.domain.money import Cents
from inleg.platform.domain.reconciliation import (
    InvalidRow,
    Paid,
    Pair,
    Row,
    Status,
    Who,
    assess,
    bank_working_days_after,
    written_late,
)

ASKED = Pair(Cents(10000), Cents(2500))  # € 100,00 employer money, € 25,00 own money
PAID_ON = date(2026, 1, 26)  # a Monday
TODAY = date(2026, 1, 28)  # two bank working days later


def paid(amounts: Pair = ASKED, excasso: int | None = None, on: date = PAID_ON) -> Paid:
    return Paid(amounts, Cents(amounts.total.value if excasso is None else excasso), on)


def row(**changes: object) -> Row:
    values: dict[str, object] = {
        "asked": ASKED,
        "held": ASKED,
        "paid": paid(),
        "received": ASKED,
        "waiting": Cents(0),
        "period_ran": True,
        "period_end": date(2026, 1, 31),
        "written_on": date(2026, 1, 5),
    }
    values.update(changes)
    return Row(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "status", "who"),
    [
        ({}, Status.IN_ORDER, Who.NOBODY),
        ({"asked": None}, Status.SALARY_UNKNOWN, Who.PAYROLL),
        # Nothing asked, nothing held, nothing paid, but € 50,00 arrived for this employment and period.
        (
            {
                "asked": Pair.zero(),
                "held": Pair.zero(),
                "paid": paid(Pair.zero()),
                "received": Pair.zero(),
                "waiting": Cents(5000),
            },
            Status.RECEIVED_WITHOUT_SCHEME,
            Who.US,
        ),
        # € 125,00 paid, and a second transfer of € 125,00 waits: € 250,00 arrived.
        ({"waiting": Cents(12500)}, Status.RECEIVED_TWICE, Who.US),
        ({"held": None}, Status.HELD_NOT_READ, Who.US),
        ({"held": Pair.zero(), "paid": paid(Pair.zero()), "received": Pair.zero()}, Status.NOT_WRITTEN, Who.EMPLOYER),
        ({"paid": None, "received": Pair.zero(), "period_ran": False}, Status.NOT_RUN, Who.NOBODY),
        ({"paid": None, "received": Pair.zero()}, Status.PAID_NOT_READ, Who.US),
        # Written on Thursday 29 January: 1 working day (the 30th) left of January, the cut-off is 3.
        (
            {"paid": paid(Pair.zero()), "received": Pair.zero(), "written_on": date(2026, 1, 29)},
            Status.WRITTEN_LATE,
            Who.PAYROLL,
        ),
        ({"paid": paid(Pair.zero()), "received": Pair.zero()}, Status.NOT_PAID_OUT, Who.PAYROLL),
        ({"paid": paid(excasso=0), "received": Pair.zero()}, Status.NOT_PAID_OUT, Who.PAYROLL),
        (
            {"paid": paid(Pair(Cents(9000), Cents(2500))), "received": Pair(Cents(9000), Cents(2500))},
            Status.PAID_OTHERWISE,
            Who.PAYROLL,
        ),
        ({"received": Pair.zero()}, Status.PAID_NOT_RECEIVED, Who.EMPLOYER),
        ({"received": Pair(Cents(0), Cents(2500))}, Status.PAID_NOT_RECEIVED, Who.EMPLOYER),
        # Paid Monday 26 January; 5 bank working days later is Monday 2 February; Tuesday the 3rd is late.
        ({"received": Pair.zero(), "paid": paid(on=date(2026, 1, 26))}, Status.PAID_NOT_RECEIVED, Who.EMPLOYER),
        ({"received": Pair.zero(), "paid": paid(on=date(2026, 1, 20))}, Status.OVERDUE, Who.EMPLOYER),
        ({"received": Pair(Cents(7500), Cents(2500)), "waiting": Cents(2500)}, Status.NOT_PLACED, Who.US),
    ],
)
def test_each_status_names_who_must_act(changes: dict[str, object], status: Status, who: Who) -> None:
    verdict = assess(row(**changes), TODAY)
    assert (verdict.status, verdict.who) == (status, who)
    assert verdict.action


def test_overdue_counts_bank_working_days() -> None:
    # Paid Thursday 24 December 2026: the 25th and 26th are TARGET holidays, the weekend follows; Monday the 28th
    # is the first bank working day, Friday 1 January 2027 is closed again.
    assert bank_working_days_after(date(2026, 12, 24), date(2027, 1, 4)) == 5  # 28, 29, 30, 31 Dec, 4 Jan
    late = row(received=Pair.zero(), paid=paid(on=date(2026, 12, 24)))
    assert assess(late, date(2027, 1, 4)).status is Status.PAID_NOT_RECEIVED
    assert assess(late, date(2027, 1, 5)).status is Status.OVERDUE
    assert assess(late, date(2027, 1, 5), overdue_bank_days=6).status is Status.PAID_NOT_RECEIVED


def test_the_cutoff_counts_dutch_working_days() -> None:
    end = date(2026, 1, 30)  # a Friday
    assert not written_late(date(2026, 1, 27), end, 3)  # 28, 29, 30 left
    assert written_late(date(2026, 1, 28), end, 3)
    assert written_late(date(2026, 2, 2), end, 0)  # after the period itself
    assert not written_late(None, end, 3)


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidRow, match=r"pair\.net"):
        Pair(Cents(1), Cents(-1))
    with pytest.raises(InvalidRow, match="overdue_bank_days"):
        assess(row(), TODAY, overdue_bank_days=-1)


amounts = st.builds(Pair, st.builds(Cents, st.integers(0, 3)), st.builds(Cents, st.integers(0, 3)))


@given(
    asked=amounts,
    held=amounts,
    paid_amounts=amounts,
    excasso=st.integers(0, 6),
    received=amounts,
    waiting=st.integers(0, 3),
    days=st.integers(0, 20),
)
def test_in_order_exactly_when_all_four_agree(
    asked: Pair, held: Pair, paid_amounts: Pair, excasso: int, received: Pair, waiting: int, days: int
) -> None:
    candidate = row(
        asked=asked,
        held=held,
        paid=Paid(paid_amounts, Cents(excasso), PAID_ON),
        received=received,
        waiting=Cents(waiting),
    )
    agree = asked == held == paid_amounts == received and excasso == paid_amounts.total.value and waiting == 0
    verdict = assess(candidate, date.fromordinal(PAID_ON.toordinal() + days))
    assert (verdict.status is Status.IN_ORDER) == agree
    assert (verdict.who is Who.NOBODY) == agree
