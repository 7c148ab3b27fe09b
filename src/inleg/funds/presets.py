"""Presets: real funds' settings as data, one JSON file per fund and year in ``presets/``.

A preset file holds ``name``, ``title``, ``year``, ``fund`` (the case format's fund shape without
``number`` and ``base``) and ``sources`` (for each figure, where it was published). A case uses one
with ``{"number": 3, "preset": "NAME", "base": [...]}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class PresetInfo:
    name: str
    title: str
    year: int


@cache
def _all() -> dict[str, dict[str, Any]]:
    folder = resources.files("inleg.funds") / "presets"
    found: dict[str, dict[str, Any]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            found[data["name"]] = data
    return found


def load(name: str) -> dict[str, Any]:
    """The preset named ``name``; ``KeyError`` when there is none."""
    return _all()[name]


def available() -> list[PresetInfo]:
    return [PresetInfo(p["name"], p["title"], p["year"]) for p in _all().values()]
