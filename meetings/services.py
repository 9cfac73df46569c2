"""Every change to forums, meetings, attendance, agendas, minutes and actions.

Each function takes the acting person and first checks it with a `require_…` function of
meetings/permissions.py (which raises `config.authority.NotPermitted`), then checks the rule,
and writes its audit event in the same transaction. Views, the demo and tests all come through
here. Case information reaches an agency only through sharing's gate, `release_to_agencies`:
listing a case, sharing it later, and giving an action on it to an agency.
"""

import dataclasses
import re
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from agencies.models import Agency
from audit.models import Verb
from audit.services import record
from meetings import calendar, feeds, invitations, permissions, schedule
from meetings.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Attendance,
    CalendarFeed,
    ConfidentialityAffirmation,
    Forum,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Paper,
    Refused,
    Response,
)
from meetings.papers import check_paper
from meetings.selectors import (
    agencies_not_yet_covered,
    attending_agencies,
    carried_over_actions,
)
from sharing.models import DisclosureMethod
from sharing.selectors import recipients_by_source, source_of
from sharing.services import (
    DecisionRecord,
    Release,
    ReleaseRefused,
    release_to_agencies,
    release_together,
)

MAX_SERIES_DAYS = 2 * 366


# Forums -------------------------------------------------------------------------------------


def _sync_member_agencies(forum: Forum) -> None:
    # Named members are invited from their agencies, so those agencies are members too.
    agency_ids = set(forum.members.exclude(agency__isnull=True).values_list("agency_id", flat=True))
    if forum.coordinating_agency_id:
        agency_ids.add(forum.coordinating_agency_id)
    forum.member_agencies.add(*agency_ids)


# Changes to these reach calendars: the series (and meetings on their own, for the first
# three) are sent again with a higher SEQUENCE.
_CALENDAR_FIELDS = (
    "name",
    "discusses_cases",
    "organiser_email",
    "schedule_rrule",
    "schedule_starts_on",
    "schedule_time",
    "schedule_duration_minutes",
    "schedule_location",
    "schedule_online_url",
)
_ONE_OFF_FIELDS = ("name", "discusses_cases", "organiser_email")
_PATTERN_FIELDS = ("schedule_rrule", "schedule_starts_on", "schedule_time")
_DEFAULT_FIELDS = ("schedule_duration_minutes", "schedule_location", "schedule_online_url")
SCHEDULE_CHANGED = "The forum's schedule changed"


def save_forum(
    *,
    forum: Forum,
    member_agencies,
    members,
    actor,
    changed_fields=(),
    ip_address: str | None = None,
) -> Forum:
    """Create or change a forum with its members. Level and case discussion follow the kind
    unless they were chosen. Meetings still ahead follow a changed schedule and membership,
    and calendars are told."""
    permissions.require_manage_forums(actor)
    creating = forum.pk is None
    with transaction.atomic():
        before, old_members = None, set()
        if not creating:
            before = (
                Forum.objects.select_for_update()
                .filter(pk=forum.pk)
                .values(*_CALENDAR_FIELDS)
                .get()
            )
            old_members = set(invitations.invited_by_name(forum).values_list("pk", flat=True))
        forum.full_clean()
        if (
            before
            and before["schedule_rrule"]
            and not forum.schedule_rrule
            and _future(forum).filter(original_start__isnull=False).exists()
        ):
            raise Refused(
                "Meetings are planned from this schedule: cancel the series before "
                "removing its recurrence rule"
            )
        forum.save()
        forum.member_agencies.set(member_agencies)
        forum.members.set(members)
        _sync_member_agencies(forum)
        if not creating:
            changed = [name for name in _CALENDAR_FIELDS if before[name] != getattr(forum, name)]
            _follow_forum_change(forum, changed, old_members, actor, ip_address)
        record(
            verb=Verb.CREATED if creating else Verb.CHANGED,
            actor=actor,
            target=forum,
            changed_fields=list(changed_fields),
            ip_address=ip_address,
        )
    return forum


def _future(forum: Forum):
    return forum.meetings.filter(start__gt=timezone.now(), status=MeetingStatus.SCHEDULED)


def _bump_series(forum: Forum) -> None:
    """One more change to the series: every later message about it carries the new number."""
    Forum.objects.filter(pk=forum.pk).update(
        series_sequence=F("series_sequence") + 1, updated_at=timezone.now()
    )
    forum.refresh_from_db(fields=["series_sequence", "updated_at"])


