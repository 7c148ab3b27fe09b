"""Reading camt.053 statements (no database): every messy case of the fixtures has its outcome and message.

The fixtures under fixtures/ are written by hand; those that should read are valid against the ISO 20022 XSD
of their version (checked here too, so a fixture cannot drift from the schema unnoticed).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from inleg.platform.domain.bank.camt import read_statement, schema
from inleg.platform.domain.bank.statement import UnreadableStatement
from inleg.platform.domain.excasso import ExcassoReference
from inleg.platform.domain.money import Cents

FIXTURES = Path(__file__).parent / "fixtures"
ACCOUNT = "NL17INGB6893485813"


def read(name: str) -> object:
    return read_statement((FIXTURES / name).read_bytes())


def refusal(name: str) -> UnreadableStatement:
    with pytest.raises(UnreadableStatement) as caught:
        read_statement((FIXTURES / name).read_bytes())
    return caught.value


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("batch.xml", "camt.053.001.02"),
        ("batch_without_amounts.xml", "camt.053.001.02"),
        ("reversal.xml", "camt.053.001.02"),
        ("mixed.xml", "camt.053.001.04"),
        ("empty.xml", "camt.053.001.02"),
        ("two_statements.xml", "camt.053.001.02"),
        ("overlapping.xml", "camt.053.001.02"),
    ],
)
def test_the_readable_fixtures_are_valid_against_the_iso_schema(name: str, version: str) -> None:
    tree = etree.parse(str(FIXTURES / name))
    assert schema(version).is_valid(tree)
    assert read_statement((FIXTURES / name).read_bytes()).version == version


def test_a_batch_entry_becomes_one_credit_per_transaction_with_a_key_each() -> None:
    credits = read_statement((FIXTURES / "batch.xml").read_bytes()).credits
    assert [(c.key, c.amount, str(c.reference)) for c in credits] == [
        (f"{ACCOUNT}/TX-B1-1", Cents(3000), "PI1-20001-1-1-202601"),  # the transaction's own AcctSvcrRef
        (f"{ACCOUNT}/A:ENTRY-B1/2", Cents(2000), "PI1-20001-2-2-202601"),  # entry reference and place 2
    ]
    first = credits[0]
    assert first.booking_date == date(2026, 1, 31)
    assert first.debtor_name == "Bakkerij Jansen B.V."
    assert first.debtor_iban is not None
    assert first.debtor_iban.value == "NL44SNSB2943648375"
    assert first.remittance.startswith("PI1-20001-1-1-202601 Pensioeninleg")


def test_a_batch_that_cannot_be_split_is_one_credit_not_recognised() -> None:
    (credit,) = read_statement((FIXTURES / "batch_without_amounts.xml").read_bytes()).credits
    assert credit.amount == Cents(5000)
    assert credit.key == f"{ACCOUNT}/A:ENTRY-B2"
    assert credit.reference is None
    assert "verzamelboeking van 2 transacties" in credit.problem


def test_a_reversal_is_a_debit_with_rvslind_and_names_the_reference_it_takes_back() -> None:
    parsed = read_statement((FIXTURES / "reversal.xml").read_bytes())
    (credit,) = parsed.credits
    (reversal,) = parsed.reversals
    assert credit.reference == reversal.reference == ExcassoReference(20001, 1, 1, 2026, 1)
    assert (reversal.key, reversal.amount, reversal.booking_date) == (
        f"{ACCOUNT}/A:RV-1",
        Cents(2000),
        date(2026, 2, 3),
    )


def test_debits_other_currencies_pending_entries_and_entries_without_a_reference_are_ignored_with_a_reason() -> None:
    parsed = read_statement((FIXTURES / "mixed.xml").read_bytes())
    assert [(c.key, c.amount, c.recognised) for c in parsed.credits] == [
        ("NL91ABNA0417164300/A:M-CREDIT", Cents(12550), True),
        ("NL91ABNA0417164300/A:M-INVOICE", Cents(9999), False),
    ]
    assert "referentie onleesbaar" in parsed.credits[1].problem
    assert "factuur 2026-0042" in parsed.credits[1].problem
    reasons = {(i.entry, i.amount): i.reason for i in parsed.ignored}
    assert reasons[("M-DEBIT", "12.00 EUR")] == "afschrijving: geen inleg."
    assert reasons[("M-USD", "40.00 USD")] == "bedrag in USD: alleen bijschrijvingen in euro zijn inleg."
    assert "status PDNG" in reasons[("M-PENDING", "30.00 EUR")]
    assert reasons[("M-DEBIT-BACK", "12.00 EUR")] == "terugboeking van een afschrijving: geen inleg."
    assert "geen eigen referentie" in reasons[("", "7.00 EUR")]
    assert len(parsed.ignored) == 5
    assert parsed.reversals == ()


def test_a_statement_without_entries_reads_as_nothing() -> None:
    parsed = read_statement((FIXTURES / "empty.xml").read_bytes())
    assert len(parsed.statements) == 1
    assert (parsed.credits, parsed.reversals, parsed.ignored) == ((), (), ())


def test_several_statements_in_one_file() -> None:
    parsed = read_statement((FIXTURES / "two_statements.xml").read_bytes())
    assert [s.statement_id for s in parsed.statements] == ["STMT-0202", "STMT-0203"]
    assert [c.key for c in parsed.credits] == [f"{ACCOUNT}/A:DAY2-1", f"{ACCOUNT}/A:DAY3-1"]
    assert parsed.statements[0].created.utcoffset() is not None  # a naive ISODateTime is the bank's local time


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("camt054.xml", "other_message", "dit is geen rekeningafschrift (camt.053) maar een melding van bij- en"),
        ("pain001.xml", "other_message", "dit is geen rekeningafschrift (camt.053) maar een betaalopdracht (pain.001)"),
        ("camt053_v08.xml", "unsupported_version", "versie camt.053.001.08 wordt niet gelezen"),
        ("not_xml.txt", "not_xml", "dit is geen XML-bestand (regel 1"),
    ],
)
def test_a_file_that_is_no_statement_we_read_is_refused_whole_with_a_dutch_message(
    name: str, code: str, words: str
) -> None:
    problem = refusal(name)
    assert problem.code == code
    assert words in str(problem)


def test_xml_that_fails_the_schema_names_the_element_and_the_line() -> None:
    problem = refusal("schema_error.xml")
    assert problem.code == "schema"
    assert problem.line == 17  # the second Ntry, which lacks its Sts
    assert "regel 17, element Ntry" in str(problem)
    assert "Sts" in str(problem)
    assert "{urn:" not in str(problem)
    assert "Er is niets ingelezen" in str(problem)


@pytest.mark.parametrize("data", [b"", b"   \n", b"<Document>", b'<?xml version="1.0"?><a/>'])
def test_empty_broken_or_foreign_xml_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableStatement) as caught:
        read_statement(data)
    assert caught.value.code in ("not_xml", "other_message")


def test_an_external_entity_is_not_resolved() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>'
    )
    with pytest.raises(UnreadableStatement) as caught:
        read_statement(data)
    assert "root:" not in str(caught.value)


def _statement_with(end_to_end_id: str, ustrd: str, amount: str = "12.34") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>P</MsgId><CreDtTm>2026-02-02T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S</Id><CreDtTm>2026-02-02T08:00:00</CreDtTm><Acct><Id><IBAN>{ACCOUNT}</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<Dt><Dt>2026-02-01</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>R</AcctSvcrRef>
<BkTxCd/><NtryDtls><TxDtls><Refs><EndToEndId>{end_to_end_id}</EndToEndId></Refs>
<RmtInf><Ustrd>{ustrd}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>""".encode()


