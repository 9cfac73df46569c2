"""Append-only audit events, each carrying the hash of the one before it."""

from django.conf import settings
from django.db import models


class Verb(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DEACTIVATED = "deactivated", "Deactivated"
    REACTIVATED = "reactivated", "Reactivated"
    VIEWED = "viewed", "Viewed"
    VIEW_DENIED = "view_denied", "Refused sight of"
    EXPORTED = "exported", "Exported"
    DOWNLOADED = "downloaded", "Downloaded"
    IMPORTED = "imported", "Imported"
    DISCLOSED = "disclosed", "Disclosed"
    DISCLOSURE_REFUSED = "disclosure_refused", "Disclosure refused"
    CONSENT_GRANTED = "consent_granted", "Consent granted"
    CONSENT_REVOKED = "consent_revoked", "Consent revoked"
    CONSENT_REFUSED = "consent_refused", "Consent refused"
    DECIDED_NOT_TO_SHARE = "decided_not_to_share", "Decided not to share"
    STATUS_CHANGED = "status_changed", "Status changed"
    ESCALATED = "escalated", "Escalated"
    PERMISSION_CHANGED = "permission_changed", "Permissions changed"
    INVITED = "invited", "Invited"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGNED_OUT = "signed_out", "Signed out"
    CHECKPOINT = "checkpoint", "Checkpoint written"
    CHAIN_VERIFIED = "chain_verified", "Chain verified"
    CODE_SENT = "code_sent", "One-time code sent"
    CODE_REFUSED = "code_refused", "One-time code refused"
    LOCKED = "locked", "Locked"
    ERASED = "erased", "Erased under retention"
    LEGAL_HOLD_PLACED = "legal_hold_placed", "Legal hold placed"
    LEGAL_HOLD_LIFTED = "legal_hold_lifted", "Legal hold lifted"


class AuditEvent(models.Model):
    """One thing that happened. Holds identifiers and field names, never sensitive values.

    The database refuses updates and deletes (triggers in the migrations); `row_hash` covers the
    row's content and `previous_hash`, so a changed, removed or inserted row breaks the chain.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=254, blank=True)
    verb = models.CharField(max_length=32, choices=Verb.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)
    # The request the event happened in, to find its log lines; outside the hash, which never
    # changes, and empty for events from commands, the worker and the years before it existed.
    # Nullable so that adding it is a plain ALTER TABLE: on SQLite a column with a default
    # rebuilds the table, which would drop its append-only triggers.
    request_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["sequence"]
        permissions = [
            ("export_auditevent", "Can export the audit log"),
            ("verify_auditevent", "Can verify the audit chain on demand"),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id", "sequence"]),
            # The latest event of a kind (the last checkpoint, which the disclosure log and the
            # consent report print) without walking back through a million others.
            models.Index(fields=["verb", "sequence"], name="audit_event_verb_sequence"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.get_verb_display()} {self.object_type} {self.object_id}"
