"""``inleg bank``: import camt.053 statements, and (a test tool) simulate the bank's statement for an excasso."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

EXIT_BAD_INPUT = 2


def _fail(message: str) -> int:
    print(f"inleg: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def simulate(args: argparse.Namespace) -> int:
    """No Django: reads the pain.001 file and writes the camt.053."""
    from inleg.platform.bank.simulate import SimulationError
    from inleg.platform.bank.simulate import simulate as make

    try:
        data = Path(args.excasso).read_bytes()
    except OSError as error:
        return _fail(f"{args.excasso}: kan het bestand niet lezen ({error.strerror})")
    try:
        statement = make(data, booking_date=args.date)
    except SimulationError as error:
        return _fail(f"{args.excasso}: {error}")
    if args.output in (None, "-"):
        sys.stdout.buffer.write(statement)
    else:
        Path(args.output).write_bytes(statement)
        print(f"bank: rekeningafschrift (camt.053.001.02, gesimuleerd) geschreven naar {args.output}", file=sys.stderr)
    return 0


def import_files(args: argparse.Namespace) -> int:
    from inleg.platform.commands import _setup

    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from inleg.platform.accounts.models import Company
    from inleg.platform.bank.booking import book_pending
    from inleg.platform.bank.models import StatementFile
    from inleg.platform.bank.services import import_file
    from inleg.platform.integrations.models import LoketConnection

    if args.company is not None:
        company = Company.objects.filter(pk=args.company).first()
        if company is None:
            return _fail(f"--company: er is geen bedrijf met id {args.company}")
    else:
        connection = LoketConnection.objects.filter(employer_number=args.employer).select_related("company").first()
        if connection is None:
            return _fail(f"--employer: geen bedrijf heeft werkgever {args.employer} van Loket.nl gekoppeld")
        company = connection.company
    refused = False
    for name in args.files:
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            refused = True
            print(f"{name}: niet ingelezen: kan het bestand niet lezen ({error.strerror})")
            continue
        record = import_file(company, Path(name).name, data)
        if record.outcome == StatementFile.Outcome.REFUSED:
            refused = True
            print(f"{name}: niet ingelezen: {record.message}")
        else:
            print(
                f"{name}: ingelezen ({record.version}): {record.credits} nieuwe bijschrijvingen "
                f"({record.matched} herkend, {record.unrecognised} niet herkend), {record.reversals} terugboekingen, "
                f"{record.ignored} genegeerd, {record.duplicates} al eerder ingelezen"
            )
            outcome = book_pending(company)
            print(f"{name}: {outcome.booked} geboekt in het grootboek, {outcome.waiting} wachten op een beslissing")
    return EXIT_BAD_INPUT if refused else 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bank = commands.add_parser("bank", help="bank statements of the pension provider (camt.053)")
    actions = bank.add_subparsers(dest="action", required=True)
    importing = actions.add_parser(
        "import", help="read camt.053 statements (001.02, 001.04) into a company's credits; nothing is read twice"
    )
    importing.add_argument("files", nargs="+", metavar="FILE", help="camt.053 XML files")
    whose = importing.add_mutually_exclusive_group(required=True)
    whose.add_argument("--company", type=int, help="the company's id on the platform")
    whose.add_argument("--employer", type=int, help="the Loket.nl employer number a company has connected")
    importing.set_defaults(handler=import_files)
    simulating = actions.add_parser(
        "simulate",
        help="TEST TOOL: the camt.053.001.02 the provider's bank would send for a pain.001 excasso",
        description="A test tool for tests and the demo, not for production: turns the sandbox's pain.001 excasso "
        "into the camt.053.001.02 statement the pension provider's bank would send (one credit per transfer).",
    )
    simulating.add_argument("excasso", metavar="EXCASSO.xml", help="a pain.001.001.03 file (the sandbox's excasso)")
    simulating.add_argument("-o", "--output", help="where to write the statement (default: standard output)")
    simulating.add_argument(
        "--date", type=date.fromisoformat, help="booking date YYYY-MM-DD (default: the requested execution date)"
    )
    simulating.set_defaults(handler=simulate)
