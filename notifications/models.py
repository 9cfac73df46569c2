"""What a person is told, how they chose to be told it, and which reminders have gone out.

A notification never holds case data: what happened, the pseudonymous case reference at most,
and a link to the thing. Whether the person may still open the thing is asked when they follow
the link, by the thing's own page.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    CONSENT_REQUESTED = "consent_requested", "Consent requested"
    CONSENT_GRANTED = "consent_granted", "Consent granted on your request"
    CONSENT_REFUSED = "consent_refused", "Consent refused on your request"
    ESCALATION_RAISED = "escalation_raised", "A case escalated to you"
    ESCALATION_DECIDED = "escalation_decided", "Your escalation decided"
    REFERRAL_RECEIVED = "referral_received", "A referral sent to your agency"
    REFERRAL_NOT_ACKNOWLEDGED = "referral_not_acknowledged", "A referral not acknowledged in time"
    REFERRAL_WITHDRAWN = "referral_withdrawn", "Consent withdrawn for a referral you received"
    REFERRAL_CORRECTED = "referral_corrected", "A correction to a referral you received"
    REFERRAL_ACKNOWLEDGED = "referral_acknowledged", "Your referral acknowledged"
    REFERRAL_ACCEPTED = "referral_accepted", "Your referral accepted"
    REFERRAL_DECLINED = "referral_declined", "Your referral declined"
    ACTION_ASSIGNED = "action_assigned", "An action given to you"
    ACTION_DUE_SOON = "action_due_soon", "Your action due in three days"
    ACTION_OVERDUE = "action_overdue", "Your action overdue"
    MINUTES_CIRCULATED = "minutes_circulated", "Minutes circulated"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    MINUTES_COMMENTED = "minutes_commented", "A comment on minutes you keep"
    AGREEMENT_REVIEW_DUE = "agreement_review_due", "Information sharing agreement review due"


# A decision on your own consent request and an escalation to you cannot be switched off:
# work waits on them.
ALWAYS_DELIVERED = frozenset(
    {
        NotificationKind.CONSENT_GRANTED,
        NotificationKind.CONSENT_REFUSED,
        NotificationKind.ESCALATION_RAISED,
    }
)


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately, by e-mail"
    DIGEST = "digest", "In a daily digest e-mail"
    OFF = "off", "Off"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    IN_DIGEST = "in_digest", "Waiting for the daily digest"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, to be tried again"
    NOT_SENT = "not_sent", "Not sent (no address or account closed)"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    message = models.CharField(max_length=255)
    url = models.CharField("link", max_length=255)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=12, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=255, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    MAX_ATTEMPTS = 5

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "recipient"]),
        ]

    def __str__(self):
        return self.message

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How one person wants one kind of notification; no row means immediately."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(delivery=Delivery.OFF, kind__in=sorted(ALWAYS_DELIVERED)),
                name="always_delivered_kinds_stay_on",
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.delivery}"


class SentReminder(models.Model):
    """One row per reminder that went out. The unique constraint is what keeps a rerun, or two
    copies of `send_reminders` running at once, from sending the same reminder twice."""

    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    subject_type = models.CharField("what it is about", max_length=64)
    subject_id = models.PositiveBigIntegerField()
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "due_on"],
                name="one_reminder_per_thing_kind_and_due_date",
            )
        ]

    def __str__(self):
        return f"{self.kind} for {self.subject_type} {self.subject_id} due {self.due_on}"
