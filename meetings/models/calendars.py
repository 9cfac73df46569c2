"""Calendar e-mails queued for delivery, and people's secret calendar feed addresses."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from meetings.models.forums import Forum
from meetings.models.meetings import Meeting


class CalendarMethod(models.TextChoices):
    REQUEST = "REQUEST", "Invitation or update"
    CANCEL = "CANCEL", "Cancellation"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not delivered"


class CalendarMessage(models.Model):
    """One calendar e-mail (an iTIP REQUEST or CANCEL) to one person.

    Written in the same transaction as the change it announces, and sent afterwards by a
    task, so a mail server that is down loses neither the change nor the message. The calendar
    is stored as it was built at the change, so a late delivery still says what was decided
    then, with the SEQUENCE of that moment.
    """

    MAX_ATTEMPTS = 5

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="calendar_messages")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_messages",
        help_text="Empty for a message about the forum's whole series.",
    )
    method = models.CharField(max_length=8, choices=CalendarMethod.choices)
    sequence = models.PositiveIntegerField()
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=150, blank=True)
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField()
    calendar = models.TextField()
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["forum", "status"]),
        ]

    def __str__(self):
        return f"{self.get_method_display()} to {self.recipient_email}: {self.subject}"


class CalendarFeed(models.Model):
    """A person's secret calendar subscription address.

    Only a SHA-256 hash of the token is looked up; the token itself is derived from a random
    nonce and the site's secret key, so the person's page can show the address again while
    the database alone cannot produce it. A new nonce (a reset) kills the old address at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"
