"""The results of a case as a table for people (``inleg funds calc --format table``)."""

from __future__ import annotations

from rich.table import Table

from inleg.funds.numbers import format_hours, format_money, format_percent
from inleg.funds.results import ResultRow

_COLUMNS = (
    ("Dienstverband", "left"),
    ("Fonds", "right"),
    ("Periode", "right"),
    ("SV-dgn", "right"),
    ("Kal.dgn", "right"),
    ("Pens.dgn", "right"),
    ("Uren", "right"),
    ("Grondslag", "right"),
    ("Franchise", "right"),
    ("Premiegrs.", "right"),
    ("Premie %", "right"),
    ("Premie", "right"),
    ("Afdracht %", "right"),
    ("Afdracht", "right"),
    ("Werkgever", "right"),
)


def results_table(rows: list[ResultRow], title: str = "") -> Table:
    table = Table(title=title or None, show_lines=False, header_style="bold")
    for name, justify in _COLUMNS:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    totals = [0, 0, 0]
    for row in rows:
        if not row.participates:
            table.add_row(row.employment, str(row.fund), str(row.period), *["-"] * 12, style="dim")
            continue
        totals[0] += row.premium.amount
        totals[1] += row.total.amount
        totals[2] += row.employer
        table.add_row(
            row.employment,
            str(row.fund),
            str(row.period),
            str(row.sv_days),
            str(row.calendar_days),
            str(row.pension_days),
            format_hours(row.hours),
            format_money(row.raw_base),
            format_money(row.premium.franchise),
            format_money(row.premium.base),
            format_percent(row.premium.percentage),
            format_money(row.premium.amount),
            format_percent(row.total.percentage),
            format_money(row.total.amount),
            format_money(row.employer),
        )
    table.add_section()
    table.add_row("Totaal", *[""] * 10, format_money(totals[0]), "", format_money(totals[1]), format_money(totals[2]))
    return table
