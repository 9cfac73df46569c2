"""Demo forums and meetings for `seed_demo`: a forum of every kind across the four regions, over
six months of past meetings (a few called off) with attendance, minutes and actions, each
recorded with the demo's clock turned to when it was done, and upcoming ones with agendas; the
ad hoc forum, which has no schedule, has single meetings instead.

Uses the directory's demo agencies and people (looked up by name and e-mail, never created
here) and goes through the services, so the audit log reads as if people had done it.
Idempotent: forums are found by name, the schedule never adds an occurrence twice, and a
meeting that already has minutes or an agenda is left alone.

The forums have organiser mailboxes, so generating their series queues real calendar
invitations (printed by the console e-mail backend in `make run`); a second run generates
nothing and so sends nothing. Every demo person gets a calendar subscription address.
"""

import random
from datetime import date, time, timedelta

from django.db.models import F
from django.utils import timezone

from agencies.models import Agency, AgencyKind, LocalAuthority, Region, User
from core.demo_clock import clock_at
from meetings import links, permissions, selectors, services
from meetings.calendars.schedule import local_datetime
from meetings.case_lists import circulate_case_list, circulation_day
from meetings.models import (
    CalendarFeed,
    Closure,
    Forum,
    ForumKind,
    HearingOutcome,
    MeetingStatus,
    Outcome,
)
from sharing.models import Case, DataCategory, LawfulBasis, PersonTold, Purpose
from sharing.services import DecisionRecord, grant_consent

ORGANISER = "partnerships@demo.partnerhub.test"
# How far back the forums' series start: over six months of meetings for the partnership
# activity report to compare.
HISTORY_DAYS = 200
AUTHORITY_USER = "authority@demo.partnerhub.test"
# Amina (sharing's demo): high-risk domestic abuse in Manchester, so a case for its MARAC.
MARAC_CASE = "DEMO-AS-104233"
MARAC_CATEGORIES = [DataCategory.IDENTITY, DataCategory.HOUSEHOLD, DataCategory.VULNERABILITIES]
MARAC_SUMMARY = (
    "Dash risk checklist 16/24 after an assault by her former partner, who has found her "
    "address. One child under five in the household. Supported by the IDVA; an emergency move "
    "has been agreed with the Authority.\n\nAgencies are asked to check their records before "
    "the meeting."
)
# Sara (sharing's demo), heard at the same MARAC before the IDVA service joined it: the partner
# persona's agency is given Amina's case and its part of the minutes, not Sara's.
SECOND_MARAC_CASE = "DEMO-AS-127340"
SECOND_MARAC_SUMMARY = (
    "Dash risk checklist 15/24; pregnant, with threats from her husband's family. Agencies are "
    "asked to check their records before the meeting."
)
PARTNER = "partner@demo.partnerhub.test"
NORTHGATE = "Northgate Housing Partnership"
AUTHORITY = "The Authority – Asylum Support Safeguarding Hub"

