"""Forum kinds (reference data from the domain notes) and the database lock on approved minutes."""

from django.db import migrations

from core.vendor_sql import install, remove


# (code, name, default level, discusses individual cases, typical rhythm)
FORUM_KINDS = [
    (
        "marac",
        "MARAC (multi-agency risk assessment conference)",
        "operational",
        True,
        "Fortnightly or monthly",
    ),
    (
        "taf",
        "TAF (team around the family)",
        "operational",
        True,
        "Set locally, often every 6–12 weeks per family",
    ),
    ("smp-executive-board", "SMP executive board", "strategic", False, "Quarterly"),
    (
        "smp-regional-group",
        "SMP regional / sub-regional group",
        "strategic",
        False,
        "Monthly to quarterly",
    ),
    (
        "safeguarding-working-group",
        "Safeguarding working group (with the Authority)",
        "strategic",
        False,
        "Monthly",
    ),
    ("nhs-icb", "NHS / ICB meeting", "strategic", False, "Varies"),
    ("hscp", "Health and social care partnership (HSCP) meeting", "strategic", False, "Varies"),
    ("locality-forum", "Locality multi-agency forum", "locality", False, "Monthly to quarterly"),
    ("internal-safeguarding-board", "Internal safeguarding board", "tactical", True, "Monthly"),
    ("joint-case-review", "Joint case review with the Authority", "tactical", True, "Periodic"),
    ("ad-hoc-case-review", "Ad hoc case review", "operational", True, "When an issue arises"),
    ("operational-working-group", "Operational working group", "operational", False, "Varies"),
    ("other", "Other", "operational", False, ""),
]


def load_forum_kinds(apps, schema_editor):
    ForumKind = apps.get_model("meetings", "ForumKind")
    for code, name, level, discusses_cases, rhythm in FORUM_KINDS:
        ForumKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "default_level": level,
                "discusses_cases": discusses_cases,
                "typical_rhythm": rhythm,
            },
        )


# The SQL as the guards stood when this migration was written, for each database. A guard's
# later change comes with a migration of its own, so this one always installs the same
# triggers (docs/decisions/0016-migrations-freeze-trigger-sql.md).

# meetings_minutes_locked
APPROVED_MINUTES_LOCKED = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION meetings_minutes_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status = 'approved' THEN
                    RAISE EXCEPTION 'approved minutes are locked: % refused', TG_OP
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER meetings_minutes_locked
            BEFORE UPDATE OR DELETE ON meetings_minutes
            FOR EACH ROW EXECUTE FUNCTION meetings_minutes_refuse_change()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER meetings_minutes_locked_update
            BEFORE UPDATE ON meetings_minutes WHEN OLD.status = 'approved'
            BEGIN SELECT RAISE(ABORT, 'approved minutes are locked: UPDATE refused'); END
            """,
            """
            CREATE TRIGGER meetings_minutes_locked_delete
            BEFORE DELETE ON meetings_minutes WHEN OLD.status = 'approved'
            BEGIN SELECT RAISE(ABORT, 'approved minutes are locked: DELETE refused'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS meetings_minutes_locked ON meetings_minutes",
            "DROP FUNCTION IF EXISTS meetings_minutes_refuse_change()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS meetings_minutes_locked_update",
            "DROP TRIGGER IF EXISTS meetings_minutes_locked_delete",
        ],
    },
}


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_forums_meetings_attendance_agenda_minutes_actions")]

    operations = [
        migrations.RunPython(load_forum_kinds, migrations.RunPython.noop),
        migrations.RunPython(install(APPROVED_MINUTES_LOCKED), remove(APPROVED_MINUTES_LOCKED)),
    ]
