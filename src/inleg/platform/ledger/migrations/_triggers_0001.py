"""The ledger's invariants as database triggers, one set per vendor.

Installed by migration 0001 and frozen with it: a change is a new migration.

- An entry's postings sum to zero and are at least two; the postings of an entry are on accounts of the entry's
  company. PostgreSQL: deferred constraint triggers, checked at commit. SQLite has no deferred triggers: the
  postings are inserted before their entry (the foreign key is checked at commit), the entry's insert checks them,
  and a posting for an entry that is already there is refused, so an entry that exists is complete.
- Entries and postings are never updated or deleted; accounts are never updated. (TRUNCATE, which the test
  runner uses to empty tables on PostgreSQL, is not a row change and stays possible for the owner.)

A refusal is an integrity error (SQLSTATE 23xxx on PostgreSQL, SQLITE_CONSTRAINT on SQLite): Django raises
``IntegrityError`` and the transaction is rolled back.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


class RunSQLFor(migrations.RunSQL):
    """``RunSQL`` on one database vendor only (``postgresql``, ``sqlite``)."""

    def __init__(self, vendor: str, sql: str, reverse_sql: str, **kwargs: Any) -> None:
        super().__init__(sql, reverse_sql, **kwargs)
        self.vendor = vendor

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Raw SQL on {self.vendor}"


POSTGRESQL = r"""
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger: % on % refused: the ledger is never changed, a mistake is undone by a reversal',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER ledger_entry_immutable BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_posting_immutable BEFORE UPDATE OR DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_account_immutable BEFORE UPDATE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION ledger_check_entry(entry uuid, company bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    total numeric;
    n bigint;
BEGIN
    SELECT COALESCE(SUM(amount_cents), 0), COUNT(*) INTO total, n FROM ledger_posting WHERE entry_id = entry;
    IF n < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'ledger: entry % is unbalanced: % postings summing to % cents (at least 2, summing to 0)',
            entry, n, total USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id
               WHERE p.entry_id = entry AND a.company_id <> company) THEN
        RAISE EXCEPTION 'ledger: entry % posts on an account of another company', entry
            USING ERRCODE = 'check_violation';
    END IF;
END $$;

CREATE FUNCTION ledger_entry_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ledger_check_entry(NEW.id, NEW.company_id);
    RETURN NULL;
END $$;

CREATE FUNCTION ledger_posting_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    company bigint;
BEGIN
    SELECT company_id INTO company FROM ledger_entry WHERE id = NEW.entry_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'ledger: posting for entry %, which does not exist', NEW.entry_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM ledger_check_entry(NEW.entry_id, company);
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_inserted();
CREATE CONSTRAINT TRIGGER ledger_posting_balanced AFTER INSERT ON ledger_posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_posting_inserted();

CREATE FUNCTION ledger_posting_before_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM ledger_entry WHERE id = NEW.entry_id) THEN
        RAISE EXCEPTION 'ledger: entry % is complete: postings are added before their entry, never after',
            NEW.entry_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_posting_sealed BEFORE INSERT ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_posting_before_entry();
"""

POSTGRESQL_REVERSE = r"""
DROP TRIGGER ledger_posting_sealed ON ledger_posting;
DROP FUNCTION ledger_posting_before_entry();
DROP TRIGGER ledger_posting_balanced ON ledger_posting;
DROP TRIGGER ledger_entry_balanced ON ledger_entry;
DROP FUNCTION ledger_posting_inserted();
DROP FUNCTION ledger_entry_inserted();
DROP FUNCTION ledger_check_entry(uuid, bigint);
DROP TRIGGER ledger_account_immutable ON ledger_account;
DROP TRIGGER ledger_posting_immutable ON ledger_posting;
DROP TRIGGER ledger_entry_immutable ON ledger_entry;
DROP FUNCTION ledger_refuse_change();
"""

_REFUSE = (
    "SELECT RAISE(ABORT, 'ledger: {op} on {table} refused: the ledger is never changed, "
    "a mistake is undone by a reversal')"
)

SQLITE = [
    *(
        f"CREATE TRIGGER ledger_{table}_no_{op.lower()} BEFORE {op} ON ledger_{table} "
        f"BEGIN {_REFUSE.format(op=op, table='ledger_' + table)}; END"
        for table, op in (
            ("entry", "UPDATE"),
            ("entry", "DELETE"),
            ("posting", "UPDATE"),
            ("posting", "DELETE"),
            ("account", "UPDATE"),
        )
    ),
    "CREATE TRIGGER ledger_posting_sealed BEFORE INSERT ON ledger_posting "
    "WHEN EXISTS (SELECT 1 FROM ledger_entry WHERE id = NEW.entry_id) "
    "BEGIN SELECT RAISE(ABORT, 'ledger: the entry is complete: postings are added before their entry, never after'); "
    "END",
    "CREATE TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry "
    "WHEN (SELECT COUNT(*) FROM ledger_posting WHERE entry_id = NEW.id) < 2 "
    "OR (SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_posting WHERE entry_id = NEW.id) <> 0 "
    "BEGIN SELECT RAISE(ABORT, 'ledger: the entry is unbalanced: its postings (at least 2) must sum to 0'); END",
    "CREATE TRIGGER ledger_entry_one_company AFTER INSERT ON ledger_entry "
    "WHEN EXISTS (SELECT 1 FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id "
    "WHERE p.entry_id = NEW.id AND a.company_id <> NEW.company_id) "
    "BEGIN SELECT RAISE(ABORT, 'ledger: the entry posts on an account of another company'); END",
]

SQLITE_REVERSE = [
    f"DROP TRIGGER {name}"
    for name in (
        "ledger_entry_one_company",
        "ledger_entry_balanced",
        "ledger_posting_sealed",
        "ledger_account_no_update",
        "ledger_posting_no_delete",
        "ledger_posting_no_update",
        "ledger_entry_no_delete",
        "ledger_entry_no_update",
    )
]

OPERATIONS = [
    RunSQLFor("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    RunSQLFor("sqlite", SQLITE, SQLITE_REVERSE),  # type: ignore[arg-type]
]
