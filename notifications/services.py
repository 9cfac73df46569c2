"""Telling people: `notify` for something that just happened, `send_reminder` for something
falling due, and a person's own reading and settings.

Callers pass a message with no case data in it (what happened, the case reference at most) and
the address of the thing; the e-mail goes after the caller's transaction commits, so a change
that rolls back tells nobody.
"""

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import permissions
from notifications.delivery import enqueue_delivery
from notifications.models import (
    ALWAYS_DELIVERED,
    Delivery,
    EmailStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    SentReminder,
)


class PreferenceRefused(ValueError):
    """A setting that cannot be had; the message says why, for the field it concerns."""


def deliveries_for(people, kind: str) -> dict[int, str]:
    """How each of `people` wants `kind`: their setting, else immediately."""
    chosen = dict(
        NotificationPreference.objects.filter(
            person__in=[person.pk for person in people], kind=kind
        ).values_list("person_id", "delivery")
    )
    return {person.pk: chosen.get(person.pk, Delivery.IMMEDIATELY) for person in people}


def notify(kind: str, recipients: Iterable, *, message: str, url: str, actor=None):
    """Tell each recipient, as they chose: nobody is told of their own act, a closed account is
    told nothing, and a person without an e-mail address is told in Partnerhub only."""
    kind = NotificationKind(kind)
    people = {
        person.pk: person
        for person in recipients
        if person is not None
        and person.is_active
        and (actor is None or person.pk != getattr(actor, "pk", None))
    }
    deliveries = deliveries_for(list(people.values()), kind)
    notifications = []
    for person in people.values():
        delivery = deliveries[person.pk]
        if delivery == Delivery.OFF:
            continue
        if not person.email:
            status = EmailStatus.NOT_SENT
        elif delivery == Delivery.DIGEST:
            status = EmailStatus.IN_DIGEST
        else:
            status = EmailStatus.PENDING
        notifications.append(
            Notification(recipient=person, kind=kind, message=message, url=url, email_status=status)
        )
    created = Notification.objects.bulk_create(notifications)
    pending = [n.pk for n in created if n.email_status == EmailStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: enqueue_delivery(pending))
    return created


def send_reminder(
    kind: str, *, subject, due_on: date, recipients: Iterable, message: str, url: str
) -> bool:
    """Send a reminder unless this one (thing, kind, due date) has gone already. The row and
    the notifications are written together: a second copy running at the same moment waits on
    the unique constraint and then finds the reminder sent."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                kind=kind,
                subject_type=subject._meta.label_lower,
                subject_id=subject.pk,
                due_on=due_on,
            )
            notify(kind, recipients, message=message, url=url)
    except IntegrityError:
        return False
    return True


def mark_read(*, notification: Notification, actor) -> Notification:
    permissions.require_read(actor, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, actor) -> int:
    return (
        permissions.notifications_of(actor)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def set_preference(*, person, kind: str, delivery: str, actor) -> NotificationPreference:
    permissions.require_set_preferences(actor, person)
    if kind not in NotificationKind.values:
        raise PreferenceRefused("Choose a kind of notification from the list")
    if delivery not in Delivery.values:
        raise PreferenceRefused("Choose immediately, a daily digest or off")
    if delivery == Delivery.OFF and kind in ALWAYS_DELIVERED:
        raise PreferenceRefused(
            f"“{NotificationKind(kind).label}” cannot be switched off: choose immediately "
            "or a daily digest"
        )
    preference, _ = NotificationPreference.objects.update_or_create(
        person=person, kind=kind, defaults={"delivery": delivery}
    )
    return preference
