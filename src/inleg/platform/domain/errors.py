"""The one root of the platform domain's failures.

Every failure names the field it is about and the value that was refused, so a page can put the message next
to the field and a log line says what came in. Subclasses say which rule was broken.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A rule of the domain refused a value: ``field`` and ``value`` say which, the message says why."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        super().__init__(f"{field}: {value!r} {problem}")
        self.field = field
        self.value = value
        self.problem = problem
