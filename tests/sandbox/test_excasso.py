"""The excasso reference the sandbox writes, checked against the example of docs/excasso-reference.md."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from inleg.sandbox.core.models import (
    BenefitDeduction,
    Employer,
    Employment,
    PayrollComponent,
    PayrollRun,
    RunStatus,
    SepaFile,
)
from inleg.sandbox.payroll.run import PayrollError, approve_run, run_period
from inleg.sandbox.payroll.sepa import SepaError, reference, remittance
from inleg.sandbox.seed import NET_DEDUCTION_KEY

DOC = Path(__file__).resolve().parents[2] / "docs" / "excasso-reference.md"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def documented_example() -> dict[str, str]:
    """The ``name: value`` lines of the text block under "## Example" in the document."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"^## Example\n.*?^```text\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    assert block, f"{DOC}: no text block under '## Example'"
    return dict(line.split(": ", 1) for line in block.group(1).splitlines() if line.strip())


def _numbers(example: dict[str, str]) -> tuple[int, int, int, int, int]:
    names = ("employer number", "employee number", "payroll id", "year", "period")
    return tuple(int(example[name]) for name in names)  # type: ignore[return-value]


def test_the_writer_makes_the_documented_example() -> None:
    example = documented_example()
    assert reference(*_numbers(example)) == example["EndToEndId"]
    assert remittance(*_numbers(example)) == example["Ustrd"]


def test_a_run_pays_with_the_documented_reference(employer: Employer) -> None:
    """The example's employment, paid by a real run: the pain.001 carries exactly the documented fields."""
    example = documented_example()
    employer_number, employee_number, payroll_id, year, period = _numbers(example)
    assert employer.employer_number == employer_number  # the seed's first employer
    employment = Employment.objects.filter(employee__employer=employer, end_date=None).first()
    Employment.objects.filter(administration=employment.administration).exclude(pk=employment.pk).delete()
    Employment.objects.filter(pk=employment.pk).update(payroll_id=payroll_id)
    employment.employee.employee_number = employee_number
    employment.employee.save()
    BenefitDeduction.objects.filter(employment=employment).delete()
    net = PayrollComponent.objects.get(administration=employment.administration, key=NET_DEDUCTION_KEY)
    BenefitDeduction.objects.create(employment=employment, component=net, start_date=max(employment.start_date,
                                    date(2024, 1, 1)), value=Decimal("20.00"))  # fmt: skip
    run = approve_run(run_period(employment.administration, year, period))
    tree = etree.fromstring(SepaFile.objects.get(run=run).xml.encode())
    [transfer] = tree.findall(".//p:CdtTrfTxInf", NS)
    assert transfer.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == example["EndToEndId"]
    assert transfer.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == example["Ustrd"]
    assert transfer.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "20.00"


def test_a_reference_that_does_not_fit_is_refused_never_cut(employer: Employer, seeded: Any) -> None:
    with pytest.raises(SepaError, match="36 characters"):
        reference(1234567, 1234567, 123456789, 2025, 1)
    assert len(reference(1234567, 1234567, 12345678, 2025, 1)) == 35
    assert len(remittance(1234567, 1234567, 12345678, 2053, 53)) <= 140
    with pytest.raises(SepaError, match="payroll id 0"):
        reference(20001, 17, 0, 2025, 1)
    # in a run: the approval is refused by name and nothing is half applied (no IBAN advice: that is not it)
    employment = Employment.objects.filter(employee__employer=employer, end_date=None).first()
    BenefitDeduction.objects.filter(employment=employment).delete()
    net = PayrollComponent.objects.get(administration=employment.administration, key=NET_DEDUCTION_KEY)
    BenefitDeduction.objects.create(employment=employment, component=net, start_date=max(employment.start_date,
                                    date(2024, 1, 1)), value=Decimal("20.00"))  # fmt: skip
    # Loket's numbers are 32-bit: 10 + 10 + 5 digits fit the database, not an EndToEndId
    Employment.objects.filter(pk=employment.pk).update(payroll_id=2_000_000_000)
    Employer.objects.filter(pk=employer.pk).update(employer_number=1_234_567_890)
    employment.employee.employee_number = 99_999
    employment.employee.save()
    run = run_period(employment.administration, 2025, 3)
    with pytest.raises(PayrollError, match="kan niet worden goedgekeurd") as refused:
        approve_run(run)
    assert "EndToEndId" in str(refused.value)
    assert "IBAN" not in str(refused.value)
    assert PayrollRun.objects.get(pk=run.pk).status == RunStatus.DONE
    assert not SepaFile.objects.exists()
