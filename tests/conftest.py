"""Shared by every pytest session: hypothesis profiles, and a guard that the tests read nothing beside the checkout.

Profiles: `ci` (set by .ci/run) runs the parity test with at least 2,000 examples.

The guard: the repository must stand alone (a clone with nothing beside it passes `make test`). An audit hook
refuses, while tests run, to open or list a path that lies next to the checkout (its parent folder) but not
in it, so a test that reads a sibling folder (such as a `shared` folder beside the clone) fails here, on
this machine, and not only on a clean one. The Python installation, the temporary folder and the usual
caches under a home folder stay open.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = os.path.realpath(Path(__file__).resolve().parent.parent)
BESIDE = os.path.dirname(ROOT)
_HOME = str(Path.home())
_INSIDE = os.path.join(ROOT, "")
_NEXT_TO = os.path.join(BESIDE, "")
# Python, the temporary folder and the caches stay open, but never one that holds the checkout's parent: a clone
# in /tmp/ci/repo must not open all of /tmp/ci (its `shared` beside it) by way of the temporary folder /tmp.
ALLOWED = tuple(
    prefix
    for prefix in (
        os.path.join(os.path.realpath(p), "")
        for p in (
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
            tempfile.gettempdir(),
            *(os.path.join(_HOME, d) for d in (".cache", ".config", ".local", ".pyenv")),
        )
    )
    if not _NEXT_TO.startswith(prefix)
)
# A checkout right in the temporary folder: what tests create there (pytest's tmp_path, mkdtemp) is theirs; what
# lay beside the checkout before the session began is not, nor ever the project's reference folder `shared`.
_TEMP_HOLDS_CHECKOUT = os.path.realpath(tempfile.gettempdir()) == BESIDE
_THERE_BEFORE = (
    (frozenset(os.listdir(BESIDE)) | {"shared"}) - {os.path.basename(ROOT)} if _TEMP_HOLDS_CHECKOUT else frozenset()
)
reached_outside: list[str] = []


class OutsideCheckout(RuntimeError):
    """A test tried to read a file beside the checkout: copy what it needs into the repository.

    Not an OSError: glob and friends swallow those, and the read would pass for a missing file.
    """


def outside_checkout(path: str) -> bool:
    """A path next to the checkout (in its parent folder) and not in it, nor in Python or a cache."""
    full = os.path.abspath(path)
    if not full.startswith(_NEXT_TO) or full.startswith(_INSIDE) or full == ROOT:
        return False
    if _TEMP_HOLDS_CHECKOUT and full[len(_NEXT_TO) :].split(os.sep, 1)[0] not in _THERE_BEFORE:
        return False
    return not os.path.realpath(full).startswith((_INSIDE, *ALLOWED))


def _guard(event: str, args: tuple[object, ...]) -> None:
    if event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    path = args[0]
    if isinstance(path, int) or path is None:
        return
    try:
        text = os.fsdecode(path)  # type: ignore[arg-type]
    except TypeError:
        return
    if text and outside_checkout(text):
        reached_outside.append(text)
        raise OutsideCheckout(f"{text}: lies outside the checkout {ROOT}; copy what the test needs into it")


sys.addaudithook(_guard)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if reached_outside:  # even where a test swallowed the error
        print(f"\nTests reached outside the checkout: {sorted(set(reached_outside))}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
