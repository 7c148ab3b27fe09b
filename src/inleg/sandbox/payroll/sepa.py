"""The excasso of an approved run: a SEPA credit transfer (pain.001.001.03), checked against its XSD.

One payment per employment with an excasso amount, to the pension provider's IBAN. Its reference names
the employer, employee, employment (payroll id) and period as docs/excasso-reference.md says: the token in
the EndToEndId, and the token with the same facts in words in the remittance text (Ustrd).
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


class MissingIban(SepaError):
    """The employer has no IBAN of the pension provider to pay to."""


@cache
def schema() -> xmlschema.XMLSchema:
    path = resources.files("sepaxml") / "schemas" / "pain.001.001.03.xsd"
    with resources.as_file(path) as file:
        return xmlschema.XMLSchema(str(file))


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", attrib=attrs)
    if text is not None:
        element.text = text
    return element


def _clean(text: str, limit: int) -> str:
    """SEPA's Latin character set, cut to the field's length."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
    return "".join(ch if ch in allowed else " " for ch in text)[:limit].strip() or "-"


REFERENCE_VERSION = "PI1"
END_TO_END_ID_MAX = 35  # Max35Text
REMITTANCE_MAX = 140  # Max140Text


def reference(employer_number: int, employee_number: int, payroll_id: int, year: int, period: int) -> str:
    """The token of docs/excasso-reference.md: ``PI1-<employer>-<employee>-<payroll id>-<YYYYPP>``.

    A token that does not fit an EndToEndId is refused, never cut: a cut number names another employment.
    """
    numbers = {"employer number": employer_number, "employee number": employee_number, "payroll id": payroll_id}
    for name, value in numbers.items():
        if value < 1:
            raise SepaError(f"excasso reference: {name} {value} must be 1 or more")
    if not 1900 <= year <= 2100 or not 1 <= period <= 53:
        raise SepaError(f"excasso reference: period {year}-{period:02d} lies outside 1900..2100, 1..53")
    token = f"{REFERENCE_VERSION}-{employer_number}-{employee_number}-{payroll_id}-{year * 100 + period}"
    if len(token) > END_TO_END_ID_MAX:
        raise SepaError(
            f"excasso reference {token} has {len(token)} characters, more than the {END_TO_END_ID_MAX} of an "
            "EndToEndId: employer, employee and payroll numbers may have 22 digits together"
        )
    return token


def remittance(employer_number: int, employee_number: int, payroll_id: int, year: int, period: int) -> str:
    """The Ustrd: the token first (a bank may keep only 35 characters), then the same facts in words."""
    token = reference(employer_number, employee_number, payroll_id, year, period)
    text = (
        f"{token} Pensioeninleg werkgever {employer_number} werknemer {employee_number} "
        f"dienstverband {payroll_id} periode {year}-{period:02d}"
    )
    assert len(text) <= REMITTANCE_MAX  # at most 124: a token of 35 and 67 characters of words with 22 digits
    return text


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
        raise MissingIban(f"employer {employer.employer_number} has no IBAN of the pension provider")
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
        names = (employer.employer_number, employment.employee.employee_number, employment.payroll_id)
        tx = _sub(info, "CdtTrfTxInf")
        _sub(_sub(tx, "PmtId"), "EndToEndId", reference(*names, period.year, period.period_number))
        _sub(_sub(tx, "Amt"), "InstdAmt", f"{amount:.2f}", Ccy="EUR")
        _sub(_sub(tx, "Cdtr"), "Nm", _clean(employer.pension_provider_name, 70))
        _sub(_sub(_sub(tx, "CdtrAcct"), "Id"), "IBAN", employer.pension_provider_iban.replace(" ", ""))
        _sub(_sub(tx, "RmtInf"), "Ustrd", remittance(*names, period.year, period.period_number))
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
    assert message_id is not None  # build() writes the group header's MsgId
    sepa = SepaFile.objects.create(run=run, message_id=message_id, xml=xml.decode("utf-8"), payments=count, total=total)
    directory = settings.SANDBOX_SEPA_DIR
    directory.mkdir(parents=True, exist_ok=True)
    employer = run.administration.employer
    name = (
        f"excasso-{employer.employer_number}-{run.period.year}{run.period.period_number:02d}-{run.sequence_number}.xml"
    )
    (directory / name).write_bytes(xml)
    return sepa