def _follow_forum_change(forum: Forum, changed, old_members, actor, ip_address) -> None:
    today = timezone.localdate()
    if set(changed) & set(_PATTERN_FIELDS) and forum.has_schedule:
        ahead = list(_future(forum).filter(original_start__isnull=False))
        if ahead:
            last = max(timezone.localtime(m.original_start).date() for m in ahead)
            fitting = set(schedule.occurrences(forum, today, last))
            for meeting in ahead:
                if meeting.original_start not in fitting:
                    meeting.cancel(SCHEDULE_CHANGED)
                    meeting.save()
            _generate(forum, schedule.occurrences(forum, today, last), actor, ip_address)
        if forum.series_cancelled_at is not None:
            forum.series_cancelled_at = None
            forum.save(update_fields=["series_cancelled_at", "updated_at"])
    if set(changed) & set(_DEFAULT_FIELDS) and forum.has_schedule:
        duration = timedelta(minutes=forum.schedule_duration_minutes)
        for meeting in _future(forum).filter(
            original_start__isnull=False, start=F("original_start")
        ):
            changes = meeting.move(
                start=meeting.start,
                end=meeting.start + duration,
                location=forum.schedule_location,
                online_url=forum.schedule_online_url,
            )
            if changes:
                meeting.save()
    if set(changed) & set(_ONE_OFF_FIELDS):
        for meeting in _future(forum).filter(original_start__isnull=True):
            meeting.sequence += 1
            meeting.save(update_fields=["sequence", "updated_at"])
            invitations.announce_meeting(meeting)
    added, removed = _follow_membership(forum, old_members)
    has_series = forum.meetings.filter(original_start__isnull=False).exists()
    if removed:
        if has_series:
            _bump_series(forum)
            invitations.withdraw_series(forum, invitees=removed)
        for meeting in _future(forum).filter(original_start__isnull=True):
            invitations.withdraw_meeting(meeting, invitees=removed)
    if changed and has_series:
        _bump_series(forum)
        invitations.announce_series(forum)
    elif added and has_series:
        invitations.announce_series(forum, only=[person.email for person in added])
    if added:
        for meeting in _future(forum).filter(original_start__isnull=True):
            invitations.announce_meeting(meeting, only=[person.email for person in added])


def _follow_membership(forum: Forum, old_members):
    """Named members joining are invited to the meetings still ahead; those leaving are taken
    off them. Returns the people added and the calendar lines of those removed."""
    invited = invitations.invited_by_name(forum)
    current = {person.pk: person for person in invited.filter(is_active=True, agency__isnull=False)}
    added = [person for pk, person in current.items() if pk not in old_members]
    leaving = set(old_members) - set(invited.values_list("pk", flat=True))
    ahead = list(_future(forum))
    for person in added:
        for meeting in ahead:
            _seat_or_new(meeting, person)
    removed = []
    if leaving:
        for attendance in Attendance.objects.filter(
            meeting__in=ahead, person_id__in=leaving
        ).select_related("person", "deputy_person", "meeting__forum"):
            _release(attendance)
        for person in forum.members.model.objects.filter(pk__in=leaving, is_active=True):
            removed.append(
                calendar.Invitee(person.full_name, person.email, calendar._role(person.pk, forum))
            )
    return added, removed


def _seat_or_new(meeting: Meeting, person) -> Attendance | None:
    invitations_here = Attendance.objects.filter(meeting=meeting)
    if invitations_here.filter(person=person).exists():
        return None
    seat = invitations_here.filter(agency_id=person.agency_id, person__isnull=True).first()
    if seat is not None:
        seat.person = person
        seat.save(update_fields=["person", "updated_at"])
        return seat
    return Attendance.objects.create(meeting=meeting, agency_id=person.agency_id, person=person)


def _release(attendance: Attendance) -> None:
    """Take a person off a meeting; their agency keeps a seat unless someone else from it is
    still invited."""
    others = Attendance.objects.filter(
        meeting_id=attendance.meeting_id, agency_id=attendance.agency_id
    ).exclude(pk=attendance.pk)
    if others.exists():
        attendance.delete()
        return
    attendance.person = None
    attendance.response = Response.INVITED
    attendance.is_optional = False
    attendance.deputy_name = ""
    attendance.deputy_email = ""
    attendance.deputy_person = None
    attendance.save()


# Meetings -----------------------------------------------------------------------------------


def _invite_forum_members(forum: Forum, meetings: list[Meeting]) -> None:
    """Invite the forum's named members and chair, and give every member agency without one a
    seat."""
    people = list(invitations.invited_by_name(forum).filter(is_active=True, agency__isnull=False))
    represented = {person.agency_id for person in people}
    seats = set(forum.member_agencies.values_list("pk", flat=True)) - represented
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, agency_id=person.agency_id, person=person)
            for meeting in meetings
            for person in people
        ]
        + [
            Attendance(meeting=meeting, agency_id=agency_id)
            for meeting in meetings
            for agency_id in sorted(seats)
        ]
    )


def _generate(forum: Forum, starts, actor, ip_address) -> list[Meeting]:
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
        meetings = _generate(
            forum, schedule.occurrences(forum, start_date, end_date), actor, ip_address
        )
        if meetings:
            if already_sent:
                _bump_series(forum)
            invitations.announce_series(forum)
    return meetings


def cancel_series(*, forum: Forum, reason: str, actor, ip_address: str | None = None) -> Forum:
    """Cancel every meeting of the schedule still ahead, and the series in every calendar."""
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        if not forum.has_schedule:
            raise Refused("This forum has no schedule to cancel")
        if forum.series_cancelled_at is not None:
            raise Refused("This forum's series is already cancelled")
        ahead = list(_future(forum).filter(original_start__isnull=False))
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


def _locked(meeting: Meeting) -> Meeting:
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
        meeting = _locked(meeting)
        if meeting.is_from_series:
            _between_neighbours(meeting, start)
        changed = meeting.move(
            start=start, end=end, location=location, online_url=online_url, title=title
        )
        if changed:
            meeting.save()
            if meeting.is_from_series:
                _bump_series(meeting.forum)
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
        meeting = _locked(meeting)
        meeting.cancel(reason)
        meeting.save()
        if meeting.is_from_series:
            _bump_series(meeting.forum)
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
        meeting = _locked(meeting)
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


# Attendance ---------------------------------------------------------------------------------


