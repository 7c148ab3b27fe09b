"""The ``inleg sandbox`` subcommands: migrate, seed, serve, payroll, periods."""

from __future__ import annotations

import argparse
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inleg.sandbox.settings")
    import django
    from django.conf import settings

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    django.setup()


def migrate(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print("sandbox: database up to date")
    return 0


def seed(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    from inleg.sandbox.seed import CLIENT_ID, USER_PASSWORD
    from inleg.sandbox.seed import seed as make

    call_command("migrate", interactive=False, verbosity=0)
    try:
        result = make(
            employers=args.employers,
            employees=args.employees,
            rng_seed=args.seed,
            progress=True,
            inleg_values=not args.no_inleg_values,
        )
    except ValueError as error:
        print(f"inleg: {error}", file=sys.stderr)
        return 2
    if not result["created"]:
        print("sandbox: already seeded; nothing changed")
    else:
        print(f"sandbox: seeded {args.employers} employers and {args.employees} employees")
        print(f"  users koppeling, beperkt, kantoor, webservice, beheerder; password {USER_PASSWORD}")
        print(f"  client_id {CLIENT_ID}")
    return 0


def serve(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    from inleg.sandbox.server import ServeCommand

    call_command("migrate", interactive=False, verbosity=0)
    call_command(ServeCommand(), f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0


def payroll(args: argparse.Namespace) -> int:
    _setup()
    from inleg.sandbox.core.models import PayrollAdministration
    from inleg.sandbox.payroll.run import PayrollError, approve_run, run_period

    admins = PayrollAdministration.objects.filter(employer__employer_number=args.employer)
    if not admins.exists():
        print(f"inleg: --employer: no employer with number {args.employer}", file=sys.stderr)
        return 2
    try:
        for admin in admins:
            run = run_period(admin, args.year, args.period)
            if args.approve:
                run = approve_run(run)
            print(f"{admin.name}: run {run.pk} {run.get_status_display()} ({run.results.count()} result lines)")
    except PayrollError as error:
        print(f"inleg: {error}", file=sys.stderr)
        return 2
    return 0


def periods(args: argparse.Namespace) -> int:
    """Open payroll years of an employer: its periods are made, as Loket does when a payroll year is opened."""
    _setup()
    from inleg.sandbox.core.models import PayrollAdministration
    from inleg.sandbox.payroll.periods import ensure_periods

    admins = PayrollAdministration.objects.filter(employer__employer_number=args.employer)
    if not admins.exists():
        print(f"inleg: --employer: no employer with number {args.employer}", file=sys.stderr)
        return 2
    for admin in admins:
        for year in args.year:
            print(f"{admin.name}: {len(ensure_periods(admin, year))} periods in {year}")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sandbox = commands.add_parser("sandbox", help="the Loket sandbox (a local Loket.nl)")
    actions = sandbox.add_subparsers(dest="action", required=True)
    actions.add_parser("migrate", help="create or update the sandbox database").set_defaults(handler=migrate)
    seeding = actions.add_parser("seed", help="make realistic Dutch test data")
    seeding.add_argument("--employers", type=int, default=2)
    seeding.add_argument("--employees", type=int, default=20)
    seeding.add_argument("--seed", type=int, default=2024, help="random seed (the same seed gives the same data)")
    seeding.add_argument(
        "--no-inleg-values",
        action="store_true",
        help="leave Pensify Inleg and Netto inleg empty for every employee (a clean start, as the demo wants)",
    )
    seeding.set_defaults(handler=seed)
    serving = actions.add_parser("serve", help="start the sandbox web server")
    serving.add_argument("--port", type=int, default=8001)
    serving.add_argument("--host", default="127.0.0.1")
    serving.set_defaults(handler=serve)
    running = actions.add_parser("payroll", help="run (and approve) a payroll period of an employer")
    running.add_argument("--employer", type=int, required=True, help="employer number")
    running.add_argument("--year", type=int, required=True)
    running.add_argument("--period", type=int, required=True)
    running.add_argument("--approve", action="store_true")
    running.set_defaults(handler=payroll)
    opening = actions.add_parser("periods", help="open payroll years of an employer (make their periods)")
    opening.add_argument("--employer", type=int, required=True, help="employer number")
    opening.add_argument("--year", type=int, required=True, action="append", help="a year (again for more)")
    opening.set_defaults(handler=periods)
