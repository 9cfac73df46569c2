"""The consent gate in the database, on PostgreSQL and SQLite."""

from django.db import migrations

from core.vendor_sql import install, remove
from sharing.migrations._frozen_triggers import (
    CONSENT_GRANT_IS_FIXED,
    DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
    DISCLOSURES_APPEND_ONLY,
    DISCLOSURE_REQUIRES_CONSENT,
    RELEASED_CONTENT_NOT_EDITED,
)


CONSENT_GATE = [
    DISCLOSURE_REQUIRES_CONSENT,
    DISCLOSURES_APPEND_ONLY,
    DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
    CONSENT_GRANT_IS_FIXED,
    RELEASED_CONTENT_NOT_EDITED,
]


class Migration(migrations.Migration):
    dependencies = [("sharing", "0004_consent_requests_consents_disclosures")]

    operations = [migrations.RunPython(install(*CONSENT_GATE), remove(*reversed(CONSENT_GATE)))]
