"""Reading a camt.053 bank-to-customer statement (ISO 20022), versions 001.02 and 001.04 (as Dutch banks send).

``read_statement(data)`` takes the file's bytes and gives a ``StatementFile`` or raises ``UnreadableStatement``
with a Dutch message: not XML, another message (camt.054, pain.001, ...), a version we do not read, or XML that
fails the ISO 20022 schema of the version its namespace names (the element and the line). The schemas are the
ISO 20022 XSDs kept beside this module (``xsd/SOURCE.md``); nothing is downloaded.

lxml and xmlschema are libraries, not frameworks: the domain's import contract allows them, and keeping the
reading here keeps every rule about a statement's entries in one framework-free place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, cast
from zoneinfo import ZoneInfo

import xmlschema
from lxml import etree

from inleg.platform.domain.bank.iban import Iban, InvalidIban
from inleg.platform.domain.bank.statement import (
    SUPPORTED_VERSIONS,
    Credit,
    Ignored,
    Reversal,
    Statement,
    StatementFile,
    UnreadableStatement,
)
from inleg.platform.domain.excasso import ExcassoReference, MalformedReference, reference_of_payment
from inleg.platform.domain.money import Cents

ISO_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
EURO = "EUR"
_NAMESPACE = re.compile(r"\{[^}]*\}")  # {urn:iso:...}Sts reads as Sts in a message
ASK = "lees het rekeningafschrift (camt.053) van de bank in."

# What another ISO 20022 message is, for the refusal: "dit is geen rekeningafschrift (camt.053) maar ...".
OTHER_MESSAGES = {
    "camt.052": "een tussentijds rekeningrapport (camt.052)",
    "camt.054": "een melding van bij- en afschrijvingen (camt.054)",
    "pain.001": "een betaalopdracht (pain.001), zoals de excasso die de verloning maakt",
    "pain.002": "een statusbericht over betaalopdrachten (pain.002)",
    "pain.008": "een incasso-opdracht (pain.008)",
}


@cache
def schema(version: str) -> xmlschema.XMLSchema:
    """The ISO 20022 XSD of a supported version, kept in this package."""
    path = resources.files("inleg.platform.domain.bank") / "xsd" / f"{version}.xsd"
    with resources.as_file(path) as file:
        return xmlschema.XMLSchema(str(file))


@cache
def fast_schema(version: str) -> etree.XMLSchema:
    """The same XSD compiled by libxml2 (lxml): checks a 100,000-entry statement in a second where xmlschema, pure
    Python, takes a minute. It only says whether a file is valid; xmlschema words the refusal (element, path, line)."""
    path = resources.files("inleg.platform.domain.bank") / "xsd" / f"{version}.xsd"
    with resources.as_file(path) as file:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return etree.XMLSchema(etree.parse(str(file), parser))


def _parse_xml(data: bytes) -> etree._Element:
    if not data.strip():
        raise UnreadableStatement(
            "het bestand is leeg; lees het rekeningafschrift (camt.053) van de bank in.", code="not_xml"
        )
    # No DTDs, no entities, no network: a statement is data from outside.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno
        raise UnreadableStatement(
            f"dit is geen XML-bestand (regel {line}: {error.msg}); {ASK}",
            code="not_xml",
            line=line,
        ) from None


def _version_of(root: etree._Element) -> str:
    """The message and version the root's namespace names (``camt.053.001.02``), or a refusal."""
    qname = etree.QName(root)
    namespace = qname.namespace or ""
    if not namespace.startswith(ISO_PREFIX):
        raise UnreadableStatement(
            f"dit is geen rekeningafschrift (camt.053) maar ander XML (hoofdelement {qname.localname}"
            + (f", namespace {namespace}" if namespace else ", zonder ISO 20022-namespace")
            + "); lees het rekeningafschrift (camt.053) van de bank in.",
            code="other_message",
        )
    version = namespace[len(ISO_PREFIX) :]
    message = version[:8]
    if message != "camt.053":
        what = OTHER_MESSAGES.get(message, f"een ander ISO 20022-bericht ({version})")
        raise UnreadableStatement(
            f"dit is geen rekeningafschrift (camt.053) maar {what}; {ASK}",
            code="other_message",
        )
    if version not in SUPPORTED_VERSIONS:
        raise UnreadableStatement(
            f"rekeningafschrift versie {version} wordt niet gelezen; alleen {' en '.join(SUPPORTED_VERSIONS)}. "
            "Vraag de bank het afschrift in een van die versies.",
            code="unsupported_version",
        )
    return version


