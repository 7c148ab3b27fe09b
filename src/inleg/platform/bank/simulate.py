"""A test tool: the camt.053.001.02 statement the pension provider's bank would send for a pain.001 excasso.

``inleg bank simulate EXCASSO.xml`` reads the sandbox's excasso (a pain.001.001.03 file, checked against its XSD)
and writes one booked credit entry per transfer on the creditor's account: the EndToEndId and remittance text
carried over, the requested execution date as booking date, and a bank reference (AcctSvcrRef) of its own. It
reads the file, never the sandbox's code (the platform does not import the sandbox).

The output is a function of the input: the same excasso gives the same statement, with the same references,
as a bank reports one payment once. Two different excasso files (another run) get other references.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, cast

import xmlschema
from lxml import etree

from inleg.platform.domain.bank.camt import ISO_PREFIX, schema
from inleg.platform.domain.money import Cents

PAIN = ISO_PREFIX + "pain.001.001.03"
CAMT_VERSION = "camt.053.001.02"
CAMT = ISO_PREFIX + CAMT_VERSION


class SimulationError(ValueError):
    """The file is no pain.001.001.03 excasso this tool can turn into a statement (the message says why)."""


@cache
def pain_schema() -> xmlschema.XMLSchema:
    """The pain.001.001.03 XSD that sepaxml ships (the same one the sandbox writes against)."""
    path = resources.files("sepaxml") / "schemas" / "pain.001.001.03.xsd"
    with resources.as_file(path) as file:
        return xmlschema.XMLSchema(str(file))


@dataclass(frozen=True, slots=True)
class _Transfer:
    end_to_end_id: str
    amount: Cents
    remittance: list[str]
    debtor_name: str
    debtor_iban: str
    creditor_iban: str
    execution_date: date
    key: str  # what makes the bank's reference: message, payment information and place


def _text(element: etree._Element, path: str) -> str:
    found = element.find("/".join(f"{{{PAIN}}}{part}" for part in path.split("/")))
    return (found.text or "").strip() if found is not None else ""


def _transfers(data: bytes) -> tuple[str, list[_Transfer]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise SimulationError(f"geen XML (regel {error.lineno}: {error.msg})") from None
    if etree.QName(root).namespace != PAIN:
        raise SimulationError(
            f"geen excasso pain.001.001.03 maar {etree.QName(root).namespace or 'XML zonder namespace'}"
        )
    # xmlschema reads lxml's elements; its type hints name only ElementTree's.
    problem = next(iter(pain_schema().iter_errors(cast(Any, root))), None)
    if problem is not None:
        raise SimulationError(
            f"de pain.001 voldoet niet aan haar schema (regel {problem.sourceline}): {problem.reason}"
        )
    message_id = _text(root, "CstmrCdtTrfInitn/GrpHdr/MsgId")
    transfers = []
    for info in root.iterfind(f"{{{PAIN}}}CstmrCdtTrfInitn/{{{PAIN}}}PmtInf"):
        execution = date.fromisoformat(_text(info, "ReqdExctnDt"))
        debtor_name, debtor_iban = _text(info, "Dbtr/Nm"), _text(info, "DbtrAcct/Id/IBAN")
        information_id = _text(info, "PmtInfId")
        for place, tx in enumerate(info.iterfind(f"{{{PAIN}}}CdtTrfTxInf"), start=1):
            amount = tx.find(f"{{{PAIN}}}Amt/{{{PAIN}}}InstdAmt")
            assert amount is not None  # the schema's choice: InstdAmt or EqvtAmt
            if amount.get("Ccy") != "EUR":
                raise SimulationError(f"transactie {place}: bedrag in {amount.get('Ccy')}, niet in euro")
            transfers.append(
                _Transfer(
                    end_to_end_id=_text(tx, "PmtId/EndToEndId"),
                    amount=Cents.parse((amount.text or "").strip()),
                    remittance=[(u.text or "").strip() for u in tx.iterfind(f"{{{PAIN}}}RmtInf/{{{PAIN}}}Ustrd")],
                    debtor_name=debtor_name,
                    debtor_iban=debtor_iban,
                    creditor_iban=_text(tx, "CdtrAcct/Id/IBAN"),
                    execution_date=execution,
                    key=f"{message_id}|{information_id}|{place}",
                )
            )
    return message_id, transfers


def _reference(key: str) -> str:
    """The bank's own reference of one booked transfer (AcctSvcrRef, at most 35 characters)."""
    return "SIM" + hashlib.sha256(key.encode()).hexdigest()[:24].upper()


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CAMT}}}{tag}", attrib=attrs)
    if text is not None:
        element.text = text
    return element


