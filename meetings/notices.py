"""What meetings tell people, and whom. A message names the meeting by its title and date and
never repeats an action's words or minutes: an action on a case item carries case details."""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import links, permissions
from meetings.calendars.ics import site_link
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


def minutes_to_contacts(minutes: Minutes) -> int:
    """On circulation, each directory contact invited to the meeting is sent their own link to
    the minutes, to comment while the window is open. Sent once the circulation commits; how
    many are to be sent is returned."""
    attendances = list(
        Attendance.objects.filter(meeting_id=minutes.meeting_id, contact__isnull=False)
        .exclude(contact__email="")
        .select_related("contact", "meeting", "meeting__forum")
    )
    _, system_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    emails = []
    for attendance in attendances:
        meeting = attendance.meeting
        context = {
            "attendance": attendance,
            "meeting": meeting,
            "minutes": minutes,
            "link": site_link(links.minutes_url(attendance, minutes)),
        }
        emails.append(
            EmailMessage(
                subject=f"Minutes for comment: {meeting}",
                body=render_to_string("meetings/email/minutes_link.txt", context),
                from_email=formataddr((f"{meeting.forum.name} via Partnerhub", system_address)),
                to=[formataddr((attendance.contact.full_name, attendance.contact.email))],
                reply_to=[meeting.forum.organiser_email] if meeting.forum.organiser_email else None,
            )
        )

    def send():
        for email in emails:
            email.send()

    if emails:
        transaction.on_commit(send)
    return len(emails)
