"""Calendar e-mails (iTIP, RFC 5546): one REQUEST or CANCEL per person, queued with the change.

Services call these inside their transaction; each writes CalendarMessage rows and, once the
transaction commits, enqueues their delivery as a task. Nothing here talks to a mail server
while a request's transaction is open, so a failed SMTP server loses neither the change nor
the message (it stays queued, is retried, and the organiser sees it on the forum's page).

A forum without an organiser mailbox sends nothing: an invitation needs a monitored ORGANIZER
address for replies to reach a person.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar.enums import STATUS

from meetings import links
from meetings.calendars import ics
from meetings.calendars.delivery import enqueue_delivery
from meetings.models import (
    Attendance,
    CalendarMessage,
    CalendarMethod,
    Forum,
    Meeting,
    MeetingStatus,
)
from meetings.recurrence import describe

# Loading what a calendar needs, and nothing more --------------------------------------------


def invitation_attendances() -> Prefetch:
    return Prefetch(
        "attendances",
        queryset=Attendance.objects.select_related("person", "contact", "deputy_person"),
    )


def invited_by_name(forum: Forum) -> QuerySet:
    """Everyone the forum's schedule invites by name: its named members and its chair, who is
    invited (as CHAIR) whether or not also named a member."""
    return get_user_model().objects.filter(Q(forums=forum) | Q(forums_chaired=forum)).distinct()


def _fresh_forum(forum_id: int) -> Forum:
    return (
        Forum.objects.select_related("chair")
        .prefetch_related("members", "member_agencies__contacts")
        .get(pk=forum_id)
    )


def _fresh_meeting(meeting_id: int, forum: Forum | None = None) -> Meeting:
    meeting = Meeting.objects.prefetch_related(invitation_attendances()).get(pk=meeting_id)
    meeting.forum = forum or _fresh_forum(meeting.forum_id)
    return meeting


def series_plan(forum: Forum) -> ics.SeriesPlan | None:
    meetings = list(
        Meeting.objects.filter(forum=forum, original_start__isnull=False).prefetch_related(
            invitation_attendances()
        )
    )
    for meeting in meetings:
        meeting.forum = forum
    return ics.plan_series(forum, meetings)


def _meeting_and_plan(meeting: Meeting, forum: Forum):
    """The meeting as loaded for a calendar, and the series plan it is an occurrence of (None
    for a meeting on its own, or one generated under an earlier pattern)."""
    if meeting.is_from_series:
        plan = series_plan(forum)
        if plan is not None:
            found = next((m for m in plan.meetings if m.pk == meeting.pk), None)
            if found is not None:
                return found, plan
    return _fresh_meeting(meeting.pk, forum), None


# Writing the messages -----------------------------------------------------------------------


def _when_words(meeting: Meeting) -> str:
    start, end = ics.local_time(meeting.start), ics.local_time(meeting.end)
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M} to {end:%H:%M} (UK time)"


def _series_words(forum: Forum) -> str:
    return (
        f"{describe(forum.schedule_rrule)}, {forum.schedule_time:%H:%M} for "
        f"{forum.schedule_duration_minutes} minutes (UK time)"
    )


def contact_links(invitee: ics.Invitee, meetings) -> list[tuple[str, str]]:
    """The invitation links (when, address) of a directory contact for these meetings: a
    contact has no Partnerhub account to answer in, so each request carries their signed link.
    Reads each meeting's prefetched attendances."""
    wanted = invitee.email.lower()
    return [
        (_when_words(meeting), ics.site_link(links.invitation_url(attendance)))
        for meeting in meetings
        for attendance in meeting.attendances.all()
        if attendance.contact_id is not None and attendance.contact.email.lower() == wanted
    ]


