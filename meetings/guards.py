"""The database keeps approved minutes locked, whatever code path tries to change them.

Migration 0002 installs a frozen copy of this SQL; a change here needs a migration of its own
(see audit/guards.py).
"""

from audit.guards import ALL_GUARDS, Guard

_TABLE = "meetings_minutes"
_MESSAGE = "approved minutes are locked"

APPROVED_MINUTES_LOCKED = Guard(
    name="meetings_minutes_locked",
    postgresql=[
        f"""
        CREATE OR REPLACE FUNCTION {_TABLE}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.status = 'approved' THEN
                RAISE EXCEPTION '{_MESSAGE}: % refused', TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END $$
        """,
        f"CREATE TRIGGER {_TABLE}_locked BEFORE UPDATE OR DELETE ON {_TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {_TABLE}_refuse_change()",
    ],
    sqlite=[
        f"CREATE TRIGGER {_TABLE}_locked_update BEFORE UPDATE ON {_TABLE} "
        f"WHEN OLD.status = 'approved' "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: UPDATE refused'); END",
        f"CREATE TRIGGER {_TABLE}_locked_delete BEFORE DELETE ON {_TABLE} "
        f"WHEN OLD.status = 'approved' "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: DELETE refused'); END",
    ],
    drop_postgresql=[
        f"DROP TRIGGER IF EXISTS {_TABLE}_locked ON {_TABLE}",
        f"DROP FUNCTION IF EXISTS {_TABLE}_refuse_change()",
    ],
    drop_sqlite=[
        f"DROP TRIGGER IF EXISTS {_TABLE}_locked_update",
        f"DROP TRIGGER IF EXISTS {_TABLE}_locked_delete",
    ],
)

if APPROVED_MINUTES_LOCKED not in ALL_GUARDS:
    ALL_GUARDS.append(APPROVED_MINUTES_LOCKED)
