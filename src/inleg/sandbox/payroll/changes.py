"""Which employments a herrekening has to recompute: those whose input differs from the case last run.

The fund engine computes each employment on its own (its data and the case's settings: year, frequency,
components, funds), period after period, a period's row from that period and the ones before it. So an
employment whose data up to the last run's period is the same as then, under the same settings, gets the
same rows for those periods, and a herrekening books nothing for it. A month of a payroll bureau changes a
few employments in a hundred thousand: only those are parsed and computed twice, not the whole year of all.
"""

from __future__ import annotations

from typing import Any

SETTINGS = ("year", "frequency", "components", "funds")


def changed_employments(before: dict[str, Any], after: dict[str, Any], last: int) -> set[str] | None:
    """The ids of the employments of ``after`` whose data up to period ``last`` differs from ``before``
    (including those ``before`` does not hold), or None when a setting of the case differs (all change).

    ``before`` is the case of the run of period ``last``: it holds each employment's periods 1..last.
    Employments only ``before`` holds are not named (they no longer run: nothing is recalculated for them).
    """
    if any(before.get(key) != after.get(key) for key in SETTINGS):
        return None
    booked = {employment["id"]: employment for employment in before["employments"]}
    changed: set[str] = set()
    for employment in after["employments"]:
        old = booked.get(employment["id"])
        if old is None:
            changed.add(employment["id"])
            continue
        periods = [p for p in employment["periods"] if p["period"] <= last]
        if old != {**employment, "periods": periods}:
            changed.add(employment["id"])
    return changed


def only(case: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    """The case with the employments named in ``ids`` only."""
    return {**case, "employments": [e for e in case["employments"] if e["id"] in ids]}
