"""Rows written straight into a model's table: one prepared INSERT for many rows, no model instances.

For the seed's hundred thousand employees: a model instance per record and bulk_create's SQL per batch cost
ten times what writing the rows does. Each value is made ready for the database as its field does it
(``get_db_prep_save``), except for text, whole numbers and booleans, which go as they are. Nothing here
calls a model's ``save`` or signals: use it only where bulk_create would do.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, CharField, Field, IntegerField, Model, TextField

_PLAIN = (BooleanField, CharField, IntegerField, TextField)
_REQUIRED = object()


class Table:
    """The rows for one model's table, written by ``write`` (in the order they were added)."""

    def __init__(self, model: type[Model]) -> None:
        self.db = connections[DEFAULT_DB_ALIAS]
        self.fields: list[Field[Any, Any]] = [f for f in model._meta.concrete_fields if isinstance(f, Field)]
        self.names = {f.attname: i for i, f in enumerate(self.fields)}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                raise TypeError(f"{model.__name__}.{f.name} is set on save: write its rows with bulk_create")
        # Defaults as a model instance takes them, once: a callable default (a fresh UUID) must be given per row.
        self.defaults = [_REQUIRED if f.has_default() and callable(f.default) else f.get_default() for f in self.fields]
        self.prepare = [
            None if isinstance(f, _PLAIN) and not f.is_relation else f.get_db_prep_save for f in self.fields
        ]
        table = self.db.ops.quote_name(model._meta.db_table)
        columns = ", ".join(self.db.ops.quote_name(f.column or f.attname) for f in self.fields)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(self.fields))})"
        self.rows: list[tuple[Any, ...]] = []

    def add(self, **values: Any) -> None:
        """One row; values by attribute name (``employment_id`` for a foreign key), the rest their defaults."""
        row = list(self.defaults)
        for name, value in values.items():
            row[self.names[name]] = value
        for i, value in enumerate(row):
            if value is _REQUIRED:
                raise TypeError(f"{self.fields[i].attname} has no default: give it")
            prepare = self.prepare[i]
            if prepare is not None and value is not None:
                row[i] = prepare(value, self.db)
        self.rows.append(tuple(row))

    def write(self, batch: int = 5000) -> None:
        with self.db.cursor() as cursor:
            for start in range(0, len(self.rows), batch):
                cursor.executemany(self.sql, self.rows[start : start + batch])
        self.rows.clear()
