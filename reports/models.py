"""Reports hold no data of their own: they count what the other apps hold. This model has no
table; it carries the permissions the roles grant (core.roles), so who sees which report is
decided the way every other right is."""

from django.db import models


class Report(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_monthly_report", "Can see the monthly report to the Authority"),
            ("view_consent_report", "Can see the consent compliance report"),
            ("view_partnership_report", "Can see the partnership activity report"),
            (
                "view_small_numbers",
                "Can see counts below the small-number threshold in reports",
            ),
        ]

    def __str__(self):
        return "Reports"
