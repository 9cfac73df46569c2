"""Referrals reach their agency by a route (in Partnerhub, a secure link, or a document through
the agency's own channel), with a time by which the agency should acknowledge; secure links,
tied to one address; an answer given through one; and when and how a document was sent."""

import django.db.models.deletion
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

# As in 0009: SQLite adds a CHECK constraint by rebuilding the table, so the guards that are
# dropped by, or stand in the way of, rebuilding the referral tables come off first and go back
# on after.
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
        ("sharing", "0010_consent_request_urgency"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(remove(*_IN_THE_WAY_OF_A_REBUILD), install(*_IN_THE_WAY_OF_A_REBUILD)),
        migrations.CreateModel(
            name="SecureLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "email",
                    models.EmailField(
                        max_length=254, verbose_name="address the link and its codes go to"
                    ),
                ),
                ("token_digest", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField()),
                ("code_digest", models.CharField(blank=True, max_length=64)),
                ("code_expires_at", models.DateTimeField(blank=True, null=True)),
                ("failed_codes", models.PositiveSmallIntegerField(default=0)),
                ("locked_at", models.DateTimeField(blank=True, null=True)),
                ("replaced_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="referral",
            name="acknowledge_by",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="acknowledgement due by"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="document_sent_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="when the document was sent"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="document_sent_how",
            field=models.CharField(
                blank=True, editable=False, max_length=300, verbose_name="how the document was sent"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="route",
            field=models.CharField(
                blank=True,
                choices=[
                    ("partnerhub", "In Partnerhub: the agency's own users read and answer it here"),
                    (
                        "secure_link",
                        "Secure link: an e-mail with a link, opened with a one-time code",
                    ),
                    (
                        "own_channel",
                        "A document we send through the agency's own secure channel (a portal, CJSM, NHSmail)",
                    ),
                ],
                editable=False,
                max_length=16,
                verbose_name="how it reached the agency",
            ),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="method",
            field=models.CharField(
                choices=[
                    ("secure_email", "Secure e-mail"),
                    ("meeting", "At a meeting"),
                    ("phone", "Phone"),
                    ("portal", "Partnerhub portal"),
                    ("secure_link", "Secure link with a one-time code"),
                    ("document", "Document through the agency's own secure channel"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="referralstatuschange",
            name="changed_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("document_sent_at__isnull", True), ("document_sent_how", "")),
                    models.Q(
                        ("document_sent_at__isnull", False),
                        ("route", "own_channel"),
                        models.Q(("document_sent_how", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="referral_document_sending_says_how_and_when",
            ),
        ),
        migrations.AddField(
            model_name="securelink",
            name="contact",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.contact",
            ),
        ),
        migrations.AddField(
            model_name="securelink",
            name="disclosure",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="secure_links",
                to="sharing.disclosure",
            ),
        ),
        migrations.AddField(
            model_name="securelink",
            name="referral",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="secure_links",
                to="sharing.referral",
            ),
        ),
        migrations.AddField(
            model_name="referralstatuschange",
            name="answered_through",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sharing.securelink",
            ),
        ),
        migrations.AddConstraint(
            model_name="referralstatuschange",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("answered_through__isnull", True), ("changed_by__isnull", False)),
                    models.Q(("answered_through__isnull", False), ("changed_by__isnull", True)),
                    _connector="OR",
                ),
                name="referral_status_change_names_who_changed_it",
            ),
        ),
        migrations.AddConstraint(
            model_name="securelink",
            constraint=models.CheckConstraint(
                condition=models.Q(("expires_at__gt", models.F("created_at"))),
                name="secure_link_expires_after_it_is_made",
            ),
        ),
        migrations.AddConstraint(
            model_name="securelink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("code_digest", ""), ("code_expires_at__isnull", True)),
                    models.Q(
                        models.Q(("code_digest", ""), _negated=True),
                        ("code_expires_at__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="secure_link_code_has_an_expiry",
            ),
        ),
        migrations.RunPython(install(*_IN_THE_WAY_OF_A_REBUILD), remove(*_IN_THE_WAY_OF_A_REBUILD)),
    ]
