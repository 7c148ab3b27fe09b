"""The contributions' services: thin over the domain (inleg.platform.domain.contributions).

Every function takes the company it works for; every query is filtered by it (tenants stay apart).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from inleg.loket import LoketClient
from inleg.loket.models import APPROVED_RUN, PayrollPeriod
from inleg.platform.accounts.models import Company, User
from inleg.platform.contributions.loket import ClientWrites
from inleg.platform.contributions.models import (
    ContributionSettings,
    JournalEntry,
    PaidAmount,
    ResultsRead,
    Version,
    WriteChunk,
    WriteLock,
    WriteRun,
)
from inleg.platform.domain import contributions as domain
from inleg.platform.domain.contributions.errors import ContributionError, UnknownPeriod
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.contributions.preview import PreviewLine
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents
from inleg.platform.domain.rounding import round_cents
from inleg.platform.employees.models import Employment
from inleg.platform.integrations.models import LoketConnection
from inleg.platform.integrations.services import client_for

log = logging.getLogger("inleg.platform.contributions")

PERIODS_FRESH_FOR = timedelta(hours=1)


class NotReady(ContributionError):
    """The Loket connection cannot carry contributions yet (not active, no components, no administration)."""


class PeriodAlreadyRun(ContributionError):
    """A change for a period the payroll has run (or whose cut-off has passed)."""


# ---- the connection and the periods ----------------------------------------------------------------------


def connection_of(company: Company) -> LoketConnection:
    connection = LoketConnection.objects.filter(company=company).first()
    if connection is None or connection.state != "active" or not connection.employer_id:
        raise NotReady("loket", "", "de koppeling met Loket.nl is niet actief")
    if not connection.component_key or not connection.net_component_key:
        raise NotReady("component", "", "kies eerst de looncomponenten voor de inleg (bruto en netto)")
    return connection


def components_of(connection: LoketConnection) -> domain.Components:
    assert connection.component_key is not None
    assert connection.net_component_key is not None
    return domain.Components(connection.component_key, connection.net_component_key)


def settings_of(company: Company) -> ContributionSettings:
    found, _ = ContributionSettings.objects.get_or_create(company=company)
    return found


def _administration(connection: LoketConnection, client: LoketClient) -> str:
    if connection.administration_id:
        return connection.administration_id
    administrations = client.payroll_administrations(connection.employer_id)
    if len(administrations) != 1:
        raise NotReady("administration", len(administrations), "de werkgever heeft niet precies één loonadministratie")
    return administrations[0].id


def payroll_periods(
    company: Company, client: LoketClient | None = None, *, fresh: bool = False
) -> tuple[list[domain.PayrollPeriod], set[PeriodKey]]:
    """Loket's payroll periods and those the payroll has run; cached on the company for ``PERIODS_FRESH_FOR``.

    ``fresh``: read Loket now (before saving a change: a period must not be taken as open from an old list).
    """
    own = settings_of(company)
    now = timezone.now()
    if fresh or not own.periods or own.periods_read_at is None or now - own.periods_read_at > PERIODS_FRESH_FOR:
        connection = connection_of(company)
        client = client or client_for(connection)
        administration = _administration(connection, client)
        rows = [
            {
                "year": p.year,
                "number": p.period_number,
                "start": p.start_date.isoformat(),
                "end": p.end_date.isoformat(),
                "ran": bool(p.runs),
            }
            for p in client.payroll_periods(administration)
        ]
        ContributionSettings.objects.filter(pk=own.pk).update(
            periods=rows, periods_read_at=now, administration_id=administration
        )
        own.periods, own.administration_id = rows, administration
    periods = [
        domain.PayrollPeriod(r["year"], r["number"], date.fromisoformat(r["start"]), date.fromisoformat(r["end"]))
        for r in own.periods
    ]
    ran = {PeriodKey(r["year"], r["number"]) for r in own.periods if r["ran"]}
    return periods, ran


def effective_period(
    company: Company, now: datetime | None = None, *, fresh: bool = False, client: LoketClient | None = None
) -> domain.PayrollPeriod:
    """The first period a change made ``now`` applies to (what the page shows before saving)."""
    periods, ran = payroll_periods(company, client, fresh=fresh)
    cutoff = settings_of(company).cutoff_working_days
    return domain.first_period_for_change(periods, ran, now or timezone.now(), cutoff)


def selectable_periods(
    company: Company, now: datetime | None = None, *, client: LoketClient | None = None
) -> list[domain.PayrollPeriod]:
    """The periods a change made ``now`` may start from: the first possible one (cut-off) and the open ones
    after it, as Loket lists them."""
    periods, ran = payroll_periods(company, client)
    first = effective_period(company, now, client=client).key
    return [p for p in sorted(periods, key=lambda p: p.key) if p.key >= first and p.key not in ran]


def employments_by_numbers(company: Company, text: str) -> list[int]:
    """The pks of the writable employments of the employee numbers in ``text`` (separated by commas, spaces or
    lines): a group of a thousand is pasted, not clicked. Refused whole if one number is unknown."""
    raw = [part for part in text.replace(",", " ").replace(";", " ").split() if part]
    bad = [part for part in raw if not part.isdigit()]
    if bad:
        raise domain.ContributionError("personeelsnummers", ", ".join(bad), "are not employee numbers")
    numbers = {int(part) for part in raw}
    found = [e for e in writable_employments(company) if e.employee.employee_number in numbers]
    missing = sorted(numbers - {e.employee.employee_number for e in found})
    if missing:
        raise domain.ContributionError("personeelsnummers", ", ".join(map(str, missing)), "are unknown")
    return [e.pk for e in found]


# ---- recording changes -----------------------------------------------------------------------------------


def _from_period(company: Company, wanted: PeriodKey | None, now: datetime, client: LoketClient | None) -> PeriodKey:
    first = effective_period(company, now, fresh=True, client=client).key
    if wanted is None:
        return first
    periods, _ran = payroll_periods(company, client)
    if wanted not in {p.key for p in periods}:
        raise UnknownPeriod("from_period", str(wanted), "is not among the payroll periods in Loket")
    if wanted < first:
        raise PeriodAlreadyRun(
            "from_period",
            str(wanted),
            f"is al verloond of voorbij de afsluitdatum; de eerste mogelijke: periode {first.number} van {first.year}",
        )
    return wanted


def check_from_period(
    company: Company, wanted: PeriodKey | None, *, now: datetime | None = None, client: LoketClient | None = None
) -> PeriodKey:
    """The period a change made now would start from (``wanted``, or the first possible); refused if earlier."""
    return _from_period(company, wanted, now or timezone.now(), client)


def _author(user: User) -> str:
    return f"{user.name} <{user.email}>" if getattr(user, "name", "") else str(user.email)


def _employments(company: Company, ids: Iterable[int]) -> list[Employment]:
    wanted = set(ids)
    found = list(Employment.objects.filter(company=company, pk__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(wanted - {e.pk for e in found})
        raise domain.ContributionError("employments", missing, "zijn geen dienstverbanden van dit bedrijf")
    return found


def _save(version: Version, group: Sequence[Employment] = ()) -> Version:
    """Check the row against the domain's rules (the type refuses what is out of bounds), then store it."""
    version.to_domain(frozenset(e.loket_id for e in group) or None)
    with transaction.atomic():
        version.save()
        if group:
            version.group.set(group)
    return version