# name, kind, area (local authority or region name, None for national), coordinating agency,
# chair e-mail, named members' e-mails, member agencies, RRULE, start time, minutes, place, link
FORUMS = [
    (
        "Manchester MARAC",
        "marac",
        "Manchester",
        "Greater Manchester Police Public Protection",
        None,
        ["partner@demo.partnerhub.test", "officer@demo.partnerhub.test"],
        [
            "Greater Manchester Police Public Protection",
            "Manchester City Council Children's Services",
            "Manchester University NHS Foundation Trust",
            "Cheetham Hill Medical Practice",
            "Probation Service – North West",
            "Refugee Action Network",
            NORTHGATE,
        ],
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        time(9, 30),
        180,
        "Manchester Town Hall Extension, Committee Room 3",
        "",
    ),
    (
        "Cheetham Hill Team Around the Family",
        "taf",
        "Manchester",
        "Manchester City Council Children's Services",
        None,
        ["officer@demo.partnerhub.test"],
        [
            "Manchester City Council Children's Services",
            "Cheetham Hill Medical Practice",
            "Refugee Action Network",
            NORTHGATE,
        ],
        "FREQ=WEEKLY;INTERVAL=8;BYDAY=WE",
        time(14, 0),
        90,
        "",
        "https://meet.example.org/cheetham-hill-taf",
    ),
    (
        "North West SMP Executive Board",
        "smp-executive-board",
        "North West",
        "North West Regional Strategic Migration Partnership",
        None,
        ["partnerships@demo.partnerhub.test", "authority@demo.partnerhub.test"],
        [
            "North West Regional Strategic Migration Partnership",
            AUTHORITY,
            NORTHGATE,
            "Greater Manchester Police Public Protection",
            "NHS Greater Manchester Integrated Care",
            "Probation Service – North West",
        ],
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE",
        time(10, 0),
        120,
        "Manchester Central Library, Performance Space",
        "https://meet.example.org/nw-smp-board",
    ),
    (
        "West Midlands SMP Regional Asylum Group",
        "smp-regional-group",
        "West Midlands",
        "West Midlands Strategic Migration Partnership",
        None,
        ["partnerships@demo.partnerhub.test"],
        [
            "West Midlands Strategic Migration Partnership",
            "Birmingham Children's Trust",
            "Birmingham City Council Adult Social Care",
            "Coventry City Council Housing",
            "West Midlands Police Public Protection Unit",
            "Coventry Sanctuary Network",
            NORTHGATE,
        ],
        "FREQ=MONTHLY;BYDAY=3TU",
        time(13, 30),
        120,
        "",
        "https://meet.example.org/wm-smp-asylum",
    ),
    (
        "Safeguarding Working Group with the Authority",
        "safeguarding-working-group",
        None,
        AUTHORITY,
        "authority@demo.partnerhub.test",
        [
            "partnerships@demo.partnerhub.test",
            "manager@demo.partnerhub.test",
            "authority@demo.partnerhub.test",
            "compliance@demo.partnerhub.test",
        ],
        [AUTHORITY, NORTHGATE, "AIRE Advice Line"],
        "FREQ=MONTHLY;BYDAY=1TH",
        time(11, 0),
        90,
        "",
        "https://meet.example.org/safeguarding-working-group",
    ),
    (
        "Birmingham and Solihull Asylum Health Meeting",
        "nhs-icb",
        "Birmingham",
        "NHS Birmingham and Solihull ICB",
        None,
        ["partnerships@demo.partnerhub.test"],
        [
            "NHS Birmingham and Solihull ICB",
            "Birmingham and Solihull Mental Health NHS Foundation Trust",
            "Lozells Health Centre",
            NORTHGATE,
        ],
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=2MO",
        time(10, 0),
        60,
        "",
        "https://meet.example.org/bsol-asylum-health",
    ),
    (
        "Leicester Health and Social Care Partnership: Migrant Health",
        "hscp",
        "Leicester",
        "NHS Leicester, Leicestershire and Rutland ICB",
        None,
        ["partnerships@demo.partnerhub.test"],
        [
            "NHS Leicester, Leicestershire and Rutland ICB",
            "Leicester City Council Housing Options",
            "Leicester City Council Education Welfare",
            "Highfields Community Centre",
            NORTHGATE,
        ],
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=4WE",
        time(14, 0),
        90,
        "Leicester City Hall, Room G.02",
        "",
    ),
    (
        "Norfolk Locality Multi-Agency Forum",
        "locality-forum",
        "Norfolk",
        "Norfolk County Council Education Inclusion",
        None,
        ["partnerships@demo.partnerhub.test"],
        [
            "Norfolk County Council Education Inclusion",
            "Norfolk Constabulary",
            "NHS Norfolk and Waveney ICB",
            "Thetford Family Practice",
            "Norwich Welcome Project",
            NORTHGATE,
        ],
        "FREQ=MONTHLY;BYDAY=2FR",
        time(10, 0),
        120,
        "County Hall, Norwich, Edwards Room",
        "",
    ),
    (
        "Internal Safeguarding Board",
        "internal-safeguarding-board",
        None,
        NORTHGATE,
        "manager@demo.partnerhub.test",
        [
            "manager@demo.partnerhub.test",
            "officer@demo.partnerhub.test",
            "partnerships@demo.partnerhub.test",
        ],
        [NORTHGATE],
        "FREQ=MONTHLY;BYDAY=-1TU",
        time(15, 0),
        90,
        "",
        "https://meet.example.org/internal-safeguarding-board",
    ),
    (
        "Joint Case Review with the Authority",
        "joint-case-review",
        None,
        AUTHORITY,
        None,
        ["manager@demo.partnerhub.test", "authority@demo.partnerhub.test"],
        [AUTHORITY, NORTHGATE],
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=3TH",
        time(10, 0),
        90,
        "",
        "https://meet.example.org/joint-case-review",
    ),
    (
        "East Midlands Ad Hoc Case Review",
        "ad-hoc-case-review",
        "East Midlands",
        NORTHGATE,
        None,
        ["manager@demo.partnerhub.test"],
        ["Nottingham City Council Children's Services", "Leicestershire Police", NORTHGATE],
        "",
        None,
        None,
        "",
        "",
    ),
    (
        "East of England Operational Working Group",
        "operational-working-group",
        "East of England",
        NORTHGATE,
        None,
        ["officer@demo.partnerhub.test", "partnerships@demo.partnerhub.test"],
        [
            "Essex County Council Children and Families",
            "Peterborough City Council Housing Needs",
            "Suffolk County Council Adult Social Care",
            NORTHGATE,
        ],
        "FREQ=MONTHLY;BYDAY=1MO",
        time(10, 0),
        60,
        "",
        "https://meet.example.org/eoe-operational",
    ),
    (
        "Nottingham Welcome Partners Network",
        "other",
        "Nottingham",
        "Nottingham Sanctuary Project",
        None,
        ["partnerships@demo.partnerhub.test"],
        ["Nottingham Sanctuary Project", "Sneinton Health Centre", NORTHGATE],
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE",
        time(18, 0),
        90,
        "Sneinton Health Centre, Community Room",
        "",
    ),
]

