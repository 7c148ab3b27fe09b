"""What the platform benchmarks share: a seeded sandbox server, and the platform set up against it in production
mode (keys of the run, its own database in a temporary folder). Not a benchmark itself."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.platform.loket_sandbox: the sandbox server and the consent walk


def with_seeded_sandbox(employees: int, run: Callable[[Any], int]) -> int:
    """Seed two employers with ``employees`` each, serve them, call ``run(sandbox)``, stop the server."""
    from tests.platform.loket_sandbox import Sandbox

    print(f"sandbox: seeding 2 employers with {2 * employees} employees ...", flush=True)
    started = time.perf_counter()
    sandbox = Sandbox(employers=2, employees=2 * employees)
    print(f"sandbox: ready on {sandbox.url} in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        return run(sandbox)
    finally:
        sandbox.stop()


def setup_platform(sandbox: Any, prefix: str) -> Path:
    """Django set up for the platform against ``sandbox``; returns the run's work folder."""
    from tests.platform.loket_sandbox import CLIENT_ID, CLIENT_SECRET

    from inleg.platform.keys import new_keys

    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        {
            # Production mode (no HTTP to the platform here), with keys of this run.
            "PLATFORM_DEBUG": "0",
            **new_keys(),
            "PLATFORM_VAR_DIR": str(work),
            "DJANGO_SETTINGS_MODULE": "inleg.platform.settings",
            "LOKET_OAUTH_URL": sandbox.url,
            "LOKET_API_URL": sandbox.url + "/v2",
            "LOKET_CLIENT_ID": CLIENT_ID,
            "LOKET_CLIENT_SECRET": CLIENT_SECRET,
            "LOKET_REDIRECT_URI": "http://127.0.0.1:8000/integrations/loket/callback",
        }
    )
    import django

    django.setup()
    return work
