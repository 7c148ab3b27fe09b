"""What the app reads of the contributions: the employer's amount and the employee's own net amount for the
period a change made now would take effect, through the contributions' services (never around them)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from inleg.loket.errors import LoketError
from inleg.platform.contributions import services
from inleg.platform.contributions.models import Version
from inleg.platform.domain.contributions.periods import PayrollPeriod, PeriodKey
from inleg.platform.domain.contributions.plan import ComponentPlan
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment

log = logging.getLogger("inleg.platform.app")


@dataclass(frozen=True)
class Outlook:
    """The first period a change made now applies to, and what the plan puts in it."""

    period: PayrollPeriod
    employer: Cents
    own: Cents


def _value_on(plan: ComponentPlan, day: date) -> Cents:
    for segment in plan.segments:
        if segment.start <= day and (segment.end is None or day <= segment.end):
            return segment.value
    return Cents(0)


def outlook(employment: Employment) -> Outlook | None:
    """None when it cannot be known now (no active Loket connection, no open period, Loket unreachable): the
    page then says so rather than show a guess."""
    try:
        company_plan = services.plan(employment.company, employments=[employment])
    except (DomainError, LoketError) as error:
        log.info("no outlook for employment %s: %s", employment.pk, error)
        return None
    first = company_plan.first_open
    gross, net = company_plan.plans[employment.pk]
    day = max(first.start, employment.start_date)
    return Outlook(first, _value_on(gross, day), _value_on(net, day))


@dataclass(frozen=True)
class OwnAmount:
    amount: Cents
    from_period: PeriodKey


def own_amounts(employment: Employment) -> list[OwnAmount]:
    """The employee's own net amounts as set, newest first (each from its period on)."""
    rows = Version.objects.filter(
        company_id=employment.company_id, employment=employment, kind=Version.Kind.NET
    ).order_by("-made_at", "-pk")
    return [OwnAmount(Cents(v.amount_cents or 0), v.from_period) for v in rows]