# Days from today and title of each single meeting of a forum without a schedule.
AD_HOC_MEETINGS = [
    (-30, "Review of a missed safeguarding referral"),
    (9, "Review of a placement breakdown"),
]

AGENDA = [
    "Introductions, apologies and confidentiality statement",
    "Actions from the last meeting",
    "Updates from agencies",
    "Any other business",
]

MINUTES = """## Present and apologies

As recorded in the attendance list.

## Actions from the last meeting

Open actions were reviewed; completed ones closed, the rest carried over.

## Updates from agencies

- **Accommodation**: occupancy stable; two properties returned to use after repairs.
- **Health**: GP registration drop-in now runs fortnightly at the initial accommodation site.
- **Voluntary sector**: ESOL waiting lists remain long; partners to share class times.

## Any other business

None raised. Date of the next meeting confirmed.
"""

MINUTES_OF_THE_CASE = """The case was presented by the housing provider's safeguarding officer. The police will flag the
address; the IDVA will contact her within two working days to review the safety plan; the
housing provider will fit additional locks this week. To be reviewed at the next meeting.
"""

MINUTES_OF_THE_SECOND_CASE = """Presented by the housing provider's safeguarding officer. Midwifery will see her at every
antenatal appointment alone; children's services open a pre-birth assessment; the police will
record the threats. To be reviewed at the next meeting.
"""

ACTIONS = [
    "Circulate the updated referral pathway to all member agencies",
    "Share GP registration drop-in times with housing officers",
    "Report back on interpreter availability for evening appointments",
    "Review move-on support leaflet with the local authority housing team",
]


def _area(name):
    if name is None:
        return {}
    region = Region.objects.filter(name=name).first()
    if region is not None:
        return {"region": region}
    return {"local_authority": LocalAuthority.objects.filter(name=name).first()}


def _forum(row, organiser) -> Forum:
    (name, kind, area, coordinator, chair, members, agencies, rule, at, minutes, place, link) = row
    existing = Forum.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    forum_kind = ForumKind.objects.get(code=kind)
    forum = Forum(
        name=name,
        kind=forum_kind,
        level=forum_kind.default_level,
        discusses_cases=forum_kind.discusses_cases,
        coordinating_agency=Agency.objects.filter(name=coordinator).first(),
        chair=User.objects.filter(email=chair).first() if chair else None,
        terms_of_reference=(
            f"## Purpose\n\nThe {name} brings partners together to coordinate support for "
            "people in asylum accommodation.\n\n## Membership\n\nMember agencies send a "
            "named representative or a deputy.\n"
        ),
        schedule_rrule=rule,
        schedule_starts_on=date(2025, 1, 1) if rule else None,
        schedule_time=at,
        schedule_duration_minutes=minutes,
        schedule_location=place,
        schedule_online_url=link,
        organiser_email="partnerships@northgate.example" if rule else "",
        **_area(area),
    )
    member_agencies = list(Agency.objects.filter(name__in=agencies))
    return services.save_forum(
        forum=forum,
        member_agencies=member_agencies,
        members=list(User.objects.filter(email__in=members)),
        quorum_agencies=_needed_for_quorum(forum, member_agencies),
        actor=organiser,
    )


