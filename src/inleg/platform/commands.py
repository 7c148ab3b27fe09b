"""The ``inleg platform`` subcommands: migrate, serve, worker, demo-seed, rotate-keys, new-keys.

Django loads only when needed."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inleg.platform.settings")
    import django
    from django.conf import settings

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    django.setup()


def migrate(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print("platform: database up to date")
    return 0


def serve(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0


def worker(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("platform_worker", batch=args.batch, schedule_every=args.schedule_every)
    return 0


def demo_seed(args: argparse.Namespace) -> int:
    """The demo's company against the running sandbox; refused unless PLATFORM_DEBUG=1 (a known password)."""
    _setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("migrate", interactive=False, verbosity=0)
    options: dict[str, object] = {"employer": args.employer, "platform_url": args.platform_url}
    if args.sandbox_dir is not None:
        options["sandbox_dir"] = args.sandbox_dir
    try:
        call_command("demo_seed", **options)
    except CommandError as error:
        print(f"inleg: {error}", file=sys.stderr)
        return 2
    return 0


def rotate_keys(args: argparse.Namespace) -> int:
    """Re-encrypt every stored token with the newest key of PLATFORM_TOKEN_KEYS."""
    _setup()
    from inleg.platform.integrations.rotation import rotate_all

    print(f"platform: {rotate_all()} connection(s) re-encrypted with the newest key")
    return 0


def new_keys(args: argparse.Namespace) -> int:
    """Print a fresh PLATFORM_SECRET_KEY and PLATFORM_TOKEN_KEYS as an environment file (no settings needed)."""
    from inleg.platform.keys import new_keys as fresh

    for name, value in fresh().items():
        print(f"{name}={value}")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    platform = commands.add_parser("platform", help="the employer platform (werkgeversplatform)")
    actions = platform.add_subparsers(dest="action", required=True)
    actions.add_parser("migrate", help="create or update the platform database").set_defaults(handler=migrate)
    serving = actions.add_parser("serve", help="start the platform web server")
    serving.add_argument("--port", type=int, default=8000)
    serving.add_argument("--host", default="127.0.0.1")
    serving.set_defaults(handler=serve)
    working = actions.add_parser("worker", help="run background tasks (syncs) and the hourly schedule")
    working.add_argument("--batch", action="store_true", help="run what is queued, then stop")
    working.add_argument("--schedule-every", type=float, default=60.0, help="seconds between schedule checks")
    working.set_defaults(handler=worker)
    seeding = actions.add_parser(
        "demo-seed",
        help="DEMO ONLY (PLATFORM_DEBUG=1): a company coupled to the running sandbox, a scheme written, paid, received",
    )
    seeding.add_argument(
        "--sandbox-dir", type=Path, help="the sandbox's var directory (default: SANDBOX_VAR_DIR or ./var)"
    )
    seeding.add_argument("--employer", type=int, default=20001, help="the sandbox employer to couple")
    seeding.add_argument("--platform-url", default="http://127.0.0.1:8000", help="where the platform answers")
    seeding.set_defaults(handler=demo_seed)
    actions.add_parser("rotate-keys", help="re-encrypt stored tokens with the newest key").set_defaults(
        handler=rotate_keys
    )
    actions.add_parser(
        "new-keys", help="print a fresh PLATFORM_SECRET_KEY and PLATFORM_TOKEN_KEYS (an environment file)"
    ).set_defaults(handler=new_keys)