def invite(
    *,
    meeting: Meeting,
    agency,
    person=None,
    optional: bool = False,
    actor,
    ip_address: str | None = None,
) -> Attendance:
    """Invite a person, or give their agency a seat to fill later.

    Invitees come from the forum's member agencies; inviting someone from an agency with an
    open seat fills that seat.
    """
    permissions.require_manage_meetings(actor)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")
    if not meeting.forum.member_agencies.filter(pk=agency.pk).exists():
        raise Refused(f"{agency} is not a member agency of this forum: add it to the forum first")
    if person is not None and person.agency_id != agency.pk:
        raise Refused(f"{person.full_name} does not work for {agency}")
    with transaction.atomic():
        # Invitations to one meeting are changed one at a time: the meeting row is the lock.
        _locked(meeting)
        invited_here = Attendance.objects.filter(meeting=meeting)
        if person is not None and invited_here.filter(person=person).exists():
            raise Refused(f"{person.full_name} is already invited")
        open_seat = invited_here.filter(agency=agency, person__isnull=True).first()
        if person is None and open_seat is not None:
            raise Refused(f"{agency} already has a seat at this meeting")
        if open_seat is not None:
            open_seat.person = person
            open_seat.is_optional = optional
            open_seat.save(update_fields=["person", "is_optional", "updated_at"])
            attendance, changed = open_seat, ["person", "is_optional"]
        else:
            attendance, changed = (
                Attendance.objects.create(
                    meeting=meeting, agency=agency, person=person, is_optional=optional
                ),
                [],
            )
        record(
            verb=Verb.CHANGED if changed else Verb.CREATED,
            actor=actor,
            target=attendance,
            changed_fields=changed,
            detail={"meeting_id": meeting.pk, "agency_id": agency.pk},
            ip_address=ip_address,
        )
        if person is not None:
            invitations.announce_meeting(meeting, only=[person.email])
    return attendance


def _still_ahead(meeting: Meeting, what: str) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Refused(f"This meeting is {meeting.get_status_display().lower()}")
    if meeting.has_started():
        raise Refused(f"This meeting has started, so {what}")


def remove_invitation(*, attendance: Attendance, actor, ip_address: str | None = None) -> Meeting:
    """Take a person off one meeting. They alone are sent a CANCEL; their agency keeps a seat."""
    permissions.require_manage_meetings(actor)
    if attendance.is_seat:
        raise Refused("Nobody is named for this seat")
    with transaction.atomic():
        meeting = _locked(attendance.meeting)
        _still_ahead(meeting, "invitations can no longer be withdrawn")
        attendance = Attendance.objects.select_related("person", "deputy_person").get(
            pk=attendance.pk
        )
        addresses = {attendance.person.email.lower(), attendance.deputy_address.lower()} - {""}
        loaded = (
            Meeting.objects.prefetch_related(invitations.invitation_attendances())
            .select_related("forum")
            .get(pk=meeting.pk)
        )
        leaving = [
            invitee
            for invitee in calendar.meeting_invitees(loaded)
            if invitee.email.lower() in addresses
        ]
        person_id = attendance.person_id
        _release(attendance)
        meeting.sequence += 1
        meeting.save(update_fields=["sequence", "updated_at"])
        if meeting.is_from_series:
            _bump_series(meeting.forum)
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=meeting,
            changed_fields=["invitations"],
            detail={"removed_person_id": person_id, "sequence": meeting.sequence},
            ip_address=ip_address,
        )
        invitations.withdraw_meeting(meeting, invitees=leaving)
    return meeting


def send_deputy(
    *,
    attendance: Attendance,
    deputy_person=None,
    deputy_name: str = "",
    deputy_email: str = "",
    actor,
    ip_address: str | None = None,
) -> Attendance:
    """An invitee's agency sends someone in their place: a person in Partnerhub, or anyone
    with an e-mail address. The deputy is sent the invitation (DELEGATED-FROM the invitee),
    and a deputy sent earlier is told they are no longer needed."""
    permissions.require_answer_for(actor, attendance)
    if attendance.is_seat:
        raise Refused("Name who fills this seat instead of sending a deputy")
    if deputy_person is not None:
        deputy_name, deputy_email = deputy_person.full_name, ""
        address = deputy_person.email
    else:
        deputy_name, deputy_email = deputy_name.strip(), deputy_email.strip().lower()
        if not deputy_name or not deputy_email:
            raise Refused("Enter the deputy's name and e-mail address")
        address = deputy_email
    if address.lower() == attendance.person.email.lower():
        raise Refused("Choose someone other than the person invited")
    with transaction.atomic():
        meeting = _locked(attendance.meeting)
        _still_ahead(meeting, "a deputy can no longer be sent")
        attendance = Attendance.objects.select_related("person", "deputy_person").get(
            pk=attendance.pk
        )
        earlier = attendance.deputy_address
        earlier_line = calendar.Invitee(
            attendance.deputy_name, earlier, delegated_from=attendance.person.email
        )
        attendance.deputy_person = deputy_person
        attendance.deputy_name = deputy_name
        attendance.deputy_email = deputy_email
        attendance.response = Response.DELEGATED
        attendance.full_clean(exclude=["meeting", "agency", "person"])
        attendance.save()
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=attendance,
            changed_fields=["deputy_name", "deputy_person", "deputy_email", "response"],
            detail={"meeting_id": meeting.pk},
            ip_address=ip_address,
        )
        if earlier and earlier.lower() != address.lower():
            invitations.withdraw_meeting(meeting, invitees=[earlier_line])
        invitations.announce_meeting(meeting, only=[address])
    return attendance