def _needed_for_quorum(forum, member_agencies) -> list:
    """A MARAC cannot decide without the police and health; another forum without the agency
    that coordinates it."""
    if forum.kind.code == "marac":
        needed = {AgencyKind.POLICE, AgencyKind.NHS_TRUST}
        return [agency for agency in member_agencies if agency.kind in needed]
    return [agency for agency in member_agencies if agency == forum.coordinating_agency]


# Days after a meeting starts that an action of it may be closed: the actions are due three
# weeks after the meeting, so the later ones are closed late.
CLOSED_AFTER_DAYS = [7, 10, 14, 18, 20, 21, 26, 33, 45]
# Which of them, drawn the same way each time the demo is seeded.
SEED = 20250601
# Past meetings that did not go ahead: (forum kind, position counted back from the latest,
# reason, days before the meeting it was called off).
CANCELLED = [
    ("smp-regional-group", 3, "Not quorate: too few member agencies could attend", 3),
    ("locality-forum", 4, "Chair unavailable; items carried to the next meeting", 6),
    ("internal-safeguarding-board", 2, "Clashed with an inspection; items carried over", 9),
    ("operational-working-group", 3, "Room unavailable and the video link failed", 1),
]


def _cancelled_in_the_past(forum, past, organiser, now) -> None:
    """The occurrence a forum called off, cancelled when it was, days ahead of it: once."""
    if forum.meetings.filter(status=MeetingStatus.CANCELLED, start__lt=now).exists():
        return
    for kind, position, reason, days_before in CANCELLED:
        if forum.kind.code != kind or len(past) <= position + 1:
            continue
        meeting = past[position]
        if meeting.status != MeetingStatus.SCHEDULED or meeting.minutes_versions.exists():
            continue
        with clock_at(min(meeting.start - timedelta(days=days_before), now)):
            services.cancel_meeting(meeting=meeting, reason=reason, actor=organiser)


def _an_attendee_comments(meeting, minutes, minute_taker, *, settled: bool, on) -> None:
    """Someone invited comments on the circulated minutes; on older meetings the minute-taker
    resolved it before approving, on the latest it waits for them."""
    commenter = next(
        (
            attendance.person
            for attendance in meeting.attendances.select_related("person").order_by("pk")
            if attendance.person is not None
            and attendance.person != minute_taker
            and permissions.may_comment_on_minutes(attendance.person, meeting)
        ),
        None,
    )
    if commenter is None:
        return
    with on(timedelta(days=3)):
        comment = services.comment_on_minutes(
            minutes=minutes,
            text="Please record that our agency sent its information in advance of the meeting.",
            actor=commenter,
        )
    if settled:
        with on(timedelta(days=8)):
            services.resolve_minutes_comment(
                comment=comment,
                resolution="Added to the attendance section before approval.",
                actor=minute_taker,
            )


