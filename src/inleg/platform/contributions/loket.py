"""``LoketWrites`` over the Loket client: the benefits and deductions of one employment and component.

Shared by the platform's write tasks and the tests that run the writer against the sandbox.
"""

from __future__ import annotations

from datetime import date

from inleg.loket import LoketClient
from inleg.loket.models import BenefitAndDeduction
from inleg.platform.domain.contributions import HeldRecord
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
