"""Reading from Loket.nl: everything a run needs, before anything is written.

The version numbers are read before the data, so a change Loket makes during the run has a higher number than
the watermark this run leaves, and the next run picks it up.

Every run, incremental ones too, also reads the employer's actual wages and actual working hours: two list calls
(a page per 250 employments), not one per employee. An incremental run cannot rely on version numbers for them: a
wage or hours record dated ahead (the raise of 1 January) becomes the valid one without any change in Loket, and
Loket does not promise that a new wage moves the employment's number. So the lists are compared whole each time
and only the differences are written.

The reference date is today (the platform's time zone), not the end of the open payroll period: the salary
shown is the one that applies now, the same day for every employment whatever its payroll administration's
period (month or four weeks), with no extra call for the periods; it is Loket's own default too. The sync runs
hourly, so a new wage arrives on the day it starts. What is dated ahead is not in these lists; a plan for a
later period reads what it needs for that period itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from inleg.loket import Employee as LoketEmployee
from inleg.loket import Employment as LoketEmployment
from inleg.loket import LoketClient, Wage, WorkingHours, errors
from inleg.platform.accounts.models import Company
from inleg.platform.employees.models import Employee, Employment
from inleg.platform.employees.runs import Recorder

PAGE = 250  # Loket's default page size, which the client uses


@dataclass
class Fetched:
    """What one run read from Loket.nl.

    ``wages`` and ``hours`` (by employment id) are the records valid on ``reference_date`` of every employment
    of the employer, in full and incremental runs alike; ``pay_complete`` is False when a row of those lists
    could not be read (which employment it was is unknown, so no absent one is taken for "none in Loket").
    """

    people: list[LoketEmployee]
    jobs: list[LoketEmployment]
    versions: dict[str, int]  # employment id -> Loket's version number
    to_version: int | None  # the watermark once this is written
    complete: bool  # everything Loket holds: what is stored and not here is gone from Loket
    # Rows Loket sent that could not be read (by id): never called gone, whatever `complete` says.
    unreadable: set[str] = field(default_factory=set)
    reference_date: date = field(default_factory=timezone.localdate)
    wages: dict[str, Wage] = field(default_factory=dict)
    hours: dict[str, WorkingHours] = field(default_factory=dict)
    pay_complete: bool = True


def everything(client: LoketClient, employer: str, last_version: int | None, recorder: Recorder) -> Fetched:
    """The full lists: every employee and employment of the employer."""
    recorder.progress("versions", 0, 0)
    versions = {v.id: v.version for v in client.employment_version_numbers(employer)}
    people: list[LoketEmployee] = []
    for person in client.employees(employer):
        people.append(person)
        if len(people) % PAGE == 0:
            recorder.progress("employees", len(people), 0)
    jobs: list[LoketEmployment] = []
    for job in client.employments(employer):
        jobs.append(job)
        if len(jobs) % PAGE == 0:
            recorder.progress("employments", len(jobs), 0)
    fetched = Fetched(people, jobs, versions, max(versions.values(), default=last_version), complete=True)
    _note_unreadable(client, fetched, recorder)
    _read_pay(client, employer, fetched, recorder)
    return fetched


def changes(client: LoketClient, employer: str, last_version: int, company: Company, recorder: Recorder) -> Fetched:
    """The employments whose version number passed ``last_version``, with their employees, and the pay lists."""
    recorder.progress("versions", 0, 0)
    changed = client.employment_version_numbers(employer, greater_than=last_version)
    if not changed:
        fetched = Fetched([], [], {}, last_version, complete=False)
        _read_pay(client, employer, fetched, recorder)
        return fetched
    versions = {v.id: v.version for v in changed}
    fetched = Fetched([], [], versions, max(versions.values()), complete=False)
    # One by one costs a request each; a list costs a request per 250. Read whichever takes fewer requests.
    pages = Employment.objects.filter(company=company).count() // PAGE + 1
    if len(changed) > pages + 5:
        fetched.jobs = [j for j in client.employments(employer) if j.id in versions]
    else:
        for index, item in enumerate(changed):
            try:
                fetched.jobs.append(client.employment(item.id))
            except errors.NotFound:
                recorder.error(f"employment {item.id}", "Loket.nl vindt dit dienstverband niet (meer)")
            except ValueError as problem:
                fetched.unreadable.add(item.id)
                recorder.skipped(f"employment {item.id}", str(problem))
            recorder.progress("employments", index + 1, len(changed))
    stored = set(Employee.objects.filter(company=company).values_list("loket_id", flat=True))
    wanted = sorted({j.employee_id for j in fetched.jobs if j.employee_id})
    if len(wanted) > pages + 5:
        # Listing them all costs less, and brings employee changes that version numbers do not cover.
        fetched.people = list(client.employees(employer))
    else:
        for index, employee_id in enumerate(wanted):
            try:
                fetched.people.append(client.employee(employee_id))
            except errors.NotFound:
                if employee_id not in stored:
                    recorder.error(f"employee {employee_id}", "Loket.nl vindt deze werknemer niet")
            except ValueError as problem:
                fetched.unreadable.add(employee_id)
                recorder.error(f"employee {employee_id}", str(problem))
            recorder.progress("employees", index + 1, len(wanted))
    _note_unreadable(client, fetched, recorder)
    _read_pay(client, employer, fetched, recorder)
    return fetched


def _read_pay(client: LoketClient, employer: str, fetched: Fetched, recorder: Recorder) -> None:
    """The actual wages and working hours of the whole employer on the reference date: two lists."""
    recorder.progress("pay", 0, 0)
    read_before = len(client.skipped)
    day = fetched.reference_date
    fetched.wages = {w.employment_id: w for w in client.actual_wages(employer, reference_date=day)}
    fetched.hours = {h.employment_id: h for h in client.actual_working_hours(employer, reference_date=day)}
    for item in client.skipped[read_before:]:
        # Such a row names its employment only inside it: which one it was is unknown.
        recorder.skipped(f"{item.path} #{item.index}", item.reason)
        fetched.pay_complete = False


def _note_unreadable(client: LoketClient, fetched: Fetched, recorder: Recorder) -> None:
    """Rows of a list the client could not read: reported, skipped, and not taken for gone."""
    for item in client.skipped:
        recorder.skipped(f"{item.path} #{item.index}" + (f" ({item.item_id})" if item.item_id else ""), item.reason)
        if item.item_id:
            fetched.unreadable.add(item.item_id)
        else:
            fetched.complete = False  # which stored row it was is unknown: call none of them gone this time
