"""The database keeps approved minutes locked, whatever code path tries to change them.

Migrations 0002 and 0010 install frozen copies of this SQL; a change here needs a migration of its own
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


# Parts of approved minutes are locked with their version: a part is neither added to, changed
# in nor removed from a version once it is approved. Installed by migration 0010.
APPROVED_CASE_PARTS_LOCKED = Guard(
    name="meetings_minutes_case_part_locked",
    postgresql=[
        "\n            CREATE OR REPLACE FUNCTION meetings_minutes_case_part_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$\n            DECLARE\n                version_status varchar;\n            BEGIN\n                SELECT status INTO version_status FROM meetings_minutes\n                    WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.minutes_id ELSE OLD.minutes_id END;\n                IF version_status = 'approved' THEN\n                    RAISE EXCEPTION 'approved minutes are locked: % of a case part refused', TG_OP\n                        USING ERRCODE = 'integrity_constraint_violation';\n                END IF;\n                IF TG_OP = 'DELETE' THEN\n                    RETURN OLD;\n                END IF;\n                RETURN NEW;\n            END $$\n            ",
        "\n            CREATE TRIGGER meetings_minutes_case_part_locked\n            BEFORE INSERT OR UPDATE OR DELETE ON meetings_minutescasepart\n            FOR EACH ROW EXECUTE FUNCTION meetings_minutes_case_part_refuse_change()\n            ",
    ],
    sqlite=[
        "\n            CREATE TRIGGER meetings_minutes_case_part_locked_insert\n            BEFORE INSERT ON meetings_minutescasepart\n            WHEN (SELECT status FROM meetings_minutes WHERE id = NEW.minutes_id) = 'approved'\n            BEGIN SELECT RAISE(ABORT, 'approved minutes are locked: INSERT of a case part refused'); END\n            ",
        "\n            CREATE TRIGGER meetings_minutes_case_part_locked_update\n            BEFORE UPDATE ON meetings_minutescasepart\n            WHEN (SELECT status FROM meetings_minutes WHERE id = OLD.minutes_id) = 'approved'\n            BEGIN SELECT RAISE(ABORT, 'approved minutes are locked: UPDATE of a case part refused'); END\n            ",
        "\n            CREATE TRIGGER meetings_minutes_case_part_locked_delete\n            BEFORE DELETE ON meetings_minutescasepart\n            WHEN (SELECT status FROM meetings_minutes WHERE id = OLD.minutes_id) = 'approved'\n            BEGIN SELECT RAISE(ABORT, 'approved minutes are locked: DELETE of a case part refused'); END\n            ",
    ],
    drop_postgresql=[
        "DROP TRIGGER IF EXISTS meetings_minutes_case_part_locked ON meetings_minutescasepart",
        "DROP FUNCTION IF EXISTS meetings_minutes_case_part_refuse_change()",
    ],
    drop_sqlite=[
        "DROP TRIGGER IF EXISTS meetings_minutes_case_part_locked_insert",
        "DROP TRIGGER IF EXISTS meetings_minutes_case_part_locked_update",
        "DROP TRIGGER IF EXISTS meetings_minutes_case_part_locked_delete",
    ],
)

for guard in (APPROVED_MINUTES_LOCKED, APPROVED_CASE_PARTS_LOCKED):
    if guard not in ALL_GUARDS:
        ALL_GUARDS.append(guard)
