"""Legal holds that stop retention erasing a case, and the record of consent evidence files that
retention deleted (the consent row itself never changes: its grant is fixed in the database)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

__all__ = ["EvidenceErasure", "LegalHold"]


class LegalHold(models.Model):
    """While current, nothing about the case is erased, whatever the schedule says: litigation,
    an inquiry or a serious case review may need it. Lifted, never deleted, and only with a
    reason, so the history of holds stays."""

    case = models.ForeignKey("sharing.Case", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField("why the case is held")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField("why the hold is lifted", blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | (Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="legal_hold_lifted_with_reason",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(lifted_at__isnull=True),
                name="legal_hold_one_current_per_case",
                violation_error_message="The case is already on legal hold",
            ),
        ]

    def __str__(self):
        return f"Legal hold {self.pk} on {self.case_id}"

    @property
    def audit_label(self) -> str:
        return f"Legal hold {self.pk}"

    @property
    def is_current(self) -> bool:
        return self.lifted_at is None


class EvidenceErasure(models.Model):
    """A consent's uploaded letter or e-mail was deleted from storage under retention. The
    consent keeps its digest of the file, so a copy held elsewhere can still be matched."""

    consent = models.OneToOneField(
        "sharing.Consent", on_delete=models.PROTECT, primary_key=True, related_name="erasure"
    )
    erased_on = models.DateField()

    def __str__(self):
        return f"Evidence of consent {self.consent_id} erased on {self.erased_on}"