def _past_meeting(meeting, organiser, index: int, minute_taker, now, rng) -> None:
    """Attendance, minutes and actions of a held meeting, each recorded with the clock turned to
    when it was done (never after now): attendance at the end of the meeting, minutes and
    actions the next days, the actions closed weeks later, some after their due date."""
    if meeting.minutes_versions.exists() or meeting.status == MeetingStatus.CANCELLED:
        return
    ended = meeting.end

    def on(delay):
        return clock_at(min(ended + delay, now))

    outcomes = [
        Outcome.ATTENDED,
        Outcome.ATTENDED,
        Outcome.APOLOGIES,
        Outcome.ATTENDED,
        Outcome.ABSENT,
    ]
    entries = []
    for position, attendance in enumerate(meeting.attendances.order_by("pk")):
        outcome = outcomes[(index + position) % len(outcomes)]
        deputy = "A. Deputy" if outcome == Outcome.ATTENDED and (index + position) % 7 == 3 else ""
        sent = outcome == Outcome.APOLOGIES and position % 2 == 0
        entries.append((attendance, outcome, deputy, sent))
    with on(timedelta(minutes=15)):
        services.record_attendance(meeting=meeting, entries=entries, actor=organiser)
    if not permissions.may_keep_minutes(minute_taker, meeting):
        minute_taker = organiser
    with on(timedelta(days=1)):
        minutes = services.write_minutes(meeting=meeting, body=MINUTES, actor=minute_taker)
    with on(timedelta(days=2)):
        services.circulate_minutes(minutes=minutes, actor=minute_taker)
    if index % 3 == 0:
        _an_attendee_comments(meeting, minutes, minute_taker, settled=index > 0, on=on)
    if index > 0:
        with on(timedelta(days=9)):
            services.approve_minutes(minutes=minutes, actor=minute_taker)
    # Actions go to the people named and, in turn, to the agencies holding seats, so they are
    # owned across the forum's member agencies.
    attendances = list(meeting.attendances.select_related("person", "agency").order_by("pk"))
    named = [attendance.person for attendance in attendances if attendance.person is not None]
    seats = [attendance.agency for attendance in attendances if attendance.person is None]
    for number in range(2):
        owner, owner_agency = None, None
        if number == 0 and named:
            owner = named[index % len(named)]
        elif seats:
            owner_agency = seats[index % len(seats)]
        elif named:
            owner = named[(index + 1) % len(named)]
        else:
            owner_agency = meeting.forum.coordinating_agency
        with on(timedelta(days=1, hours=1)):
            action = services.create_action(
                meeting=meeting,
                description=ACTIONS[(index + number) % len(ACTIONS)],
                due_on=timezone.localtime(meeting.start).date() + timedelta(days=21),
                owner=owner,
                owner_agency=owner_agency,
                actor=organiser,
            )
        # Older meetings' actions are mostly closed; the latest ones are still being worked on,
        # and an older one left open is overdue.
        closing = meeting.start + timedelta(days=rng.choice(CLOSED_AFTER_DAYS))
        if index >= 2 and (index + number) % 4 != 0 and closing < now:
            closure = Closure.NOT_POSSIBLE if (index + number) % 5 == 0 else Closure.DONE
            with clock_at(closing):
                services.close_action(action=action, closure=closure, reason="", actor=organiser)
        elif number == 0:
            with on(timedelta(days=6)):
                services.update_action(
                    action=action,
                    note="Started; waiting on a reply from the partner agency",
                    in_progress=True,
                    actor=organiser,
                )


def _single_meetings(forum, today, organiser) -> None:
    """An ad hoc forum has no schedule: it meets when a case calls for it, so it has single
    meetings, one held and one to come."""
    for days, title in AD_HOC_MEETINGS:
        if forum.meetings.filter(title=title).exists():
            continue
        start = local_datetime(today + timedelta(days=days), time(10, 0))
        services.create_meeting(
            forum=forum,
            title=title,
            start=start,
            end=start + timedelta(hours=1),
            location="",
            online_url="https://meet.example.org/em-case-review",
            actor=organiser,
        )


def _carried_over_reviewed(forum, organiser) -> None:
    """The forum's latest held meeting reviewed the actions carried over to it: the first
    closed as done, the others still open."""
    meeting = forum.meetings.filter(status=MeetingStatus.HELD).order_by("-start").first()
    if meeting is None or meeting.action_reviews.exists():
        return
    carried = selectors.carried_over_actions(meeting).still_open()
    for position, action in enumerate(carried):
        services.review_action(
            action=action,
            meeting=meeting,
            outcome=Closure.DONE if position == 0 else services.STILL_OPEN,
            note="" if position == 0 else "The agency expects to finish by the next meeting",
            actor=organiser,
        )


def _upcoming_meeting(meeting, organiser) -> None:
    if meeting.agenda_items.exists():
        return
    for title in AGENDA:
        services.add_agenda_item(meeting=meeting, title=title, actor=organiser)


