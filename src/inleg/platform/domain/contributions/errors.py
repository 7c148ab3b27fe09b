"""The contributions' failures: one class per broken rule, all under ``ContributionError``.

``ContributionError`` is itself a ``DomainError`` (inleg.platform.domain.errors), so one ``except DomainError``
also catches a refused amount (``money.InvalidAmount``). Each names the field and the value.
"""

from __future__ import annotations

from inleg.platform.domain.errors import DomainError


class ContributionError(DomainError):
    """A contribution rule refused a value."""


class InvalidPeriod(ContributionError):
    """A payroll period that cannot be: a number outside 1..13, an end before its start, overlapping periods."""


class UnknownPeriod(ContributionError):
    """A period a change names is not among the payroll periods Loket lists."""


class NoOpenPeriod(ContributionError):
    """Every listed period has run or is past its cut-off: Loket has no period yet that a change may apply to."""


class InvalidCutoff(ContributionError):
    """A cut-off that is not a whole number of working days from 0 to 20."""


class InvalidMoment(ContributionError):
    """A moment without a time zone: which day it was in the Netherlands cannot be told."""


class InvalidScheme(ContributionError):
    """A scheme, exception or net amount outside its bounds (a negative amount, a percentage above 100, ...)."""


class InvalidEmployment(ContributionError):
    """An employment whose end lies before its start, or an empty id."""


class InvalidSalary(ContributionError):
    """A salary that is negative: a percentage of it would take money out of a pension."""


class UnsupportedYear(ContributionError):
    """A year whose public holidays this module does not know (before 2014, when Koningsdag moved)."""
