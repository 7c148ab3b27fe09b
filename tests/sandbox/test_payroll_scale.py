"""The payroll run at a bureau's scale: the herrekening recomputes only employments whose input changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from inleg.funds import parse_case, recalculate
from inleg.sandbox.core.models import EmploymentFund, PayrollAdministration, PayrollResult
from inleg.sandbox.payroll.changes import changed_employments
from inleg.sandbox.payroll.run import run_period
from inleg.sandbox.seed import seed


def _case(*employments: dict[str, Any], rate: str = "7.5000") -> dict[str, Any]:
    return {"year": 2024, "frequency": "month", "components": {}, "funds": [{"number": 1, "rate": rate}],
            "employments": list(employments)}  # fmt: skip


def _employment(ident: str, salaries: list[str], hire: str = "2020-01-01") -> dict[str, Any]:
    periods = [{"period": n, "components": {"10": s}} for n, s in enumerate(salaries, start=1)]
    return {"id": ident, "hire_date": hire, "funds": [], "periods": periods}


def test_only_employments_whose_data_up_to_the_last_run_differs_are_named() -> None:
    before = _case(_employment("a", ["100", "100"]), _employment("b", ["100", "100"]), _employment("c", ["1", "1"]),
                   _employment("gone", ["5", "5"]))  # fmt: skip
    after = _case(
        _employment("a", ["100", "100", "999"]),  # only the new period 3 differs: nothing to recompute
        _employment("b", ["100", "120", "120"]),  # period 2, run already, differs
        _employment("c", ["1", "1", "1"], hire="2023-01-01"),  # the employment's own data differs
        _employment("new", ["7", "7", "7"]),  # not in the last run
    )
    assert changed_employments(before, after, 2) == {"b", "c", "new"}
    # A setting of the whole case changes every employment's rows.
    assert changed_employments(before, {**after, "funds": [{"number": 1, "rate": "8.0000"}]}, 2) is None


def test_the_herrekening_of_the_changed_employments_is_that_of_the_whole_year(db: Any) -> None:
    seed(employers=2, employees=40, rng_seed=11)
    admin = PayrollAdministration.objects.get(employer__employer_number=20001)
    june = run_period(admin, 2024, 6)
    # Fund 1 of every third open link changes from 1 April (saved after the June run), as bench/sandbox.py does.
    open_links = EmploymentFund.objects.filter(
        employment__administration=admin, fund__number=1, end_date=None, start_date__lt=date(2024, 4, 1)
    )
    records = list(open_links.order_by("employment__payroll_id"))
    for record in records[::3]:
        record.end_date = date(2024, 3, 31)
        record.save()
        EmploymentFund.objects.create(employment_id=record.employment_id, fund_id=record.fund_id,
                                      start_date=date(2024, 4, 1), deviation_premium=Decimal("8.0000"),
                                      deviation_total=Decimal("20.0000"))  # fmt: skip
    july = run_period(admin, 2024, 7)
    assert june.case is not None
    assert july.case is not None
    changed = changed_employments(june.case, july.case, 6)
    assert changed is not None
    assert 0 < len(changed) < len(july.case["employments"])
    # The whole year of every employment, recomputed: what the run booked must be exactly its corrections.
    whole = recalculate(parse_case(june.case), parse_case(july.case), 7, engine="batch")
    expected = set()
    for c in whole.corrections:
        if c.corrects == 6 and (c.premium_amount or c.total_amount):
            expected.add((c.employment, 600 + c.fund, c.corrects, Decimal(c.premium_amount).scaleb(-2)))
            expected.add((c.employment, 700 + c.fund, c.corrects, Decimal(c.total_amount).scaleb(-2)))
    booked = {
        (str(employment), key, corrects, value)
        for employment, key, corrects, value in PayrollResult.objects.filter(run=july, corrects__isnull=False)
        .values_list("employment_id", "component_key", "corrects", "value")
    }  # fmt: skip
    assert expected
    assert booked == expected
    assert {employment for employment, *_ in booked} <= changed
