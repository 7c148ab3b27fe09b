"""The consent flow and the API over real HTTP (a live server on loopback), as a client would walk them."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest

from inleg.sandbox.seed import CLIENT_ID, CLIENT_SECRET, USER_PASSWORD, seed

REDIRECT = "http://localhost:8000/integrations/loket/callback"


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def consented_token(base: str, username: str = "koppeling") -> str:
    """Walk the consent flow as a browser would and exchange the code (form body sent as text/plain)."""
    verifier = "w" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode({"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code", "scope": "all",
                       "state": "s-1", "code_challenge": challenge, "code_challenge_method": "S256"})  # fmt: skip
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as browser:
        to_login = browser.get(f"/authorize?{query}")
        assert to_login.status_code == 302
        login_page = browser.get(to_login.headers["location"])
        next_url = parse_qs(urlparse(to_login.headers["location"]).query)["next"][0]
        logged = browser.post("/login/", data={"username": username, "password": USER_PASSWORD, "next": next_url,
                                                "csrfmiddlewaretoken": _csrf(login_page)})  # fmt: skip
        assert logged.status_code == 302
        consent = browser.get(logged.headers["location"])
        assert "Toestaan" in consent.text
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text))
        answer = browser.post(f"/authorize?{query}", data={**form, "allow": "Toestaan"})
        assert answer.status_code == 302
        location = parse_qs(urlparse(answer.headers["location"]).query)
        assert location["state"] == ["s-1"]
        code = location["code"][0]
    with httpx.Client(base_url=base, timeout=30) as client:
        # Loket's PowerShell connector sends the form body as text/plain; the sandbox accepts it.
        body = urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                          "code_verifier": verifier, "client_id": CLIENT_ID,
                          "client_secret": CLIENT_SECRET})  # fmt: skip
        token = client.post("/token", content=body, headers={"Content-Type": "text/plain"})
        assert token.status_code == 200, token.text
        return str(token.json()["access_token"])


@pytest.mark.django_db(transaction=True)
def test_consent_token_and_api_over_http(live_server: Any) -> None:
    seed(employers=2, employees=4, rng_seed=3)
    access = consented_token(live_server.url)
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        headers = {"Authorization": f"Bearer {access}", "Accept": "application/json;version=2018-01-01"}
        employers = client.get("/v2/providers/employers", headers=headers)
        assert employers.status_code == 200
        assert employers.headers["content-type"] == "application/json;version=2018-01-01"
        assert [e["employerNumber"] for e in employers.json()["_embedded"]] == [20001]


def test_english_is_available_and_every_message_is_translated(client: Any, db: Any) -> None:
    # Dutch by default, whatever the browser asks; English when the user picks it in the language switch.
    dutch = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "Inloggen bij Loket.nl" in dutch
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert switched.status_code == 302
    english = client.get("/login/").content.decode()
    assert "Log in to Loket.nl" in english
    # Every text of the catalogue translated, none fuzzy, the .mo compiled: tests/test_translations.py.


def post_concurrently(url: str, token: str, start: str, key: int) -> list[int]:
    from concurrent.futures import ThreadPoolExecutor

    def post(value: int) -> int:
        body = {"startDate": start, "endDate": None, "payrollComponent": {"key": key}, "value": value}
        with httpx.Client(timeout=60) as client:
            return client.post(url, json=body, headers={"Authorization": f"Bearer {token}"}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        return sorted(pool.map(post, [11, 12, 13, 14]))


@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_posts_leave_one_record(live_server: Any) -> None:
    """On PostgreSQL (the production path) through the test's live server; the in-memory SQLite test
    database shares one connection between the live server's threads, so there the served-sandbox test
    below covers SQLite with a real database file."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL session runs this; SQLite is covered by the served-sandbox test")
    from conftest import make_token
    from inleg.sandbox.core.models import BenefitDeduction, Employment
    from inleg.sandbox.seed import NET_DEDUCTION_KEY

    seed(employers=2, employees=4, rng_seed=3)
    employment = (  # an active one: the seed ends one employment per employer, maybe before 2024
        Employment.objects.filter(employee__employer__employer_number=20001, end_date__isnull=True)
        .order_by("employee__employee_number")
        .first()
    )
    BenefitDeduction.objects.filter(employment=employment).delete()
    token = make_token("koppeling")
    url = f"{live_server.url}/v2/providers/employers/employees/employments/{employment.pk}/benefitsanddeductions"
    start = max(employment.start_date.isoformat(), "2024-01-01")

    statuses = post_concurrently(url, token, start, NET_DEDUCTION_KEY)
    assert statuses.count(201) == 1
    assert statuses.count(400) == 3
    assert BenefitDeduction.objects.filter(employment=employment).count() == 1