def _validate(root: etree._Element, version: str) -> None:
    try:
        if fast_schema(version).validate(root):
            return
        fast_error = fast_schema(version).error_log.last_error
    except etree.Error:  # libxml2 gives up on some trees (an unresolved entity): xmlschema decides
        fast_error = None
    # xmlschema reads lxml's elements (and gives their source lines); its type hints name only ElementTree's.
    for error in schema(version).iter_errors(cast(Any, root)):
        element = error.elem
        name = _NAMESPACE.sub("", element.tag) if element is not None and isinstance(element.tag, str) else "?"
        line = error.sourceline if isinstance(error.sourceline, int) else None
        where = f"regel {line}, " if line is not None else ""
        raise UnreadableStatement(
            f"het rekeningafschrift voldoet niet aan het schema {version}: {where}element {name} "
            f"({error.path}): {_NAMESPACE.sub('', error.reason or '').rstrip('.')}. Er is niets ingelezen.",
            code="schema",
            line=line,
        )
    if fast_error is not None:  # libxml2 refused what xmlschema accepts: refuse it too (whole), in libxml2's words
        raise UnreadableStatement(
            f"het rekeningafschrift voldoet niet aan het schema {version}: regel {fast_error.line}: "
            f"{_NAMESPACE.sub('', fast_error.message).rstrip('.')}. Er is niets ingelezen.",
            code="schema",
            line=fast_error.line,
        )


@dataclass(frozen=True, slots=True)
class _Reader:
    """Finds elements of one namespace; every path is relative and in ISO 20022's short names."""

    ns: str

    def q(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        return element.find(self.q(path))

    def findall(self, element: etree._Element, path: str) -> list[etree._Element]:
        return element.findall(self.q(path))

    def text(self, element: etree._Element | None, path: str) -> str:
        if element is None:
            return ""
        found = element.find(self.q(path))
        return (found.text or "").strip() if found is not None else ""


def _cents(text: str) -> Cents | None:
    """A schema-valid amount (at most 5 decimals) as whole cents; None when it holds fractions of a cent."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    cents = value * 100
    if cents != cents.to_integral_value():
        return None
    return Cents(int(cents))


def _date(r: _Reader, element: etree._Element, path: str) -> date | None:
    found = r.find(element, path)
    if found is None:
        return None
    day = r.text(found, "Dt")
    if day:
        return date.fromisoformat(day)
    moment = r.text(found, "DtTm")
    return datetime.fromisoformat(moment).date() if moment else None


BANK_TIME = ZoneInfo("Europe/Amsterdam")


def _datetime(text: str) -> datetime:
    """ISO 20022's ISODateTime; without an offset it is the bank's local time (Dutch banks: Amsterdam)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=BANK_TIME)


@dataclass(frozen=True, slots=True)
class _Transfer:
    """One transaction of an entry, before it becomes a credit or a reversal."""

    key: str
    amount: Cents
    end_to_end_id: str
    remittance: str
    debtor_name: str
    debtor_iban: Iban | None
    problem: str  # a problem of the batch as a whole, before the reference is read


def _detail_amount(r: _Reader, detail: etree._Element) -> tuple[str, str]:
    """A detail's own amount and currency: ``Amt`` (001.04), else ``AmtDtls/TxAmt`` or ``AmtDtls/InstdAmt``."""
    for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt"):
        found = r.find(detail, path)
        if found is not None:
            return (found.text or "").strip(), found.get("Ccy", "")
    return "", ""


