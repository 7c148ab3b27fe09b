"""``LoketWrites`` over the Loket client: the benefits and deductions of one employment and component; and
``LoketBulk``: those of many employments of one employer at once (Loket's collective operations).

Shared by the platform's write tasks and the tests that run the writer against the sandbox.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from inleg.loket import LoketClient, errors
from inleg.loket.models import BenefitAndDeduction, BenefitEnd, CollectiveAction, NewBenefit
from inleg.platform.domain.contributions import HeldRecord
from inleg.platform.domain.contributions.bulk import Outcome
from inleg.platform.domain.contributions.diff import Create, Update
from inleg.platform.domain.money import Cents


def held_record(record: BenefitAndDeduction, employment_id: str) -> HeldRecord:
    return HeldRecord(
        record.id,
        employment_id,
        record.component_key,
        record.start_date,
        record.end_date,
        Cents.parse(record.value, "value"),
        record.etag,
    )


class ClientWrites:
    """Each record is read with its ETag (Loket's list gives none), so an update or delete sends ``If-Match``."""

    def __init__(self, client: LoketClient, *, etags: bool = True) -> None:
        self.client = client
        self.etags = etags  # False: the list alone (a preview, which never writes)

    def _held(self, employment_id: str, record_id: str) -> HeldRecord:
        return held_record(self.client.benefit_and_deduction(record_id), employment_id)

    def records(self, employment_id: str, component_key: int) -> list[HeldRecord]:
        found = [r for r in self.client.benefits_and_deductions(employment_id, component_key)]
        mine = [r for r in found if r.component_key == component_key]
        if not self.etags:
            return [held_record(r, employment_id) for r in mine]
        return [self._held(employment_id, r.id) for r in mine]

    def create(self, employment_id: str, component_key: int, start: date, end: date | None, value: Cents) -> HeldRecord:
        made = self.client.create_benefit_and_deduction(employment_id, component_key, start, value.to_decimal(), end)
        return held_record(made, employment_id)

    def update(
        self, record_id: str, start: date, end: date | None, value: Cents, *, if_match: str | None
    ) -> HeldRecord:
        made = self.client.update_benefit_and_deduction(record_id, start, value.to_decimal(), end, if_match=if_match)
        return held_record(made, made.employment_id or "")

    def delete(self, record_id: str, *, if_match: str | None) -> None:
        self.client.delete_benefit_and_deduction(record_id, if_match=if_match)


class ClientBulk:
    """``LoketBulk`` over the client: one employer's records on a day, and the collective create and end date."""

    PAGE_SIZE = 1000  # Loket's largest page: the employer-wide list is read in as few calls as it allows

    def __init__(self, client: LoketClient, employer_id: str) -> None:
        self.client = client
        self.employer_id = employer_id

    def held_on(self, day: date, component_keys: Collection[int]) -> list[HeldRecord]:
        found: list[HeldRecord] = []
        for key in component_keys:
            records = self.client.actual_benefits_and_deductions(
                self.employer_id, day, component_key=key, page_size=self.PAGE_SIZE
            )
            found.extend(held_record(r, r.employment_id or "") for r in records if r.component_key == key)
        return found

    def create_many(self, creates: Sequence[Create]) -> Outcome:
        items = [NewBenefit(c.employment_id, c.component_key, c.start, c.value.to_decimal()) for c in creates]
        try:
            action = self.client.create_benefits_and_deductions(self.employer_id, items)
        except errors.BadRequest as error:
            return _all_refused(error)
        return _outcome(action)

    def end_many(self, ends: Sequence[Update]) -> Outcome:
        items = [BenefitEnd(u.record.id, u.record.employment_id, u.end) for u in ends if u.end is not None]
        if len(items) != len(ends):
            raise ValueError("ends: Loket's collective end date cannot open a record (end None)")
        try:
            action = self.client.end_benefits_and_deductions(self.employer_id, items)
        except errors.BadRequest as error:
            return _all_refused(error)
        return _outcome(action)


def _refusals(messages: Iterable[errors.Message]) -> dict[str, str]:
    return {m.id: m.description for m in messages if m.id and m.type.casefold() != "warning"}


def _outcome(action: CollectiveAction) -> Outcome:
    return Outcome(_refusals(action.messages), action.completed)


def _all_refused(error: errors.BadRequest) -> Outcome:
    """Loket answers 400 when no item succeeded: each item's message names it. A 400 without item messages
    refused the call itself (its body): that is raised as it came."""
    refused = _refusals(error.messages)
    if not refused:
        raise error
    return Outcome(refused)