def respond(
    *, attendance: Attendance, response: str, actor, ip_address: str | None = None
) -> Attendance:
    """The invitee's answer (or a manager's record of it), while the meeting is still ahead."""
    permissions.require_answer_for(actor, attendance)
    meeting = attendance.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")
    if meeting.end <= timezone.now():
        raise Refused("This meeting has ended: record who attended instead")
    if attendance.is_seat:
        raise Refused("Name who will fill this seat before recording a response")
    attendance.response = Response(response)
    with transaction.atomic():
        attendance.save(update_fields=["response", "updated_at"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=attendance,
            changed_fields=["response"],
            ip_address=ip_address,
        )
    return attendance


def record_attendance(
    *,
    meeting: Meeting,
    entries: list[tuple[Attendance, str, str, bool]],
    actor,
    ip_address: str | None = None,
) -> Meeting:
    """Record who attended, sent apologies or was absent (attendance, outcome, deputy,
    information sent in advance); recording attendance marks a scheduled meeting held."""
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise Refused("This meeting was cancelled, so nobody attended it")
        if not meeting.has_started():
            raise Refused("Attendance can be recorded once the meeting has started")
        for attendance, outcome, deputy_name, sent_in_advance in entries:
            if attendance.meeting_id != meeting.pk:
                raise Refused("That invitation belongs to another meeting")
            attendance.outcome = outcome
            attendance.deputy_name = deputy_name.strip()
            if not attendance.deputy_name:
                attendance.deputy_email = ""
                attendance.deputy_person = None
            attendance.sent_information_in_advance = sent_in_advance
            attendance.clean()
            attendance.save(
                update_fields=[
                    "outcome",
                    "deputy_name",
                    "deputy_email",
                    "deputy_person",
                    "sent_information_in_advance",
                    "updated_at",
                ]
            )
        if meeting.status == MeetingStatus.SCHEDULED:
            meeting.mark_held()
            meeting.save(update_fields=["status", "updated_at"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=meeting,
            changed_fields=["attendance"],
            detail={"recorded": len(entries)},
            ip_address=ip_address,
        )
    return meeting


# Agenda -------------------------------------------------------------------------------------


def _open_for_business(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")


def _append_agenda_item(meeting: Meeting, **fields) -> AgendaItem:
    """A new item at the end of the agenda; the caller holds the meeting's lock."""
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    return AgendaItem.objects.create(meeting=meeting, position=last + 1, **fields)


def add_agenda_item(
    *,
    meeting: Meeting,
    title: str,
    description: str = "",
    presenter=None,
    actor,
    ip_address: str | None = None,
) -> AgendaItem:
    permissions.require_manage_meetings(actor)
    _open_for_business(meeting)
    with transaction.atomic():
        meeting = _locked(meeting)
        item = _append_agenda_item(
            meeting, title=title, description=description, presenter=presenter
        )
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=item,
            detail={"meeting_id": meeting.pk},
            ip_address=ip_address,
        )
    return item


def change_agenda_item(
    *, item: AgendaItem, changed_fields, actor, ip_address: str | None = None
) -> AgendaItem:
    permissions.require_manage_meetings(actor)
    _open_for_business(item.meeting)
    if item.case_id is not None:
        raise Refused("A case item cannot be changed: what it shared is on record")
    with transaction.atomic():
        item.save()
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=item,
            changed_fields=list(changed_fields),
            ip_address=ip_address,
        )
    return item


def move_agenda_item(
    *, item: AgendaItem, offset: int, actor, ip_address: str | None = None
) -> None:
    """Move an item up (-1) or down (+1) the agenda; the order is renumbered from 1."""
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        meeting = _locked(item.meeting)
        items = list(meeting.agenda_items.order_by("position", "pk"))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index + offset
        if not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        for position, other in enumerate(items, start=1):
            other.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=item,
            changed_fields=["position"],
            ip_address=ip_address,
        )


# Case items ---------------------------------------------------------------------------------


class CaseItemRefused(Refused):
    """The case was not listed or shared, and nothing was written. `refusals` pairs each
    agency not covered with the reason, for the page to name them one by one."""

    def __init__(self, message: str, refusals=()):
        super().__init__(message)
        self.refusals = list(refusals)


def _case_item_title(case, heading: str) -> str:
    heading = " ".join(heading.split())
    names = {
        word.casefold()
        for word in re.findall(r"\w+", f"{case.given_names} {case.family_name}")
        if len(word) > 1
    }
    if any(word.casefold() in names for word in re.findall(r"\w+", heading)):
        raise Refused("Leave the person's name out of the title: the agenda shows the reference")
    title = f"{case.reference}: {heading}" if heading else case.reference
    return title[: AgendaItem._meta.get_field("title").max_length]


def _recipients(meeting: Meeting, actor) -> list:
    return attending_agencies(meeting.attendances.select_related("agency"), besides=actor.agency_id)


def _check_release(categories, record_of_decision: DecisionRecord) -> DecisionRecord:
    record_of_decision = dataclasses.replace(record_of_decision, categories=tuple(categories))
    problems = record_of_decision.problems() if categories else ["Choose what you are sharing"]
    if problems:
        raise Refused(". ".join(problems) + ".")
    return record_of_decision