def seed() -> None:
    organiser = User.objects.filter(email=ORGANISER).first()
    if organiser is None:
        return
    today = timezone.localdate()
    now = timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - repeatable on purpose, and secret from nobody
    for row in FORUMS:
        forum = _forum(row, organiser)
        if forum.has_schedule:
            services.schedule_series(
                forum=forum,
                start_date=today - timedelta(days=HISTORY_DAYS),
                end_date=today + timedelta(days=120),
                actor=organiser,
            )
        else:
            _single_meetings(forum, today, organiser)
        # A MARAC's minutes that carry its cases are kept by the safeguarding officer who
        # attends; the organiser keeps the others (meetings.permissions.minutes_kept_by).
        minute_taker = (_case_officer() if forum.kind.code == "marac" else None) or organiser
        past = list(forum.meetings.filter(start__lt=now).order_by("-start"))
        _cancelled_in_the_past(forum, past, organiser, now)
        if forum.has_schedule:
            _contacts_take_seats(forum, organiser, now)
        # Oldest first, as they happened; `index` counts back from the latest.
        for index, meeting in reversed(list(enumerate(past))):
            meeting.refresh_from_db(fields=["status"])
            _past_meeting(meeting, organiser, index, minute_taker, now, rng)
        _carried_over_reviewed(forum, organiser)
        if forum.has_schedule:
            _a_contact_comments_through_their_link(forum, now)
        upcoming = list(
            forum.meetings.filter(start__gte=now, status=MeetingStatus.SCHEDULED).order_by("start")
        )
        # An ad hoc review is called at short notice: its agenda is still to be written, so the
        # partnership manager's "meetings without an agenda" queue has it.
        for meeting in upcoming[:2] if forum.has_schedule else []:
            _upcoming_meeting(meeting, organiser)
        if forum.kind.code == "marac" and len(upcoming) > 4:
            _one_moved_and_one_cancelled(forum, upcoming, organiser)
            _a_deputy_sent(upcoming[0])
        if forum.kind.code == "marac":
            _case_discussed(forum, organiser)
    _calendar_feeds()


def _contacts_take_seats(forum, organiser, now) -> None:
    """Agencies without a named member are represented by their single point of contact from
    the directory, who has no Partnerhub account: named on the seats of the latest meeting held
    and the next three, a fortnight before each. Contacts answer the upcoming ones through the
    link in their invitation: one accepts, one declines, one sends a colleague."""
    held = forum.meetings.filter(start__lt=now).exclude(status=MeetingStatus.CANCELLED)
    upcoming = forum.meetings.filter(start__gte=now, status=MeetingStatus.SCHEDULED)
    meetings = [*held.order_by("-start")[:1], *upcoming.order_by("start")[:3]]
    for meeting in meetings:
        for seat in meeting.attendances.filter(person=None, contact=None).select_related("agency"):
            contact = services.default_contact(seat.agency)
            if contact is None or contact.user_id is not None:
                continue
            with clock_at(min(now, meeting.start - timedelta(days=14))):
                services.invite(meeting=meeting, agency=seat.agency, actor=organiser)
    answered = [
        attendance
        for meeting in meetings[1:]
        for attendance in meeting.attendances.filter(contact__isnull=False).order_by("pk")[:1]
    ]
    for position, attendance in enumerate(answered):
        if attendance.response != "invited":
            continue
        token = links.invitation_token(attendance)
        if position == 2:
            services.send_deputy_by_link(
                token=token,
                deputy_name="Sam Adeyemi",
                deputy_email=f"sam.adeyemi@{attendance.contact.email.split('@')[1]}",
            )
        else:
            response = "accepted" if position == 0 else "declined"
            services.answer_by_link(token=token, response=response)


def _a_contact_comments_through_their_link(forum, now) -> None:
    """A contact who attended the latest meeting comments on its circulated minutes through
    the link sent to them, the day after circulation."""
    meeting = (
        forum.meetings.filter(start__lt=now, attendances__contact__isnull=False)
        .distinct()
        .order_by("-start")
        .first()
    )
    minutes = services.current_minutes(meeting) if meeting else None
    if minutes is None or not minutes.takes_comments:
        return
    if minutes.comments.filter(contact__isnull=False).exists():
        return
    attendance = meeting.attendances.filter(contact__isnull=False).order_by("pk").first()
    with clock_at(min(now, minutes.circulated_at + timedelta(days=1))):
        services.comment_by_link(
            token=links.minutes_token(attendance, minutes),
            text="Our agency's update should say the new drop-in starts next month, not this "
            "month.",
        )


def _a_deputy_sent(meeting) -> None:
    """A partner who cannot attend sends a colleague, who is invited in their place."""
    attendance = (
        meeting.attendances.filter(person__email="partner@demo.partnerhub.test")
        .select_related("person")
        .first()
    )
    if attendance is None or attendance.deputy_name:
        return
    services.send_deputy(
        attendance=attendance,
        deputy_name="Jordan Okafor",
        deputy_email="jordan.okafor@refugee-action.example",
        actor=attendance.person,
    )


