"""One exception root for the fund engine, a subclass per way input can be wrong.

Every error names the field (a path into the case, such as ``funds[0].premium.max_base.unit``) and
the value it holds, so a payroll administrator can find and mend it.
"""

from __future__ import annotations

from typing import Any


class FundError(ValueError):
    """Root of every refusal of the fund engine. Nothing is computed when one is raised."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (value: {value!r})")


class MissingField(FundError):
    """A required field is absent."""

    def __init__(self, field: str) -> None:
        super().__init__(field, None, "required field is missing")


class UnknownField(FundError):
    """A field the format does not know where a typo would silently change nothing (a fund version's)."""


class WrongType(FundError):
    """A field holds a value of the wrong JSON type (a number where a string is expected, ...)."""


class UnknownChoice(FundError):
    """A field holds a value outside its list of choices (an unknown unit, moment, kind, ...)."""

    def __init__(self, field: str, value: Any, choices: tuple[str, ...]) -> None:
        super().__init__(field, value, f"unknown value, expected one of {', '.join(choices)}")


class BadNumber(FundError):
    """An amount, percentage, factor or hours value that is not a plain decimal number."""


class TooManyDecimals(FundError):
    """A number written with more decimals than its kind allows (money 2, percentage 4, ...)."""


class OutOfRange(FundError):
    """A number outside its allowed range: a negative threshold, a fund number outside 1..35, ..."""


class TooManyFunds(FundError):
    """A wage model (loonmodel) holds at most 35 funds."""


class DuplicateEntry(FundError):
    """The same fund number, period or employment id appears twice."""


class OverlappingTable(FundError):
    """Two rows of an age or birth-year table cover the same age or year."""


class InconsistentDates(FundError):
    """Dates that contradict each other: an employment ending before its hire date, ..."""


class ConflictingSettings(FundError):
    """Settings that exclude each other: a deviation and a fixed contribution, 257 as fixed data, ..."""


class UnknownReference(FundError):
    """A reference to something the case does not define: a fund number, a preset name."""


class NormHoursRequired(FundError):
    """A norm of 0 hours per week where the hour unit or the hours recalculation needs it."""