def _release_at_meeting(
    *, case, agencies, actor, ip_address, **terms
) -> tuple[list, ReleaseRefused | None]:
    """Release at the meeting through sharing's gate, all or nothing. A refusal is returned,
    not raised, so that the caller's transaction keeps its "disclosure refused" events and the
    caller raises once that transaction has ended."""
    try:
        disclosures = release_to_agencies(
            case=case,
            recipients=agencies,
            method=DisclosureMethod.MEETING,
            actor=actor,
            ip_address=ip_address,
            **terms,
        )
    except ReleaseRefused as refusal:
        return [], refusal
    return disclosures, None


def _case_item_refused(refusal: ReleaseRefused, what: str) -> CaseItemRefused:
    names = ", ".join(str(agency) for agency, _ in refusal.refusals)
    return CaseItemRefused(
        f"{what}: not every agency is covered ({names})",
        [(agency, reason.message) for agency, reason in refusal.refusals],
    )


def add_case_item(
    *,
    meeting: Meeting,
    case,
    title: str = "",
    categories,
    purpose: str,
    content: str,
    record_of_decision: DecisionRecord,
    presenter=None,
    actor,
    ip_address: str | None = None,
) -> AgendaItem:
    """Put a case on the agenda: a disclosure to every agency attending, each through the
    consent gate. Every agency is checked before anything is written; if any is not covered
    the item is refused as a whole, naming each agency and why (CaseItemRefused), and each
    refusal is on record."""
    _open_for_business(meeting)
    if not meeting.forum.discusses_cases:
        raise Refused(f"{meeting.forum} does not discuss individual cases, so it cannot list one")
    permissions.require_add_case_item(actor, meeting, case)
    title = _case_item_title(case, title)
    content = content.strip()
    if not content:
        raise Refused("Enter the summary shared with the agencies attending")
    categories = sorted(set(categories))
    record_of_decision = _check_release(categories, record_of_decision)
    with transaction.atomic():
        # Invitations change under the same lock, so the agencies checked are those disclosed to.
        meeting = _locked(meeting)
        if meeting.agenda_items.filter(case=case).exists():
            raise Refused("This case is already on this meeting's agenda")
        agencies = _recipients(meeting, actor)

        def list_the_case() -> AgendaItem:
            item = _append_agenda_item(
                meeting, title=title, description=content, presenter=presenter, case=case
            )
            record(
                verb=Verb.CREATED,
                actor=actor,
                target=item,
                detail={
                    "meeting_id": meeting.pk,
                    "case_id": case.pk,
                    "recipient_ids": [agency.pk for agency in agencies],
                },
                ip_address=ip_address,
            )
            return item

        _, refusal = _release_at_meeting(
            case=case,
            agencies=agencies,
            purpose=purpose,
            categories=categories,
            content=content,
            record_of_decision=record_of_decision,
            source=list_the_case,
            actor=actor,
            ip_address=ip_address,
        )
    if refusal is not None:
        raise _case_item_refused(refusal, "The case cannot be shared") from refusal
    return meeting.agenda_items.get(case=case)


def share_case_item(
    *,
    item: AgendaItem,
    purpose: str,
    categories,
    record_of_decision: DecisionRecord,
    actor,
    ip_address: str | None = None,
) -> list:
    """Share a listed case with the agencies attending that it was not disclosed to, through
    the same gate and all or nothing. What they are given is the item's summary, unchanged."""
    if item.case_id is None:
        raise Refused("Only a case item is shared")
    permissions.require_work_on_case_item(actor, item)
    meeting = item.meeting
    _open_for_business(meeting)
    categories = sorted(set(categories))
    record_of_decision = _check_release(categories, record_of_decision)
    with transaction.atomic():
        _locked(meeting)
        agencies = agencies_not_yet_covered(item, besides=actor.agency_id)
        if not agencies:
            raise Refused("Every agency attending has already been given this case")
        disclosures, refusal = _release_at_meeting(
            case=item.case,
            agencies=agencies,
            purpose=purpose,
            categories=categories,
            content=item.description,
            record_of_decision=record_of_decision,
            source=item,
            actor=actor,
            ip_address=ip_address,
        )
    if refusal is not None:
        raise _case_item_refused(refusal, "The case cannot be shared") from refusal
    return disclosures


def affirm_confidentiality(
    *, meeting: Meeting, actor, ip_address: str | None = None
) -> ConfidentialityAffirmation:
    """Record that this person affirmed the confidentiality statement for this meeting (once)."""
    permissions.require_see_meeting(actor, meeting)
    _open_for_business(meeting)
    with transaction.atomic():
        affirmation, created = ConfidentialityAffirmation.objects.get_or_create(
            meeting=meeting, person=actor
        )
        if created:
            record(
                verb=Verb.CREATED,
                actor=actor,
                target=affirmation,
                detail={"meeting_id": meeting.pk},
                ip_address=ip_address,
            )
    return affirmation


def add_paper(*, item: AgendaItem, uploaded, actor, ip_address: str | None = None) -> Paper:
    """Store a checked paper for an agenda item (PaperRefused says why one is refused)."""
    permissions.require_add_paper(actor, item)
    _open_for_business(item.meeting)
    checked = check_paper(uploaded)
    paper = Paper(
        agenda_item=item,
        original_name=checked.original_name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        uploaded_by=actor,
    )
    with transaction.atomic():
        paper.file.save(checked.original_name, uploaded, save=False)
        try:
            paper.save()
            record(
                verb=Verb.CREATED,
                actor=actor,
                target=paper,
                detail={"agenda_item_id": item.pk, "content_type": checked.content_type},
                ip_address=ip_address,
            )
        except Exception:
            paper.file.delete(save=False)
            raise
    return paper


