"""The checkout stands alone: the guard of conftest.py refuses a read beside it, and nothing tracked names one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BESIDE, ROOT, OutsideCheckout, outside_checkout, reached_outside


def test_a_file_beside_the_checkout_cannot_be_read() -> None:
    sibling = os.path.join(BESIDE, "shared", "fund-cases", "monthly-basic.json")
    with pytest.raises(OutsideCheckout, match="outside the checkout"):
        open(sibling)  # noqa: SIM115 - the open itself is what is refused
    assert reached_outside.pop() == sibling  # this one was on purpose: do not fail the session


def test_a_folder_beside_the_checkout_cannot_be_listed() -> None:
    with pytest.raises(OutsideCheckout):
        list(Path(BESIDE, "shared").glob("*.json"))
    reached_outside.pop()


def test_the_checkout_python_and_temporary_files_stay_open() -> None:
    assert not outside_checkout(os.path.join(ROOT, "docs", "funds.md"))
    assert not outside_checkout(os.path.join(sys.base_prefix, "lib", "os.py"))
    assert not outside_checkout("/etc/hostname")  # not beside the checkout at all
    assert outside_checkout(os.path.join(BESIDE, "shared", "fund-cases", "x.json"))


def test_no_tracked_file_names_a_path_outside_the_checkout() -> None:
    done = subprocess.run([sys.executable, "scripts/check-standalone"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
