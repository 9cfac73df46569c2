"""Keep when a person moved to their current agency, and make sure everyone already deactivated
has the moment on record.

No move was recorded before now, so everyone's membership is taken to have begun with their
account (the field stays empty). A person already deactivated without a moment on record is
given this migration's, so a later reactivation does not revive what they held before.
"""

import django.utils.timezone
from django.db import migrations, models


def backfill(apps, schema_editor):
    apps.get_model("agencies", "User").objects.filter(
        is_active=False, deactivated_at__isnull=True
    ).update(deactivated_at=django.utils.timezone.now())


class Migration(migrations.Migration):
    dependencies = [("agencies", "0005_directory_agency_details_contacts_and_areas")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="agency_since",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="member of this agency since"
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="deactivated_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last deactivated at"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
