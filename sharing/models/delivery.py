"""How a sent referral reaches an agency without Partnerhub users: a secure link.

The e-mail carries the link only. Opening it asks for a one-time code sent to the same address
in a second e-mail, so a forwarded link shows nothing; the snapshot itself never sits in an
inbox. Only digests of the link's token and of the code are stored.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

__all__ = ["SecureLink"]


class SecureLink(models.Model):
    """A link to one released referral, tied to one address, for a limited time."""

    referral = models.ForeignKey(
        "sharing.Referral", on_delete=models.PROTECT, related_name="secure_links"
    )
    disclosure = models.ForeignKey(
        "sharing.Disclosure", on_delete=models.PROTECT, related_name="secure_links"
    )
    contact = models.ForeignKey(
        "agencies.Contact", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    email = models.EmailField("address the link and its codes go to")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    code_digest = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    failed_codes = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="secure_link_expires_after_it_is_made",
            ),
            models.CheckConstraint(
                condition=Q(code_digest="", code_expires_at__isnull=True)
                | (~Q(code_digest="") & Q(code_expires_at__isnull=False)),
                name="secure_link_code_has_an_expiry",
            ),
        ]

    def __str__(self):
        return f"Secure link {self.pk} for referral {self.referral_id}"

    @property
    def needs_replacing(self) -> bool:
        """Expired or locked: the agency cannot open it, and the officer may send a new one."""
        return self.locked_at is not None or self.expires_at <= timezone.now()

    @property
    def addressee(self) -> str:
        if self.contact_id is not None:
            return f"{self.contact.full_name} ({self.email})"
        return self.email
