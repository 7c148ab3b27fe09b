"""The excasso of an approved run: a SEPA credit transfer (pain.001.001.03), checked against its XSD.

One payment per employment with an excasso amount, to the pension provider's IBAN; the reference
names the employer number, the employee number and the period.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import xmlschema
from django.conf import settings
from django.utils import timezone
from lxml import etree

from inleg.sandbox.core.models import PayrollResult, PayrollRun, SepaFile

NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
EXCASSO_KEY = 990


class SepaError(Exception):
    pass


@cache
def schema() -> xmlschema.XMLSchema:
    path = resources.files("sepaxml") / "schemas" / "pain.001.001.03.xsd"
    with resources.as_file(path) as file:
        return xmlschema.XMLSchema(str(file))


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def _clean(text: str, limit: int) -> str:
    """SEPA's Latin character set, cut to the field's length."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
    return "".join(ch if ch in allowed else " " for ch in text)[:limit].strip() or "-"


def reference(employer_number: int, employee_number: int, year: int, period: int) -> str:
    return f"Pensioeninleg werkgever {employer_number} werknemer {employee_number} periode {year}-{period:02d}"


def payments_of(run: PayrollRun) -> list[tuple[Any, Decimal]]:
    """The run's excasso lines to pay: (employment, amount), in employee number order."""
    lines = (
        PayrollResult.objects.filter(run=run, component_key=EXCASSO_KEY, value__gt=0)
        .select_related("employment__employee")
        .order_by("employment__employee__employee_number", "employment__payroll_id")
    )
    return [(line.employment, line.value) for line in lines]


def build(run: PayrollRun, payments: list[tuple[Any, Decimal]] | None = None) -> tuple[bytes, int, Decimal]:
    employer = run.administration.employer
    if not employer.pension_provider_iban:
        raise SepaError(f"employer {employer.employer_number} has no IBAN of the pension provider")
    if payments is None:
        payments = payments_of(run)
    total = sum((amount for _, amount in payments), Decimal("0.00"))
    root = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    initiation = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    message_id = f"INLEG-{run.pk.hex[:29]}"
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", timezone.now().strftime("%Y-%m-%dT%H:%M:%S"))
    _sub(header, "NbOfTxs", str(len(payments)))
    _sub(header, "CtrlSum", f"{total:.2f}")
    _sub(_sub(header, "InitgPty"), "Nm", _clean(employer.company_name, 70))
    info = _sub(initiation, "PmtInf")
    period = run.period
    _sub(info, "PmtInfId", f"{employer.employer_number}-{period.year}{period.period_number:02d}-{run.sequence_number}")
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "BtchBookg", "true")
    _sub(info, "NbOfTxs", str(len(payments)))
    _sub(info, "CtrlSum", f"{total:.2f}")
    _sub(_sub(_sub(info, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
    _sub(info, "ReqdExctnDt", period.end_date.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", _clean(employer.company_name, 70))
    _sub(_sub(_sub(info, "DbtrAcct"), "Id"), "IBAN", employer.iban.replace(" ", ""))
    agent = _sub(_sub(info, "DbtrAgt"), "FinInstnId")
    if employer.bic:
        _sub(agent, "BIC", employer.bic)
    else:
        _sub(_sub(agent, "Othr"), "Id", "NOTPROVIDED")
    _sub(info, "ChrgBr", "SLEV")
    for employment, amount in payments:
        number = employment.employee.employee_number
        tx = _sub(info, "CdtTrfTxInf")
        end_to_end = (
            f"{employer.employer_number}-{number}-{employment.payroll_id}-{period.year}{period.period_number:02d}"
        )
        _sub(_sub(tx, "PmtId"), "EndToEndId", end_to_end[:35])
        _sub(_sub(tx, "Amt"), "InstdAmt", f"{amount:.2f}", Ccy="EUR")
        _sub(_sub(tx, "Cdtr"), "Nm", _clean(employer.pension_provider_name, 70))
        _sub(_sub(_sub(tx, "CdtrAcct"), "Id"), "IBAN", employer.pension_provider_iban.replace(" ", ""))
        _sub(
            _sub(tx, "RmtInf"), "Ustrd", reference(employer.employer_number, number, period.year, period.period_number)
        )
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    schema().validate(xml.decode("utf-8"))
    return xml, len(payments), total


def write_excasso(run: PayrollRun) -> SepaFile | None:
    """Build, validate, store and write the run's pain.001 (none when nothing is to be paid)."""
    existing = SepaFile.objects.filter(run=run).first()
    if existing is not None:
        return existing
    payments = payments_of(run)
    if not payments:
        return None  # nothing to pay: no file, and no pension provider's IBAN needed
    xml, count, total = build(run, payments)
    message_id = etree.fromstring(xml).findtext(f".//{{{NS}}}MsgId")
    sepa = SepaFile.objects.create(run=run, message_id=message_id, xml=xml.decode("utf-8"), payments=count, total=total)
    directory = settings.SANDBOX_SEPA_DIR
    directory.mkdir(parents=True, exist_ok=True)
    employer = run.administration.employer
    name = (
        f"excasso-{employer.employer_number}-{run.period.year}{run.period.period_number:02d}-{run.sequence_number}.xml"
    )
    (directory / name).write_bytes(xml)
    return sepa
