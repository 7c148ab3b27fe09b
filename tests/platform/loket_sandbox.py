"""A real Loket sandbox server for the platform's tests: seeded in a temporary directory, served on a free port.

The platform meets it over HTTP only. What a test changes inside Loket (a leaver, a right taken away) it
changes through the sandbox's own ORM in a subprocess with the sandbox's settings, as a Loket user would in
Loket's own screens.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import httpx2

BIN = Path(sys.executable).parent
PASSWORD = "loket-sandbox-2024"  # the seed's password of its test users
CLIENT_ID = "pensify-inleg"
CLIENT_SECRET = "pensify-sandbox-geheim"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sandbox:
    def __init__(self, employers: int = 3, employees: int = 30, faults: str = "", redirect_uris: tuple[str, ...] = ()):
        self.dir = Path(tempfile.mkdtemp(prefix="inleg-sandbox-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        self.env.update(
            {
                "SANDBOX_VAR_DIR": str(self.dir),
                "SANDBOX_FAULTS": faults,
                "DJANGO_SETTINGS_MODULE": "inleg.sandbox.settings",
            }
        )
        subprocess.run(
            [str(BIN / "inleg"), "sandbox", "seed", "--employers", str(employers), "--employees", str(employees)],
            env=self.env,
            check=True,
            capture_output=True,
            cwd=self.dir,
        )
        uris = " ".join(("http://testserver/integrations/loket/callback", *redirect_uris))
        self.orm(
            "from oauth2_provider.models import Application\n"
            f"app = Application.objects.get(client_id={CLIENT_ID!r})\n"
            f"app.redirect_uris = app.redirect_uris + ' ' + {uris!r}\n"
            "app.save()\n"
        )
        self._serve()

    def _serve(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "inleg"), "sandbox", "serve", "--port", str(self.port)],
            env=self.env,
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the sandbox did not start within 30 s")

    def restart(self, faults: str = "") -> None:
        """Serve the same Loket (its data, users and tokens) again with another SANDBOX_FAULTS plan."""
        self.stop()
        self.env["SANDBOX_FAULTS"] = faults
        self._serve()

    def orm(self, code: str) -> str:
        """Run Python with the sandbox's Django set up (its own settings and database); returns stdout."""
        script = "import django\ndjango.setup()\n" + code
        done = subprocess.run(
            [sys.executable, "-c", script], env=self.env, cwd=self.dir, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"sandbox ORM script failed:\n{done.stderr}")
        return done.stdout

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _hidden_fields(html: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = (value.group(1) if value else "").replace("&amp;", "&")
    return fields


def consent(authorize_url: str, username: str, *, allow: bool = True) -> str:
    """Act as the browser at Loket: log in as ``username``, then Toestaan (or Weigeren).

    Returns the URL Loket redirects back to (the platform's callback with code or error, and state).
    """
    with httpx2.Client(follow_redirects=False, timeout=30) as browser:
        response = browser.get(authorize_url)
        if response.status_code == 302 and "/login/" in response.headers["location"]:
            login_url = urljoin(authorize_url, response.headers["location"])
            page = browser.get(login_url)
            form = _hidden_fields(page.text)
            form.update({"username": username, "password": PASSWORD})
            response = browser.post(login_url, data=form)
            assert response.status_code == 302, f"login at the sandbox failed: {response.status_code}"
            response = browser.get(urljoin(login_url, response.headers["location"]))
        assert response.status_code == 200, f"no consent page: {response.status_code} {response.text[:300]}"
        form = _hidden_fields(response.text)
        if allow:
            form["allow"] = "Toestaan"
        else:
            form["deny"] = "1"
        answer = browser.post(str(response.url), data=form)
        assert answer.status_code == 302, f"consent gave {answer.status_code}: {answer.text[:300]}"
        return str(answer.headers["location"])


def path_and_query(url: str) -> tuple[str, dict[str, str]]:
    parts = urlparse(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