def set_scheme(
    company: Company,
    user: User,
    *,
    amount: Cents | None = None,
    percent: Decimal | None = None,
    group: Iterable[int] | None = None,
    from_period: PeriodKey | None = None,
    now: datetime | None = None,
    client: LoketClient | None = None,
) -> Version:
    """A fixed amount or a percentage of the salary per period, for everyone (``group`` None) or a group of
    employment pks, from ``from_period`` (default: the first period a change may apply to)."""
    if (amount is None) == (percent is None):
        raise domain.ContributionError("rule", f"{amount}/{percent}", "geef een vast bedrag of een percentage")
    members = _employments(company, group) if group is not None else []
    if group is not None and not members:
        raise domain.ContributionError("group", [], "kies ten minste één dienstverband")
    now = now or timezone.now()
    start = _from_period(company, from_period, now, client)
    return _save(
        Version(
            company=company,
            kind=Version.Kind.SCHEME,
            from_year=start.year,
            from_number=start.number,
            rule=Version.Rule.FIXED if amount is not None else Version.Rule.PERCENT,
            amount_cents=amount.value if amount is not None else None,
            percent=percent,
            for_all=group is None,
            made_by=user,
            author=_author(user),
            made_at=now,
        ),
        members,
    )


def stop_scheme(
    company: Company,
    user: User,
    *,
    from_period: PeriodKey | None = None,
    now: datetime | None = None,
    client: LoketClient | None = None,
) -> Version:
    now = now or timezone.now()
    start = _from_period(company, from_period, now, client)
    return _save(
        Version(
            company=company,
            kind=Version.Kind.STOP,
            from_year=start.year,
            from_number=start.number,
            made_by=user,
            author=_author(user),
            made_at=now,
        )
    )


