"""The decision record of a disclosure, a decision not to share and a consent request's outcome
enforced by the database, and a referral marked sent only when its disclosure exists."""

from django.conf import settings
from django.db import migrations, models

from core.vendor_sql import install, remove
from sharing.migrations._frozen_triggers import (
    CONSENT_GRANT_IS_FIXED,
    DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
    DISCLOSURES_APPEND_ONLY,
    DISCLOSURE_REQUIRES_CONSENT,
    REFERRAL_SENT_ONLY_WHEN_DISCLOSED_AS_OF_0008,
    SPECIAL_CATEGORIES_NEED_A_CONDITION,
)


DECISION_RECORD_GUARDS = [
    SPECIAL_CATEGORIES_NEED_A_CONDITION,
    REFERRAL_SENT_ONLY_WHEN_DISCLOSED_AS_OF_0008,
]

# SQLite adds a CHECK constraint by rebuilding the table. The rebuild drops the table's own
# triggers and fails on triggers elsewhere that name it (a consent's recipients check its
# disclosures), so those guards come off before the rebuild and go back on after it.
_IN_THE_WAY_OF_A_REBUILD = [
    DISCLOSURE_REQUIRES_CONSENT,
    DISCLOSURES_APPEND_ONLY,
    DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
    CONSENT_GRANT_IS_FIXED,
]


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0005_directory_agency_details_contacts_and_areas"),
        ("sharing", "0007_people_given_sight_of_a_case"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(remove(*_IN_THE_WAY_OF_A_REBUILD), install(*_IN_THE_WAY_OF_A_REBUILD)),
        migrations.AddConstraint(
            model_name="consentrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "narrowed"), _negated=True),
                    models.Q(("decision_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="consent_request_narrowing_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="consentrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "pending"), ("decided_by__isnull", False), _connector="OR"
                ),
                name="consent_request_outcome_names_decision_maker",
            ),
        ),
        migrations.AddConstraint(
            model_name="consentrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("necessity", ""), _negated=True),
                name="consent_request_states_necessity",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionnottoshare",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "lawful_basis_considered__in",
                        [
                            "public_task",
                            "legal_obligation",
                            "vital_interests",
                            "legitimate_interests",
                            "recognised_legitimate_interest",
                            "consent",
                            "",
                        ],
                    )
                ),
                name="decision_not_to_share_lawful_basis_is_coded",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "lawful_basis__in",
                        [
                            "public_task",
                            "legal_obligation",
                            "vital_interests",
                            "legitimate_interests",
                            "recognised_legitimate_interest",
                            "consent",
                        ],
                    )
                ),
                name="disclosure_lawful_basis_is_coded",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "special_category_condition__in",
                        [
                            "not_applicable",
                            "sch1_para18",
                            "sch1_para10",
                            "art9_2c",
                            "art9_2h",
                            "art9_2a",
                        ],
                    )
                ),
                name="disclosure_special_category_condition_is_coded",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "person_told__in",
                        ["told", "not_told_risk", "not_told_investigation", "not_told_other"],
                    )
                ),
                name="disclosure_person_told_is_coded",
            ),
        ),
        migrations.RunPython(install(*_IN_THE_WAY_OF_A_REBUILD), remove(*_IN_THE_WAY_OF_A_REBUILD)),
        migrations.RunPython(
            install(*DECISION_RECORD_GUARDS), remove(*reversed(DECISION_RECORD_GUARDS))
        ),
    ]