def record_paper_download(*, paper: Paper, actor, ip_address: str | None = None) -> None:
    permissions.require_download_paper(actor, paper.agenda_item)
    record(
        verb=Verb.DOWNLOADED,
        actor=actor,
        target=paper,
        detail={"agenda_item_id": paper.agenda_item_id},
        ip_address=ip_address,
    )


# Minutes ------------------------------------------------------------------------------------


def current_minutes(meeting: Meeting) -> Minutes | None:
    return meeting.minutes_versions.order_by("-version").first()


def _storable(text: str) -> str:
    # NUL cannot be stored in a PostgreSQL text column and never means anything in minutes;
    # the forms already refuse it, this covers every other caller.
    return text.replace("\x00", "")


def write_minutes(*, meeting: Meeting, body: str, actor, ip_address: str | None = None) -> Minutes:
    """Start or revise the draft. Approved minutes are locked: correct them instead."""
    permissions.require_keep_minutes(actor, meeting)
    body = _storable(body)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting was cancelled, so it has no minutes")
    if not meeting.has_started():
        raise Refused("Minutes can be written once the meeting has started")
    if not body.strip():
        raise Refused("Enter the minutes")
    with transaction.atomic():
        meeting = _locked(meeting)
        minutes = current_minutes(meeting)
        if minutes is None:
            minutes = Minutes.objects.create(meeting=meeting, body=body, created_by=actor)
            verb, changed = Verb.CREATED, []
        else:
            minutes.revise(body)
            minutes.save()
            verb, changed = Verb.CHANGED, ["body", "status"]
        record(
            verb=verb,
            actor=actor,
            target=minutes,
            changed_fields=changed,
            detail={"meeting_id": meeting.pk, "version": minutes.version},
            ip_address=ip_address,
        )
    return minutes


def _transition_minutes(minutes: Minutes, change, actor, ip_address) -> Minutes:
    permissions.require_keep_minutes(actor, minutes.meeting)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        change(minutes)
        minutes.save()
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=minutes,
            changed_fields=["status"],
            detail={"status": minutes.status, "version": minutes.version},
            ip_address=ip_address,
        )
    return minutes


def _minutes_releases(meeting: Meeting) -> list[Release]:
    """What circulating the minutes of a meeting that had case items releases: each case, on
    the terms it was shared on at the meeting, to every agency whose people read the minutes,
    that is the agencies given every case item of the meeting there."""
    items = list(meeting.agenda_items.filter(case__isnull=False).select_related("case"))
    if not items:
        return []
    given = recipients_by_source(AgendaItem, [item.pk for item in items])
    readers = set.intersection(*given.values())
    if not readers:
        return []
    recipients = tuple(Agency.objects.filter(pk__in=readers).order_by("name"))
    releases = []
    for item in items:
        terms = _terms_of_listing(item)
        releases.append(
            Release(
                case=item.case,
                recipients=recipients,
                purpose=terms["purpose"],
                categories=tuple(terms["categories"]),
                record_of_decision=terms["record_of_decision"],
            )
        )
    return releases


def circulate_minutes(*, minutes: Minutes, actor, ip_address: str | None = None) -> Minutes:
    """Send the minutes to those who read them. Minutes of a meeting that had case items carry
    every case discussed, so circulating them is a release through sharing's gate, all or
    nothing: each agency given the cases at the meeting is given this version of the minutes,
    or, if any is no longer covered, the minutes stay a draft and CaseItemRefused names each
    agency and why (each refusal on record)."""
    permissions.require_circulate_minutes(actor, minutes.meeting)
    releases = _minutes_releases(minutes.meeting)
    if not releases:
        return _transition_minutes(minutes, lambda m: m.circulate(by=actor), actor, ip_address)
    circulated = []

    def circulate() -> Minutes:
        circulated.append(
            _transition_minutes(minutes, lambda m: m.circulate(by=actor), actor, ip_address)
        )
        return circulated[0]

    try:
        release_together(
            releases=releases,
            content=minutes.body,
            method=DisclosureMethod.MEETING,
            actor=actor,
            source=circulate,
            ip_address=ip_address,
        )
    except ReleaseRefused as refusal:
        raise _minutes_refused(refusal) from refusal
    return circulated[0]


def _minutes_refused(refusal: ReleaseRefused) -> CaseItemRefused:
    names = ", ".join(
        f"{agency} for {case.reference}"
        for case, (agency, _) in zip(refusal.refused_cases, refusal.refusals, strict=True)
    )
    return CaseItemRefused(
        f"The minutes cannot be circulated: not every agency is still covered ({names}). "
        "They stay a draft; ask the Authority about consent for these agencies",
        [
            (agency, f"{case.reference}: {reason.message}")
            for case, (agency, reason) in zip(refusal.refused_cases, refusal.refusals, strict=True)
        ],
    )


def approve_minutes(*, minutes: Minutes, actor, ip_address: str | None = None) -> Minutes:
    return _transition_minutes(minutes, lambda m: m.approve(by=actor), actor, ip_address)