def set_exception(
    company: Company,
    user: User,
    employment_pk: int,
    *,
    rule: str,
    amount: Cents | None = None,
    percent: Decimal | None = None,
    from_period: PeriodKey | None = None,
    now: datetime | None = None,
    client: LoketClient | None = None,
) -> Version:
    """``rule``: fixed, percent, excluded, or lifted (the scheme applies again)."""
    if rule not in Version.Rule.values:
        raise domain.ContributionError("rule", rule, "is geen vast bedrag, percentage, uitgezonderd of opgeheven")
    [employment] = _employments(company, [employment_pk])
    now = now or timezone.now()
    start = _from_period(company, from_period, now, client)
    return _save(
        Version(
            company=company,
            kind=Version.Kind.EXCEPTION,
            from_year=start.year,
            from_number=start.number,
            rule=rule,
            amount_cents=amount.value if amount is not None and rule == Version.Rule.FIXED else None,
            percent=percent if rule == Version.Rule.PERCENT else None,
            employment=employment,
            made_by=user,
            author=_author(user),
            made_at=now,
        )
    )


def set_net_amount(
    employment: Employment,
    user: User,
    amount: Cents,
    *,
    from_period: PeriodKey | None = None,
    now: datetime | None = None,
    client: LoketClient | None = None,
) -> Version:
    """The employee's own net amount per period (0: none)."""
    company = employment.company
    now = now or timezone.now()
    start = _from_period(company, from_period, now, client)
    return _save(
        Version(
            company=company,
            kind=Version.Kind.NET,
            from_year=start.year,
            from_number=start.number,
            rule=Version.Rule.FIXED,
            amount_cents=amount.value,
            employment=employment,
            made_by=user,
            author=_author(user),
            made_at=now,
        )
    )


def history(company: Company) -> domain.History:
    rows = Version.objects.filter(company=company).select_related("employment").prefetch_related("group")
    return domain.History(
        tuple(v.to_domain(frozenset(e.loket_id for e in v.group.all()) or None) for v in rows.order_by("pk"))
    )


# ---- the plan and the preview ----------------------------------------------------------------------------


def _domain_employment(employment: Employment) -> domain.Employment:
    return domain.Employment(employment.loket_id, employment.start_date, employment.end_date)


def _salary(employment: Employment) -> Cents | None:
    return Cents.parse(employment.salary, "salary") if employment.salary is not None else None


@dataclass(frozen=True)
class CompanyPlan:
    first_open: domain.PayrollPeriod
    components: domain.Components
    plans: dict[int, domain.EmploymentPlan]  # by employment pk


def plan(
    company: Company,
    *,
    employments: Iterable[Employment] | None = None,
    now: datetime | None = None,
    client: LoketClient | None = None,
    refused: dict[int, DomainError] | None = None,
) -> CompanyPlan:
    """The domain's plan per employment; the salary of every period is the one Loket holds now.

    ``refused``: where one employment's plan cannot be made (a salary Loket holds that is no amount), its error is
    put here and the others are planned; without it, the error is raised."""
    components = components_of(connection_of(company))
    periods, ran = payroll_periods(company, client)
    first = domain.first_period_for_change(
        periods, ran, now or timezone.now(), settings_of(company).cutoff_working_days
    )
    changes = history(company)
    rows = employments if employments is not None else writable_employments(company)
    plans: dict[int, domain.EmploymentPlan] = {}
    for employment in rows:
        try:
            salary = _salary(employment)
            salaries = {p.key: salary for p in periods} if salary is not None else {}
            plans[employment.pk] = domain.plan_employment(
                _domain_employment(employment), periods, changes, salaries, first_open=first.key, components=components
            )
        except DomainError as error:
            if refused is None:
                raise
            refused[employment.pk] = error
    return CompanyPlan(first, components, plans)


