from django.db import migrations

from audit.guards import AUDIT_EVENTS_APPEND_ONLY, installer


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(*installer(AUDIT_EVENTS_APPEND_ONLY))]
