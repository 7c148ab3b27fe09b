"""Platform sync benchmark: import 10,000 employees with their employments from the sandbox over HTTP, sync again
with no change, then with 1 % of the employments changed in Loket.

The sandbox runs as its own server (seeded so that the coupled employer has ``--employees`` people); the platform
connects through the real consent flow and runs each sync as the worker does (django-tasks-db, batch mode).
Last line: ``import_s=A resync_s=B resync_changed_s=C``. Targets: import < 60 s, re-sync < 5 s, with changes < 10 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from platform_against_sandbox import setup_platform, with_seeded_sandbox


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=10_000, help="employees of the coupled employer")
    parser.add_argument("--changed", type=float, default=0.01, help="share of employments changed in Loket")
    args = parser.parse_args()

    return with_seeded_sandbox(args.employees, lambda sandbox: run(sandbox, args))


def run(sandbox: Any, args: argparse.Namespace) -> int:
    from tests.platform.loket_sandbox import consent, path_and_query

    setup_platform(sandbox, "inleg-bench-platform-")
    from django.core.management import call_command

    from inleg.loket import new_code_verifier, new_state
    from inleg.platform.accounts.models import Company, Role, User
    from inleg.platform.employees.models import Employee, Employment, SyncRun
    from inleg.platform.employees.runs import request_sync
    from inleg.platform.integrations import services
    from inleg.platform.integrations.models import LoketConnection, State

    call_command("migrate", interactive=False, verbosity=0)
    company = Company.objects.create(name="Bench B.V.")
    User.objects.create_user("bench@example.nl", None, name="Bench", company=company, role=Role.ADMIN)
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

    def timed(kind: str) -> tuple[float, SyncRun]:
        started = time.perf_counter()
        run = request_sync(company, kind, SyncRun.Trigger.MANUAL)
        call_command("platform_worker", batch=True, verbosity=0)
        seconds = time.perf_counter() - started
        run.refresh_from_db()
        if run.status != SyncRun.Status.DONE:
            raise SystemExit(f"bench: {kind} run ended {run.status}: {run.errors[:3]}")
        changed = {k: v for k, v in run.counts.items() if v and not k.endswith("unchanged")}
        print(f"{kind:<12} {seconds:6.2f} s  {changed}", flush=True)
        return seconds, run

    import_s, _ = timed(SyncRun.Kind.IMPORT)
    people = Employee.objects.filter(company=company).count()
    jobs = Employment.objects.filter(company=company).count()
    print(f"imported: {people} employees, {jobs} employments", flush=True)
    resync_s, quiet = timed(SyncRun.Kind.INCREMENTAL)
    if any(v for k, v in quiet.counts.items() if k.endswith(("created", "updated"))):
        raise SystemExit("bench: a sync without changes in Loket changed something")
    count = max(1, int(jobs * args.changed))
    sandbox.orm(
        "from datetime import timedelta\nfrom inleg.sandbox.core.models import Employment\n"
        "jobs = Employment.objects.filter(employee__employer__employer_number=20001, end_date__isnull=True)"
        f".order_by('id')[:{count}]\n"
        "for job in jobs:\n    job.end_date = job.start_date + timedelta(days=3650)\n    job.save()\n"
    )
    resync_changed_s, changed = timed(SyncRun.Kind.INCREMENTAL)
    if changed.counts["employments_updated"] != count:
        raise SystemExit(
            f"bench: {count} employments changed in Loket, the sync updated {changed.counts['employments_updated']}"
        )
    print(f"import_s={import_s:.1f} resync_s={resync_s:.2f} resync_changed_s={resync_changed_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
