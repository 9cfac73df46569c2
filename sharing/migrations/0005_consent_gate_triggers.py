"""The consent gate in the database (sharing/guards.py), on PostgreSQL and SQLite."""

from django.db import migrations

from audit.guards import installer
from sharing.guards import CONSENT_GATE_GUARDS


def install(apps, schema_editor):
    for guard in CONSENT_GATE_GUARDS:
        installer(guard)[0](apps, schema_editor)


def remove(apps, schema_editor):
    for guard in reversed(CONSENT_GATE_GUARDS):
        installer(guard)[1](apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0004_consent_requests_consents_disclosures")]

    operations = [migrations.RunPython(install, remove)]
