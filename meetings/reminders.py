"""Reminders about actions, for `send_reminders`: due within three days, and overdue. Each goes
once per action and due date (notifications.services.send_reminder keeps the record), so a
moved due date is reminded again and a rerun reminds nobody twice."""

from datetime import date, timedelta

from django.urls import reverse

from meetings.models import Action
from meetings.models.actions import OPEN_STATUSES
from notifications.models import NotificationKind
from notifications.services import send_reminder

DUE_SOON_DAYS = 3


def _open_owned_actions():
    return Action.objects.filter(status__in=OPEN_STATUSES, owner__isnull=False).select_related(
        "owner", "meeting__forum"
    )


def send_action_reminders(today: date) -> int:
    sent = 0
    soon = _open_owned_actions().filter(
        due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
    )
    for action in soon.iterator():
        sent += send_reminder(
            NotificationKind.ACTION_DUE_SOON,
            subject=action,
            due_on=action.due_on,
            recipients=[action.owner],
            message=f"Your action from {action.meeting} is due on {action.due_on:%-d %B %Y}",
            url=reverse("meetings:action-detail", args=[action.pk]),
        )
    for action in _open_owned_actions().filter(due_on__lt=today).iterator():
        sent += send_reminder(
            NotificationKind.ACTION_OVERDUE,
            subject=action,
            due_on=action.due_on,
            recipients=[action.owner],
            message=(
                f"Your action from {action.meeting} was due on {action.due_on:%-d %B %Y} "
                "and is still open"
            ),
            url=reverse("meetings:action-detail", args=[action.pk]),
        )
    return sent