def _queue(
    *,
    forum: Forum,
    meeting: Meeting | None,
    method: str,
    sequence: int,
    invitee: ics.Invitee,
    events,
    title: str,
    when: str,
    location: str,
    online_url: str,
    page: str,
    stamp,
    answer_links=(),
) -> CalendarMessage:
    cancelling = method == CalendarMethod.CANCEL
    if cancelling:
        heading = "Cancelled"
    elif sequence == 0:
        heading = "Invitation"
    else:
        heading = "Updated invitation"
    context = {
        "heading": heading,
        "cancelling": cancelling,
        "invitee": invitee,
        "forum_name": forum.name,
        "title": title,
        "when": when,
        "location": location,
        "online_url": online_url,
        "page": page,
        "organiser_email": forum.organiser_email,
        "answer_links": [] if cancelling else list(answer_links),
    }
    return CalendarMessage.objects.create(
        forum=forum,
        meeting=meeting,
        method=method,
        sequence=sequence,
        recipient_email=invitee.email,
        recipient_name=invitee.name,
        reply_to=forum.organiser_email,
        subject=f"{heading}: {title}, {when}",
        text_body=render_to_string("meetings/email/calendar_message.txt", context),
        html_body=render_to_string("meetings/email/calendar_message.html", context),
        calendar=ics.as_text(ics.build_calendar(events, method=method)),
        created_at=stamp,
    )


def _chosen(invitees, only):
    if only is None:
        return list(invitees)
    wanted = {email.lower() for email in only}
    return [invitee for invitee in invitees if invitee.email.lower() in wanted]


def _dispatch(messages: list[CalendarMessage]) -> list[CalendarMessage]:
    if messages:
        ids = [message.pk for message in messages]
        transaction.on_commit(lambda: enqueue_delivery(ids))
    return messages


def _cancelled(event):
    event.status = STATUS.CANCELLED
    return event


def _single(meeting: Meeting, plan, *, method: str, only=None, invitees=None) -> list:
    """Messages about one meeting, or one occurrence of `plan`: to everyone invited, or to
    those in `only`. `invitees` replaces the ATTENDEE lines, for people no longer invited."""
    forum = meeting.forum
    stamp = timezone.now()
    everyone = ics.meeting_invitees(meeting) if invitees is None else tuple(invitees)
    if plan is None:
        event = ics.meeting_event(meeting, stamp=stamp, invitees=everyone)
        sequence = meeting.sequence
    else:
        event = ics.occurrence_event(plan, meeting, stamp=stamp, invitees=everyone)
        sequence = forum.series_sequence
    if method == CalendarMethod.CANCEL:
        event = _cancelled(event)
    page = ics.site_link(reverse("meetings:meeting-detail", args=[meeting.pk]))
    return [
        _queue(
            forum=forum,
            meeting=meeting,
            method=method,
            sequence=sequence,
            invitee=invitee,
            events=[event],
            title=meeting.display_title,
            when=_when_words(meeting),
            location=meeting.location,
            online_url=meeting.online_url,
            page=page,
            stamp=stamp,
            answer_links=contact_links(invitee, [meeting]),
        )
        for invitee in _chosen(everyone, only)
    ]


# What services call -------------------------------------------------------------------------


def announce_meeting(meeting: Meeting, *, only=None) -> list[CalendarMessage]:
    """REQUEST for one meeting (or one occurrence of a series) to its invitees, or to `only`
    (e-mail addresses) among them."""
    forum = _fresh_forum(meeting.forum_id)
    if not forum.organiser_email:
        return []
    meeting, plan = _meeting_and_plan(meeting, forum)
    return _dispatch(_single(meeting, plan, method=CalendarMethod.REQUEST, only=only))


def withdraw_meeting(meeting: Meeting, *, only=None, invitees=None) -> list[CalendarMessage]:
    """CANCEL for one meeting (or one occurrence of a series): to everyone when the meeting is
    cancelled, or to the people in `invitees` alone when they are no longer invited."""
    forum = _fresh_forum(meeting.forum_id)
    if not forum.organiser_email:
        return []
    meeting, plan = _meeting_and_plan(meeting, forum)
    return _dispatch(
        _single(meeting, plan, method=CalendarMethod.CANCEL, only=only, invitees=invitees)
    )


