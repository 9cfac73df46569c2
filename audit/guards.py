"""Database triggers that keep records append-only, written by hand for each database.

Each app declares its guards here-style and installs them from a migration. The SQL is plain
and owned by the project: no trigger library whose triggers a session setting could skip.
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


def installer(guard: Guard):
    """A RunPython pair for a migration: install forwards, remove backwards."""

    def forwards(apps, schema_editor):
        guard.install(schema_editor.connection)

    def backwards(apps, schema_editor):
        guard.remove(schema_editor.connection)

    return forwards, backwards


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
