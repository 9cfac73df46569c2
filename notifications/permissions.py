"""Whose notifications are whose: each person reads, marks and sets only their own."""

from django.db.models import QuerySet

from core.authority import require
from notifications.models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    if not (user.is_authenticated and user.is_active):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def may_read(user, notification: Notification) -> bool:
    return notifications_of(user).filter(pk=notification.pk).exists()


def require_read(actor, notification: Notification) -> None:
    require(may_read(actor, notification), actor, "mark someone else's notification as read")


def require_set_preferences(actor, person) -> None:
    allowed = actor.is_authenticated and actor.is_active and actor.pk == person.pk
    require(allowed, actor, "change someone else's notification settings")