references = st.builds(
    ExcassoReference,
    employer_number=st.integers(1, 999_999),
    employee_number=st.integers(1, 999_999),
    payroll_id=st.integers(1, 999_999),
    year=st.integers(1900, 2100),
    period=st.integers(1, 53),
)


@given(references, st.integers(1, 10**12))
def test_a_reference_and_an_amount_come_back_from_a_statement_as_they_went_in(
    reference: ExcassoReference, cents: int
) -> None:
    amount = Cents(cents)
    words = f"{reference} Pensioeninleg werkgever {reference.employer_number}"
    (credit,) = read_statement(_statement_with(reference.format(), words, str(amount))).credits
    assert credit.reference == reference
    assert credit.amount == amount


def test_an_end_to_end_id_and_a_remittance_that_disagree_are_not_recognised() -> None:
    (credit,) = read_statement(_statement_with("PI1-20001-1-1-202601", "PI1-20001-1-2-202601 x")).credits
    assert credit.reference is None
    assert "referentie onleesbaar" in credit.problem


def test_fractions_of_a_cent_are_no_euro_amount() -> None:
    parsed = read_statement(_statement_with("PI1-20001-1-1-202601", "x", "1.005"))
    assert parsed.credits == ()
    assert parsed.ignored[0].reason == "bedrag met delen van een cent: geen euro-bedrag."