def _calendar_feeds() -> None:
    for person in User.objects.filter(email__endswith="@demo.partnerhub.test", is_active=True):
        if not CalendarFeed.objects.filter(user=person).exists():
            services.reset_calendar_feed(user=person, actor=person)


def _one_moved_and_one_cancelled(forum, upcoming, organiser) -> None:
    """Show how a series looks with one occurrence moved and another cancelled."""
    series = forum.meetings.filter(original_start__isnull=False)
    if not series.exclude(start=F("original_start")).exists():
        moved = upcoming[2]
        services.reschedule_meeting(
            meeting=moved,
            start=moved.start + timedelta(days=1),
            end=moved.end + timedelta(days=1),
            location=moved.location,
            online_url=moved.online_url,
            actor=organiser,
        )
    if not forum.meetings.filter(status=MeetingStatus.CANCELLED).exists():
        services.cancel_meeting(
            meeting=upcoming[3], reason="Room unavailable: training day", actor=organiser
        )


def _case_officer():
    """The officer of the demo case the MARAC discusses, when sharing's demo has made it."""
    case = Case.objects.filter(authority_reference=MARAC_CASE).first()
    return case.assigned_officers.order_by("pk").first() if case is not None else None


def _case_discussed(forum, organiser) -> None:
    """Two of the MARAC's held meetings list a demo case (the later one a repeat): the
    Authority first consents for every agency attending, then the case goes through the gate.
    The latest also hears a second case before the partner persona's agency joins, so its
    minutes have two case parts and that agency reads only Amina's. Meetings with an agency
    that has no current information sharing agreement are passed over, since the gate would
    rightly refuse them."""
    case = Case.objects.filter(authority_reference=MARAC_CASE).first()
    authority = User.objects.filter(email=AUTHORITY_USER).first()
    officer = _case_officer()
    if officer is None or authority is None:
        return
    if forum.meetings.filter(agenda_items__case=case).exists():
        return
    agreed = set(
        Agency.objects.with_current_information_sharing_agreement().values_list("pk", flat=True)
    )
    candidates = []
    for meeting in forum.meetings.filter(status=MeetingStatus.HELD).order_by("-start"):
        agencies = selectors.attending_agencies(
            meeting.attendances.select_related("agency"), besides=officer.agency_id
        )
        if agencies and all(agency.pk in agreed for agency in agencies):
            candidates.append((meeting, agencies))
    if not candidates:
        return
    now = timezone.now()
    for number, (meeting, agencies) in enumerate(candidates[:2]):
        heard_first = []
        # Listed ten days ahead, and the case list circulated on its day, as the timer sends it;
        # at the latest meeting the case is listed once the partner's agency has arrived.
        listing = min(meeting.start - timedelta(days=10), now)
        if number == 0:
            heard_first = _heard_before_the_partner_came(meeting, officer, authority, organiser)
            agencies = selectors.attending_agencies(
                meeting.attendances.select_related("agency"), besides=officer.agency_id
            )
            listing = now
        with clock_at(listing):
            item = _list_case(meeting, case, MARAC_SUMMARY, agencies, officer, authority)
        if listing < meeting.start:
            with clock_at(local_datetime(circulation_day(meeting), time(6, 30))):
                circulate_case_list(meeting)
        for attendance in meeting.attendances.filter(outcome=Outcome.ATTENDED).exclude(
            person__isnull=True
        ):
            services.affirm_confidentiality(meeting=meeting, actor=attendance.person)
        # The later hearing, a repeat, allocates the IDVA; the earlier one had none. Its outcome
        # is recorded when its case was listed, under the consent given then.
        with clock_at(max(listing, min(meeting.end, now))):
            _heard(item, officer, agencies, with_idva=number == 0)
        if number == 0:
            _minutes_record_the_cases(meeting, officer, [item, *heard_first])


POLICE = "Greater Manchester Police Public Protection"
IDVA_SERVICE = "Refugee Action Network"
# Each case heard gets an action plan, every action owned by an agency that heard the case
# (the named one if it attended, else the next agency attending).
ACTION_PLAN = [
    (POLICE, "Flag the address for an urgent response and review bail conditions"),
    ("Manchester University NHS Foundation Trust", "Alert her GP and midwife to the risk"),
    (NORTHGATE, "Fit additional locks and a door alarm at the new address"),
]


