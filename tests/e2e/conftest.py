"""Browser walks against running servers: the sandbox and the platform (web + worker), on free ports.

Playwright drives Debian's chromium (/usr/bin/chromium), headless; no browser is downloaded.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from inleg.platform.keys import new_keys
from tests.platform.loket_sandbox import BIN, CLIENT_ID, CLIENT_SECRET, Sandbox, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every screenshot goes to the session's tmp path; E2E_SCREENSHOTS names a folder that gets a copy too.
SCREENSHOTS_COPY = os.environ.get("E2E_SCREENSHOTS", "")


@dataclass
class Servers:
    sandbox: Sandbox
    platform_url: str


def _wait(port: int, what: str) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start on port {port}")


# One Loket and platform per test module: each walk couples employer 20001 for a company of its own, and a module
# run after another must not find the employer taken (one Loket employer belongs to one company).
@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the Debian package chromium (make system-deps)")
    port = free_port()
    platform_url = f"http://127.0.0.1:{port}"
    sandbox = Sandbox(employers=3, employees=30, redirect_uris=(f"{platform_url}/integrations/loket/callback",))
    var = Path(tempfile.mkdtemp(prefix="inleg-platform-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        {
            # Development mode (plain HTTP on 127.0.0.1) with keys of this session, not the repository's.
            "PLATFORM_DEBUG": "1",
            **new_keys(),
            "PLATFORM_VAR_DIR": str(var),
            "LOKET_OAUTH_URL": sandbox.url,
            "LOKET_API_URL": sandbox.url + "/v2",
            "LOKET_CLIENT_ID": CLIENT_ID,
            "LOKET_CLIENT_SECRET": CLIENT_SECRET,
            # The demo's mail: kept in the platform's database and shown on the employer's outbox page.
            "PLATFORM_EMAIL_BACKEND": "inleg.platform.app.outbox.DatabaseBackend",
        }
    )
    subprocess.run([str(BIN / "inleg"), "platform", "migrate"], env=env, check=True, capture_output=True)
    logs = var / "logs"
    logs.mkdir()
    web = subprocess.Popen(
        [str(BIN / "inleg"), "platform", "serve", "--port", str(port)],
        env=env,
        stdout=(logs / "web.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(BIN / "inleg"), "platform", "worker", "--schedule-every", "5"],
        env=env,
        stdout=(logs / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(port, "the platform")
        yield Servers(sandbox, platform_url)
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        sandbox.stop()
        shutil.rmtree(var, ignore_errors=True)


Shot = Callable[[Any, str], None]


@pytest.fixture(scope="session")
def shot(tmp_path_factory: pytest.TempPathFactory) -> Shot:
    """``shot(page, name)``: a full-page screenshot under the session's tmp path (and E2E_SCREENSHOTS)."""
    folder = tmp_path_factory.mktemp("screenshots")

    def take(page: Any, name: str) -> None:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SCREENSHOTS_COPY:
            Path(SCREENSHOTS_COPY).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(SCREENSHOTS_COPY) / path.name)

    return take


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
