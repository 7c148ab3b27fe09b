"""Choosing the wage component (looncomponent) the platform writes to: by name first, else the employer picks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Component(Protocol):
    @property
    def key(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def can_hold_fixed_value(self) -> bool: ...


class How(StrEnum):
    AUTOMATIC = "automatic"  # recognised by its name
    MANUAL = "manual"  # picked by the employer


@dataclass(frozen=True)
class Choice:
    key: int
    description: str
    how: How


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def eligible(components: Iterable[Component]) -> list[Component]:
    """The components that can hold a fixed value (benefits and deductions), by key."""
    return sorted((c for c in components if c.can_hold_fixed_value), key=lambda c: c.key)


def recognise(components: Sequence[Component], name: str) -> Choice | None:
    """The one eligible component whose description is ``name`` (ignoring case and spacing), if exactly one is."""
    found = [c for c in eligible(components) if _norm(c.description) == _norm(name)]
    if len(found) != 1:
        return None
    return Choice(found[0].key, found[0].description, How.AUTOMATIC)


def pick(components: Sequence[Component], key: int) -> Choice:
    """The employer's pick; refuses a key that is not an eligible component of the administration."""
    for c in eligible(components):
        if c.key == key:
            return Choice(c.key, c.description, How.MANUAL)
    raise ValueError(f"component: {key} is not a component of this administration that can hold a fixed value")
