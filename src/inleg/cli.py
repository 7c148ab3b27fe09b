"""The ``inleg`` command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from inleg.funds import FundError, parse_case
from inleg.funds import presets as fund_presets
from inleg.funds.results import results_json
from inleg.funds.scalar import calculate

EXIT_BAD_INPUT = 2


def _fail(message: str) -> int:
    print(f"inleg: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


class _Unreadable(Exception):
    """A case file that cannot be read or is no JSON; the message says which and where."""


def _read_case(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise _Unreadable(f"{path}: cannot read the case ({error.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _Unreadable(f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None


def funds_calc(args: argparse.Namespace) -> int:
    try:
        data = _read_case(args.case)
    except _Unreadable as error:
        return _fail(str(error))
    try:
        rows = calculate(parse_case(data))
    except FundError as error:
        return _fail(f"{args.case}: {error}")
    if args.format == "table":
        from inleg.funds.table import results_table

        Console(width=200).print(results_table(rows, title=f"Fondsen — {args.case}"))
    else:
        json.dump(results_json(rows), sys.stdout, indent=1)
        sys.stdout.write("\n")
    return 0


def funds_bulk(args: argparse.Namespace) -> int:
    """A case (JSON) as a bulk case file (docs/fund-cases.md, "Bulk (columnar) input")."""
    from inleg.funds.bulk import bulk_of_case, write_bulk

    try:
        data = _read_case(args.case)
    except _Unreadable as error:
        return _fail(str(error))
    try:
        arrays = bulk_of_case(data)
    except FundError as error:
        return _fail(f"{args.case}: {error}")
    write_bulk(args.bulk, arrays)
    links = arrays["employment_funds.number"].size
    print(f"{args.bulk}: {arrays['employments.id'].size} employments, {links} employment funds")
    return 0


def funds_calc_bulk(args: argparse.Namespace) -> int:
    """A bulk case through the batch engine into a columnar results file."""
    from inleg.funds import batch
    from inleg.funds.bulk import read_bulk, write_results
    from inleg.funds.numbers import format_money

    try:
        population = read_bulk(args.bulk)
    except OSError as error:
        return _fail(f"{args.bulk}: cannot read the bulk case ({error.strerror})")
    except FundError as error:
        return _fail(f"{args.bulk}: {error}")
    columns = batch.compute(population)
    write_results(args.results, columns)
    premium, total = (int(columns.sides[s, batch.AMOUNT].sum()) for s in (0, 1))
    print(
        f"{args.results}: {columns.rows} rows; premie {format_money(premium)}, afdracht {format_money(total)}, "
        f"werkgever {format_money(total - premium)}"
    )
    return 0


def funds_presets(args: argparse.Namespace) -> int:
    for preset in fund_presets.available():
        print(f"{preset.name:<28} {preset.year}  {preset.title}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inleg", description="Pension contributions through the payroll.")
    commands = parser.add_subparsers(dest="command", required=True)
    funds = commands.add_parser("funds", help="the fund engine (fondsen)").add_subparsers(dest="action", required=True)
    calc = funds.add_parser("calc", help="compute a fund case (docs/fund-cases.md)")
    calc.add_argument("case", help="path of the case JSON, or - for standard input")
    calc.add_argument("--format", choices=("json", "table"), default="json")
    calc.set_defaults(handler=funds_calc)
    bulk = funds.add_parser("bulk", help="write a case as a bulk (columnar) case file (.npz)")
    bulk.add_argument("case", help="path of the case JSON, or - for standard input")
    bulk.add_argument("bulk", help="path of the bulk case file to write (.npz)")
    bulk.set_defaults(handler=funds_bulk)
    calc_bulk = funds.add_parser("calc-bulk", help="compute a bulk case file into a columnar results file")
    calc_bulk.add_argument("bulk", help="path of the bulk case file (.npz)")
    calc_bulk.add_argument("results", help="path of the results file to write (.npz)")
    calc_bulk.set_defaults(handler=funds_calc_bulk)
    listing = funds.add_parser("presets", help="list the fund presets a case may name")
    listing.set_defaults(handler=funds_presets)
    _add_sandbox(commands)
    _add_platform(commands)
    _add_bank(commands)
    return parser


def _add_sandbox(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``inleg sandbox ...``: its module loads Django only when a sandbox command runs."""
    from inleg.sandbox.commands import add_parser

    add_parser(commands)


def _add_platform(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``inleg platform ...`` (serve, worker, migrate, rotate-keys): Django loads only when one runs."""
    from inleg.platform.commands import add_parser

    add_parser(commands)


def _add_bank(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``inleg bank ...`` (import, simulate): Django loads only for an import."""
    from inleg.platform.bank.commands import add_parser

    add_parser(commands)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
