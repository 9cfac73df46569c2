"""Changes to forums: their details, schedule and members, and what those changes do to the
meetings still ahead and to calendars."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from meetings import permissions
from meetings.calendars import ics, invitations, schedule
from meetings.models import Attendance, Forum, Meeting
from meetings.recurrence_patterns import builder_can_express
from meetings.refusals import Refused
from meetings.services.attendance import take_off_meeting
from meetings.services.meetings import bump_series, generate_meetings, meetings_ahead


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


def _set_quorum(forum: Forum, agencies) -> None:
    """Only a member agency can be needed for quorum: one that is not would never attend."""
    members = set(forum.member_agencies.values_list("pk", flat=True))
    outside = sorted(agency.name for agency in agencies if agency.pk not in members)
    if outside:
        raise Refused(
            "Only member agencies can be needed for quorum, and these are not members: "
            + ", ".join(outside)
        )
    forum.quorum_agencies.set(agencies)


def save_forum(
    *,
    forum: Forum,
    member_agencies,
    members,
    actor,
    quorum_agencies=None,
    changed_fields=(),
    ip_address: str | None = None,
) -> Forum:
    """Create or change a forum with its members. Level and case discussion follow the kind
    unless they were chosen. Meetings still ahead follow a changed schedule and membership,
    and calendars are told. A new rule the form's builder cannot express needs someone who
    may write rules by hand; an unchanged one is kept whoever saves."""
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
        rule_before = before["schedule_rrule"] if before else ""
        if (
            forum.schedule_rrule
            and forum.schedule_rrule != rule_before
            and not builder_can_express(forum.schedule_rrule)
        ):
            permissions.require_write_schedule_rules(actor)
        if (
            before
            and before["schedule_rrule"]
            and not forum.schedule_rrule
            and meetings_ahead(forum).filter(original_start__isnull=False).exists()
        ):
            raise Refused(
                "Meetings are planned from this schedule: cancel the series before "
                "removing its recurrence rule"
            )
        forum.save()
        forum.member_agencies.set(member_agencies)
        forum.members.set(members)
        _sync_member_agencies(forum)
        if quorum_agencies is not None:
            _set_quorum(forum, quorum_agencies)
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


def _follow_forum_change(forum: Forum, changed, old_members, actor, ip_address) -> None:
    today = timezone.localdate()
    if set(changed) & set(_PATTERN_FIELDS) and forum.has_schedule:
        ahead = list(meetings_ahead(forum).filter(original_start__isnull=False))
        if ahead:
            last = max(timezone.localtime(m.original_start).date() for m in ahead)
            fitting = set(schedule.occurrences(forum, today, last))
            for meeting in ahead:
                if meeting.original_start not in fitting:
                    meeting.cancel(SCHEDULE_CHANGED)
                    meeting.save()
            generate_meetings(forum, schedule.occurrences(forum, today, last), actor, ip_address)
        if forum.series_cancelled_at is not None:
            forum.series_cancelled_at = None
            forum.save(update_fields=["series_cancelled_at", "updated_at"])
    if set(changed) & set(_DEFAULT_FIELDS) and forum.has_schedule:
        duration = timedelta(minutes=forum.schedule_duration_minutes)
        for meeting in meetings_ahead(forum).filter(
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
        for meeting in meetings_ahead(forum).filter(original_start__isnull=True):
            meeting.sequence += 1
            meeting.save(update_fields=["sequence", "updated_at"])
            invitations.announce_meeting(meeting)
    added, removed = _follow_membership(forum, old_members)
    has_series = forum.meetings.filter(original_start__isnull=False).exists()
    if removed:
        if has_series:
            bump_series(forum)
            invitations.withdraw_series(forum, invitees=removed)
        for meeting in meetings_ahead(forum).filter(original_start__isnull=True):
            invitations.withdraw_meeting(meeting, invitees=removed)
    if changed and has_series:
        bump_series(forum)
        invitations.announce_series(forum)
    elif added and has_series:
        invitations.announce_series(forum, only=[person.email for person in added])
    if added:
        for meeting in meetings_ahead(forum).filter(original_start__isnull=True):
            invitations.announce_meeting(meeting, only=[person.email for person in added])


def _follow_membership(forum: Forum, old_members):
    """Named members joining are invited to the meetings still ahead; those leaving are taken
    off them. Returns the people added and the calendar lines of those removed."""
    invited = invitations.invited_by_name(forum)
    current = {person.pk: person for person in invited.filter(is_active=True, agency__isnull=False)}
    added = [person for pk, person in current.items() if pk not in old_members]
    leaving = set(old_members) - set(invited.values_list("pk", flat=True))
    ahead = list(meetings_ahead(forum))
    for person in added:
        for meeting in ahead:
            _seat_or_new(meeting, person)
    removed = []
    if leaving:
        for attendance in Attendance.objects.filter(
            meeting__in=ahead, person_id__in=leaving
        ).select_related("person", "deputy_person", "meeting__forum"):
            take_off_meeting(attendance)
        for person in forum.members.model.objects.filter(pk__in=leaving, is_active=True):
            removed.append(
                ics.Invitee(person.full_name, person.email, ics.invitee_role(person.pk, forum))
            )
    return added, removed


def _seat_or_new(meeting: Meeting, person) -> Attendance | None:
    invitations_here = Attendance.objects.filter(meeting=meeting)
    if invitations_here.filter(person=person).exists():
        return None
    # Only an open seat is filled: a seat naming a directory contact keeps them, and the new
    # member is invited alongside.
    seat = invitations_here.filter(
        agency_id=person.agency_id, person__isnull=True, contact__isnull=True
    ).first()
    if seat is not None:
        seat.person = person
        seat.save(update_fields=["person", "updated_at"])
        return seat
    return Attendance.objects.create(meeting=meeting, agency_id=person.agency_id, person=person)
