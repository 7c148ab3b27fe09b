"""What a sync changes: the difference between what the platform holds and what Loket.nl sends.

Records are plain mappings of field name to value (str, int, date, Decimal or None), keyed by Loket's id. A
record that is equal field by field is unchanged, so running a sync twice changes nothing the second time.
Nothing is ever deleted: a record Loket no longer sends is reported as gone, and an employment that gets an
end date is reported as a leaver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Record = Mapping[str, Any]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class Diff:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[FieldChange]] = field(default_factory=dict)
    unchanged: int = 0
    gone: list[str] = field(default_factory=list)

    def leavers(self) -> list[str]:
        """Keys of records whose end_date went from empty to a date."""
        return [
            key
            for key, changes in self.updated.items()
            if any(c.field == "end_date" and c.old is None and c.new is not None for c in changes)
        ]


def diff(stored: Mapping[str, Record], incoming: Mapping[str, Record], *, complete: bool = False) -> Diff:
    """Compare ``incoming`` with ``stored`` on the fields ``incoming`` carries.

    ``complete``: ``incoming`` is everything Loket holds (a full sync), so stored keys missing from it are gone.
    """
    result = Diff()
    for key, new in incoming.items():
        old = stored.get(key)
        if old is None:
            result.created.append(key)
            continue
        changes = [FieldChange(name, old.get(name), value) for name, value in new.items() if old.get(name) != value]
        if changes:
            result.updated[key] = changes
        else:
            result.unchanged += 1
    if complete:
        result.gone = [key for key in stored if key not in incoming]
    return result
