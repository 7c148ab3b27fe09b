"""Contributions benchmark: write a scheme for 10,000 employments into the sandbox over HTTP, write again with
nothing changed, approve the payroll run of the period, and read what it paid back.

The sandbox runs as its own server (seeded so that the coupled employer has ``--employees`` people); the platform
couples through the real consent flow, imports as the worker does, sets a fixed amount for everyone and runs the
write as the worker does (django-tasks-db, batch mode). The payroll run is the sandbox's own CLI
(``inleg sandbox payroll --approve``); the read-back is the platform's ``read_results``.
Last line: ``write_s=A noop_s=B noop_writes=C readback_s=D``. Targets: write < 60 s, unchanged < 10 s with
0 writes, read-back < 20 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Any

from platform_against_sandbox import setup_platform, with_seeded_sandbox


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=10_000, help="employees of the coupled employer")
    parser.add_argument("--amount", type=int, default=5000, help="the fixed amount per period, in cents")
    args = parser.parse_args()

    return with_seeded_sandbox(args.employees, lambda sandbox: run(sandbox, args))


def run(sandbox: Any, args: argparse.Namespace) -> int:
    from tests.platform.loket_sandbox import BIN, consent, path_and_query

    setup_platform(sandbox, "inleg-bench-contributions-")
    from django.core.management import call_command
    from django.utils import timezone

    from inleg.loket import new_code_verifier, new_state
    from inleg.platform.accounts.models import Company, Role, User
    from inleg.platform.contributions import services as contributions
    from inleg.platform.contributions.models import WriteFailure, WriteRun
    from inleg.platform.domain.money import Cents
    from inleg.platform.employees.models import Employment, SyncRun
    from inleg.platform.employees.runs import request_sync
    from inleg.platform.integrations import services
    from inleg.platform.integrations.models import LoketConnection, State

    year = timezone.now().year
    sandbox.orm(
        "from inleg.sandbox.core.models import PayrollAdministration\n"
        "from inleg.sandbox.payroll.periods import ensure_periods\n"
        "for admin in PayrollAdministration.objects.all():\n"
        f"    ensure_periods(admin, {year})\n"
        f"    ensure_periods(admin, {year + 1})\n"
    )
    call_command("migrate", interactive=False, verbosity=0)
    company = Company.objects.create(name="Bench B.V.")
    user = User.objects.create_user("bench@example.nl", None, name="Bench", company=company, role=Role.ADMIN)
    state, verifier = new_state(), new_code_verifier()
    oauth = services.oauth()
    _, query = path_and_query(consent(oauth.authorization_url(state, verifier), "koppeling"))
    tokens = oauth.exchange_code(oauth.code_from_callback(query, state), verifier)
    connection = LoketConnection(company=company)
    connection.store_tokens(tokens.access_token, tokens.refresh_token, tokens.expires_at, tokens.two_factor_state)
    connection.save()
    if services.check(connection).state != State.ACTIVE:
        print(f"bench: the connection is not active: {connection.state} {connection.notice}", file=sys.stderr)
        return 1
    connection.refresh_from_db()
    if not (connection.component_key and connection.net_component_key):
        print("bench: the gross and net components were not recognised", file=sys.stderr)
        return 1

    # A new scheme on components nobody else wrote: the seed's own records on them go (as in the platform's
    # write tests); with them, every employment would be a conflict for the payroll administrator.
    sandbox.orm(
        "from inleg.sandbox.core.models import BenefitDeduction\n"
        "BenefitDeduction.objects.filter(component__key__in="
        f"({connection.component_key}, {connection.net_component_key})).delete()\n"
    )
    started = time.perf_counter()
    request_sync(company, SyncRun.Kind.IMPORT, SyncRun.Trigger.MANUAL)
    call_command("platform_worker", batch=True, verbosity=0)
    jobs = Employment.objects.filter(company=company).count()
    print(f"import       {time.perf_counter() - started:6.2f} s  {jobs} employments", flush=True)

    contributions.set_scheme(company, user, amount=Cents(args.amount))
    period = contributions.effective_period(company)

    def write(label: str) -> tuple[float, WriteRun]:
        started = time.perf_counter()
        run = contributions.request_writes(company, user)
        call_command("platform_worker", batch=True, verbosity=0)
        seconds = time.perf_counter() - started
        run.refresh_from_db()
        failures = WriteFailure.objects.filter(run=run)
        print(
            f"{label:<12} {seconds:6.2f} s  {run.status} writes={run.writes} done={run.done}/{run.total} "
            f"chunks={run.chunks} failures={failures.count()}",
            flush=True,
        )
        for failure in failures[:3]:
            print(f"  {failure.employment_id} {failure.component_key}: {failure.reason}", flush=True)
        return seconds, run

    write_s, first = write("write")
    if first.status not in (WriteRun.Status.DONE, WriteRun.Status.DONE_WITH_FAILURES) or not first.writes:
        raise SystemExit(f"bench: the write run ended {first.status} with {first.writes} writes")
    noop_s, again = write("unchanged")

    number = connection.employer_number
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "inleg"), "sandbox", "payroll", "--employer", str(number), "--year", str(period.year),
         "--period", str(period.number), "--approve"],
        env=sandbox.env, cwd=sandbox.dir, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"bench: the sandbox payroll run failed:\n{done.stderr}")
    print(f"payroll run  {time.perf_counter() - started:6.2f} s  (sandbox, not measured)", flush=True)
    started = time.perf_counter()
    read = contributions.read_results(company, period.key)
    readback_s = time.perf_counter() - started
    print(f"read back    {readback_s:6.2f} s  {read} employments paid", flush=True)
    print(f"write_s={write_s:.1f} noop_s={noop_s:.2f} noop_writes={again.writes} readback_s={readback_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
