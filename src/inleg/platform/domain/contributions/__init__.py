"""Contributions into the payroll, without a framework: schemes as dated versions, payroll periods and the
cut-off, the plan of what Loket should hold, the diff to what it holds, the write journal, and a preview.

The flow of a run, per employment and component::

    first = first_period_for_change(periods, ran, now, cutoff)          # periods.py
    plan = plan_employment(employment, periods, history, salaries,      # plan.py (uses schemes.amounts_for)
                           first_open=first.key, components=components)
    write_component(plan.gross, loket, journal, now=clock)               # writes.py: reconcile, diff, write
    preview([changes_for(plan.gross, loket, journal), ...], names)       # preview.py: what a page shows

Design and reasons: docs/adr/0005-contribution-plan-and-writes.md.
"""

from inleg.platform.domain.contributions.diff import (
    Attention,
    Changes,
    Conflict,
    Create,
    Delete,
    HeldRecord,
    Operation,
    Problem,
    Update,
    WhoMustAct,
    diff,
)
from inleg.platform.domain.contributions.employments import Employment
from inleg.platform.domain.contributions.errors import ContributionError
from inleg.platform.domain.contributions.journal import (
    Action,
    JournalEntry,
    Settlement,
    Status,
    owned_ids,
    reconcile,
)
from inleg.platform.domain.contributions.periods import PayrollPeriod, PeriodKey, first_period_for_change
from inleg.platform.domain.contributions.plan import (
    Blocked,
    ComponentPlan,
    Components,
    EmploymentPlan,
    Segment,
    plan_employment,
)
from inleg.platform.domain.contributions.preview import PreviewLine, preview
from inleg.platform.domain.contributions.schemes import (
    Amounts,
    EmployeeException,
    Excluded,
    FixedAmount,
    History,
    NetContribution,
    PercentOfSalary,
    SchemeChange,
    SchemeStop,
    Version,
    amounts_for,
)
from inleg.platform.domain.contributions.writes import (
    JournalStore,
    LoketWrites,
    RunResult,
    changes_for,
    write_component,
)

__all__ = [
    "Action",
    "Amounts",
    "Attention",
    "Blocked",
    "Changes",
    "ComponentPlan",
    "Components",
    "Conflict",
    "ContributionError",
    "Create",
    "Delete",
    "EmployeeException",
    "Employment",
    "EmploymentPlan",
    "Excluded",
    "FixedAmount",
    "HeldRecord",
    "History",
    "JournalEntry",
    "JournalStore",
    "LoketWrites",
    "NetContribution",
    "Operation",
    "PayrollPeriod",
    "PercentOfSalary",
    "PeriodKey",
    "PreviewLine",
    "Problem",
    "RunResult",
    "SchemeChange",
    "SchemeStop",
    "Segment",
    "Settlement",
    "Status",
    "Update",
    "Version",
    "WhoMustAct",
    "amounts_for",
    "changes_for",
    "diff",
    "first_period_for_change",
    "owned_ids",
    "plan_employment",
    "preview",
    "reconcile",
    "write_component",
]
