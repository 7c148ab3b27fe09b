"""The client's collective create and end date of benefits and deductions, against the sandbox in-process."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inleg.loket import BenefitEnd, LoketClient, NewBenefit, errors
from inleg.sandbox.core.models import BenefitDeduction as SandboxBenefit
from inleg.sandbox.core.models import Employment as SandboxEmployment
from inleg.sandbox.seed import NET_DEDUCTION_KEY, PENSIFY_KEY


def test_many_values_are_created_read_back_and_ended_collectively(client: LoketClient) -> None:
    employer_id = next(iter(client.employers())).id
    jobs = [e for e in client.employments(employer_id) if e.start_date <= date(2027, 1, 1)][:3]
    SandboxEmployment.objects.filter(pk__in=[j.id for j in jobs]).update(end_date=None)
    mine = (PENSIFY_KEY, NET_DEDUCTION_KEY)
    SandboxBenefit.objects.filter(employment_id__in=[j.id for j in jobs], component__key__in=mine).delete()
    a, b, c = (j.id for j in jobs)
    action = client.create_benefits_and_deductions(
        employer_id,
        [
            NewBenefit(a, PENSIFY_KEY, date(2027, 1, 1), Decimal("125.50")),
            NewBenefit(b, PENSIFY_KEY, date(2027, 1, 1), Decimal("10")),
            NewBenefit(c, PENSIFY_KEY, date(1900, 1, 1), Decimal("10")),  # before the employment: refused
            NewBenefit(a, NET_DEDUCTION_KEY, date(2027, 1, 1), Decimal("20")),
        ],
    )
    assert action.completed
    assert (action.total, action.processed, action.with_error, action.with_warning) == (4, 3, 1, 0)
    [refused] = [m for m in action.messages if m.type == "BrokenBusinessRule"]
    assert refused.id == c
    # The answer names no record: they are read back from the employer-wide list of the day.
    held = {
        (r.employment_id, r.component_key): r
        for r in client.actual_benefits_and_deductions(employer_id, date(2027, 1, 1), component_key=PENSIFY_KEY)
    }
    assert {k for k in held if k[0] in (a, b, c)} == {(a, PENSIFY_KEY), (b, PENSIFY_KEY)}  # one component only
    assert {k[1] for k in held} == {PENSIFY_KEY}
    assert held[(a, PENSIFY_KEY)].value == Decimal("125.50")
    ended = client.end_benefits_and_deductions(
        employer_id,
        [
            BenefitEnd(held[(a, PENSIFY_KEY)].id, a, date(2027, 6, 30)),
            BenefitEnd(held[(b, PENSIFY_KEY)].id, b, date(2026, 12, 31)),  # before its start: refused
        ],
    )
    assert (ended.processed, ended.with_error) == (1, 1)
    assert [m.id for m in ended.messages if m.type == "BrokenBusinessRule"] == [held[(b, PENSIFY_KEY)].id]
    assert client.benefit_and_deduction(held[(a, PENSIFY_KEY)].id).end_date == date(2027, 6, 30)
    assert client.benefit_and_deduction(held[(b, PENSIFY_KEY)].id).end_date is None


def test_a_collective_call_of_which_nothing_succeeds_raises_with_each_items_message(client: LoketClient) -> None:
    employer_id = next(iter(client.employers())).id
    job = next(iter(client.employments(employer_id)))
    with pytest.raises(errors.BadRequest) as refused:
        client.create_benefits_and_deductions(employer_id, [NewBenefit(job.id, 1, date(2027, 1, 1), Decimal("1"))])
    assert [m.id for m in refused.value.messages] == [job.id]
    with pytest.raises(ValueError, match="at least one item"):
        client.end_benefits_and_deductions(employer_id, [])