def correct_minutes(
    *, meeting: Meeting, body: str, reason: str, actor, ip_address: str | None = None
) -> Minutes:
    """A correction to approved minutes: a new draft version with its reason; the approved
    version stays as it was."""
    permissions.require_keep_minutes(actor, meeting)
    body, reason = _storable(body), _storable(reason)
    if not reason.strip():
        raise Refused("Enter the reason for the correction")
    if not body.strip():
        raise Refused("Enter the corrected minutes")
    with transaction.atomic():
        meeting = _locked(meeting)
        latest = current_minutes(meeting)
        if latest is None or latest.status != MinutesStatus.APPROVED:
            raise Refused("Only approved minutes are corrected; change the draft instead")
        minutes = Minutes.objects.create(
            meeting=meeting,
            version=latest.version + 1,
            body=body,
            correction_reason=reason.strip(),
            created_by=actor,
        )
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=minutes,
            detail={"meeting_id": meeting.pk, "version": minutes.version, "corrects": latest.pk},
            ip_address=ip_address,
        )
    return minutes


# Actions ------------------------------------------------------------------------------------


def _terms_of_listing(item: AgendaItem):
    """The purpose, categories and record of decision the case item was shared on at the
    meeting, or None if it reached no agency there."""
    listing = permissions.disclosures_for_items([item.pk]).order_by("disclosed_at", "pk").first()
    if listing is None:
        return None
    return {
        "purpose": listing.purpose,
        "categories": list(listing.categories),
        "record_of_decision": DecisionRecord(
            necessity=listing.necessity,
            lawful_basis=listing.lawful_basis,
            special_category_condition=listing.special_category_condition,
            person_told=listing.person_told,
            person_not_told_reason=listing.person_not_told_reason,
            decided_by=listing.decided_by,
            categories=tuple(listing.categories),
        ),
    }


def _give_case_work(*, item: AgendaItem, owner, agency, description: str, write, actor, ip_address):
    """Give the work of a case item to `owner`/`agency`: `write()` saves the action and returns
    it. Within the team (the actor's own agency) a named owner must be someone who may see the
    case. Another agency is given the action's text through sharing's gate, on the terms the
    case was shared on at the meeting; refused, nothing is written but the refusal events, and
    the refusal is returned for the caller to raise once its transaction has ended."""
    if agency is None or agency.pk == actor.agency_id:
        if owner is not None and not permissions.may_own_case_action(owner, item):
            raise Refused(
                f"{owner.full_name} may not see this case: give the action to someone who may"
            )
        return write(), None
    terms = _terms_of_listing(item)
    if terms is None:
        raise CaseItemRefused(
            f"The action cannot be given to {agency}: the case was not shared at this meeting",
            [(agency, "The case was not shared with any agency at this meeting.")],
        )
    disclosures, refusal = _release_at_meeting(
        case=item.case,
        agencies=[agency],
        content=description,
        source=write,
        actor=actor,
        ip_address=ip_address,
        **terms,
    )
    if refusal is not None:
        return None, refusal
    return source_of(disclosures[0], Action), None


def _check_owner(owner, owner_agency) -> None:
    if owner is None and owner_agency is None:
        raise Refused("Choose who owns the action: a person, an agency or both")
    if owner is not None and owner_agency is not None and owner.agency_id != owner_agency.pk:
        raise Refused(f"{owner.full_name} does not work for {owner_agency}")


def create_action(
    *,
    meeting: Meeting,
    description: str,
    due_on: date,
    owner=None,
    owner_agency=None,
    agenda_item: AgendaItem | None = None,
    actor,
    ip_address: str | None = None,
) -> Action:
    """An action from the meeting, perhaps from one of its agenda items. An action on a case
    item owned by another agency is a release of its text to that agency, through the gate:
    refused (CaseItemRefused naming the agency and why), no action is written."""
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise Refused("That agenda item belongs to another meeting")
    if agenda_item is not None:
        agenda_item.meeting = meeting
    permissions.require_give_action(actor, meeting, agenda_item)
    _check_owner(owner, owner_agency)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")
    owner_agency = owner_agency or (owner.agency if owner is not None else None)

    def write() -> Action:
        action = Action.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            description=description,
            owner=owner,
            owner_agency=owner_agency,
            due_on=due_on,
            created_by=actor,
        )
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=action,
            detail={"meeting_id": meeting.pk},
            ip_address=ip_address,
        )
        return action

    with transaction.atomic():
        if agenda_item is None or agenda_item.case_id is None:
            return write()
        action, refusal = _give_case_work(
            item=agenda_item,
            owner=owner,
            agency=owner_agency,
            description=description,
            write=write,
            actor=actor,
            ip_address=ip_address,
        )
    if refusal is not None:
        raise _case_item_refused(refusal, "The action cannot be given") from refusal
    return action


