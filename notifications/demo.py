"""The notifications part of `seed_demo`. Most of the demo's notifications come from the other
apps' demo steps, through the same services people use; this makes one person read their news
as a daily digest, so the outbox shows one, and has everyone read what they were told weeks
ago, so their unread notifications are the recent ones."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo_clock import clock_at
from notifications.models import ALWAYS_DELIVERED, Delivery, Notification, NotificationKind
from notifications.services import mark_read, set_preference

DIGEST_READER = "compliance@demo.partnerhub.test"
# The demo's months of history tell people of things long past; these they have read.
READ_WHEN_OLDER_THAN = timedelta(days=21)


def seed() -> None:
    reader = get_user_model().objects.filter(email=DIGEST_READER).first()
    if reader is None:
        return
    for kind in NotificationKind:
        if kind not in ALWAYS_DELIVERED:
            set_preference(person=reader, kind=kind, delivery=Delivery.DIGEST, actor=reader)


def last_notification() -> int:
    """Where the notifications a seed is about to make will start: pass it to `read_old_news`."""
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def read_old_news(*, after: int) -> int:
    """Each notification made since `after` and more than three weeks old is read by its
    recipient, a few hours after it came (the hours vary with it); returns how many."""
    now = timezone.now()
    old = Notification.objects.filter(
        pk__gt=after, read_at__isnull=True, created_at__lt=now - READ_WHEN_OLDER_THAN
    )
    read = 0
    for notification in old.select_related("recipient"):
        delay = timedelta(minutes=20 + notification.pk * 37 % 580)
        with clock_at(min(notification.created_at + delay, now)):
            mark_read(notification=notification, actor=notification.recipient)
        read += 1
    return read
