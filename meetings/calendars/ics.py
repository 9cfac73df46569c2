"""Meetings as iCalendar (RFC 5545): the one place that writes VEVENTs, for invitations,
downloads and feeds alike.

It reads only what a calendar may carry: the forum, times, place, joining link and the names
and addresses of the people invited. It never touches agenda items, papers, minutes or
actions, so nothing about a case can reach a calendar (tests/calendars/test_privacy.py).

A meeting on its own is one VEVENT. A forum's schedule is one recurring VEVENT (the master)
whose cancelled occurrences are EXDATEs and whose moved or otherwise different occurrences are
overrides named by RECURRENCE-ID (docs/decisions/0007-calendar-series-as-one-recurring-event.md).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from dateutil.rrule import rrulestr
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
)
from icalendar.enums import CLASS, PARTSTAT, ROLE, STATUS

from meetings.calendars import schedule
from meetings.calendars.schedule import LONDON
from meetings.models import Forum, Meeting, MeetingStatus

PRODID = "-//Partnerhub//Meetings//EN"
TZID = "Europe/London"


# Identity -----------------------------------------------------------------------------------


def calendar_domain() -> str:
    return (
        settings.PARTNERHUB_CALENDAR_DOMAIN
        or urlsplit(settings.PARTNERHUB_SITE_URL).hostname
        or "localhost"
    )


def meeting_uid(meeting_id: int) -> str:
    return f"meeting-{meeting_id}@{calendar_domain()}"


def series_uid(forum_id: int) -> str:
    return f"forum-{forum_id}-series@{calendar_domain()}"


def site_link(path: str) -> str:
    return settings.PARTNERHUB_SITE_URL.rstrip("/") + path


# Time zone ----------------------------------------------------------------------------------


def london_timezone() -> Timezone:
    """Europe/London in the compact form Outlook and Google write themselves.

    The library's generated zone (Timezone.from_tzid) lists every transition, which some
    Outlook versions mishandle, and puts the spring change at the wrong hour. UK clocks go
    forward at 01:00 GMT on the last Sunday of March and back at 02:00 BST on the last Sunday
    of October.
    """
    zone = Timezone()
    zone.add("TZID", TZID)
    daylight = TimezoneDaylight()
    daylight.add("DTSTART", datetime(1970, 3, 29, 1, 0))
    daylight.add("RRULE", vRecur.from_ical("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"))
    daylight.add("TZOFFSETFROM", timedelta(0))
    daylight.add("TZOFFSETTO", timedelta(hours=1))
    daylight.add("TZNAME", "BST")
    standard = TimezoneStandard()
    standard.add("DTSTART", datetime(1970, 10, 25, 2, 0))
    standard.add("RRULE", vRecur.from_ical("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))
    standard.add("TZOFFSETFROM", timedelta(hours=1))
    standard.add("TZOFFSETTO", timedelta(0))
    standard.add("TZNAME", "GMT")
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def local_time(moment: datetime) -> datetime:
    return timezone.localtime(moment, LONDON)


# Invitees -----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Invitee:
    """One ATTENDEE line: a person invited, or a deputy sent in their place."""

    name: str
    email: str
    role: str = ROLE.REQ_PARTICIPANT
    delegated_to: str = ""
    delegated_from: str = ""

    def address(self) -> vCalAddress:
        return vCalAddress.new(
            self.email,
            cn=self.name,
            role=self.role,
            partstat=PARTSTAT.DELEGATED if self.delegated_to else PARTSTAT.NEEDS_ACTION,
            rsvp=not self.delegated_to,
            delegated_to=self.delegated_to or None,
            delegated_from=self.delegated_from or None,
        )


def invitee_role(person_id, forum: Forum, optional: bool = False) -> str:
    if person_id is not None and person_id == forum.chair_id:
        return ROLE.CHAIR
    return ROLE.OPT_PARTICIPANT if optional else ROLE.REQ_PARTICIPANT


def _named_invitee(attendance) -> tuple[str, str, int | None] | None:
    """The name, address and user id of whoever the attendance names and may be written to: an
    active person in Partnerhub, or a directory contact with an e-mail address."""
    person, contact = attendance.person, attendance.contact
    if person is not None:
        return (person.full_name, person.email, person.pk) if person.is_active else None
    if contact is not None and contact.is_active and contact.email:
        return contact.full_name, contact.email, None
    return None


def meeting_invitees(meeting: Meeting) -> tuple[Invitee, ...]:
    """Everyone invited by name to this meeting (people in Partnerhub and directory contacts
    alike), with deputies in the place of those who sent one. Reads `meeting.attendances`
    (prefetch it with person, contact and deputy_person)."""
    invitees = []
    for attendance in meeting.attendances.all():
        named = _named_invitee(attendance)
        if named is None:
            continue
        name, email, person_id = named
        role = invitee_role(person_id, meeting.forum, attendance.is_optional)
        deputy = attendance.deputy_address
        if deputy:
            invitees.append(Invitee(name, email, role, delegated_to=deputy))
            invitees.append(Invitee(attendance.deputy_name, deputy, role, delegated_from=email))
        else:
            invitees.append(Invitee(name, email, role))
    return tuple(sorted(invitees))


def series_people(forum: Forum) -> list:
    """The people the schedule invites by name: the forum's named members and its chair. Reads
    `forum.members` (prefetch it) and, when the chair is not a member, `forum.chair` (select
    it)."""
    people = {person.pk: person for person in forum.members.all()}
    if forum.chair_id is not None and forum.chair_id not in people:
        people[forum.chair_id] = forum.chair
    return [person for person in people.values() if person.is_active and person.agency_id]


def seat_contacts(forum: Forum, people) -> dict:
    """Whom each member agency's seat names when none of its people is invited by name: its
    single point of contact in the directory, if they have an e-mail address and no Partnerhub
    account (an account holder is invited by name as a member instead). Agency id to contact.
    Reads `forum.member_agencies` with their `contacts` (prefetch both)."""
    represented = {person.agency_id for person in people}
    chosen = {}
    for agency in forum.member_agencies.all():
        if agency.pk in represented:
            continue
        for contact in sorted(agency.contacts.all(), key=lambda contact: contact.pk):
            if (
                contact.is_single_point_of_contact
                and contact.is_active
                and contact.email
                and contact.user_id is None
            ):
                chosen[agency.pk] = contact
                break
    return chosen


def series_invitees(forum: Forum) -> tuple[Invitee, ...]:
    """The series' invitees, as the schedule invites them: the forum's named members, its
    chair, and the contact each member agency's seat names (`seat_contacts`)."""
    people = series_people(forum)
    return tuple(
        sorted(
            [
                Invitee(person.full_name, person.email, invitee_role(person.pk, forum))
                for person in people
            ]
            + [
                Invitee(contact.full_name, contact.email, invitee_role(None, forum))
                for contact in seat_contacts(forum, people).values()
            ]
        )
    )


