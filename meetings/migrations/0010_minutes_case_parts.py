"""Minutes get case parts, and what was written before them stays as private as it was.

Before this migration a version of the minutes was one text. For a meeting without case items
that text is exactly what the general part now is, and every attendee already read it: it
becomes the general part unchanged.

For a meeting with case items the text carried every case discussed, and it was read only by
people shown every case item, their agencies reached by releasing the whole version through
the consent gate. Splitting it into case parts would mean guessing which sentence is about
which case, and a wrong guess shows one agency another's case; so it is not split. It stays
the version's text, kept as its general part but marked `general_part_carries_cases`, which
`meetings.permissions` reads exactly as it read the whole minutes before. Nobody reads more of
it than they did. A correction starts from the same text, so it inherits the mark.

Adding a column rebuilds the table on SQLite, which drops its triggers, and marking approved
versions is an update the lock on approved minutes refuses; so the lock is lifted for the
migration (one transaction: nobody sees the minutes unlocked) and installed again after it, its
SQL frozen here as it stands (docs/decisions/0016). Case parts get the same lock: a part of
approved minutes cannot be added, changed or removed.
"""

import django.db.models.deletion
from django.db import migrations, models

from core.vendor_sql import install, remove

# meetings_minutes_locked, as migration 0002 installed it.
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

# meetings_minutes_case_part_locked
APPROVED_CASE_PARTS_LOCKED = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION meetings_minutes_case_part_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                version_status varchar;
            BEGIN
                SELECT status INTO version_status FROM meetings_minutes
                    WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.minutes_id ELSE OLD.minutes_id END;
                IF version_status = 'approved' THEN
                    RAISE EXCEPTION 'approved minutes are locked: % of a case part refused', TG_OP
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER meetings_minutes_case_part_locked
            BEFORE INSERT OR UPDATE OR DELETE ON meetings_minutescasepart
            FOR EACH ROW EXECUTE FUNCTION meetings_minutes_case_part_refuse_change()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER meetings_minutes_case_part_locked_insert
            BEFORE INSERT ON meetings_minutescasepart
            WHEN (SELECT status FROM meetings_minutes WHERE id = NEW.minutes_id) = 'approved'
            BEGIN SELECT RAISE(ABORT, 'approved minutes are locked: INSERT of a case part refused'); END
            """,
            """
            CREATE TRIGGER meetings_minutes_case_part_locked_update
            BEFORE UPDATE ON meetings_minutescasepart
            WHEN (SELECT status FROM meetings_minutes WHERE id = OLD.minutes_id) = 'approved'
            BEGIN SELECT RAISE(ABORT, 'approved minutes are locked: UPDATE of a case part refused'); END
            """,
            """
            CREATE TRIGGER meetings_minutes_case_part_locked_delete
            BEFORE DELETE ON meetings_minutescasepart
            WHEN (SELECT status FROM meetings_minutes WHERE id = OLD.minutes_id) = 'approved'
            BEGIN SELECT RAISE(ABORT, 'approved minutes are locked: DELETE of a case part refused'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS meetings_minutes_case_part_locked ON meetings_minutescasepart",
            "DROP FUNCTION IF EXISTS meetings_minutes_case_part_refuse_change()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS meetings_minutes_case_part_locked_insert",
            "DROP TRIGGER IF EXISTS meetings_minutes_case_part_locked_update",
            "DROP TRIGGER IF EXISTS meetings_minutes_case_part_locked_delete",
        ],
    },
}


def mark_minutes_of_case_meetings(apps, schema_editor):
    Minutes = apps.get_model("meetings", "Minutes")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    case_meetings = AgendaItem.objects.filter(case__isnull=False).values("meeting_id")
    Minutes.objects.filter(meeting_id__in=case_meetings).update(general_part_carries_cases=True)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0009_case_hearings_and_case_lists")]

    operations = [
        migrations.RunPython(remove(APPROVED_MINUTES_LOCKED), install(APPROVED_MINUTES_LOCKED)),
        migrations.AddField(
            model_name="minutes",
            name="general_part_carries_cases",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_minutes_of_case_meetings, migrations.RunPython.noop),
        migrations.RunPython(install(APPROVED_MINUTES_LOCKED), remove(APPROVED_MINUTES_LOCKED)),
        migrations.CreateModel(
            name="MinutesCasePart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("body", models.TextField()),
                (
                    "agenda_item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="minutes_parts",
                        to="meetings.agendaitem",
                    ),
                ),
                (
                    "minutes",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="case_parts",
                        to="meetings.minutes",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("minutes", "agenda_item"), name="minutes_one_part_per_case_item"
                    )
                ],
            },
        ),
        migrations.RunPython(
            install(APPROVED_CASE_PARTS_LOCKED), remove(APPROVED_CASE_PARTS_LOCKED)
        ),
    ]