def writable_employments(company: Company) -> list[Employment]:
    """The employments Loket still has (one removed from Loket cannot be written)."""
    return list(
        Employment.objects.filter(company=company, gone_from_loket_at__isnull=True)
        .select_related("employee")
        .order_by("pk")
    )


class DbJournal:
    """The ``JournalStore`` in the database: each intent and settlement committed on its own (``durable``)."""

    def __init__(self, company: Company) -> None:
        self.company = company

    def entries(self, employment_id: str, component_key: int) -> list[domain.JournalEntry]:
        rows = JournalEntry.objects.filter(
            company=self.company, employment_id=employment_id, component_key=component_key
        )
        return [r.to_domain() for r in rows.order_by("made_at", "pk")]

    def intend(self, entry: domain.JournalEntry) -> None:
        with transaction.atomic(durable=True):
            JournalEntry.objects.create(
                company=self.company,
                entry_id=entry.id,
                action=entry.action.value,
                employment_id=entry.employment_id,
                component_key=entry.component_key,
                record_id=entry.record_id,
                start=entry.start,
                end=entry.end,
                value_cents=entry.value.value if entry.value is not None else None,
                seen=sorted(entry.seen),
                made_at=entry.made_at,
                status=entry.status.value,
            )

    def settle(self, settlement: domain.Settlement) -> None:
        fields: dict[str, object] = {
            "status": settlement.status.value,
            "adopted": settlement.adopted,
            "settled_at": timezone.now(),
        }
        if settlement.record_id is not None:
            fields["record_id"] = settlement.record_id
        with transaction.atomic(durable=True):
            JournalEntry.objects.filter(company=self.company, entry_id=settlement.entry_id).update(**fields)


def component_names(connection: LoketConnection) -> dict[int, str]:
    names: dict[int, str] = {}
    if connection.component_key:
        names[connection.component_key] = connection.component_name or "Pensify Inleg"
    if connection.net_component_key:
        names[connection.net_component_key] = connection.net_component_name or "netto inleg"
    return names


@dataclass(frozen=True)
class EmployeePreview:
    employment: Employment
    lines: list[PreviewLine]


def preview(
    company: Company, *, now: datetime | None = None, client: LoketClient | None = None
) -> list[EmployeePreview]:
    """Per employment: what a write run would write, change and end now, and what it holds back."""
    connection = connection_of(company)
    client = client or client_for(connection)
    employments = writable_employments(company)
    company_plan = plan(company, employments=employments, now=now, client=client)
    loket, journal = ClientWrites(client, etags=False), DbJournal(company)
    names = component_names(connection)
    result = []
    for employment in employments:
        employment_plan = company_plan.plans[employment.pk]
        changes = [domain.changes_for(p, loket, journal) for p in employment_plan]
        result.append(EmployeePreview(employment, domain.preview(changes, names)))
    return result


# ---- the background writes -------------------------------------------------------------------------------

# Puts a chunk's task in the worker's queue: (run pk, employment pks).
Enqueue = Callable[[int, list[int]], None]
_queue: Enqueue | None = None


def use_queue(enqueue: Enqueue) -> None:
    global _queue
    _queue = enqueue


def request_writes(company: Company, user: User | None) -> WriteRun:
    """A write run for the company, its chunk tasks queued in the caller's transaction; the open run if one is
    waiting or running already."""
    connection_of(company)
    if _queue is None:
        raise RuntimeError("no queue for write runs: the contributions app was not started (use_queue)")
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()
        _fail_lost(company)
        waiting = WriteRun.objects.filter(company=company, status__in=WriteRun.OPEN).first()
        if waiting is not None:
            return waiting
        pks = [e.pk for e in writable_employments(company)]
        size = settings.CONTRIBUTIONS_CHUNK
        chunks = [pks[i : i + size] for i in range(0, len(pks), size)]
        run = WriteRun.objects.create(
            company=company,
            requested_by=user,
            total=len(pks),
            chunks=len(chunks),
            status=WriteRun.Status.QUEUED if chunks else WriteRun.Status.DONE,
            finished_at=None if chunks else timezone.now(),
        )
        for chunk in chunks:
            _queue(run.pk, chunk)
    return run


