"""An employment (dienstverband) as the contributions need it: Loket's id and the days it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inleg.platform.domain.contributions.errors import InvalidEmployment
from inleg.platform.domain.contributions.intervals import overlaps


@dataclass(frozen=True, slots=True)
class Employment:
    """``end`` is set when the employee leaves (uit dienst); Loket refuses a fixed value starting outside
    ``start..end``."""

    id: str
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise InvalidEmployment("employment.id", self.id, "is not an employment id")
        if self.end is not None and self.end < self.start:
            raise InvalidEmployment("employment.end", self.end, f"lies before the start {self.start}")

    def overlaps(self, start: date, end: date) -> bool:
        return overlaps(self.start, self.end, start, end)
