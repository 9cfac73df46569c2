"""Forum kinds (reference data from the domain notes) and the database lock on approved minutes."""

from django.db import migrations

from audit.guards import installer
from meetings.guards import APPROVED_MINUTES_LOCKED

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


lock_forwards, lock_backwards = installer(APPROVED_MINUTES_LOCKED)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_forums_meetings_attendance_agenda_minutes_actions")]

    operations = [
        migrations.RunPython(load_forum_kinds, migrations.RunPython.noop),
        migrations.RunPython(lock_forwards, lock_backwards),
    ]
