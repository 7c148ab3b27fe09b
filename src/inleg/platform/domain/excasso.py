"""The excasso reference (docs/excasso-reference.md): which employment and period a pension credit pays.

Loket's payroll writes one token per transfer, in the EndToEndId and at the start of the remittance text:
``PI1-<employer number>-<employee number>-<payroll id>-<YYYYPP>``. This module formats and reads it; what
the platform does with a credit whose reference does not read (suspense, never a guess) is in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "PI1"
END_TO_END_ID_MAX = 35  # SEPA: EndToEndId is Max35Text
NOT_PROVIDED = "NOTPROVIDED"  # SEPA's EndToEndId when the payer gave none
FIRST_YEAR, LAST_YEAR = 1900, 2100
LAST_PERIOD = 53  # weekly payrolls have up to 53 periods

_TOKEN = re.compile(r"PI1-([1-9][0-9]*)-([1-9][0-9]*)-([1-9][0-9]*)-([0-9]{4})([0-9]{2})", re.IGNORECASE)


class MalformedReference(ValueError):
    """A reference that names no employment and period; ``reason`` says why, in the words of the document."""

    def __init__(self, text: str | None, reason: str) -> None:
        super().__init__(f"excasso reference {text!r}: {reason}")
        self.text = text
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ExcassoReference:
    """The employment (employer number, employee number, payroll id) and payroll period a credit pays."""

    employer_number: int
    employee_number: int
    payroll_id: int
    year: int
    period: int

    def __post_init__(self) -> None:
        for name in ("employer_number", "employee_number", "payroll_id"):
            value = getattr(self, name)
            if value < 1:
                raise ValueError(f"{name}: {value} must be 1 or more")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"year: {self.year} lies outside {FIRST_YEAR}..{LAST_YEAR}")
        if not 1 <= self.period <= LAST_PERIOD:
            raise ValueError(f"period: {self.period} lies outside 1..{LAST_PERIOD}")
        if len(self._token()) > END_TO_END_ID_MAX:
            raise ValueError(
                f"{self._token()}: {len(self._token())} characters, more than the {END_TO_END_ID_MAX} of an "
                "EndToEndId (the three numbers together may have at most 22 digits)"
            )

    @property
    def payroll_period_id(self) -> int:
        """Loket's period id: year * 100 + period number."""
        return self.year * 100 + self.period

    def _token(self) -> str:
        return f"{VERSION}-{self.employer_number}-{self.employee_number}-{self.payroll_id}-{self.payroll_period_id}"

    def format(self) -> str:
        """The token: the EndToEndId, and the first word of the remittance text."""
        return self._token()

    def __str__(self) -> str:
        return self._token()


def parse_reference(text: str) -> ExcassoReference:
    """The token read strictly (``PI`` in either case); anything else is a ``MalformedReference``."""
    token = text.strip()
    if len(token) > END_TO_END_ID_MAX:
        raise MalformedReference(text, f"longer than {END_TO_END_ID_MAX} characters")
    found = _TOKEN.fullmatch(token)
    if found is None:
        raise MalformedReference(text, "not of the form PI1-<employer number>-<employee number>-<payroll id>-<YYYYPP>")
    employer, employee, payroll, year, period = (int(part) for part in found.groups())
    try:
        return ExcassoReference(employer, employee, payroll, year, period)
    except ValueError as problem:
        raise MalformedReference(text, str(problem)) from None


def reference_of_payment(end_to_end_id: str | None, remittance: str | None) -> ExcassoReference:
    """The reference of a credit from its EndToEndId and its unstructured remittance text (Ustrd).

    Each field present must hold the token (the Ustrd as its first word); when both do they must agree.
    """
    found: dict[str, ExcassoReference] = {}
    if end_to_end_id is not None and end_to_end_id.strip() and end_to_end_id.strip() != NOT_PROVIDED:
        found["EndToEndId"] = parse_reference(end_to_end_id)
    if remittance is not None and remittance.strip():
        found["Ustrd"] = parse_reference(remittance.split()[0])
    if not found:
        raise MalformedReference(None, "neither the EndToEndId nor the Ustrd holds a reference")
    if len(set(found.values())) > 1:
        raise MalformedReference(
            f"{end_to_end_id} / {remittance}",
            f"the EndToEndId names {found['EndToEndId']} and the Ustrd {found['Ustrd']}",
        )
    return next(iter(found.values()))