# Series -------------------------------------------------------------------------------------


@dataclass
class SeriesPlan:
    """How a forum's generated meetings are written as one recurring event."""

    forum: Forum
    meetings: list[Meeting]
    rule: vRecur
    exdates: list[datetime]
    overrides: list[Meeting]
    invitees: tuple[Invitee, ...]

    @property
    def first(self) -> Meeting:
        return self.meetings[0]

    @property
    def is_cancelled(self) -> bool:
        return self.forum.series_cancelled_at is not None


def _base_rule(forum: Forum) -> str:
    # The calendar's own UNTIL (the last generated meeting) replaces any COUNT or UNTIL: the
    # meetings already respect those, and a rule may not carry both.
    parts = [
        part
        for part in forum.schedule_rrule.split(";")
        if part and not part.startswith(("COUNT=", "UNTIL="))
    ]
    return ";".join(parts)


def _differs_from_series(meeting: Meeting, forum: Forum, invitees) -> bool:
    duration = timedelta(minutes=forum.schedule_duration_minutes)
    return (
        meeting.start != meeting.original_start
        or meeting.end - meeting.start != duration
        or meeting.location != forum.schedule_location
        or meeting.online_url != forum.schedule_online_url
        or bool(meeting.title)
        or meeting_invitees(meeting) != invitees
    )


def plan_series(
    forum: Forum, meetings: list[Meeting], *, cancelled_shown_since: datetime | None = None
) -> SeriesPlan | None:
    """The forum's generated meetings (any order) as a recurring event, or None if it has none
    on its current pattern.

    Meetings generated under an earlier pattern are left out: changing the pattern rewrites
    the series, as it does in Outlook. A cancelled occurrence is an EXDATE; for a feed,
    occurrences cancelled since `cancelled_shown_since` are kept as cancelled overrides so
    subscribers see the cancellation rather than a silent gap.
    """
    if not forum.has_schedule:
        return None
    generated = sorted(
        (m for m in meetings if m.original_start is not None), key=lambda m: m.original_start
    )
    if not generated:
        return None
    on_pattern = set(
        schedule.occurrences(
            forum,
            local_time(generated[0].original_start).date(),
            local_time(generated[-1].original_start).date(),
        )
    )
    series = [m for m in generated if m.original_start in on_pattern]
    if not series:
        return None
    first, last = local_time(series[0].original_start), local_time(series[-1].original_start)
    base = _base_rule(forum)
    expansion = [
        naive.replace(tzinfo=LONDON)
        for naive in rrulestr(base, dtstart=first.replace(tzinfo=None)).between(
            first.replace(tzinfo=None), last.replace(tzinfo=None), inc=True
        )
    ]
    # Re-anchored at its first meeting the rule must still produce every meeting, or a
    # RECURRENCE-ID would name an occurrence clients do not have.
    series = [m for m in series if m.original_start in set(expansion)]
    invitees = series_invitees(forum)
    shown_cancelled = {
        m.original_start
        for m in series
        if m.status == MeetingStatus.CANCELLED
        and cancelled_shown_since is not None
        and m.updated_at >= cancelled_shown_since
    }
    kept = shown_cancelled | {
        m.original_start for m in series if m.status != MeetingStatus.CANCELLED
    }
    rule = vRecur.from_ical(base)
    rule["UNTIL"] = [last.astimezone(UTC)]
    return SeriesPlan(
        forum=forum,
        meetings=series,
        rule=rule,
        exdates=[moment for moment in expansion if moment not in kept],
        overrides=[
            m
            for m in series
            if m.original_start in shown_cancelled
            or (m.status != MeetingStatus.CANCELLED and _differs_from_series(m, forum, invitees))
        ],
        invitees=invitees,
    )


