"""Run a command against a throwaway PostgreSQL cluster: ``python -m inleg.sandbox.pgtemp CMD ...``.

Starts ``initdb``/``postgres`` of the Debian package in a temporary directory on a free loopback port
(as the ``postgres`` user when run as root), sets ``DATABASE_URL`` and ``SANDBOX_EXPECT_POSTGRES=1``
for the command, and removes the cluster afterwards. The exit code is the command's.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"pgtemp: {name} not found under /usr/lib/postgresql/*/bin (install the Debian package postgresql)")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit("usage: python -m inleg.sandbox.pgtemp COMMAND [ARGS...]")
    root = os.geteuid() == 0
    as_user = ["runuser", "-u", "postgres", "--"] if root else []
    base = tempfile.mkdtemp(prefix="inleg-pg-")
    data = os.path.join(base, "data")
    if root:
        shutil.chown(base, "postgres")
    port = _free_port()
    subprocess.run([*as_user, _bin("initdb"), "-D", data, "-U", "inleg", "-A", "trust", "-E", "UTF8", "--no-sync"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    server = subprocess.Popen(
        [*as_user, _bin("postgres"), "-D", data, "-p", str(port), "-k", base, "-c", "listen_addresses=127.0.0.1",
         "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(200):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        time.sleep(0.3)
        env = {**os.environ, "DATABASE_URL": f"postgres://inleg@127.0.0.1:{port}/postgres",
               "SANDBOX_EXPECT_POSTGRES": "1"}  # fmt: skip
        return subprocess.run(argv, env=env, check=False).returncode
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
