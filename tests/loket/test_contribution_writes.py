"""The contributions' writer loop against the real sandbox (in-process, through the Loket client), and the
fake Loket of the domain tests checked against it.

``SandboxWrites`` is the platform's ``LoketWrites`` over ``inleg.loket.LoketClient`` (contributions/loket.py),
the adapter the write tasks use. The differential test runs random create/update/delete sequences on the
fake and on the sandbox and wants the same answers (accepted, or refused with the same status) and the same
records after every step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Literal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from inleg.loket import LoketClient, errors
from inleg.loket.models import BenefitAndDeduction
from inleg.platform.contributions.loket import ClientWrites as SandboxWrites
from inleg.platform.domain.contributions import (
    ComponentPlan,
    Employment,
    HeldRecord,
    Segment,
    owned_ids,
    write_component,
)
from inleg.platform.domain.contributions.plan import Kind
from inleg.platform.domain.money import Cents
from inleg.sandbox.seed import NET_DEDUCTION_KEY, PENSIFY_KEY
from tests.platform.domain.fake_loket import Crash, CrashingLoket, FakeLoket, MemoryJournal, Refused

OTHER_KEY = 711  # Reiskosten: a component the writer never looks at
B = date(2025, 3, 1)


def clock() -> datetime:
    return datetime(2025, 3, 3, 9, tzinfo=UTC)


def unchanged(client: LoketClient, record: BenefitAndDeduction) -> bool:
    """Loket still holds ``record`` as it was (the detail has no employment id; compare the values)."""
    now = client.benefit_and_deduction(record.id)
    return (now.component_key, now.start_date, now.end_date, now.value) == (
        record.component_key, record.start_date, record.end_date, record.value
    )  # fmt: skip


def _employment(client: LoketClient) -> Employment:
    """An employment running since before 2025, its Pensify Inleg and Netto inleg records cleared."""
    [employer] = client.employers()
    job = next(e for e in client.employments(employer.id) if e.start_date < date(2025, 1, 1) and e.end_date is None)
    for key in (PENSIFY_KEY, NET_DEDUCTION_KEY):
        for record in client.benefits_and_deductions(job.id, key):
            client.delete_benefit_and_deduction(record.id)
    return Employment(job.id, job.start_date, job.end_date)


def plan_of(employment: Employment, *segments: tuple[date, date | None, int]) -> ComponentPlan:
    return ComponentPlan(employment, PENSIFY_KEY, Kind.GROSS, B, tuple(Segment(s, e, Cents(v)) for s, e, v in segments))


def held(loket: SandboxWrites, employment: Employment) -> list[tuple[date, date | None, Cents]]:
    return [(r.start, r.end, r.value) for r in loket.records(employment.id, PENSIFY_KEY)]


def test_the_writer_against_the_sandbox(client: LoketClient) -> None:
    employment = _employment(client)
    loket, journal = SandboxWrites(client), MemoryJournal()
    theirs = client.create_benefit_and_deduction(employment.id, PENSIFY_KEY, date(2025, 1, 1), Decimal("40.00"))
    other = client.create_benefit_and_deduction(employment.id, OTHER_KEY, date(2025, 1, 1), Decimal("12.00"))
    plan = plan_of(employment, (B, date(2025, 4, 30), 5000), (date(2025, 5, 1), None, 6000))
    # The payroll administrator's open record from January overlaps the plan: nothing is written, it is reported
    # (a POST from March would have made Loket close their record).
    result = write_component(plan, loket, journal, now=clock)
    assert result.writes == 0
    assert [c.record.id for c in result.changes.conflicts] == [theirs.id]
    assert unchanged(client, theirs)
    client.delete_benefit_and_deduction(theirs.id)  # the administrator resolves it
    assert write_component(plan, loket, journal, now=clock).writes == 2
    assert held(loket, employment) == [(B, date(2025, 4, 30), Cents(5000)), (date(2025, 5, 1), None, Cents(6000))]
    assert write_component(plan, loket, journal, now=clock).writes == 0
    # A change that needs a delete, a longer record and a create, in an order the sandbox accepts.
    moved = plan_of(employment, (B, date(2025, 5, 31), 5000), (date(2025, 6, 1), None, 6000))
    assert write_component(moved, loket, journal, now=clock).writes == 3
    assert held(loket, employment) == [(B, date(2025, 5, 31), Cents(5000)), (date(2025, 6, 1), None, Cents(6000))]
    assert unchanged(client, other)  # another component: never looked at


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_crash_against_the_sandbox_ends_in_the_plan_without_a_duplicate(
    client: LoketClient, when: Literal["before", "after"]
) -> None:
    employment = _employment(client)
    loket, journal = SandboxWrites(client), MemoryJournal()
    plan = plan_of(employment, (B, date(2025, 4, 30), 5000), (date(2025, 5, 1), None, 6000))
    with pytest.raises(Crash):
        write_component(plan, CrashingLoket(loket, 2, when), journal, now=clock)
    write_component(plan, loket, journal, now=clock)
    records = loket.records(employment.id, PENSIFY_KEY)
    assert [(r.start, r.end, r.value) for r in records] == [
        (B, date(2025, 4, 30), Cents(5000)), (date(2025, 5, 1), None, Cents(6000))
    ]  # fmt: skip
    assert owned_ids(journal.all) == {r.id for r in records}
    assert write_component(plan, loket, journal, now=clock).writes == 0


# ---- the fake against the sandbox -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    key: int
    start: int  # days after 1 January 2025
    length: int | None
    cents: int


@dataclass(frozen=True)
class Put:
    pick: int
    start: int
    length: int | None
    cents: int
    stale: bool


@dataclass(frozen=True)
class Remove:
    pick: int
    stale: bool


DAY0 = date(2025, 1, 1)
days, lengths = st.integers(0, 120), st.one_of(st.none(), st.integers(0, 60))
values = st.sampled_from([100, 200])
operations = st.lists(
    st.one_of(
        st.builds(Post, st.sampled_from([PENSIFY_KEY, NET_DEDUCTION_KEY]), days, lengths, values),
        st.builds(Put, st.integers(0, 5), days, lengths, values, st.sampled_from([False, False, True])),
        st.builds(Remove, st.integers(0, 5), st.booleans()),
    ),
    max_size=10,
)


def _state(records: list[HeldRecord]) -> list[tuple[int, date, date | None, Cents]]:
    return sorted((r.component_key, r.start, r.end, r.value) for r in records)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=operations)
def test_the_fake_answers_as_the_sandbox_does(client: LoketClient, script: list[Post | Put | Remove]) -> None:
    employment = _employment(client)
    sandbox = SandboxWrites(client)
    fake = FakeLoket([employment], duplicates="sandbox")

    def everything(loket: SandboxWrites | FakeLoket) -> list[HeldRecord]:
        return [r for key in (PENSIFY_KEY, NET_DEDUCTION_KEY) for r in loket.records(employment.id, key)]

    def outcome(call: object) -> int:
        try:
            call()  # type: ignore[operator]
        except Refused as refused:
            return refused.status
        except errors.ApiError as refused:
            return refused.status
        return 200

    for op in script:
        if isinstance(op, Post):
            start = DAY0 + timedelta(days=op.start)
            end = None if op.length is None else start + timedelta(days=op.length)
            answers = [
                outcome(lambda w=w: w.create(employment.id, op.key, start, end, Cents(op.cents)))  # noqa: B023
                for w in (fake, sandbox)
            ]
        else:
            targets = [sorted(everything(w), key=lambda r: (r.component_key, r.start)) for w in (fake, sandbox)]
            if not targets[0]:
                continue
            pair = [t[op.pick % len(t)] for t in targets]
            tags = ['"0"' if op.stale else r.etag for r in pair]
            if isinstance(op, Put):
                start = DAY0 + timedelta(days=op.start)
                end = None if op.length is None else start + timedelta(days=op.length)
                answers = [
                    outcome(lambda w=w, r=r, t=t: w.update(r.id, start, end, Cents(op.cents), if_match=t))  # noqa: B023
                    for w, r, t in zip((fake, sandbox), pair, tags, strict=True)
                ]
            else:
                if op.stale:
                    continue  # the client sends no If-Match on DELETE
                answers = [
                    outcome(lambda w=w, r=r: w.delete(r.id, if_match=None))
                    for w, r in zip((fake, sandbox), pair, strict=True)
                ]
        event(f"{type(op).__name__} answered {answers[1]}")
        assert answers[0] == answers[1], (op, answers)
        assert _state(everything(fake)) == _state(everything(sandbox)), op
