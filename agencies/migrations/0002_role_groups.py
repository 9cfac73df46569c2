"""Create the role groups. Their permissions are synced after every migrate (core.roles)."""

from django.db import migrations

ROLES = [
    "administrator",
    "partnership manager",
    "safeguarding officer",
    "safeguarding manager",
    "authority",
    "compliance reviewer",
    "partner",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
