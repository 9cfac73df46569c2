"""Reading a person's notifications and settings."""

from django.db.models import QuerySet

from notifications import permissions
from notifications.models import ALWAYS_DELIVERED, Delivery, Notification, NotificationKind


def unread(*, user) -> QuerySet[Notification]:
    return permissions.notifications_of(user).filter(read_at__isnull=True)


def notifications_for_list(*, user) -> QuerySet[Notification]:
    return permissions.notifications_of(user).order_by("-created_at", "-pk")


def preferences_of(*, person) -> list[dict]:
    """Every kind, with the person's choice (immediately when they made none)."""
    chosen = dict(person.notification_preferences.values_list("kind", "delivery"))
    return [
        {
            "kind": kind,
            "delivery": Delivery(chosen.get(kind.value, Delivery.IMMEDIATELY)),
            "always_delivered": kind in ALWAYS_DELIVERED,
        }
        for kind in NotificationKind
    ]