def reassign_action(
    *, action: Action, owner=None, owner_agency=None, actor, ip_address: str | None = None
) -> Action:
    """Give an open action to someone else. An action on a case item going to an agency that
    does not hold it yet is a release of its text to that agency, through the gate: refused
    (CaseItemRefused naming the agency and why), the action keeps its owner."""
    action = Action.objects.select_related("meeting", "agenda_item", "owner_agency").get(
        pk=action.pk
    )
    permissions.require_give_action(actor, action.meeting, action.agenda_item)
    _check_owner(owner, owner_agency)
    if not action.is_open:
        raise Refused("This action is closed")
    owner_agency = owner_agency or (owner.agency if owner is not None else None)
    before = {"owner_id": action.owner_id, "owner_agency_id": action.owner_agency_id}

    def write() -> Action:
        action.owner, action.owner_agency = owner, owner_agency
        action.save(update_fields=["owner", "owner_agency"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=action,
            changed_fields=["owner", "owner_agency"],
            detail={
                "from_owner_id": before["owner_id"],
                "from_owner_agency_id": before["owner_agency_id"],
                "owner_id": action.owner_id,
                "owner_agency_id": action.owner_agency_id,
            },
            ip_address=ip_address,
        )
        return action

    item = action.agenda_item
    with transaction.atomic():
        Action.objects.select_for_update().filter(pk=action.pk).get()
        same_agency = owner_agency is not None and owner_agency.pk == before["owner_agency_id"]
        if item is None or item.case_id is None or same_agency:
            return write()
        action, refusal = _give_case_work(
            item=item,
            owner=owner,
            agency=owner_agency,
            description=action.description,
            write=write,
            actor=actor,
            ip_address=ip_address,
        )
    if refusal is not None:
        raise _case_item_refused(refusal, "The action cannot be given") from refusal
    return action


def _review_note(meeting: Meeting | None, note: str) -> str:
    if meeting is None:
        return note
    return f"Reviewed at the meeting of {timezone.localtime(meeting.start):%-d %B %Y}: {note}"


def update_action(
    *,
    action: Action,
    note: str,
    in_progress: bool,
    reviewed_at: Meeting | None = None,
    actor,
    ip_address: str | None = None,
) -> ActionUpdate:
    """A dated progress note; it may also mark an open action as in progress. `reviewed_at`
    names the later meeting of the forum where the note was made in its review."""
    permissions.require_write_on_action(actor, action)
    if not note.strip():
        raise Refused("Enter the update")
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        if not action.is_open:
            raise Refused("This action is closed")
        changed = []
        if in_progress and action.status == ActionStatus.OPEN:
            action.start_work()
            action.save(update_fields=["status"])
            changed = ["status"]
        update = ActionUpdate.objects.create(
            action=action,
            reviewed_at=reviewed_at,
            note=_review_note(reviewed_at, note.strip()),
            status_after=action.status,
            created_by=actor,
        )
        record(
            verb=Verb.STATUS_CHANGED if changed else Verb.CHANGED,
            actor=actor,
            target=action,
            changed_fields=[*changed, "updates"],
            detail=_action_detail(action, reviewed_at),
            ip_address=ip_address,
        )
    return update


def _action_detail(action: Action, reviewed_at: Meeting | None) -> dict:
    detail = {"status": action.status}
    if action.closure:
        detail["closure"] = action.closure
    if reviewed_at is not None:
        detail["reviewed_at_meeting_id"] = reviewed_at.pk
    return detail


def _closing_note(action: Action, reviewed_at: Meeting | None) -> str:
    reason = f". {action.closure_reason}" if action.closure_reason else ""
    if reviewed_at is None:
        return f"Closed: {action.get_closure_display()}{reason}"
    return _review_note(reviewed_at, f"closed as {action.get_closure_display().lower()}{reason}")


def close_action(
    *,
    action: Action,
    closure: str,
    reason: str,
    reviewed_at: Meeting | None = None,
    actor,
    ip_address: str | None = None,
) -> Action:
    """Close as done, not possible (change of circumstances) or not undertaken (with reason),
    perhaps in the review at a later meeting of the forum (`reviewed_at`)."""
    permissions.require_write_on_action(actor, action)
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        action.close(closure=closure, reason=reason, by=actor)
        action.save()
        ActionUpdate.objects.create(
            action=action,
            reviewed_at=reviewed_at,
            note=_closing_note(action, reviewed_at),
            status_after=action.status,
            created_by=actor,
        )
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=action,
            changed_fields=["status", "closure", "closure_reason"],
            detail=_action_detail(action, reviewed_at),
            ip_address=ip_address,
        )
    return action


STILL_OPEN = "still_open"


def review_action(
    *,
    action: Action,
    meeting: Meeting,
    outcome: str,
    note: str = "",
    actor,
    ip_address: str | None = None,
) -> ActionUpdate:
    """Record how an action carried over from an earlier meeting of the forum stands at this
    one: still open (it carries over again), or closed as done, not possible (change of
    circumstances) or not undertaken by the agency (with the reason)."""
    permissions.require_review_actions(actor, meeting)
    permissions.require_write_on_action(actor, action)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")
    if not meeting.has_started():
        raise Refused("Carried-over actions are reviewed once the meeting has started")
    if not carried_over_actions(meeting).filter(pk=action.pk).exists():
        raise Refused("This action is not carried over to this meeting")
    note = _storable(note).strip()
    if outcome == STILL_OPEN:
        return update_action(
            action=action,
            note="still open" + (f". {note}" if note else ""),
            in_progress=False,
            reviewed_at=meeting,
            actor=actor,
            ip_address=ip_address,
        )
    close_action(
        action=action,
        closure=outcome,
        reason=note,
        reviewed_at=meeting,
        actor=actor,
        ip_address=ip_address,
    )
    return action.updates.filter(reviewed_at=meeting).latest("created_at", "pk")


# Calendar feeds -----------------------------------------------------------------------------


def reset_calendar_feed(*, user, actor, ip_address: str | None = None) -> CalendarFeed:
    """Give the person a new secret feed address; the old one stops working at once."""
    permissions.require_reset_feed(actor, user)
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        creating = feed is None
        feed = feed or CalendarFeed(user=user)
        feed.nonce = feeds.new_nonce()
        feed.token_hash = feeds.token_hash(feeds.token_for(feed))
        feed.created_at = timezone.now()
        feed.save()
        record(
            verb=Verb.CREATED if creating else Verb.CHANGED,
            actor=actor,
            target=feed,
            changed_fields=[] if creating else ["token"],
            detail={"user_id": user.pk},
            ip_address=ip_address,
        )
    return feed