def _fail_lost(company: Company) -> None:
    """An open run that made no progress for long lost its worker (the process died): it failed. Its intents
    stay in the journal; the next run reconciles them with what Loket holds."""
    stale = timezone.now() - timedelta(seconds=settings.CONTRIBUTIONS_STALE_AFTER_S)
    WriteRun.objects.filter(company=company, status__in=WriteRun.OPEN, progress_at__lt=stale).update(
        status=WriteRun.Status.FAILED, finished_at=timezone.now()
    )


LEASE = timedelta(minutes=5)


def take_lock(employment_id: str, component_key: int, holder: str, *, wait_s: float = 30.0) -> bool:
    """Take the write lease of one employment's component; False if another worker keeps it past ``wait_s``."""
    import time

    try:
        with transaction.atomic():
            WriteLock.objects.get_or_create(employment_id=employment_id, component_key=component_key)
    except IntegrityError:
        pass  # made at the same moment by another worker: it exists now
    deadline = time.monotonic() + wait_s
    while True:
        now = timezone.now()
        taken = (
            WriteLock.objects.filter(employment_id=employment_id, component_key=component_key)
            .filter(Q(holder="") | Q(held_until__lt=now) | Q(holder=holder))
            .update(holder=holder, held_until=now + LEASE)
        )
        if taken:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def release_lock(employment_id: str, component_key: int, holder: str) -> None:
    WriteLock.objects.filter(employment_id=employment_id, component_key=component_key, holder=holder).update(
        holder="", held_until=None
    )


def chunk_of(run_pk: int, employment_pks: Sequence[int]) -> WriteChunk:
    """The chunk's row (made by its first execution; a second one finds it)."""
    chunk, _ = WriteChunk.objects.get_or_create(
        run_id=run_pk, first_employment=min(employment_pks, default=0), defaults={"size": len(employment_pks)}
    )
    return chunk


def chunk_progress(chunk: WriteChunk, done: int, writes: int) -> None:
    """Raise the chunk's count of done employments to ``done`` (never lower, never past its size) and the run's by
    the difference; ``writes`` (real writes to Loket, made by this execution) always count."""
    done = min(done, chunk.size)
    with transaction.atomic():
        counted = WriteChunk.objects.select_for_update().values_list("done", flat=True).get(pk=chunk.pk)
        added = max(done - counted, 0)
        if added:
            WriteChunk.objects.filter(pk=chunk.pk).update(done=done)
        WriteRun.objects.filter(pk=chunk.run_id).update(
            done=F("done") + added, writes=F("writes") + writes, progress_at=timezone.now()
        )


def chunk_finished(chunk: WriteChunk) -> None:
    """Count a chunk as done, once (a second execution of it counts nothing); the last one ends the run."""
    from inleg.platform.contributions.models import WriteFailure

    chunk_progress(chunk, chunk.size, 0)
    with transaction.atomic():
        if not WriteChunk.objects.filter(pk=chunk.pk, finished_at__isnull=True).update(finished_at=timezone.now()):
            return
        WriteRun.objects.filter(pk=chunk.run_id).update(chunks_done=F("chunks_done") + 1)
        run = WriteRun.objects.select_for_update().get(pk=chunk.run_id)
        if run.chunks_done >= run.chunks and run.is_open:
            failed = WriteFailure.objects.filter(run=run).exists()
            run.status = WriteRun.Status.DONE_WITH_FAILURES if failed else WriteRun.Status.DONE
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at"])


# ---- what the payroll paid -------------------------------------------------------------------------------

COL_GROSS, COL_NET = 1, 2


