"""People sign in with their own account's address only.

Until now a person could add addresses of their own choosing through allauth's e-mail page
(a colleague's among them), and any such address, once confirmed, signed in to their account.
Those pages are closed; this forgets every address allauth holds that is not its person's own,
and refuses two accounts with one address in different cases.
"""

import django.db.models.functions.text
from django.db import migrations, models


def forget_addresses_not_their_own(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    foreign = [
        address.pk
        for address in EmailAddress.objects.select_related("user").iterator()
        if address.email.lower() != address.user.email.lower()
    ]
    EmailAddress.objects.filter(pk__in=foreign).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        ("agencies", "0006_people_keep_when_they_moved_agency_and_were_deactivated"),
    ]

    operations = [
        migrations.RunPython(forget_addresses_not_their_own, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_unique_ignoring_case",
            ),
        ),
    ]