SERVE_DEADLINE_S = 30.0


@contextmanager
def served(command: list[str], env: dict[str, str], logs: Path, attempts: int = 3) -> Iterator[str]:
    """``inleg sandbox serve`` on a free port until it answers; its base URL.

    The port is picked by bind-and-close, so another process may take it first: a start that fails with
    "already in use" is retried on a new port. Any other failure, or no answer before the deadline, fails
    the test with the server's stderr.
    """
    for attempt in range(1, attempts + 1):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        log = logs / f"serve-{attempt}.stderr"
        with log.open("wb") as stderr:
            server = subprocess.Popen([*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                                      stderr=stderr)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVE_DEADLINE_S
            answered = False
            while not answered and server.poll() is None and time.monotonic() < deadline:
                try:
                    httpx.get(f"{base}/login/", timeout=2)
                    answered = True
                except httpx.TransportError:
                    time.sleep(0.1)
            if answered and server.poll() is None:
                yield base
                return
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)
        text = log.read_text(errors="replace")
        if "already in use" in text and attempt < attempts:
            continue
        state = f"exited with {server.returncode}" if server.returncode is not None else "still starting"
        pytest.fail(f"inleg sandbox serve on {base} did not answer within {SERVE_DEADLINE_S:.0f} s "
                    f"(attempt {attempt}, {state}); its stderr:\n{text}")  # fmt: skip


def test_served_sandbox_on_a_sqlite_file_serialises_concurrent_posts(tmp_path: Path) -> None:
    """``inleg sandbox seed`` and ``inleg sandbox serve`` as processes, on a SQLite file, walked over HTTP."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["SANDBOX_VAR_DIR"] = str(tmp_path)
    inleg = [sys.executable, "-m", "inleg.cli", "sandbox"]
    subprocess.run([*inleg, "seed", "--employers", "2", "--employees", "4"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    with served([*inleg, "serve"], env, tmp_path) as base:
        token = consented_token(base)
        headers = {"Authorization": f"Bearer {token}"}
        employer = httpx.get(f"{base}/v2/providers/employers", headers=headers).json()["_embedded"][0]
        jobs = httpx.get(f"{base}/v2/providers/employers/{employer['id']}/employees/employments",
                         params={"filter": "endDate eq null", "orderBy": "employee.employeeNumber"},
                         headers=headers).json()["_embedded"]  # fmt: skip
        job = jobs[0]
        url = f"{base}/v2/providers/employers/employees/employments/{job['id']}/benefitsanddeductions"
        start = max(job["startDate"], "2031-01-01")
        statuses = post_concurrently(url, token, start, 820)  # a component the seed gives nobody
        assert statuses.count(201) == 1
        assert statuses.count(400) == 3
        records = httpx.get(url, params={"filter": "payrollComponent.key eq 820"}, headers=headers).json()
        assert records["totalSize"] == 1


def test_a_server_that_does_not_start_fails_with_its_stderr(tmp_path: Path) -> None:
    failing = [sys.executable, "-c", "import sys; sys.stderr.write('boom: no database'); sys.exit(3)"]
    with (
        pytest.raises(pytest.fail.Exception, match=r"(?s)exited with 3.*boom: no database"),
        served(failing, dict(os.environ), tmp_path),
    ):
        pass


def test_a_port_taken_meanwhile_is_retried_on_another(tmp_path: Path) -> None:
    script = tmp_path / "serve.py"
    script.write_text(
        "import sys, pathlib, http.server\n"
        f"marker = pathlib.Path({str(tmp_path / 'tried')!r})\n"
        "if not marker.exists():\n"
        "    marker.touch(); sys.stderr.write('Error: That port is already in use.'); sys.exit(1)\n"
        "http.server.test(HandlerClass=http.server.SimpleHTTPRequestHandler, port=int(sys.argv[2]),"
        " bind='127.0.0.1')\n"
    )
    with served([sys.executable, str(script)], dict(os.environ), tmp_path) as base:
        assert httpx.get(f"{base}/").status_code == 200
    assert (tmp_path / "serve-1.stderr").read_text() == "Error: That port is already in use."