def _transfers(r: _Reader, account: Iban, entry: etree._Element, amount: Cents, direction: str) -> list[_Transfer]:
    """The entry's transactions with their keys and amounts (see the keys in ``statement``)."""
    acct_svcr_ref = r.text(entry, "AcctSvcrRef")
    entry_ref = (
        f"A:{acct_svcr_ref}" if acct_svcr_ref else (f"N:{r.text(entry, 'NtryRef')}" if r.text(entry, "NtryRef") else "")
    )
    details = [detail for block in r.findall(entry, "NtryDtls") for detail in r.findall(block, "TxDtls")]

    def parts(detail: etree._Element | None) -> tuple[str, str, str, Iban | None]:
        end_to_end = r.text(detail, "Refs/EndToEndId")
        lines = [] if detail is None else [(u.text or "").strip() for u in r.findall(detail, "RmtInf/Ustrd")]
        name = r.text(detail, "RltdPties/Dbtr/Nm")
        raw_iban = r.text(detail, "RltdPties/DbtrAcct/Id/IBAN")
        try:
            iban = Iban(raw_iban) if raw_iban else None
        except InvalidIban:
            iban = None  # the payer's account is information only; a wrong one does not stop the credit
        return end_to_end, " ".join(line for line in lines if line), name, iban

    if len(details) <= 1:
        detail = details[0] if details else None
        own = r.text(detail, "Refs/AcctSvcrRef")
        ref = own or entry_ref
        if not ref:
            return []
        return [_Transfer(f"{account}/{ref}", amount, *parts(detail), problem="")]

    amounts: list[Cents | None] = []
    for detail in details:
        text, currency = _detail_amount(r, detail)
        detail_direction = r.text(detail, "CdtDbtInd") or direction
        amounts.append(_cents(text) if text and currency == EURO and detail_direction == direction else None)
    split = all(a is not None for a in amounts) and sum((a for a in amounts if a is not None), Cents(0)) == amount
    if not split:
        if not entry_ref:
            return []
        problem = (
            f"een verzamelboeking van {len(details)} transacties waarvan de bedragen ontbreken of niet optellen tot "
            f"het bedrag van de boeking ({amount} euro); verdeel haar met de hand."
        )
        return [_Transfer(f"{account}/{entry_ref}", amount, "", "", "", None, problem=problem)]
    transfers = []
    for place, (detail, part) in enumerate(zip(details, amounts, strict=True), start=1):
        assert part is not None
        own = r.text(detail, "Refs/AcctSvcrRef")
        if own:
            key = f"{account}/{own}"
        elif entry_ref:
            key = f"{account}/{entry_ref}/{place}"
        else:
            return []
        transfers.append(_Transfer(key, part, *parts(detail), problem=""))
    return transfers


def _reference(end_to_end_id: str, remittance: str) -> tuple[ExcassoReference | None, str]:
    try:
        return reference_of_payment(end_to_end_id or None, remittance or None), ""
    except MalformedReference:
        if not end_to_end_id and not remittance:
            return None, "referentie onleesbaar: geen EndToEndId en geen omschrijving (Ustrd)."
        return None, (
            f"referentie onleesbaar: EndToEndId {end_to_end_id or '(leeg)'!r}, omschrijving {remittance or '(leeg)'!r} "
            "noemen geen (of niet dezelfde) excassoreferentie PI1-werkgever-werknemer-loonnummer-JJJJPP."
        )


def _entry_name(r: _Reader, entry: etree._Element) -> str:
    return r.text(entry, "AcctSvcrRef") or r.text(entry, "NtryRef")


