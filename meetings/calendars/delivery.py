"""Sending queued calendar e-mails: the task that sends one, its retries, and the organiser's
and the timer's "send again".

A failed send is recorded on the message and tried again later, never raised: the change it
tells of is already committed.
"""

import logging
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from meetings import permissions
from meetings.models import CalendarMessage, DeliveryStatus, Forum

logger = logging.getLogger(__name__)

RETRY_AFTER = [timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=8)]


def enqueue_delivery(message_ids) -> None:
    for message_id in message_ids:
        deliver_calendar_message.enqueue(message_id)


class CalendarEmail(EmailMultiAlternatives):
    """multipart/mixed: an alternative of text, HTML and text/calendar with its iTIP method,
    then the same calendar as invite.ics. Outlook reads the inline part; some mail clients
    offer only the attachment."""

    def __init__(self, *args, method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar_method = method

    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype)
        if mimetype == "text/calendar":
            # The iTIP method must sit on the part itself and equal the calendar's METHOD.
            part.replace_header(
                "Content-Type", f"text/calendar; method={self.calendar_method}; charset=utf-8"
            )
        return part


def build_email(message: CalendarMessage) -> CalendarEmail:
    _, system_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    email = CalendarEmail(
        subject=message.subject,
        body=message.text_body,
        # The system address sends (its domain is the one allowed to), in the forum's name;
        # replies go to the organiser mailbox that is the calendar's ORGANIZER.
        from_email=formataddr((f"{message.forum.name} via Partnerhub", system_address)),
        to=[formataddr((message.recipient_name, message.recipient_email))],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Content-Class": "urn:content-classes:calendarmessage"},
        method=message.method,
    )
    email.attach_alternative(message.html_body, "text/html")
    email.attach_alternative(message.calendar, "text/calendar")
    email.attach("invite.ics", message.calendar, "application/ics")
    return email


def deliver(message_id: int) -> str:
    """Send one queued message; a failure is recorded and retried later, never raised."""
    message = CalendarMessage.objects.select_related("forum").filter(pk=message_id).first()
    if message is None or message.status == DeliveryStatus.SENT:
        return "nothing to do"
    attempts = message.attempts + 1
    try:
        build_email(message).send()
    except Exception as error:  # any mail backend failure: keep the message and try again
        logger.warning("Calendar message %s not delivered: %s", message.pk, error)
        CalendarMessage.objects.filter(pk=message.pk).update(
            status=DeliveryStatus.FAILED,
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:255],
        )
        _retry_later(message.pk, attempts)
        return "failed"
    CalendarMessage.objects.filter(pk=message.pk).update(
        status=DeliveryStatus.SENT, attempts=attempts, sent_at=timezone.now(), last_error=""
    )
    return "sent"


@task()
def deliver_calendar_message(message_id: int) -> str:
    return deliver(message_id)


def _retry_later(message_id: int, attempts: int) -> None:
    if attempts >= CalendarMessage.MAX_ATTEMPTS:
        return
    # The immediate backend cannot wait; `send_calendar_messages` and the organiser's "try
    # again" pick such messages up instead.
    if deliver_calendar_message.get_backend().supports_defer:
        delay = RETRY_AFTER[min(attempts, len(RETRY_AFTER)) - 1]
        deliver_calendar_message.using(run_after=timezone.now() + delay).enqueue(message_id)


def requeue_undelivered(*, forum: Forum, actor) -> int:
    """The organiser's "try again": every message of the forum not yet delivered goes back to
    the task queue, whatever attempts it has used."""
    permissions.require_manage_meetings(actor)
    ids = list(
        CalendarMessage.objects.filter(forum=forum)
        .exclude(status=DeliveryStatus.SENT)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    enqueue_delivery(ids)
    return len(ids)


def retry_undelivered() -> int:
    """The timer's pass: send again what is not delivered, leaving alone messages whose own
    task may still be about to run and those that have used up their attempts (the organiser
    can still try those again from the forum's page)."""
    waiting = CalendarMessage.objects.exclude(status=DeliveryStatus.SENT).filter(
        attempts__lt=CalendarMessage.MAX_ATTEMPTS,
        created_at__lt=timezone.now() - timedelta(minutes=5),
    )
    ids = list(waiting.order_by("created_at", "pk").values_list("pk", flat=True))
    for message_id in ids:
        deliver(message_id)
    return len(ids)
