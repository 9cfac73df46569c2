"""Meetings: generated from a forum's schedule or added on their own, moved, cancelled and held."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from meetings import permissions
from meetings.calendars import ics, invitations, schedule
from meetings.models import Attendance, Forum, Meeting, MeetingStatus
from meetings.refusals import Refused

MAX_SERIES_DAYS = 2 * 366


def _invite_forum_members(forum: Forum, meetings: list[Meeting]) -> None:
    """Invite the forum's named members and chair, and give every member agency without one a
    seat, naming its single point of contact where the series does (`ics.seat_contacts`), so
    every meeting invites whom the series invites."""
    forum = (
        Forum.objects.select_related("chair")
        .prefetch_related("members", "member_agencies__contacts")
        .get(pk=forum.pk)
    )
    people = ics.series_people(forum)
    represented = {person.agency_id for person in people}
    contacts = ics.seat_contacts(forum, people)
    seats = {agency.pk for agency in forum.member_agencies.all()} - represented
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, agency_id=person.agency_id, person=person)
            for meeting in meetings
            for person in people
        ]
        + [
            Attendance(meeting=meeting, agency_id=agency_id, contact=contacts.get(agency_id))
            for meeting in meetings
            for agency_id in sorted(seats)
        ]
    )


def generate_meetings(forum: Forum, starts, actor, ip_address) -> list[Meeting]:
    """Meetings for the given occurrences that do not exist yet (moved or cancelled ones
    included), with the forum's members invited."""
    if not starts:
        return []
    existing = set(
        Meeting.objects.filter(
            forum=forum, original_start__gte=starts[0], original_start__lte=starts[-1]
        ).values_list("original_start", flat=True)
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                forum=forum,
                start=start,
                end=schedule.meeting_end(start, forum.schedule_duration_minutes),
                original_start=start,
                location=forum.schedule_location,
                online_url=forum.schedule_online_url,
            )
            for start in starts
            if start not in existing
        ]
    )
    _invite_forum_members(forum, meetings)
    for meeting in meetings:
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=meeting,
            detail={"forum_id": forum.pk, "from_schedule": True},
            ip_address=ip_address,
        )
    return meetings


def schedule_series(
    *, forum: Forum, start_date: date, end_date: date, actor, ip_address: str | None = None
) -> list[Meeting]:
    """Create the meetings of the forum's schedule in a period; occurrences already there
    (including moved or cancelled ones) are left as they are, so running it twice adds none.
    The series goes to calendars: first as an invitation, later with a higher SEQUENCE."""
    permissions.require_manage_meetings(actor)
    if not forum.has_schedule:
        raise Refused("This forum has no schedule: add a recurrence rule to the forum first")
    if end_date < start_date:
        raise Refused("The end of the period must be on or after its start")
    if (end_date - start_date).days > MAX_SERIES_DAYS:
        raise Refused("Choose a period of at most two years")
    with transaction.atomic():
        # One generation per forum at a time; a second waits and then finds these meetings.
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        if forum.series_cancelled_at is not None:
            raise Refused("This forum's series was cancelled: change its schedule to start again")
        already_sent = forum.meetings.filter(original_start__isnull=False).exists()
        meetings = generate_meetings(
            forum, schedule.occurrences(forum, start_date, end_date), actor, ip_address
        )
        if meetings:
            if already_sent:
                bump_series(forum)
            invitations.announce_series(forum)
    return meetings


def cancel_series(*, forum: Forum, reason: str, actor, ip_address: str | None = None) -> Forum:
    """Cancel every meeting of the schedule still ahead, and the series in every ics."""
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        if not forum.has_schedule:
            raise Refused("This forum has no schedule to cancel")
        if forum.series_cancelled_at is not None:
            raise Refused("This forum's series is already cancelled")
        ahead = list(meetings_ahead(forum).filter(original_start__isnull=False))
        for meeting in ahead:
            meeting.cancel(reason)
            meeting.save()
        forum.series_cancelled_at = timezone.now()
        forum.series_sequence += 1
        forum.save(update_fields=["series_cancelled_at", "series_sequence", "updated_at"])
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=forum,
            changed_fields=["series_cancelled_at"],
            detail={"meetings_cancelled": len(ahead), "sequence": forum.series_sequence},
            ip_address=ip_address,
        )
        invitations.withdraw_series(forum)
    return forum