def read_results(company: Company, period: PeriodKey, *, client: LoketClient | None = None) -> int:
    """Read the approved run's results of ``period`` into PaidAmount rows (again: the same rows). Returns how
    many employments had results on our components."""
    connection = connection_of(company)
    client = client or client_for(connection)
    administration = _administration(connection, client)
    components = components_of(connection)
    excasso = settings.CONTRIBUTIONS_EXCASSO_COMPONENT
    keys = [components.gross, components.net, excasso]
    employments = {e.loket_id: e for e in Employment.objects.filter(company=company)}
    now = timezone.now()
    rows: dict[int, PaidAmount] = {}
    for result in client.period_results(administration, period.loket_id, keys):
        employment = employments.get(result.employment_id)
        if employment is None or (result.year, result.period_number) != (period.year, period.number):
            continue
        rows[employment.pk] = PaidAmount(
            company=company,
            employment=employment,
            year=period.year,
            number=period.number,
            gross_cents=_cents(result.amount(components.gross, COL_GROSS)),
            withheld_cents=_cents(result.amount(components.gross, COL_NET)),
            net_cents=_cents(result.amount(components.net, COL_NET)),
            excasso_cents=_cents(result.amount(excasso)),
            read_at=now,
        )
    # One upsert for the period (again: the same rows, updated), not a query or two per employment.
    PaidAmount.objects.bulk_create(
        list(rows.values()),
        batch_size=500,
        update_conflicts=True,
        unique_fields=["employment", "year", "number"],
        update_fields=["company", "gross_cents", "withheld_cents", "net_cents", "excasso_cents", "read_at"],
    )
    # A correction run that no longer pays an employment: its row of the earlier run is gone too.
    PaidAmount.objects.filter(company=company, year=period.year, number=period.number).exclude(
        employment_id__in=rows
    ).delete()
    return len(rows)


def _approved_run(period: PayrollPeriod) -> str | None:
    """Loket's id of the latest approved run of a period (None: not approved)."""
    approved = [r for r in period.runs if r.status_key == APPROVED_RUN]
    if not approved:
        return None
    return max(approved, key=lambda r: r.sequence_number or 0).id


def read_approved_results(company: Company, *, client: LoketClient | None = None) -> list[PeriodKey]:
    """Read the results of every period whose approved run is not read yet (again after a correction run).

    Idempotent: a period is marked with the run it was read from, in the same transaction as its rows, so a
    second call (or a second worker) reads nothing twice. Returns the periods read now.
    """
    connection = connection_of(company)
    client = client or client_for(connection)
    administration = _administration(connection, client)
    done = {(r.year, r.number): r.run_id for r in ResultsRead.objects.filter(company=company)}
    read: list[PeriodKey] = []
    for period in client.payroll_periods(administration):
        run_id = _approved_run(period)
        key = PeriodKey(period.year, period.period_number)
        if run_id is None or done.get((key.year, key.number)) == run_id:
            continue
        with transaction.atomic():
            # The row locks the period: a second worker waits here, then finds it read.
            marker, _ = ResultsRead.objects.select_for_update().get_or_create(
                company=company, year=key.year, number=key.number, defaults={"run_id": "", "read_at": timezone.now()}
            )
            if marker.run_id == run_id:
                continue
            count = read_results(company, key, client=client)
            marker.run_id, marker.employments, marker.read_at = run_id, count, timezone.now()
            marker.save(update_fields=["run_id", "employments", "read_at"])
        read.append(key)
    ContributionSettings.objects.filter(company=company).update(results_checked_at=timezone.now())
    return read


def _cents(value: Decimal) -> int:
    """Loket's result lines carry withholdings as amounts; the sign says the direction, we keep the size."""
    return abs(Cents.parse(round_cents(value), "value").value)


def periods_overview(company: Company) -> list[dict[str, object]]:
    """Per period: planned, held by Loket is shown per employee on the preview; paid by the payroll here."""
    rows: dict[tuple[int, int], dict[str, object]] = {}
    for paid in PaidAmount.objects.filter(company=company):
        row = rows.setdefault(
            (paid.year, paid.number),
            {
                "period": PeriodKey(paid.year, paid.number),
                "gross": 0,
                "withheld": 0,
                "net": 0,
                "excasso": 0,
                "employments": 0,
            },
        )
        for field in ("gross", "withheld", "net", "excasso"):
            row[field] = int(row[field]) + getattr(paid, f"{field}_cents")  # type: ignore[call-overload]
        row["employments"] = int(row["employments"]) + 1  # type: ignore[call-overload]
    return [rows[k] for k in sorted(rows)]