def _statement(r: _Reader, element: etree._Element) -> Statement:
    statement_id = r.text(element, "Id")
    raw_account = r.text(element, "Acct/Id/IBAN")
    if not raw_account:
        raise UnreadableStatement(
            f"afschrift {statement_id}: de rekening heeft geen IBAN; alleen afschriften van een IBAN-rekening "
            "worden gelezen.",
            code="account",
            line=element.sourceline,
        )
    try:
        account = Iban(raw_account)
    except InvalidIban as error:
        raise UnreadableStatement(
            f"afschrift {statement_id}: rekening {raw_account} {error.problem}", code="account", line=element.sourceline
        ) from None
    created = _datetime(r.text(element, "CreDtTm"))
    credits: list[Credit] = []
    reversals: list[Reversal] = []
    ignored: list[Ignored] = []
    for entry in r.findall(element, "Ntry"):
        line = entry.sourceline or 0
        amount_element = r.find(entry, "Amt")
        assert amount_element is not None  # required by the schema
        raw_amount = (amount_element.text or "").strip()
        currency = amount_element.get("Ccy", "")
        shown = f"{raw_amount} {currency}"
        direction = r.text(entry, "CdtDbtInd")
        reversal = r.text(entry, "RvslInd").lower() in ("true", "1")
        status = r.text(entry, "Sts")

        def ignore(reason: str, entry: etree._Element = entry, shown: str = shown, line: int = line) -> None:
            ignored.append(Ignored(_entry_name(r, entry), shown, reason, line))

        if status != "BOOK":
            ignore(f"nog niet definitief geboekt door de bank (status {status}); het definitieve afschrift telt.")
            continue
        if currency != EURO:
            ignore(f"bedrag in {currency}: alleen bijschrijvingen in euro zijn inleg.")
            continue
        if direction == "CRDT" and reversal:
            ignore("terugboeking van een afschrijving: geen inleg.")
            continue
        if direction == "DBIT" and not reversal:
            ignore("afschrijving: geen inleg.")
            continue
        amount = _cents(raw_amount)
        if amount is None:
            ignore("bedrag met delen van een cent: geen euro-bedrag.")
            continue
        booked = _date(r, entry, "BookgDt") or _date(r, entry, "ValDt") or created.date()
        valued = _date(r, entry, "ValDt")
        transfers = _transfers(r, account, entry, amount, direction)
        if not transfers:
            ignore(
                "de bank gaf deze boeking geen eigen referentie (AcctSvcrRef of NtryRef): zonder die referentie kan "
                "ze niet zonder dubbel boeken worden ingelezen; boek haar met de hand."
            )
            continue
        for transfer in transfers:
            reference, problem = (
                (None, transfer.problem)
                if transfer.problem
                else _reference(transfer.end_to_end_id, transfer.remittance)
            )
            if direction == "CRDT":
                credits.append(
                    Credit(
                        key=transfer.key,
                        amount=transfer.amount,
                        booking_date=booked,
                        value_date=valued,
                        end_to_end_id=transfer.end_to_end_id,
                        remittance=transfer.remittance,
                        debtor_name=transfer.debtor_name,
                        debtor_iban=transfer.debtor_iban,
                        reference=reference,
                        problem=problem,
                        line=line,
                    )
                )
            else:
                reversals.append(
                    Reversal(
                        key=transfer.key,
                        amount=transfer.amount,
                        booking_date=booked,
                        end_to_end_id=transfer.end_to_end_id,
                        remittance=transfer.remittance,
                        reference=reference,
                        problem=problem,
                        line=line,
                    )
                )
    return Statement(statement_id, account, created, tuple(credits), tuple(reversals), tuple(ignored))


def read_statement(data: bytes) -> StatementFile:
    """A camt.053 file read whole, or ``UnreadableStatement`` saying in Dutch why not (nothing half-read)."""
    root = _parse_xml(data)
    version = _version_of(root)
    _validate(root, version)
    r = _Reader(ISO_PREFIX + version)
    message = r.find(root, "BkToCstmrStmt")
    assert message is not None  # required by the schema
    statements = tuple(_statement(r, element) for element in r.findall(message, "Stmt"))
    return StatementFile(
        version=version,
        message_id=r.text(message, "GrpHdr/MsgId"),
        created=_datetime(r.text(message, "GrpHdr/CreDtTm")),
        statements=statements,
    )
