"""What meetings tell people, and whom. A message names the meeting by its title and date and
never repeats an action's words or minutes: an action on a case item carries case details."""

from django.urls import reverse

from meetings import permissions
from meetings.models import Action, Attendance, Minutes, MinutesComment, MinutesStatus
from notifications.models import NotificationKind
from notifications.services import notify


def action_given(action: Action, *, actor) -> None:
    if action.owner is None:
        return
    notify(
        NotificationKind.ACTION_ASSIGNED,
        [action.owner],
        message=(
            f"An action from {action.meeting} was given to you, due {action.due_on:%-d %B %Y}"
        ),
        url=reverse("meetings:action-detail", args=[action.pk]),
        actor=actor,
    )


def _minutes_readers(minutes: Minutes) -> list:
    """Those invited (and their named deputies) who may read this version."""
    invited = set()
    for attendance in Attendance.objects.filter(meeting_id=minutes.meeting_id).select_related(
        "person", "deputy_person"
    ):
        invited.update(p for p in (attendance.person, attendance.deputy_person) if p is not None)
    return [
        person
        for person in invited
        if permissions.minutes_versions_readable_by(person).filter(pk=minutes.pk).exists()
    ]


def minutes_moved(minutes: Minutes, *, actor) -> None:
    kind = {
        MinutesStatus.CIRCULATED: NotificationKind.MINUTES_CIRCULATED,
        MinutesStatus.APPROVED: NotificationKind.MINUTES_APPROVED,
    }.get(minutes.status)
    if kind is None:
        return
    notify(
        kind,
        _minutes_readers(minutes),
        message=f"Minutes of {minutes.meeting} {minutes.get_status_display().lower()}",
        url=reverse("meetings:meeting-detail", args=[minutes.meeting_id]),
        actor=actor,
    )


def minutes_commented(comment: MinutesComment, *, actor) -> None:
    """Whoever keeps the minutes is told of a new comment, since they resolve it before the
    minutes are approved: the forum's chair and whoever circulated this version, each only if
    they still keep the minutes. The message does not repeat the comment."""
    minutes = comment.minutes
    keepers = [
        person
        for person in {minutes.meeting.forum.chair, minutes.circulated_by} - {None}
        if permissions.may_keep_minutes(person, minutes.meeting)
    ]
    notify(
        NotificationKind.MINUTES_COMMENTED,
        keepers,
        message=f"A comment on the minutes of {minutes.meeting}, to resolve before approval",
        url=reverse("meetings:meeting-detail", args=[minutes.meeting_id]) + "#minutes-comments",
        actor=actor,
    )
