"""The reconciliation's rows as CSV (semicolons and decimal commas, as Dutch spreadsheets open them) and as XLSX
(openpyxl: amounts as numbers in euros with a euro format, so a spreadsheet can add them up)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook

from inleg.platform.domain.money import Cents
from inleg.platform.domain.reconciliation import Pair
from inleg.platform.reconciliation.services import Line

HEADER = (
    "Werknemer",
    "Personeelsnummer",
    "Dienstverband",
    "Periode",
    "Gevraagd",
    "Vastgelegd in Loket",
    "Betaald",
    "Ontvangen",
    "Status",
    "Wie moet handelen",
    "Wat te doen",
)
EURO_FORMAT = '"€" #,##0.00'


def _euros(amount: Cents | Pair | None) -> Decimal | None:
    if amount is None:
        return None
    cents = amount.total if isinstance(amount, Pair) else amount
    return Decimal(cents.value) / 100


def _values(line: Line, period: str) -> list[object]:
    employee = line.employment.employee
    return [
        employee.full_name,
        employee.employee_number,
        line.employment.loket_id,
        period,
        _euros(line.asked),
        _euros(line.held),
        _euros(line.paid),
        _euros(line.received),
        str(line.verdict.status),
        str(line.verdict.who),
        line.verdict.action,
    ]


def _dutch(value: object) -> str:
    if value is None:
        return "niet gelezen"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def to_csv(lines: Sequence[Line], period: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in lines:
        writer.writerow([_dutch(v) for v in _values(line, period)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel then reads UTF-8 (names with accents)


def to_xlsx(lines: Sequence[Line], period: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = f"Afstemming {period}"
    sheet.append(HEADER)
    for line in lines:
        values = _values(line, period)
        sheet.append(["niet gelezen" if v is None else v for v in values])
        for cell in sheet[sheet.max_row][4:8]:
            cell.number_format = EURO_FORMAT
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