def _series_message(plan, *, method, invitee, events, stamp, occurrences=()) -> CalendarMessage:
    forum = plan.forum
    return _queue(
        forum=forum,
        meeting=None,
        method=method,
        sequence=forum.series_sequence,
        invitee=invitee,
        events=events,
        title=forum.name,
        when=_series_words(forum),
        location=forum.schedule_location,
        online_url=forum.schedule_online_url,
        page=ics.site_link(reverse("meetings:forum-detail", args=[forum.pk])),
        stamp=stamp,
        answer_links=contact_links(invitee, occurrences),
    )


def announce_series(forum: Forum, *, only=None) -> list[CalendarMessage]:
    """REQUEST for the whole series: the master and its overrides to the forum's members, and
    to anyone else invited to an occurrence still ahead, just those occurrences."""
    forum = _fresh_forum(forum.pk)
    if not forum.organiser_email:
        return []
    plan = series_plan(forum)
    if plan is None or plan.is_cancelled:
        return []
    stamp = timezone.now()
    events = ics.series_events(plan, stamp=stamp)
    ahead = [
        meeting
        for meeting in plan.meetings
        if meeting.status != MeetingStatus.CANCELLED and meeting.start >= stamp
    ]
    # A directory contact holding a seat answers for each meeting through its own link.
    messages = [
        _series_message(
            plan,
            method=CalendarMethod.REQUEST,
            invitee=invitee,
            events=events,
            stamp=stamp,
            occurrences=ahead,
        )
        for invitee in _chosen(plan.invitees, only)
    ]
    members = {invitee.email.lower() for invitee in plan.invitees}
    guests: dict[str, tuple[ics.Invitee, list, list]] = {}
    for meeting in plan.meetings:
        if meeting.status == MeetingStatus.CANCELLED or meeting.start < stamp:
            continue
        for invitee in ics.meeting_invitees(meeting):
            if invitee.email.lower() in members:
                continue
            _, their_events, their_meetings = guests.setdefault(
                invitee.email.lower(), (invitee, [], [])
            )
            their_events.append(ics.occurrence_event(plan, meeting, stamp=stamp))
            their_meetings.append(meeting)
    for invitee, occurrences, their_meetings in guests.values():
        if only is None or invitee.email.lower() in {email.lower() for email in only}:
            messages.append(
                _series_message(
                    plan,
                    method=CalendarMethod.REQUEST,
                    invitee=invitee,
                    events=occurrences,
                    stamp=stamp,
                    occurrences=their_meetings,
                )
            )
    return _dispatch(messages)


def withdraw_series(forum: Forum, *, invitees=None) -> list[CalendarMessage]:
    """CANCEL for the whole series: to everyone in it when it is cancelled, or to the people in
    `invitees` alone when they leave the forum."""
    forum = _fresh_forum(forum.pk)
    if not forum.organiser_email:
        return []
    plan = series_plan(forum)
    if plan is None:
        return []
    stamp = timezone.now()
    master = ics.series_master(plan, stamp=stamp)
    recipients = list(invitees) if invitees is not None else list(plan.invitees)
    if invitees is None:
        known = {invitee.email.lower() for invitee in recipients}
        for meeting in plan.meetings:
            for invitee in ics.meeting_invitees(meeting):
                if invitee.email.lower() not in known and meeting.start >= stamp:
                    known.add(invitee.email.lower())
                    recipients.append(invitee)
    event = _cancelled(master)
    if invitees is not None:
        event.attendees = [invitee.address() for invitee in invitees]
    return _dispatch(
        [
            _series_message(
                plan, method=CalendarMethod.CANCEL, invitee=invitee, events=[event], stamp=stamp
            )
            for invitee in recipients
        ]
    )
