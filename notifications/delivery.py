"""Sending notification e-mails: one now, by a background task, or the day's in one digest.

An e-mail says what happened and links to it; the message was written without case data and
nothing else is added. A failed send is kept, retried with back-off, and shown to
administrators (the admin's notification list, filtered by e-mail status); the change it tells
of is already committed, so it is never raised.
"""

import logging
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from notifications.models import EmailStatus, Notification

logger = logging.getLogger(__name__)

RETRY_AFTER = [timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=8)]


def absolute(path: str) -> str:
    return settings.PARTNERHUB_SITE_URL.rstrip("/") + path


# Marks every notification e-mail: mail rules can file them, and the tests find them to check
# that none carries case data. Auto-Submitted stops out-of-office replies to them.
KIND_HEADER = "X-Partnerhub-Notification"


def _email(person, subject: str, template: str, context: dict, kind: str) -> EmailMessage:
    context = {
        "person": person,
        "settings_url": absolute(reverse("notifications:preferences")),
        **context,
    }
    return EmailMessage(
        subject=f"Partnerhub: {subject}",
        body=render_to_string(template, context),
        to=[formataddr((person.full_name, person.email))],
        headers={KIND_HEADER: kind, "Auto-Submitted": "auto-generated"},
    )


def build_email(notification: Notification) -> EmailMessage:
    return _email(
        notification.recipient,
        notification.get_kind_display(),
        "notifications/email/notification.txt",
        {
            "notification": notification,
            "link": absolute(reverse("notifications:open", args=[notification.pk])),
        },
        kind=notification.kind,
    )


def enqueue_delivery(notification_ids) -> None:
    for notification_id in notification_ids:
        deliver_notification.enqueue(notification_id)


def deliver(notification_id: int) -> str:
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, email_status__in=[EmailStatus.PENDING, EmailStatus.FAILED])
        .first()
    )
    if notification is None:
        return "nothing to do"
    if not notification.recipient.is_active or not notification.recipient.email:
        Notification.objects.filter(pk=notification.pk).update(email_status=EmailStatus.NOT_SENT)
        return "not sent"
    attempts = notification.email_attempts + 1
    try:
        build_email(notification).send()
    except Exception as error:  # any mail backend failure: keep it and try again later
        logger.warning("Notification %s not e-mailed: %s", notification.pk, error)
        Notification.objects.filter(pk=notification.pk).update(
            email_status=EmailStatus.FAILED,
            email_attempts=attempts,
            email_error=f"{type(error).__name__}: {error}"[:255],
        )
        _retry_later(notification.pk, attempts)
        return "failed"
    Notification.objects.filter(pk=notification.pk).update(
        email_status=EmailStatus.SENT,
        email_attempts=attempts,
        emailed_at=timezone.now(),
        email_error="",
    )
    return "sent"


@task()
def deliver_notification(notification_id: int) -> str:
    return deliver(notification_id)


def _retry_later(notification_id: int, attempts: int) -> None:
    if attempts >= Notification.MAX_ATTEMPTS:
        logger.error("Notification %s given up after %s attempts", notification_id, attempts)
        return
    # The immediate backend cannot wait; `send_reminders` tries failed e-mails again instead.
    if deliver_notification.get_backend().supports_defer:
        delay = RETRY_AFTER[min(attempts, len(RETRY_AFTER)) - 1]
        deliver_notification.using(run_after=timezone.now() + delay).enqueue(notification_id)


def retry_failed() -> int:
    """Failed e-mails with attempts left go back to the queue (the timer's second chance)."""
    ids = list(
        Notification.objects.filter(
            email_status=EmailStatus.FAILED, email_attempts__lt=Notification.MAX_ATTEMPTS
        ).values_list("pk", flat=True)
    )
    enqueue_delivery(ids)
    return len(ids)


def send_digests() -> int:
    """One e-mail per person gathering every notification waiting for their digest. Each
    person's rows are claimed under a lock, so two runs at once never send a digest twice."""
    sent = 0
    people = (
        Notification.objects.filter(email_status=EmailStatus.IN_DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for person_id in list(people):
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(recipient_id=person_id, email_status=EmailStatus.IN_DIGEST)
                .order_by("created_at", "pk")
            )
            if not waiting:
                continue
            person = waiting[0].recipient
            claimed = Notification.objects.filter(pk__in=[n.pk for n in waiting])
            if not person.is_active or not person.email:
                claimed.update(email_status=EmailStatus.NOT_SENT)
                continue
            email = _email(
                person,
                f"your daily digest ({len(waiting)} notification{'s' if len(waiting) != 1 else ''})",
                "notifications/email/digest.txt",
                {
                    "notifications": [
                        (n, absolute(reverse("notifications:open", args=[n.pk]))) for n in waiting
                    ]
                },
                kind="digest",
            )
            try:
                email.send()
            except Exception as error:  # stays in the digest; the next run tries again
                logger.warning("Digest for person %s not e-mailed: %s", person_id, error)
                claimed.update(
                    email_attempts=F("email_attempts") + 1,
                    email_error=f"{type(error).__name__}: {error}"[:255],
                )
                continue
            claimed.update(
                email_status=EmailStatus.SENT,
                email_attempts=F("email_attempts") + 1,
                emailed_at=timezone.now(),
                email_error="",
            )
            sent += 1
    return sent
