"""Audit events are append-only in the database, on PostgreSQL and SQLite."""

from django.db import migrations

from core.vendor_sql import install, remove

# The SQL as the guards stood when this migration was written, for each database. A guard's
# later change comes with a migration of its own, so this one always installs the same
# triggers (docs/decisions/0016-migrations-freeze-trigger-sql.md).

# audit_auditevent_append_only
AUDIT_EVENTS_APPEND_ONLY = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """,
            """
            CREATE TRIGGER audit_auditevent_no_change
            BEFORE UPDATE OR DELETE ON audit_auditevent
            FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()
            """,
            """
            CREATE TRIGGER audit_auditevent_no_truncate
            BEFORE TRUNCATE ON audit_auditevent
            FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER audit_auditevent_no_update
            BEFORE UPDATE ON audit_auditevent
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END
            """,
            """
            CREATE TRIGGER audit_auditevent_no_delete
            BEFORE DELETE ON audit_auditevent
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS audit_auditevent_no_change ON audit_auditevent",
            "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
            "DROP FUNCTION IF EXISTS audit_auditevent_refuse_change()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
            "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
        ],
    },
}


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(install(AUDIT_EVENTS_APPEND_ONLY), remove(AUDIT_EVENTS_APPEND_ONLY))
    ]
