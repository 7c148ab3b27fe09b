"""``demo_seed``: the demo's company against the running Loket sandbox (inleg.platform.demo); development only."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from inleg.platform import demo


class Command(BaseCommand):
    help = "Make the demo's company, coupled to the Loket sandbox, with a scheme written, paid and received."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--sandbox-dir",
            type=Path,
            default=Path(os.environ.get("SANDBOX_VAR_DIR", Path.cwd() / "var")),
            help="the sandbox's var directory (its database and excasso files; default: SANDBOX_VAR_DIR or ./var)",
        )
        parser.add_argument("--employer", type=int, default=demo.EMPLOYER, help="the sandbox employer to couple")
        parser.add_argument(
            "--platform-url", default="http://127.0.0.1:8000", help="where the platform answers (for the callback)"
        )

    def handle(self, *args: Any, sandbox_dir: Path, employer: int, platform_url: str, **options: Any) -> None:
        def say(text: str) -> None:
            self.stdout.write(f"demo: {text}")

        try:
            demo.seed(
                sandbox=demo.Sandbox(sandbox_dir.resolve()), employer=employer, platform_url=platform_url, say=say
            )
        except demo.DemoError as error:
            raise CommandError(str(error)) from None
        say(f"log in op {platform_url.rstrip('/')}/login/ als {demo.EMAIL}, wachtwoord {demo.PASSWORD}")
