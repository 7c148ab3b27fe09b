"""Bank import and reconciliation benchmark: a camt.053 with the excasso payments of 10,000 employees among 90,000
other entries, imported and booked, then the reconciliation of that period.

The 10,000 employments, their scheme, what was written to Loket (the write journal) and what the payroll paid
(``PaidAmount``) are created directly in the platform's database, not through the sandbox: this measures the bank
import, the booking and the reconciliation, not Loket (``bench/sync.py`` measures the sync). The statement is
generated here: one credit per employment with its excasso reference, and 90,000 other entries on the same
account: debits (``--other-credits`` of them other credits without an excasso reference, which wait as
*niet herkend* in suspense).

Last line: ``bank_import_s=A entries=B reconcile_s=C`` (the import includes the booking into the ledger).
Targets: import < 60 s, reconciliation < 10 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

EMPLOYER = 20001
YEAR, PERIOD = 2026, 1
ACCOUNT = "NL17INGB6893485813"
GROSS_KEY, NET_KEY = 751, 831
GROSS, NET = 10000, 2500  # cents per employment: € 100,00 employer money, € 25,00 own money
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def _entry(reference: str, cents: int, debit: bool, end_to_end: str, remittance: str) -> str:
    amount = f"{cents // 100}.{cents % 100:02d}"
    side = "DBIT" if debit else "CRDT"
    family = "ICDT" if debit else "RCDT"
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>2026-01-27</Dt></BookgDt><ValDt><Dt>2026-01-27</Dt></ValDt><AcctSvcrRef>{reference}</AcctSvcrRef>"
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><AcctSvcrRef>{reference}</AcctSvcrRef><EndToEndId>{end_to_end}</EndToEndId></Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>'
        f"<RmtInf><Ustrd>{remittance}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )


def statement(employees: int, others: int, other_credits: int) -> tuple[bytes, int]:
    """The camt.053.001.02 and its number of entries; the employees' credits spread among the others."""
    entries: list[str] = []
    balance = 0
    every = max(1, (employees + others) // max(employees, 1))
    employee, other = 0, 0
    while employee < employees or other < others:
        if employee < employees and (len(entries) % every == 0 or other >= others):
            employee += 1
            token = f"PI1-{EMPLOYER}-{employee}-1-{YEAR}{PERIOD:02d}"
            entries.append(_entry(f"EX{employee:08d}", GROSS + NET, False, token, f"{token} Pensioeninleg"))
            balance += GROSS + NET
        else:
            other += 1
            credit = other <= other_credits
            cents = 1000 + other % 5000
            entries.append(_entry(f"OT{other:08d}", cents, not credit, f"FACTUUR-{other}", f"Factuur {other}"))
            balance += cents if credit else -cents
    opening = 10_000_000_00
    closing = opening + balance

    def bal(code: str, cents: int) -> str:
        side = "CRDT" if cents >= 0 else "DBIT"
        cents = abs(cents)
        return (
            f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{cents // 100}.{cents % 100:02d}</Amt>'
            f"<CdtDbtInd>{side}</CdtDbtInd><Dt><Dt>2026-01-27</Dt></Dt></Bal>"
        )

    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NS}"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>BENCH-1</MsgId><CreDtTm>2026-01-27T18:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>BENCH-STMT-1</Id><CreDtTm>2026-01-27T18:00:00</CreDtTm><Acct><Id><IBAN>{ACCOUNT}</IBAN></Id></Acct>"
        + bal("OPBD", opening)
        + bal("CLBD", closing)
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    )
    return xml.encode(), len(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--others", type=int, default=90_000, help="other entries on the statement")
    parser.add_argument("--other-credits", type=int, default=1_000, help="of the others: credits (the rest debits)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="inleg-bench-reconcile-"))
    os.environ.setdefault("PLATFORM_DEBUG", "1")  # no HTTP here: the development keys do
    os.environ.update({"PLATFORM_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "inleg.platform.settings"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return run(args)


def run(args: argparse.Namespace) -> int:
    from inleg.platform.accounts.models import Company
    from inleg.platform.bank.booking import book_pending
    from inleg.platform.bank.services import import_file
    from inleg.platform.contributions.models import ContributionSettings, JournalEntry, PaidAmount, Version
    from inleg.platform.domain.contributions.periods import PeriodKey
    from inleg.platform.employees.models import Employee, Employment
    from inleg.platform.integrations.models import LoketConnection, State
    from inleg.platform.reconciliation.services import reconcile

    started = time.perf_counter()
    company = Company.objects.create(name="Bench B.V.")
    LoketConnection.objects.create(
        company=company,
        state=State.ACTIVE,
        employer_id="bench",
        employer_number=EMPLOYER,
        component_key=GROSS_KEY,
        net_component_key=NET_KEY,
    )
    made = datetime(2026, 1, 5, 9, tzinfo=UTC)
    ContributionSettings.objects.create(
        company=company,
        periods=[{"year": YEAR, "number": PERIOD, "start": "2026-01-01", "end": "2026-01-31", "ran": True}],
    )
    Version.objects.create(
        company=company, kind="scheme", from_year=YEAR, from_number=PERIOD, rule="fixed", amount_cents=GROSS,
        author="bench", made_at=made,
    )  # fmt: skip
    Employee.objects.bulk_create(
        Employee(company=company, loket_id=f"e{n}", employee_number=n, last_name=f"Werknemer {n}")
        for n in range(1, args.employees + 1)
    )
    people = {e.employee_number: e for e in Employee.objects.filter(company=company)}
    Employment.objects.bulk_create(
        Employment(company=company, employee=people[n], loket_id=f"m{n}", start_date=date(2020, 1, 1))
        for n in range(1, args.employees + 1)
    )
    jobs = list(Employment.objects.filter(company=company))
    Version.objects.bulk_create(
        Version(company=company, kind="net", from_year=YEAR, from_number=PERIOD, rule="fixed", amount_cents=NET,
                employment=job, author="bench", made_at=made)
        for job in jobs
    )  # fmt: skip
    JournalEntry.objects.bulk_create(
        JournalEntry(company=company, entry_id=f"j-{job.loket_id}-{key}", action="create", employment_id=job.loket_id,
                     component_key=key, record_id=f"r-{job.loket_id}-{key}", start=date(2026, 1, 1), value_cents=value,
                     made_at=made, status="done")
        for job in jobs
        for key, value in ((GROSS_KEY, GROSS), (NET_KEY, NET))
    )  # fmt: skip
    PaidAmount.objects.bulk_create(
        PaidAmount(company=company, employment=job, year=YEAR, number=PERIOD, gross_cents=GROSS, withheld_cents=GROSS,
                   net_cents=NET, excasso_cents=GROSS + NET, read_at=datetime(2026, 1, 26, 12, tzinfo=UTC))
        for job in jobs
    )  # fmt: skip
    data, entries = statement(args.employees, args.others, args.other_credits)
    print(f"setup: {args.employees} employments, statement of {entries} entries ({len(data) / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip

    started = time.perf_counter()
    record = import_file(company, "bench.xml", data)
    read_s = time.perf_counter() - started
    if record.outcome != "read":
        print(f"bench: the statement was refused: {record.message}", file=sys.stderr)
        return 1
    outcome = book_pending(company)
    bank_import_s = time.perf_counter() - started
    booking_s = bank_import_s - read_s
    print(
        f"import: read and stored in {read_s:.1f} s ({record.matched} recognised, {record.unrecognised} not, "
        f"{record.ignored} ignored); {outcome.booked} booked in {booking_s:.1f} s",
        flush=True,
    )

    started = time.perf_counter()
    lines = reconcile(company, PeriodKey(YEAR, PERIOD), today=date(2026, 1, 28))
    reconcile_s = time.perf_counter() - started
    counts = Counter(str(line.verdict.status) for line in lines)
    print(f"reconciliation: {len(lines)} rows {dict(counts)}", flush=True)
    if counts.get("in orde") != args.employees:
        print("bench: not every row is in orde", file=sys.stderr)
        return 1
    print(f"bank_import_s={bank_import_s:.1f} entries={entries} reconcile_s={reconcile_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