def _heard(item, officer, agencies, *, with_idva: bool) -> None:
    """The outcome of the case heard, its IDVA allocation and an action plan with an owning
    agency for each action, given by the officer who listed it."""
    attending = {agency.name: agency for agency in agencies}
    referrer = attending.get(POLICE, agencies[0])
    idva = Agency.objects.filter(name=IDVA_SERVICE).first() if with_idva else None
    services.record_hearing(
        item=item,
        outcome=HearingOutcome.ACTION_PLAN_AGREED,
        referring_agency=referrer,
        idva_allocated=idva is not None,
        idva_agency=idva,
        idva_name="Pat Partner" if idva is not None else "",
        notes="Risk remains high while the former partner knows the area. Safety plan agreed.",
        actor=officer,
    )
    for position, (agency_name, description) in enumerate(ACTION_PLAN):
        owner = attending.get(agency_name) or agencies[position % len(agencies)]
        services.create_action(
            meeting=item.meeting,
            agenda_item=item,
            description=description,
            owner_agency=owner,
            due_on=timezone.localdate(item.meeting.start) + timedelta(days=14 * (position + 1)),
            actor=officer,
        )


def _list_case(meeting, case, summary, agencies, officer, authority):
    now = timezone.now()
    grant_consent(
        case=case,
        recipients=agencies,
        purposes=[Purpose.RISK_ASSESSMENT],
        categories=MARAC_CATEGORIES,
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=180),
        actor=authority,
    )
    return services.add_case_item(
        meeting=meeting,
        case=case,
        title="high-risk domestic abuse",
        categories=MARAC_CATEGORIES,
        purpose=Purpose.RISK_ASSESSMENT,
        content=summary,
        record_of_decision=DecisionRecord(
            necessity="She is at high risk of serious harm; the MARAC agencies need to "
            "know to agree a safety plan.",
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            special_category_condition="sch1_para18",
            person_told=PersonTold.TOLD,
        ),
        actor=officer,
    )


def _heard_before_the_partner_came(meeting, officer, authority, organiser) -> list:
    """The IDVA service (the partner persona's agency) came for Amina's case only: Sara's case
    is heard first, through the gate to the agencies in the room, and then the partner's
    arrival is recorded, so Amina's case, heard next, reaches their agency too."""
    case = Case.objects.filter(authority_reference=SECOND_MARAC_CASE).first()
    partner = User.objects.filter(email=PARTNER).first()
    if case is None or partner is None or not permissions.may_add_case_item(officer, meeting, case):
        return []
    seat = meeting.attendances.filter(person=partner).exclude(outcome=Outcome.ATTENDED).first()
    agreed = Agency.objects.with_current_information_sharing_agreement()
    if seat is None or not agreed.filter(pk=partner.agency_id).exists():
        return []
    agencies = selectors.attending_agencies(
        meeting.attendances.select_related("agency"), besides=officer.agency_id
    )
    item = _list_case(meeting, case, SECOND_MARAC_SUMMARY, agencies, officer, authority)
    services.record_attendance(
        meeting=meeting,
        entries=[(seat, Outcome.ATTENDED, seat.deputy_name, False)],
        actor=organiser,
    )
    return [item]


def _minutes_record_the_cases(meeting, officer, items) -> None:
    """The minutes, written before the cases were listed, record their discussion: a part per
    case, each released through the gate to the agencies given that case, and approved."""
    if not permissions.may_circulate_minutes(officer, meeting):
        return
    parts = dict(
        zip(
            [item.pk for item in items],
            [MINUTES_OF_THE_CASE, MINUTES_OF_THE_SECOND_CASE],
            strict=False,
        )
    )
    current = services.current_minutes(meeting)
    if current is not None and current.is_locked:
        minutes = services.correct_minutes(
            meeting=meeting,
            body=MINUTES,
            case_parts=parts,
            reason="To record the discussion of the cases listed at the meeting",
            actor=officer,
        )
    else:
        minutes = services.write_minutes(
            meeting=meeting, body=MINUTES, case_parts=parts, actor=officer
        )
    minutes = services.circulate_minutes(minutes=minutes, actor=officer)
    for comment in minutes.comments.filter(resolved_at__isnull=True):
        services.resolve_minutes_comment(
            comment=comment, resolution="Answered in the revised minutes.", actor=officer
        )
    services.approve_minutes(minutes=minutes, actor=officer)
