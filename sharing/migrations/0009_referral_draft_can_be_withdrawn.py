"""A draft referral can be withdrawn (closed, never sent), so one to an agency deactivated since
drafting no longer stays a draft for ever: the CHECK on a referral's sent_at allows it, and the
guard that a referral is sent only through the consent gate lets a draft close unsent."""

from django.conf import settings
from django.db import migrations, models

from core.vendor_sql import install, remove
from sharing.migrations._frozen_triggers import (
    CONSENT_GRANT_IS_FIXED,
    DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
    DISCLOSURES_APPEND_ONLY,
    DISCLOSURE_REQUIRES_CONSENT,
    REFERRAL_SENT_ONLY_WHEN_DISCLOSED,
    REFERRAL_SENT_ONLY_WHEN_DISCLOSED_AS_OF_0008,
)


# As in 0008: SQLite changes a CHECK constraint by rebuilding the table, which drops the
# referral's own triggers and fails on triggers elsewhere that name the tables being rebuilt, so
# the guards come off before the rebuild and go back on after it. The referral's guard goes back
# in its new form, which lets a draft close unsent; migrating backwards puts 0008's form back.
_IN_THE_WAY_OF_A_REBUILD = [
    DISCLOSURE_REQUIRES_CONSENT,
    DISCLOSURES_APPEND_ONLY,
    DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
    CONSENT_GRANT_IS_FIXED,
]


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0006_people_keep_when_they_moved_agency_and_were_deactivated"),
        ("sharing", "0008_decision_records_enforced_and_referrals_sent_only_when_disclosed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            remove(*_IN_THE_WAY_OF_A_REBUILD, REFERRAL_SENT_ONLY_WHEN_DISCLOSED_AS_OF_0008),
            install(*_IN_THE_WAY_OF_A_REBUILD, REFERRAL_SENT_ONLY_WHEN_DISCLOSED_AS_OF_0008),
        ),
        migrations.RemoveConstraint(
            model_name="referral",
            name="referral_sent_at_set_once_sent",
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("sent_at__isnull", True), ("status", "draft")),
                    models.Q(
                        ("closed_at__isnull", False),
                        ("sent_at__isnull", True),
                        ("status", "closed"),
                    ),
                    models.Q(
                        models.Q(("status", "draft"), _negated=True), ("sent_at__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="referral_sent_at_set_once_sent_or_withdrawn",
            ),
        ),
        migrations.RunPython(
            install(*_IN_THE_WAY_OF_A_REBUILD, REFERRAL_SENT_ONLY_WHEN_DISCLOSED),
            remove(*_IN_THE_WAY_OF_A_REBUILD, REFERRAL_SENT_ONLY_WHEN_DISCLOSED),
        ),
    ]
