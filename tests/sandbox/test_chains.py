"""The one rule of date ranges (start and end included, no end = open), in Python and as a query."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inleg.sandbox.core.chains import overlapping, overlaps
from inleg.sandbox.core.models import BenefitDeduction, Employment, PayrollComponent

D = date.fromisoformat
# (a_start, a_end, b_start, b_end, overlap?) worked out by hand
CASES = [
    (D("2024-01-01"), D("2024-01-31"), D("2024-01-31"), D("2024-02-29"), True),  # share the last day
    (D("2024-01-01"), D("2024-01-31"), D("2024-02-01"), D("2024-02-29"), False),  # join up: no shared day
    (D("2024-01-01"), None, D("2030-06-01"), D("2030-06-01"), True),  # open range reaches any later day
    (D("2024-03-01"), None, D("2024-01-01"), D("2024-02-29"), False),  # ... but nothing before its start
    (D("2024-01-01"), None, D("2023-01-01"), None, True),  # two open ranges always meet
    (D("2024-05-05"), D("2024-05-05"), D("2024-05-05"), D("2024-05-05"), True),  # one day, the same day
    (D("2024-05-05"), D("2024-05-05"), D("2024-05-06"), None, False),
]


@pytest.mark.parametrize(("a_start", "a_end", "b_start", "b_end", "expected"), CASES)
def test_overlaps_both_ways(a_start: date, a_end: date | None, b_start: date, b_end: date | None, expected: bool):
    assert overlaps(a_start, a_end, b_start, b_end) is expected
    assert overlaps(b_start, b_end, a_start, a_end) is expected


def test_the_query_selects_what_the_function_says(employment: Employment) -> None:
    component = PayrollComponent.objects.get(administration=employment.administration, key=711)
    BenefitDeduction.objects.filter(employment=employment).delete()
    ranges = {(a_start, a_end) for a_start, a_end, *_ in CASES}  # overlapping records: no clean(), on purpose
    records = [
        BenefitDeduction.objects.create(
            employment=employment, component=component, start_date=start, end_date=end, value=Decimal("1.00")
        )
        for start, end in ranges
    ]
    for _, _, start, end, _ in CASES:
        if end is None:
            continue  # the query asks about a closed range (a period, a year so far)
        found = set(BenefitDeduction.objects.filter(overlapping(start, end), employment=employment))
        assert found == {r for r in records if overlaps(r.start_date, r.end_date, start, end)}, (start, end)