# Events -------------------------------------------------------------------------------------


def _description(forum: Forum, *, location: str, online_url: str, page: str) -> str:
    lines = [forum.name]
    if location:
        lines.append(f"Place: {location}")
    if online_url:
        lines.append(f"Join online: {online_url}")
    lines.append(f"Agenda and papers in Partnerhub: {page}")
    return "\n".join(lines)


def _organizer(forum: Forum) -> vCalAddress | None:
    if not forum.organiser_email:
        return None
    return vCalAddress.new(forum.organiser_email, cn=forum.name)


def _event(
    *,
    uid: str,
    sequence: int,
    stamp: datetime,
    forum: Forum,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    online_url: str,
    page: str,
    invitees,
    cancelled: bool,
    recurrence_id: datetime | None = None,
) -> Event:
    return Event.new(
        uid=uid,
        sequence=sequence,
        stamp=stamp.astimezone(UTC),
        start=local_time(start),
        end=local_time(end),
        recurrence_id=local_time(recurrence_id) if recurrence_id is not None else None,
        summary=summary,
        location=location or "Online",
        description=_description(forum, location=location, online_url=online_url, page=page),
        url=page,
        organizer=_organizer(forum),
        attendees=[invitee.address() for invitee in invitees],
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        classification=CLASS.CONFIDENTIAL if forum.discusses_cases else None,
    )


def meeting_event(meeting: Meeting, *, stamp: datetime | None = None, invitees=None) -> Event:
    """A meeting on its own. Without a stamp (a download or feed), DTSTAMP is its last change."""
    return _event(
        uid=meeting_uid(meeting.pk),
        sequence=meeting.sequence,
        stamp=stamp or meeting.updated_at,
        forum=meeting.forum,
        start=meeting.start,
        end=meeting.end,
        summary=meeting.display_title,
        location=meeting.location,
        online_url=meeting.online_url,
        page=site_link(reverse("meetings:meeting-detail", args=[meeting.pk])),
        invitees=meeting_invitees(meeting) if invitees is None else invitees,
        cancelled=meeting.status == MeetingStatus.CANCELLED,
    )


def occurrence_event(
    plan: SeriesPlan, meeting: Meeting, *, stamp: datetime | None = None, invitees=None
) -> Event:
    """One occurrence of a series, named by the series' UID and its original start."""
    return _event(
        uid=series_uid(plan.forum.pk),
        sequence=plan.forum.series_sequence,
        stamp=stamp or meeting.updated_at,
        forum=plan.forum,
        start=meeting.start,
        end=meeting.end,
        recurrence_id=meeting.original_start,
        summary=meeting.title or plan.forum.name,
        location=meeting.location,
        online_url=meeting.online_url,
        page=site_link(reverse("meetings:meeting-detail", args=[meeting.pk])),
        invitees=meeting_invitees(meeting) if invitees is None else invitees,
        cancelled=meeting.status == MeetingStatus.CANCELLED,
    )


def series_master(plan: SeriesPlan, *, stamp: datetime | None = None) -> Event:
    forum = plan.forum
    start = plan.first.original_start
    event = _event(
        uid=series_uid(forum.pk),
        sequence=forum.series_sequence,
        stamp=stamp or forum.updated_at,
        forum=forum,
        start=start,
        end=start + timedelta(minutes=forum.schedule_duration_minutes),
        summary=forum.name,
        location=forum.schedule_location,
        online_url=forum.schedule_online_url,
        page=site_link(reverse("meetings:forum-detail", args=[forum.pk])),
        invitees=plan.invitees,
        cancelled=plan.is_cancelled,
    )
    event.add("RRULE", plan.rule)
    if plan.exdates and not plan.is_cancelled:
        event.add("EXDATE", [local_time(moment) for moment in plan.exdates])
    return event


def series_events(plan: SeriesPlan, *, stamp: datetime | None = None) -> list[Event]:
    """The master and its overrides: the whole series as one calendar object."""
    if plan.is_cancelled:
        return [series_master(plan, stamp=stamp)]
    return [series_master(plan, stamp=stamp)] + [
        occurrence_event(plan, meeting, stamp=stamp) for meeting in plan.overrides
    ]


# Calendars ----------------------------------------------------------------------------------


def build_calendar(events, *, method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar.new(
        prodid=PRODID, method=method, name=name, subcomponents=[london_timezone(), *events]
    )
    # Calendar.new gives the VCALENDAR a fresh random UID (RFC 7986) every time; an identity
    # invented per build would make every feed look changed, so the calendar carries none.
    del calendar["UID"]
    return calendar


def as_text(calendar: Calendar) -> str:
    return calendar.to_ical().decode()
