"""Payroll periods of an administration, made on first use (idempotent)."""

from __future__ import annotations

from inleg.sandbox.core.models import PayrollAdministration, PayrollPeriod
from inleg.sandbox.payroll.calendar import period_bounds, period_count


def ensure_periods(admin: PayrollAdministration, year: int) -> list[PayrollPeriod]:
    existing = {p.period_number: p for p in PayrollPeriod.objects.filter(administration=admin, year=year)}
    for number in range(1, period_count(admin.period_type) + 1):
        if number not in existing:
            start, end = period_bounds(admin.period_type, year, number)
            existing[number], _ = PayrollPeriod.objects.get_or_create(
                administration=admin, year=year, period_number=number, defaults={"start_date": start, "end_date": end}
            )
    return [existing[n] for n in sorted(existing)]
