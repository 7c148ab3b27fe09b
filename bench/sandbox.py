"""Sandbox benchmark: seed 10,000 employees, list all employments over HTTP (page size 250), run a payroll period.

Last line: ``seed_s=A list_per_s=B payroll_run_s=C``. Targets: seed < 60 s, listing >= 2,000/s, run < 30 s.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--employers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="inleg-bench-"))
    os.environ["SANDBOX_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inleg.sandbox.settings")
    import django

    django.setup()
    import httpx
    from django.core.management import call_command
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application, set_token_value

    from inleg.sandbox.core.models import Employer, LoketUser, PayrollAdministration
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

    started = time.perf_counter()
    for admin in PayrollAdministration.objects.all():
        run_period(admin, 2024, 3)
    run_s = time.perf_counter() - started
    print(f"employees={args.employees} listed={listed} funds_per_employment=3", file=sys.stderr)
    print(f"seed_s={seed_s:.1f} list_per_s={listed / list_s:.0f} payroll_run_s={run_s:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
