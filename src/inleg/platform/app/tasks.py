"""Inviting everyone at once in the background (django.tasks, database backend; run by `inleg platform worker`).

A large company's "invite all" would otherwise send hundreds of mails inside one request. The page enqueues one
task per chunk of employees; each mail is sent in its own transaction, and an employee who is no longer *not
invited* when the task reaches them (invited meanwhile, a task delivered twice) is left alone: nobody gets two
mails from one click.
"""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from inleg.platform.accounts.models import User
from inleg.platform.app import invitations
from inleg.platform.employees.models import Employee

CHUNK = 100


@task()
def invite_chunk(company_id: int, user_id: int, base_url: str, employee_ids: list[int]) -> str:
    return send_chunk(company_id, user_id, base_url, employee_ids)


def send_chunk(company_id: int, user_id: int, base_url: str, employee_ids: list[int]) -> str:
    by = User.objects.get(pk=user_id, company_id=company_id)
    base = base_url.rstrip("/")

    def build(token: str) -> str:
        return base + reverse("app:onboarding", args=[token])

    sent = 0
    people = Employee.objects.filter(company_id=company_id, pk__in=employee_ids).prefetch_related("employments")
    for employee in people.order_by("pk"):
        if invitations.state_of(employee, invitations.latest(employee)) != invitations.State.NOT_INVITED:
            continue
        invitations.send_invitation(employee, by, build)
        sent += 1
    return f"{sent} sent"


def enqueue_all(company_id: int, user_id: int, base_url: str, employee_ids: list[int]) -> int:
    """Queue the invitations of ``employee_ids`` in chunks; how many employees were queued."""
    for start in range(0, len(employee_ids), CHUNK):
        invite_chunk.enqueue(company_id, user_id, base_url, employee_ids[start : start + CHUNK])
    return len(employee_ids)