def create_meeting(
    *,
    forum: Forum,
    start: datetime,
    end: datetime,
    location: str,
    online_url: str,
    title: str = "",
    actor,
    ip_address: str | None = None,
) -> Meeting:
    """A meeting outside the forum's schedule (an extra one, or for a forum without one)."""
    permissions.require_manage_meetings(actor)
    if end <= start:
        raise Refused("The meeting must end after it starts")
    if not location and not online_url:
        raise Refused("Enter a place or an online joining link")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            forum=forum,
            title=title,
            start=start,
            end=end,
            location=location,
            online_url=online_url,
        )
        _invite_forum_members(forum, [meeting])
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=meeting,
            detail={"forum_id": forum.pk, "from_schedule": False},
            ip_address=ip_address,
        )
        invitations.announce_meeting(meeting)
    return meeting


def locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)


def _between_neighbours(meeting: Meeting, start: datetime) -> None:
    """An occurrence may not move onto or past the day of the one before or after it: Outlook
    refuses such a series, and attendees would see two meetings on one day."""
    siblings = (
        Meeting.objects.filter(forum_id=meeting.forum_id, original_start__isnull=False)
        .exclude(pk=meeting.pk)
        .exclude(status=MeetingStatus.CANCELLED)
    )
    previous = siblings.filter(original_start__lt=meeting.original_start).order_by(
        "-original_start"
    )
    following = siblings.filter(original_start__gt=meeting.original_start).order_by(
        "original_start"
    )
    day = timezone.localtime(start).date()
    before, after = previous.first(), following.first()
    if before is not None and day <= timezone.localtime(before.start).date():
        raise Refused(
            "Choose a day after the previous meeting of the series, "
            f"{timezone.localtime(before.start):%A %-d %B %Y}"
        )
    if after is not None and day >= timezone.localtime(after.start).date():
        raise Refused(
            "Choose a day before the next meeting of the series, "
            f"{timezone.localtime(after.start):%A %-d %B %Y}"
        )


def reschedule_meeting(
    *,
    meeting: Meeting,
    start: datetime,
    end: datetime,
    location: str,
    online_url: str,
    title: str | None = None,
    actor,
    ip_address: str | None = None,
) -> Meeting:
    """Move one meeting or change its place or title; the rest of the series is untouched.
    Everyone invited is sent the change with a higher SEQUENCE."""
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.is_from_series:
            _between_neighbours(meeting, start)
        changed = meeting.move(
            start=start, end=end, location=location, online_url=online_url, title=title
        )
        if changed:
            meeting.save()
            if meeting.is_from_series:
                bump_series(meeting.forum)
            record(
                verb=Verb.CHANGED,
                actor=actor,
                target=meeting,
                changed_fields=changed,
                detail={"sequence": meeting.sequence},
                ip_address=ip_address,
            )
            invitations.announce_meeting(meeting)
    return meeting


def cancel_meeting(
    *, meeting: Meeting, reason: str, actor, ip_address: str | None = None
) -> Meeting:
    """Cancel one meeting; it stays in the series as cancelled, so it is not generated again.
    Everyone invited is sent a CANCEL (for an occurrence, with its RECURRENCE-ID)."""
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        meeting = locked(meeting)
        meeting.cancel(reason)
        meeting.save()
        if meeting.is_from_series:
            bump_series(meeting.forum)
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=meeting,
            changed_fields=["status", "cancellation_reason"],
            detail={"status": meeting.status, "sequence": meeting.sequence},
            ip_address=ip_address,
        )
        invitations.withdraw_meeting(meeting)
    return meeting


def mark_meeting_held(*, meeting: Meeting, actor, ip_address: str | None = None) -> Meeting:
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        meeting = locked(meeting)
        meeting.mark_held()
        meeting.save()
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=meeting,
            changed_fields=["status"],
            detail={"status": meeting.status},
            ip_address=ip_address,
        )
    return meeting


def meetings_ahead(forum: Forum):
    return forum.meetings.filter(start__gt=timezone.now(), status=MeetingStatus.SCHEDULED)


def bump_series(forum: Forum) -> None:
    """One more change to the series: every later message about it carries the new number."""
    Forum.objects.filter(pk=forum.pk).update(
        series_sequence=F("series_sequence") + 1, updated_at=timezone.now()
    )
    forum.refresh_from_db(fields=["series_sequence", "updated_at"])