def _balance(statement: etree._Element, code: str, amount: Cents, day: date) -> None:
    balance = _sub(statement, "Bal")
    _sub(_sub(_sub(balance, "Tp"), "CdOrPrtry"), "Cd", code)
    _sub(balance, "Amt", str(Cents(abs(amount.value))), Ccy="EUR")
    _sub(balance, "CdtDbtInd", "CRDT" if amount.value >= 0 else "DBIT")
    _sub(_sub(balance, "Dt"), "Dt", day.isoformat())


def simulate(data: bytes, *, booking_date: date | None = None, opening: Cents | None = None) -> bytes:
    """The camt.053.001.02 for a pain.001 excasso: one statement per creditor account, valid against its XSD."""
    message_id, transfers = _transfers(data)
    if not transfers:
        raise SimulationError("de excasso bevat geen betalingen")
    opening = opening or Cents(0)
    day = booking_date or max(t.execution_date for t in transfers)
    created = f"{day.isoformat()}T18:00:00"
    root = etree.Element(f"{{{CAMT}}}Document", nsmap={None: CAMT})
    message = _sub(root, "BkToCstmrStmt")
    header = _sub(message, "GrpHdr")
    _sub(header, "MsgId", ("SIM-" + message_id)[:35])
    _sub(header, "CreDtTm", created)
    accounts = sorted({t.creditor_iban for t in transfers})
    for number, account in enumerate(accounts, start=1):
        mine = [t for t in transfers if t.creditor_iban == account]
        statement = _sub(message, "Stmt")
        _sub(statement, "Id", (f"SIM-{number}-" + message_id)[:35])
        _sub(statement, "CreDtTm", created)
        _sub(_sub(_sub(statement, "Acct"), "Id"), "IBAN", account)
        _balance(statement, "OPBD", opening, day)
        _balance(statement, "CLBD", opening + sum((t.amount for t in mine), Cents(0)), day)
        for transfer in mine:
            entry = _sub(statement, "Ntry")
            _sub(entry, "Amt", str(transfer.amount), Ccy="EUR")
            _sub(entry, "CdtDbtInd", "CRDT")
            _sub(entry, "Sts", "BOOK")
            _sub(_sub(entry, "BookgDt"), "Dt", day.isoformat())
            _sub(_sub(entry, "ValDt"), "Dt", day.isoformat())
            reference = _reference(transfer.key)
            _sub(entry, "AcctSvcrRef", reference)
            domain = _sub(_sub(entry, "BkTxCd"), "Domn")
            _sub(domain, "Cd", "PMNT")
            codes = _sub(domain, "Fmly")
            _sub(codes, "Cd", "RCDT")
            _sub(codes, "SubFmlyCd", "ESCT")  # a SEPA credit transfer received
            detail = _sub(_sub(entry, "NtryDtls"), "TxDtls")
            refs = _sub(detail, "Refs")
            _sub(refs, "AcctSvcrRef", reference)
            _sub(refs, "EndToEndId", transfer.end_to_end_id)
            _sub(_sub(_sub(detail, "AmtDtls"), "TxAmt"), "Amt", str(transfer.amount), Ccy="EUR")
            parties = _sub(detail, "RltdPties")
            if transfer.debtor_name:
                _sub(_sub(parties, "Dbtr"), "Nm", transfer.debtor_name)
            if transfer.debtor_iban:
                _sub(_sub(_sub(parties, "DbtrAcct"), "Id"), "IBAN", transfer.debtor_iban)
            if transfer.remittance:
                remittance = _sub(detail, "RmtInf")
                for line in transfer.remittance:
                    _sub(remittance, "Ustrd", line)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    schema(CAMT_VERSION).validate(xml.decode("utf-8"))
    return xml
