"""Sandbox benchmark: seed 10,000 employees, list all employments over HTTP (page size 250), run payroll periods.

The runs: March as it stands (``plain_run_s``); then June; then, for 10 % of the employments (``--changed``),
fund 1 changes from 1 April (the record closed on 31 March, a new one with a deviation of 8 % / 20 % from
1 April), saved after the June run; then July (``payroll_run_s``): dated links, and a herrekening of June.

Then a payroll bureau's month, in a fresh sandbox database of its own (a second process): the seed with
``--bureau-employees`` employees (114,000: some left before 2024, so July holds 100,000 and more employments,
three funds each), June run, the same 10 % change, and July timed as above (``payroll_run_100k_s``: the
herrekening of June included). ``--bureau-employees 0`` leaves it out.

Last line: ``seed_s=A list_per_s=B plain_run_s=C payroll_run_s=D corrections=E seed_100k_s=F
payroll_run_100k_s=G employments_100k=H corrections_100k=I``. Targets: seed < 60 s, listing >= 2,000/s, each
run < 30 s; the bureau's July < 60 s (its seed has no target).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--employers", type=int, default=2)
    parser.add_argument("--changed", type=float, default=0.10, help="share of employments whose fund 1 changes")
    parser.add_argument("--bureau-employees", type=int, default=114_000, help="employees of the bureau's month")
    parser.add_argument("--bureau-only", action="store_true", help="only the bureau's month (its own process)")
    args = parser.parse_args()
    if args.bureau_only:
        return bureau(args)
    bureau_line = ""
    if args.bureau_employees:
        # Its own process: a fresh sandbox database, and a Django set up for it alone.
        command = [sys.executable, __file__, "--bureau-only", "--bureau-employees", str(args.bureau_employees),
                   "--employers", str(args.employers), "--changed", str(args.changed)]  # fmt: skip
        done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
        bureau_line = " " + done.stdout.strip().splitlines()[-1]
    work = Path(tempfile.mkdtemp(prefix="inleg-bench-"))
    os.environ["SANDBOX_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inleg.sandbox.settings")
    import django

    django.setup()
    import httpx
    from django.core.management import call_command
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application, set_token_value

    from inleg.sandbox.core.models import Employer, EmploymentFund, LoketUser, PayrollAdministration, PayrollResult
    from inleg.sandbox.payroll.run import run_period
    from inleg.sandbox.seed import CLIENT_ID, seed

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    seed(employers=args.employers, employees=args.employees, progress=False)
    seed_s = time.perf_counter() - started

    raw = secrets.token_urlsafe(30)
    token = AccessToken(user=LoketUser.objects.get(username="kantoor"), application=Application.objects.get(
        client_id=CLIENT_ID), expires=timezone.now() + timedelta(hours=1), scope="all")  # fmt: skip
    set_token_value(token, raw)
    token.save()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "inleg.cli", "sandbox", "serve", "--port", str(port)],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        headers = {"Authorization": f"Bearer {raw}", "Accept": "application/json;version=2019-12-16"}
        base = f"http://127.0.0.1:{port}/v2/providers/employers"
        with httpx.Client(headers=headers, timeout=60) as client:
            for _ in range(300):
                try:
                    client.get(f"http://127.0.0.1:{port}/v2/user")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            listed = 0
            started = time.perf_counter()
            for employer in Employer.objects.all():
                page = 1
                while True:
                    response = client.get(f"{base}/{employer.pk}/employees/employments",
                                          params={"pageSize": 250, "pageNumber": page})  # fmt: skip
                    response.raise_for_status()
                    body = response.json()
                    listed += len(body["_embedded"])
                    if body["currentPage"] >= body["totalPages"]:
                        break
                    page += 1
            list_s = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    admins = list(PayrollAdministration.objects.all())
    started = time.perf_counter()
    for admin in admins:
        run_period(admin, 2024, 3)
    plain_s = time.perf_counter() - started
    for admin in admins:
        run_period(admin, 2024, 6)
    changed = change_fund_from_april(EmploymentFund, args.changed)
    started = time.perf_counter()
    for admin in admins:
        run_period(admin, 2024, 7)
    run_s = time.perf_counter() - started
    corrections = PayrollResult.objects.filter(run__period__period_number=7, corrects__isnull=False).count()
    print(f"employees={args.employees} listed={listed} funds_per_employment=3 changed={changed}", file=sys.stderr)
    print(
        f"seed_s={seed_s:.1f} list_per_s={listed / list_s:.0f} plain_run_s={plain_s:.1f} payroll_run_s={run_s:.1f} "
        f"corrections={corrections}{bureau_line}"
    )
    shutil.rmtree(work, ignore_errors=True)  # its sandbox database: a few hundred MB a run
    return 0


def bureau(args: argparse.Namespace) -> int:
    """A payroll bureau's month: seed, June, the change, July (timed)."""
    work = Path(tempfile.mkdtemp(prefix="inleg-bench-bureau-"))
    os.environ["SANDBOX_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inleg.sandbox.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from inleg.sandbox.core.models import EmploymentFund, PayrollAdministration, PayrollResult, PayrollRun
    from inleg.sandbox.payroll.run import run_period
    from inleg.sandbox.seed import seed

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    seed(employers=args.employers, employees=args.bureau_employees, progress=False)
    seed_s = time.perf_counter() - started
    admins = list(PayrollAdministration.objects.all())
    started = time.perf_counter()
    for admin in admins:
        run_period(admin, 2024, 6)
    june_s = time.perf_counter() - started
    changed = change_fund_from_april(EmploymentFund, args.changed)
    started = time.perf_counter()
    runs = [run_period(admin, 2024, 7) for admin in admins]
    run_s = time.perf_counter() - started
    employments = PayrollResult.objects.filter(run__in=runs).values("employment").distinct().count()
    corrections = PayrollResult.objects.filter(run__in=runs, corrects__isnull=False).count()
    errors = [run.error for run in PayrollRun.objects.filter(pk__in=[r.pk for r in runs]) if run.error]
    if errors:
        raise SystemExit(f"the bureau's July failed: {errors[0]}")
    print(f"bureau: employees={args.bureau_employees} changed={changed} june_run_s={june_s:.1f}", file=sys.stderr)
    print(
        f"seed_100k_s={seed_s:.1f} payroll_run_100k_s={run_s:.1f} employments_100k={employments} "
        f"corrections_100k={corrections}"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


def change_fund_from_april(model: Any, share: float) -> int:
    """Every ``1/share``-th open fund 1 record from before April: closed on 31 March, a deviation from 1 April."""
    step = max(1, round(1 / share)) if share > 0 else 0
    if not step:
        return 0
    records = list(model.objects.filter(fund__number=1, end_date=None, start_date__lt=date(2024, 4, 1)).order_by("id"))
    chosen = records[::step]
    for record in chosen:
        record.end_date = date(2024, 3, 31)
    model.objects.bulk_update(chosen, ["end_date"], batch_size=1000)
    model.objects.bulk_create(
        [
            model(employment_id=r.employment_id, fund_id=r.fund_id, start_date=date(2024, 4, 1),
                  deviation_premium=Decimal("8.0000"), deviation_total=Decimal("20.0000"))
            for r in chosen
        ],
        batch_size=1000,
    )  # fmt: skip
    return len(chosen)


if __name__ == "__main__":
    sys.exit(main())
