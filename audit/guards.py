"""Database triggers that keep records append-only, written by hand for each database, and
the privileges the application's database role gets on the tables they protect.

Each app declares its guards and protected tables in its own `<app>/guards.py` (imported when
the audit app starts). The SQL is plain and owned by the project: no trigger library whose
triggers a session setting could skip. Triggers stop a change; the role's privileges stop the
application from dropping or disabling the triggers, because only a table's owner can, and the
application role owns nothing (`create_app_role`).

A guard here is the trigger SQL as it should be now; the migrations install it. Each migration
carries a frozen copy of the SQL it installs and imports nothing from a guards module, so
editing a guard changes no database by itself: a guard's change comes with a new migration that
drops the old triggers and installs the new SQL, copied in, for both databases (and going back,
the reverse). tests/audit/test_trigger_drift.py fails, naming the trigger, until it does
(docs/decisions/0016-migrations-freeze-trigger-sql.md).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Guard:
    name: str
    postgresql: list[str]
    sqlite: list[str]
    drop_postgresql: list[str] = field(default_factory=list)
    drop_sqlite: list[str] = field(default_factory=list)

    def install(self, connection):
        self._run(connection, self.postgresql if _is_postgres(connection) else self.sqlite)

    def remove(self, connection):
        statements = self.drop_postgresql if _is_postgres(connection) else self.drop_sqlite
        self._run(connection, statements)

    @staticmethod
    def _run(connection, statements):
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _is_postgres(connection) -> bool:
    return connection.vendor == "postgresql"


def append_only(table: str, what: str) -> Guard:
    """Refuse UPDATE, DELETE and (on PostgreSQL) TRUNCATE of every row of a table."""
    function = f"{table}_refuse_change"
    message = f"{what} are append-only"
    return Guard(
        name=f"{table}_append_only",
        postgresql=[
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{message}: % refused', TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """,
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ],
        sqlite=[
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}: UPDATE refused'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}: DELETE refused'); END",
        ],
        drop_postgresql=[
            f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"DROP FUNCTION IF EXISTS {function}()",
        ],
        drop_sqlite=[
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
        ],
    )


AUDIT_EVENTS_APPEND_ONLY = append_only("audit_auditevent", "audit events")

# Every guard in the project, so that test set-up that must empty the tables (a transactional
# test's flush) can lift and restore them. Apps add theirs when their guards module loads.
ALL_GUARDS: list[Guard] = [AUDIT_EVENTS_APPEND_ONLY]


# What the application role may do to a protected table. UPDATE is never granted on a whole
# protected table (only on named columns) and TRUNCATE, TRIGGER and REFERENCES never at all.
APPEND_ONLY = ("SELECT", "INSERT")
RETENTION = ("SELECT", "INSERT", "DELETE")
_GRANTABLE = {"SELECT", "INSERT", "DELETE"}


@dataclass(frozen=True)
class ProtectedTable:
    """A table the running application may add to but not rewrite.

    `privileges` apply to the whole table; `update_columns` are the only columns the application
    may UPDATE (a consent's revocation fields, say). RETENTION suits a table whose rows a
    retention job erases but nobody edits (released content, whose digest stays on record).
    """

    table: str
    privileges: tuple[str, ...] = APPEND_ONLY
    update_columns: tuple[str, ...] = ()

    def __post_init__(self):
        refused = set(self.privileges) - _GRANTABLE
        if refused:
            raise ValueError(
                f"{self.table}: {', '.join(sorted(refused))} cannot be granted on a protected "
                "table; name the updatable columns in update_columns instead"
            )


# Every protected table by name; create_app_role and the ownership check read it.
PROTECTED_TABLES: dict[str, ProtectedTable] = {}


def protect(
    table: str, *, privileges: tuple[str, ...] = APPEND_ONLY, update_columns: tuple[str, ...] = ()
) -> ProtectedTable:
    protected = ProtectedTable(table, tuple(privileges), tuple(update_columns))
    PROTECTED_TABLES[table] = protected
    return protected


protect("audit_auditevent")
