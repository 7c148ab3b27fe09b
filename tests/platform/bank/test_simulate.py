"""``inleg bank simulate``: the sandbox's real pain.001 (written by an approved payroll run of the sandbox,
run here as the command in a subprocess) becomes a camt.053.001.02 that is valid against its XSD and reads
back as one recognised credit per transfer, with the EndToEndId, remittance and amount carried over."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from inleg.platform.bank.simulate import SimulationError, simulate
from inleg.platform.domain.bank.camt import read_statement, schema

BIN = Path(sys.executable).parent
PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def excasso(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sandbox")
    env = {**os.environ, "SANDBOX_VAR_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "inleg.sandbox.settings"}
    env.pop("DATABASE_URL", None)  # the sandbox's own SQLite in the folder, whatever this session runs on
    for command in (
        ["sandbox", "seed", "--employers", "2", "--employees", "16"],
        ["sandbox", "payroll", "--employer", "20001", "--year", "2026", "--period", "1", "--approve"],
    ):
        done = subprocess.run(
            [str(BIN / "inleg"), *command], env=env, cwd=folder, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    (path,) = (folder / "sepa").glob("excasso-20001-202601-*.xml")
    return path


def test_the_excasso_becomes_the_statement_the_bank_would_send(excasso: Path, tmp_path: Path) -> None:
    out = tmp_path / "camt.xml"
    done = subprocess.run(
        [str(BIN / "inleg"), "bank", "simulate", str(excasso), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert schema("camt.053.001.02").is_valid(etree.parse(str(out)))
    pain = etree.parse(str(excasso))
    transfers = pain.findall(f".//{PAIN}CdtTrfTxInf")
    assert len(transfers) >= 2
    parsed = read_statement(out.read_bytes())
    assert len(parsed.credits) == len(transfers)
    assert len({c.key for c in parsed.credits}) == len(transfers)  # a unique bank reference each
    for credit, transfer in zip(parsed.credits, transfers, strict=True):
        assert credit.end_to_end_id == transfer.findtext(f"{PAIN}PmtId/{PAIN}EndToEndId")
        assert credit.remittance == transfer.findtext(f"{PAIN}RmtInf/{PAIN}Ustrd")
        assert credit.amount.to_decimal() == Decimal(transfer.findtext(f"{PAIN}Amt/{PAIN}InstdAmt") or "")
        assert credit.reference is not None
        assert credit.reference.format() == credit.end_to_end_id
        assert credit.booking_date.isoformat() == pain.findtext(f".//{PAIN}ReqdExctnDt")
    assert parsed.statements[0].account.value == transfers[0].findtext(f"{PAIN}CdtrAcct/{PAIN}Id/{PAIN}IBAN")


def test_the_same_excasso_gives_the_same_bank_references(excasso: Path) -> None:
    first = read_statement(simulate(excasso.read_bytes()))
    again = read_statement(simulate(excasso.read_bytes()))
    assert [c.key for c in first.credits] == [c.key for c in again.credits]


def test_a_file_that_is_no_excasso_is_refused_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(SimulationError, match=r"geen excasso pain\.001\.001\.03"):
        simulate((FIXTURES / "batch.xml").read_bytes())
    with pytest.raises(SimulationError, match="geen XML"):
        simulate(b"no xml")
    done = subprocess.run(
        [str(BIN / "inleg"), "bank", "simulate", str(FIXTURES / "camt054.xml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "geen excasso pain.001.001.03" in done.stderr


def test_the_help_says_it_is_a_test_tool() -> None:
    done = subprocess.run(
        [str(BIN / "inleg"), "bank", "simulate", "--help"], capture_output=True, text=True, check=False
    )
    assert "test tool" in done.stdout.lower()
