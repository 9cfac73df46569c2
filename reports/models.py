"""Reports count what the other apps hold. `Report` has no table; it carries the permissions the
roles grant (core.roles), so who sees which report is decided the way every other right is.
`ReleaseTally` keeps one count that never changes once a day is over (reports.coverage)."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


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


class ReleaseTally(models.Model):
    """Of the `releases` made on a UK day, how many a consent current at the time and naming
    the recipient covered, counted once the day was over. A tally speaks for the day only
    while the day still holds `releases` releases: they cannot be changed or deleted and the
    consents they relied on cannot change (sharing/guards.py), so the same number means the
    same releases. A day that gained one is counted again, under its new number."""

    day = models.DateField()
    releases = models.PositiveIntegerField()
    covered = models.PositiveIntegerField()
    counted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["day", "releases"], name="release_tally_per_count"),
            models.CheckConstraint(
                condition=Q(covered__lte=F("releases")), name="release_tally_covers_at_most_all"
            ),
        ]

    def __str__(self):
        return f"{self.day}: {self.covered} of {self.releases} releases covered"
