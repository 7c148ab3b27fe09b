"""Reconciliation of one employment in one period: asked, held, paid, received; what is wrong and who must act.

Four amounts, each split into the employer's gross contribution and the employee's own net amount:

- **asked** (gevraagd): what the scheme asks for the period (``contributions.amounts_for``); None when a
  percentage applies and the salary is unknown.
- **held** (vastgelegd): what Loket holds on our two components for the period, as far as the platform knows it;
  None when it was not read (then nothing is concluded from it).
- **paid** (betaald): what the approved payroll paid (Loket's results), with the excasso amount; None when not read.
- **received** (ontvangen): what the ledger holds on the employment's pension accounts for the period; ``waiting``
  is money the bank received for the same employment and period that waits in suspense (a surplus, a possible
  double payment).

``assess`` gives one status, the first that applies in the order of the money's way: scheme, Loket, payroll,
bank. A row is *in orde* exactly when asked, held and paid are known and equal, the excasso paid their sum, and the
bank brought exactly that onto the pension accounts with nothing waiting (a property test holds it to that).

Overdue counts bank working days (TARGET2: Monday to Friday less New Year, Good Friday, Easter Monday, 1 May and
25 and 26 December), since the money moves between banks; the cut-off counts Dutch working days, as contributions
does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

from inleg.platform.domain.contributions.holidays import easter_sunday, working_days_after
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents

DEFAULT_OVERDUE_BANK_DAYS = 5


class InvalidRow(DomainError):
    """A reconciliation input of the wrong shape (a negative amount, a negative number of days)."""


class Who(StrEnum):
    NOBODY = "niemand"
    EMPLOYER = "werkgever"
    PAYROLL = "salarisadministrateur"
    US = "Pensify"


class Status(StrEnum):
    IN_ORDER = "in orde"
    SALARY_UNKNOWN = "salaris onbekend"
    RECEIVED_WITHOUT_SCHEME = "ontvangen zonder regeling"
    RECEIVED_TWICE = "dubbel ontvangen"
    HELD_NOT_READ = "Loket niet gelezen"
    NOT_WRITTEN = "nog niet geschreven"
    NOT_RUN = "nog niet verloond"
    PAID_NOT_READ = "uitbetaling niet gelezen"
    WRITTEN_LATE = "geschreven na de afsluitdatum"
    NOT_PAID_OUT = "component niet uitbetaald"
    PAID_OTHERWISE = "anders uitbetaald"
    PAID_NOT_RECEIVED = "betaald maar niet ontvangen"
    OVERDUE = "te laat"
    NOT_PLACED = "ontvangen, niet geplaatst"


# Who must act on each status, and what they must do (one message, in plain Dutch).
ACTION: dict[Status, tuple[Who, str]] = {
    Status.IN_ORDER: (Who.NOBODY, "Niets te doen."),
    Status.SALARY_UNKNOWN: (
        Who.PAYROLL,
        "Het salaris van deze periode staat niet in Loket.nl; leg het vast, dan kan het percentage worden berekend.",
    ),
    Status.RECEIVED_WITHOUT_SCHEME: (
        Who.US,
        "Er is geld ontvangen terwijl de regeling niets vraagt; plaats het met een reden of betaal het terug.",
    ),
    Status.RECEIVED_TWICE: (
        Who.US,
        "Er is meer ontvangen dan de salarisadministratie betaalde; betaal het teveel terug.",
    ),
    Status.HELD_NOT_READ: (Who.US, "Wat Loket.nl vastlegt is niet gelezen; lees de periodes en componenten opnieuw."),
    Status.NOT_WRITTEN: (Who.EMPLOYER, "De inleg staat nog niet (zo) in Loket.nl; schrijf de inleg naar Loket.nl."),
    Status.NOT_RUN: (Who.NOBODY, "De verloning van deze periode is nog niet gedraaid; wacht de verloning af."),
    Status.PAID_NOT_READ: (Who.US, "De uitbetaling van deze periode is nog niet uit Loket.nl gelezen; lees haar."),
    Status.WRITTEN_LATE: (
        Who.PAYROLL,
        "De inleg is na de afsluitdatum vastgelegd en niet zo uitbetaald; neem het verschil mee in de volgende "
        "verloning.",
    ),
    Status.NOT_PAID_OUT: (
        Who.PAYROLL,
        "Loket.nl hield de inleg vast maar betaalde haar niet (of niet per excasso) uit; zet de excasso op de "
        "component aan en corrigeer de verloning.",
    ),
    Status.PAID_OTHERWISE: (
        Who.PAYROLL,
        "De verloning betaalde een ander bedrag uit dan in Loket.nl staat; controleer de verloning.",
    ),
    Status.PAID_NOT_RECEIVED: (
        Who.EMPLOYER,
        "De verloning betaalde de inleg, maar de bank heeft haar nog niet ontvangen; controleer of de "
        "excassobetaling bij uw bank is uitgevoerd.",
    ),
    Status.OVERDUE: (
        Who.EMPLOYER,
        "De inleg is betaald maar na de termijn nog niet ontvangen; laat uw bank de excassobetaling nagaan.",
    ),
    Status.NOT_PLACED: (
        Who.US,
        "Het geld is ontvangen maar wacht (deels) als niet herkend; plaats het op de pensioenrekening voor deze "
        "periode.",
    ),
}


@dataclass(frozen=True, order=True, slots=True)
class Pair:
    """Employer money (the gross contribution) and own money (the employee's net amount)."""

    gross: Cents
    net: Cents

    def __post_init__(self) -> None:
        for name in ("gross", "net"):
            value = getattr(self, name)
            if not isinstance(value, Cents) or value.value < 0:
                raise InvalidRow(f"pair.{name}", value, "is not an amount in Cents of 0 or more")

    @property
    def total(self) -> Cents:
        return self.gross + self.net

    @classmethod
    def zero(cls) -> Pair:
        return cls(Cents(0), Cents(0))


@dataclass(frozen=True, slots=True)
class Paid:
    amounts: Pair  # gross on the Pensify Inleg component, the employee's own net amount
    excasso: Cents  # what the excasso paid on to the pension provider
    on: date  # the first day the platform knows it was paid


@dataclass(frozen=True, slots=True)
class Row:
    asked: Pair | None
    held: Pair | None
    paid: Paid | None
    received: Pair
    waiting: Cents = field(default_factory=lambda: Cents(0))
    period_ran: bool = False
    period_end: date | None = None
    written_on: date | None = None  # the day the last write behind ``held`` was made


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    who: Who
    action: str


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """TARGET2's closing days: the days euro transfers between banks do not settle."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter - timedelta(days=2),
            easter + timedelta(days=1),
            date(year, 5, 1),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def bank_working_days_after(day: date, through: date) -> int:
    """Bank working days after ``day`` up to and including ``through`` (0 when ``through <= day``)."""
    count, current = 0, day + timedelta(days=1)
    while current <= through:
        if current.weekday() < 5 and current not in bank_holidays(current.year):
            count += 1
        current += timedelta(days=1)
    return count


def written_late(written_on: date | None, period_end: date | None, cutoff_working_days: int) -> bool:
    """Was the write made after the period's cut-off (fewer than ``cutoff_working_days`` working days left)?"""
    if written_on is None or period_end is None:
        return False
    return written_on > period_end or working_days_after(written_on, period_end) < cutoff_working_days


def _verdict(status: Status) -> Verdict:
    who, action = ACTION[status]
    return Verdict(status, who, action)


def assess(row: Row, today: date, *, overdue_bank_days: int = DEFAULT_OVERDUE_BANK_DAYS, cutoff: int = 3) -> Verdict:
    """The one status of ``row`` on ``today`` (see the module's text for the order)."""
    if type(overdue_bank_days) is not int or overdue_bank_days < 0:
        raise InvalidRow("overdue_bank_days", overdue_bank_days, "is not a whole number of days of 0 or more")
    arrived = row.received.total + row.waiting
    paid = row.paid
    if row.asked is None:
        return _verdict(Status.SALARY_UNKNOWN)
    nothing_asked = row.asked.total.value == 0 and (row.held is None or row.held.total.value == 0)
    if arrived.value > 0 and nothing_asked and (paid is None or paid.amounts.total.value == 0):
        return _verdict(Status.RECEIVED_WITHOUT_SCHEME)
    if paid is not None and arrived > paid.excasso:
        return _verdict(Status.RECEIVED_TWICE)
    if row.held is None:
        return _verdict(Status.HELD_NOT_READ)
    if row.asked != row.held:
        return _verdict(Status.NOT_WRITTEN)
    if paid is None:
        return _verdict(Status.PAID_NOT_READ if row.period_ran else Status.NOT_RUN)
    if paid.amounts != row.held:
        if written_late(row.written_on, row.period_end, cutoff):
            return _verdict(Status.WRITTEN_LATE)
        if paid.amounts.total.value == 0 or paid.excasso.value == 0:
            return _verdict(Status.NOT_PAID_OUT)
        return _verdict(Status.PAID_OTHERWISE)
    if paid.excasso < paid.amounts.total:
        return _verdict(Status.NOT_PAID_OUT)
    if paid.excasso > paid.amounts.total:
        return _verdict(Status.PAID_OTHERWISE)
    if arrived < paid.excasso:
        if bank_working_days_after(paid.on, today) > overdue_bank_days:
            return _verdict(Status.OVERDUE)
        return _verdict(Status.PAID_NOT_RECEIVED)
    if row.received != paid.amounts:
        return _verdict(Status.NOT_PLACED)
    return _verdict(Status.IN_ORDER)
