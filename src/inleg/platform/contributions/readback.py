"""What the payroll paid, read back on a schedule: the worker's schedule thread enqueues, per company whose check
is due, a task that reads the results of every approved payroll run not read yet (``read_approved_results``).

Like the sync's schedule (employees/scheduler.py): a conditional UPDATE claims a company's check, so two
workers' schedules never enqueue it twice; the read itself is idempotent as well.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from inleg.platform import schedule
from inleg.platform.accounts.models import Company
from inleg.platform.contributions import services
from inleg.platform.contributions.models import ContributionSettings
from inleg.platform.integrations.models import LoketConnection, State


@task()
def read_back(company_pk: int) -> str:
    company = Company.objects.get(pk=company_pk)
    read = services.read_approved_results(company)
    return ", ".join(str(p) for p in read) or "nothing new"


def enqueue_due_readbacks(now: datetime | None = None) -> list[int]:
    """Every company with an active connection (and both components) whose check is due gets a read-back task."""
    now = now or timezone.now()
    due_before = now - timedelta(seconds=settings.CONTRIBUTIONS_RESULTS_INTERVAL_S)
    companies = LoketConnection.objects.filter(
        state=State.ACTIVE, component_key__isnull=False, net_component_key__isnull=False
    ).values_list("company_id", flat=True)
    started: list[int] = []
    for company_pk in list(companies):
        ContributionSettings.objects.get_or_create(company_id=company_pk)
        with transaction.atomic():
            claimed = (
                ContributionSettings.objects.filter(company_id=company_pk)
                .filter(Q(results_checked_at__isnull=True) | Q(results_checked_at__lte=due_before))
                .update(results_checked_at=now)
            )
            if claimed:
                read_back.enqueue(company_pk)
                started.append(company_pk)
    return started


def start(interval_s: float, stop: threading.Event) -> threading.Thread:
    return schedule.start("results-read-back", enqueue_due_readbacks, interval_s, stop)
