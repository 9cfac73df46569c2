"""A MARAC referral records its DASH score, professional judgement and the criterion it meets,
and whether it repeats the case's last MARAC hearing, which the case now keeps."""

import django.core.validators
from django.conf import settings
from django.db import migrations, models

from core.vendor_sql import install, remove
from sharing.migrations._frozen_triggers import (
    CONSENT_GRANT_IS_FIXED,
    DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
    DISCLOSURES_APPEND_ONLY,
    DISCLOSURE_REQUIRES_CONSENT,
    REFERRAL_SENT_ONLY_WHEN_DISCLOSED,
)

# As in 0011: SQLite adds a CHECK constraint (and a column with a default) by rebuilding the
# table, so the guards that are dropped by, or stand in the way of, rebuilding the referral table
# come off first and go back on after.
_IN_THE_WAY_OF_A_REBUILD = [
    DISCLOSURE_REQUIRES_CONSENT,
    DISCLOSURES_APPEND_ONLY,
    DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
    CONSENT_GRANT_IS_FIXED,
    REFERRAL_SENT_ONLY_WHEN_DISCLOSED,
]


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0008_agency_referral_route"),
        ("sharing", "0011_referral_routes_and_secure_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(remove(*_IN_THE_WAY_OF_A_REBUILD), install(*_IN_THE_WAY_OF_A_REBUILD)),
        migrations.AddField(
            model_name="case",
            name="last_heard_at_marac_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="last heard at MARAC on"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="dash_score",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(24),
                ],
                verbose_name="DASH risk checklist score",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="escalation_criterion",
            field=models.CharField(
                blank=True,
                choices=[
                    ("visible_high_risk", "Visible high risk (a DASH score of 14 or more)"),
                    ("professional_judgement", "Professional judgement"),
                    (
                        "potential_escalation",
                        "Potential escalation (3 or more police call-outs in 12 months)",
                    ),
                ],
                max_length=24,
                verbose_name="criterion for referral to MARAC",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="is_repeat_marac",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="repeat MARAC referral"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="professional_judgement",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="professional judgement used"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="professional_judgement_reason",
            field=models.TextField(blank=True, verbose_name="why, in your professional judgement"),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("dash_score__isnull", True),
                    models.Q(("dash_score__gte", 0), ("dash_score__lte", 24)),
                    _connector="OR",
                ),
                name="referral_dash_score_from_0_to_24",
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("dash_score__isnull", True),
                        ("escalation_criterion", ""),
                        ("is_repeat_marac", False),
                        ("professional_judgement__isnull", True),
                        ("professional_judgement_reason", ""),
                    ),
                    models.Q(
                        ("dash_score__isnull", False),
                        ("professional_judgement__isnull", False),
                        models.Q(("escalation_criterion", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="referral_marac_details_together",
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("professional_judgement", True),
                        models.Q(("professional_judgement_reason", ""), _negated=True),
                    ),
                    models.Q(
                        ("professional_judgement", False), ("professional_judgement_reason", "")
                    ),
                    models.Q(
                        ("professional_judgement__isnull", True),
                        ("professional_judgement_reason", ""),
                    ),
                    _connector="OR",
                ),
                name="referral_professional_judgement_says_why",
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("escalation_criterion", "visible_high_risk"), _negated=True),
                    ("dash_score__gte", 14),
                    _connector="OR",
                ),
                name="referral_visible_high_risk_scores_14_or_more",
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("escalation_criterion", "professional_judgement"), _negated=True),
                    ("professional_judgement", True),
                    _connector="OR",
                ),
                name="referral_professional_judgement_criterion_used_it",
            ),
        ),
        migrations.RunPython(install(*_IN_THE_WAY_OF_A_REBUILD), remove(*_IN_THE_WAY_OF_A_REBUILD)),
    ]
