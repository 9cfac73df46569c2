"""Reads for the meetings pages, each a fixed number of queries whatever the data size."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, FloatField, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast, NullIf, TruncMonth, TruncQuarter
from django.utils import timezone

from agencies.models import Contact
from meetings import permissions
from meetings.calendars import feeds
from meetings.calendars.invitations import invitation_attendances
from meetings.calendars.schedule import LONDON
from meetings.models import (
    OPEN_STATUSES,
    Action,
    ActionQuerySet,
    ActionUpdate,
    AgendaItem,
    Attendance,
    CalendarFeed,
    CalendarMessage,
    DeliveryStatus,
    Forum,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesCasePart,
    MinutesStatus,
    Outcome,
    Paper,
    Response,
)
from sharing.models import Case
from sharing.selectors import disclosures_from, recipients_by_source

PAGE_MEETINGS = 10
PAGE_ACTIONS = 50
# How far ahead "your meetings" looks on the home page and in the upcoming list.
UPCOMING_MEETING_DAYS = 30


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min).replace(tzinfo=LONDON)


# Forums -------------------------------------------------------------------------------------


def forums_for_list(user) -> QuerySet[Forum]:
    """Every forum the person sees, with only what the list shows of it (the list is not paged,
    and whole rows of each forum's kind, area and coordinating agency were three hundred of
    each)."""
    return (
        permissions.visible_forums(user)
        .select_related("kind", "region", "local_authority", "coordinating_agency")
        .only(
            "name",
            "is_active",
            "kind__name",
            "region__name",
            "local_authority__name",
            "coordinating_agency__name",
        )
        .annotate(
            upcoming=Count(
                "meetings",
                filter=Q(
                    meetings__start__gte=timezone.now(),
                    meetings__status=MeetingStatus.SCHEDULED,
                ),
            )
        )
        .order_by("-is_active", "name")
    )


@dataclass
class ForumPage:
    forum: Forum
    member_agencies: list
    quorum_agency_ids: set
    members: list
    upcoming: list
    past: list
    open_actions: list
    overdue_count: int
    attendance: list


def forum_page(*, forum: Forum, user) -> ForumPage:
    now = timezone.now()
    meetings = permissions.visible_meetings(user).filter(forum=forum)
    actions = (
        permissions.visible_actions(user)
        .filter(meeting__forum=forum)
        .still_open()
        .select_related("owner", "owner_agency", "meeting", "agenda_item")
    )
    return ForumPage(
        forum=forum,
        member_agencies=list(forum.member_agencies.order_by("name")),
        quorum_agency_ids=set(forum.quorum_agencies.values_list("pk", flat=True)),
        members=list(forum.members.select_related("agency").order_by("full_name")),
        upcoming=list(meetings.filter(start__gte=now).order_by("start")[:PAGE_MEETINGS]),
        past=list(meetings.filter(start__lt=now).order_by("-start")[:PAGE_MEETINGS]),
        open_actions=mark_restricted_actions(
            user, list(actions.order_by("due_on", "pk")[:PAGE_ACTIONS])
        ),
        overdue_count=actions.overdue().count(),
        attendance=(
            attendance_rates(forum=forum, since=timezone.localdate() - timedelta(days=365))
            if permissions.sees_every_forum(user)
            else []
        ),
    )


def overdue_actions(*, forum: Forum, user, today: date | None = None) -> list[Action]:
    return mark_restricted_actions(
        user,
        list(
            permissions.visible_actions(user)
            .filter(meeting__forum=forum)
            .overdue(today)
            .select_related("owner", "owner_agency", "meeting", "agenda_item")
            .order_by("due_on", "pk")
        ),
    )


def forums_for_agency(agency, *, user) -> QuerySet[Forum]:
    """The active forums an agency is a member of that this person may see, for its
    directory page."""
    return (
        permissions.visible_forums(user)
        .filter(is_active=True, member_agencies=agency)
        .select_related("kind", "region", "local_authority")
        .order_by("name")
    )


# Attendance rates ---------------------------------------------------------------------------


def attendance_rates(
    *, forum: Forum | None = None, agency=None, since: date | None = None, by: str = "quarter"
) -> list[dict]:
    """Per agency and period: invitations recorded, attended, apologies, absent, and the rate
    attended out of recorded, all counted in SQL over meetings that have been held."""
    truncate = TruncQuarter if by == "quarter" else TruncMonth
    rows = Attendance.objects.exclude(outcome="").filter(meeting__status=MeetingStatus.HELD)
    if forum is not None:
        rows = rows.filter(meeting__forum=forum)
    if agency is not None:
        rows = rows.filter(agency=agency)
    if since is not None:
        rows = rows.filter(meeting__start__gte=_start_of(since))
    return list(
        rows.annotate(period=truncate("meeting__start", tzinfo=LONDON))
        .values("period", "agency_id", "agency__name")
        .annotate(
            recorded=Count("pk"),
            attended=Count("pk", filter=Q(outcome=Outcome.ATTENDED)),
            apologies=Count("pk", filter=Q(outcome=Outcome.APOLOGIES)),
            absent=Count("pk", filter=Q(outcome=Outcome.ABSENT)),
            information_in_advance=Count("pk", filter=Q(sent_information_in_advance=True)),
        )
        .annotate(
            rate=Cast(F("attended"), FloatField())
            * 100.0
            / NullIf(Cast(F("recorded"), FloatField()), 0.0)
        )
        .order_by("agency__name", "period")
    )


def attendance_summary_for_agency(
    agency, *, forums: QuerySet[Forum], since: date | None = None
) -> list[dict]:
    """Per forum (among `forums`) and quarter, how the agency was represented over the last
    year."""
    since = since or timezone.localdate() - timedelta(days=365)
    return list(
        Attendance.objects.filter(
            agency=agency,
            meeting__forum__in=forums,
            meeting__status=MeetingStatus.HELD,
            meeting__start__gte=_start_of(since),
        )
        .exclude(outcome="")
        .annotate(period=TruncQuarter("meeting__start", tzinfo=LONDON))
        .values("period", "meeting__forum_id", "meeting__forum__name")
        .annotate(
            recorded=Count("pk"),
            attended=Count("pk", filter=Q(outcome=Outcome.ATTENDED)),
            apologies=Count("pk", filter=Q(outcome=Outcome.APOLOGIES)),
            absent=Count("pk", filter=Q(outcome=Outcome.ABSENT)),
        )
        .annotate(
            rate=Cast(F("attended"), FloatField())
            * 100.0
            / NullIf(Cast(F("recorded"), FloatField()), 0.0)
        )
        .order_by("meeting__forum__name", "period")
    )


# Meetings -----------------------------------------------------------------------------------


def attending_agencies(attendances, *, besides) -> list:
    """The agencies a case item at this meeting is disclosed to: every agency with an
    invitation it has not turned down, except `besides` (the safeguarding team's own agency).

    An agency whose every invitation was declined, or recorded afterwards as apologies or
    absent, is not there to hear the case; if it comes after all, the case is shared with it
    then, through the same gate. A recorded outcome outweighs the earlier response.
    """
    agencies = {}
    for attendance in attendances:
        if attendance.agency_id == besides:
            continue
        if attendance.outcome:
            present = attendance.outcome == Outcome.ATTENDED
        else:
            present = attendance.response != Response.DECLINED
        if present:
            agencies[attendance.agency_id] = attendance.agency
    return sorted(agencies.values(), key=lambda agency: agency.name)


def repeat_case_ids(meeting: Meeting, case_ids) -> set[int]:
    """Cases listed at this forum in the 12 months before this meeting: repeats, as a MARAC
    counts them."""
    if not case_ids:
        return set()
    return set(
        AgendaItem.objects.filter(
            case_id__in=case_ids,
            meeting__forum_id=meeting.forum_id,
            meeting__start__lt=meeting.start,
            meeting__start__gte=meeting.start - relativedelta(months=12),
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .values_list("case_id", flat=True)
    )


def agencies_not_yet_covered(item: AgendaItem, *, besides) -> list:
    """Agencies attending now that a case item was never disclosed to: invited after it was
    listed, or coming after all."""
    given = set(disclosures_from(AgendaItem, [item.pk]).values_list("recipient_id", flat=True))
    attending = attending_agencies(
        item.meeting.attendances.select_related("agency"), besides=besides
    )
    return [agency for agency in attending if agency.pk not in given]


@dataclass(frozen=True)
class Quorum:
    """Whether a meeting had someone from each agency its forum needs. Known only once its
    attendance is recorded (the meeting is held)."""

    needed: list
    missing: list
    recorded: bool

    @property
    def is_quorate(self) -> bool:
        return self.recorded and not self.missing


def quorum_of(meeting: Meeting, attendances) -> Quorum | None:
    """From the attendance already read for the page: one query, for the agencies needed."""
    needed = list(meeting.forum.quorum_agencies.order_by("name"))
    if not needed:
        return None
    came = {seat.agency_id for seat in attendances if seat.outcome == Outcome.ATTENDED}
    return Quorum(
        needed=needed,
        missing=[agency for agency in needed if agency.pk not in came],
        recorded=meeting.status == MeetingStatus.HELD,
    )


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list
    attendances: list
    my_attendance: Attendance | None
    minutes: list
    actions: list
    carried_over: list
    affirmed_people: set = field(default_factory=set)
    affirmed: bool = False
    may_list_cases: bool = False
    minutes_shown: bool = True
    minutes_written: bool = False
    may_keep_minutes: bool = False
    may_circulate_minutes: bool = False
    has_case_items: bool = False
    quorum: Quorum | None = None
    minutes_comments: list = field(default_factory=list)
    is_marac: bool = False
    case_list_circulations: list = field(default_factory=list)
    # Case parts this person is not shown, on the versions they read: counted, never named.
    case_parts_withheld: int = 0

    @property
    def is_confidential(self) -> bool:
        """Its attendees affirm the confidentiality statement: a meeting of a forum that
        discusses cases, and one that had case items even if its forum has stopped."""
        return self.meeting.forum.discusses_cases or self.has_case_items


def _mark_case_items(page: MeetingPage, user) -> None:
    """Whether each case item's details are shown to this person, whether it is a repeat, and
    for those who list cases, which attending agencies it has not been shared with yet: a
    fixed number of queries whatever the number of items."""
    case_items = [item for item in page.agenda if item.case_id is not None]
    shown = permissions.case_items_shown(user, case_items)
    repeats = repeat_case_ids(
        page.meeting, {item.case_id for item in case_items if item.pk in shown}
    )
    pending = {}
    if page.may_list_cases and case_items:
        cases = Case.objects.filter(pk__in={item.case_id for item in case_items})
        cases = cases.prefetch_related("assigned_officers").in_bulk()
        for item in case_items:
            item.case = cases[item.case_id]
        changeable = {
            item.case_id for item in case_items if permissions.may_work_on_case_item(user, item)
        }
        given = recipients_by_source(AgendaItem, [item.pk for item in case_items])
        attending = attending_agencies(page.attendances, besides=user.agency_id)
        for item in case_items:
            if item.case_id in changeable:
                pending[item.pk] = [
                    agency for agency in attending if agency.pk not in given[item.pk]
                ]
    for item in case_items:
        item.details_shown = item.pk in shown
        item.is_repeat = item.case_id in repeats
        item.may_work_on = item.pk in pending
        item.may_share = item.may_work_on
        item.agencies_not_covered = pending.get(item.pk, [])


def meeting_page(*, meeting: Meeting, user) -> MeetingPage:
    attendances = list(
        meeting.attendances.select_related("agency", "person", "contact").order_by(
            "agency__name", "person__full_name"
        )
    )
    agenda = list(
        meeting.agenda_items.select_related(
            "presenter",
            "presenter__agency",
            "hearing",
            "hearing__referring_agency",
            "hearing__idva_agency",
        )
        .prefetch_related(Prefetch("papers", queryset=Paper.objects.order_by("uploaded_at")))
        .order_by("position", "pk")
    )
    actions = list(
        meeting.actions.select_related("owner", "owner_agency", "agenda_item").order_by(
            "due_on", "pk"
        )
    )
    carried_over = list(
        (carried_over_actions(meeting) & permissions.visible_actions(user))
        .select_related("owner", "owner_agency", "meeting", "agenda_item")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ActionUpdate.objects.filter(reviewed_at=meeting)
                .select_related("created_by")
                .order_by("created_at", "pk"),
                to_attr="reviews_here",
            )
        )
    )
    minutes = permissions.minutes_of(user, meeting)
    page = MeetingPage(
        meeting=meeting,
        agenda=agenda,
        attendances=attendances,
        my_attendance=next((a for a in attendances if a.person_id == user.pk), None),
        minutes=list(
            minutes.versions.select_related("created_by", "circulated_by", "approved_by").order_by(
                "-version"
            )
        ),
        actions=actions,
        carried_over=carried_over,
        may_list_cases=meeting.forum.discusses_cases and permissions.may_list_cases(user),
        has_case_items=any(item.case_id is not None for item in agenda),
        quorum=quorum_of(meeting, attendances),
    )
    if page.is_confidential:
        page.affirmed_people = set(meeting.affirmations.values_list("person_id", flat=True))
        page.affirmed = user.pk in page.affirmed_people
        _mark_case_items(page, user)
    page.minutes_shown = minutes.readable
    page.may_keep_minutes = minutes.kept
    page.may_circulate_minutes = minutes.circulated
    page.minutes_written = bool(page.minutes) or meeting.minutes_versions.exists()
    page.case_parts_withheld = _attach_case_parts(page.minutes, user)
    if page.minutes and page.minutes_shown:
        page.minutes_comments = list(
            permissions.minutes_comments_readable_by(user)
            .filter(minutes=page.minutes[0])
            .select_related("author", "contact", "resolved_by")
            .order_by("written_at", "pk")
        )
    mark_restricted_actions(user, page.actions + page.carried_over)
    if meeting.forum.is_marac:
        _mark_hearings(page)
    return page


def _mark_hearings(page: MeetingPage) -> None:
    """At a MARAC, each case item's recorded outcome, its action plan (the actions given on
    it), and who may record the outcome; and when the case list went to which agency. The
    template shows a case item's outcome and plan only where its details are shown."""
    meeting = page.meeting
    page.is_marac = True
    page.case_list_circulations = list(
        meeting.case_list_circulations.select_related("agency").order_by("sent_at", "agency__name")
    )
    plans = {}
    for action in page.actions:
        plans.setdefault(action.agenda_item_id, []).append(action)
    recordable = meeting.status != MeetingStatus.CANCELLED and meeting.has_started()
    for item in page.agenda:
        if item.case_id is None:
            continue
        item.recorded_hearing = getattr(item, "hearing", None)
        item.action_plan = plans.get(item.pk, [])
        item.may_record_hearing = recordable and item.details_shown and item.may_work_on


def _attach_case_parts(versions: list[Minutes], user) -> int:
    """Give each version the case parts this person reads (`shown_case_parts`), in agenda
    order, each with its agenda item and case: two queries whatever the number of versions
    or parts. Returns how many parts of the current version are withheld from them."""
    for version in versions:
        version.shown_case_parts = []
    if not versions:
        return 0
    by_version = {version.pk: version for version in versions}
    parts = list(
        MinutesCasePart.objects.filter(minutes__in=list(by_version))
        .select_related("agenda_item__case")
        .order_by("agenda_item__position", "agenda_item_id")
    )
    shown = permissions.case_parts_shown(user, parts)
    for part in parts:
        if part.pk in shown:
            by_version[part.minutes_id].shown_case_parts.append(part)
    return sum(1 for part in parts if part.minutes_id == versions[0].pk and part.pk not in shown)


def carried_over_actions(meeting: Meeting) -> ActionQuerySet:
    """Actions from the forum's earlier meetings still open, reviewed first at this one, and
    those reviewed at it (closed there, or since), so its record of the review stays whole."""
    reviewed_here = ActionUpdate.objects.filter(action=OuterRef("pk"), reviewed_at=meeting)
    return (
        Action.objects.filter(meeting__forum_id=meeting.forum_id, meeting__start__lt=meeting.start)
        .filter(Q(status__in=OPEN_STATUSES) | Q(Exists(reviewed_here)))
        .order_by("due_on", "pk")
    )


def mark_restricted_actions(user, actions: list[Action]) -> list[Action]:
    """Mark the actions whose description this person may not read (`details_restricted`)."""
    restricted = permissions.actions_restricted(user, actions)
    for action in actions:
        action.details_restricted = action.pk in restricted
    return actions


# My meetings and actions --------------------------------------------------------------------


def _my_meetings_from(user, start: date, end: date) -> QuerySet[Meeting]:
    """The person's meetings (invited, or as every meeting for those who see all) in a range
    of local dates, inclusive, soonest first."""
    if permissions.sees_every_meeting(user):
        # Asked as two questions of each meeting, not by joining its invitations and its
        # forum's members: the joins made a row for every pair of them, 47,000 for a month of
        # meetings, to be sorted back to one a meeting.
        invited = Attendance.objects.filter(meeting=OuterRef("pk"), person=user)
        belongs = forums_belonging_to(user).values("pk")
        meetings = Meeting.objects.filter(Q(Exists(invited)) | Q(forum_id__in=belongs))
    else:
        meetings = permissions.visible_meetings(user)
    return (
        meetings.filter(start__gte=_start_of(start), start__lt=_start_of(end + timedelta(days=1)))
        .select_related("forum")
        .order_by("start", "pk")
    )


def my_meetings_between(user, start: date, end: date) -> list[Meeting]:
    return list(_my_meetings_from(user, start, end))


def my_upcoming_meetings(user) -> QuerySet[Meeting]:
    """The person's meetings from today to `UPCOMING_MEETING_DAYS` ahead: what the home page
    counts and the list it opens shows."""
    today = timezone.localdate()
    return _my_meetings_from(user, today, today + timedelta(days=UPCOMING_MEETING_DAYS))


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    meetings: list


def _by_local_day(meetings: list[Meeting]) -> dict[date, list[Meeting]]:
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start, LONDON).date(), []).append(meeting)
    return by_day


def my_month(user, year: int, month: int) -> list[list[CalendarDay]]:
    """The month as weeks of days, Monday first, each day with the person's meetings."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    by_day = _by_local_day(my_meetings_between(user, weeks[0][0], weeks[-1][-1]))
    return [
        [CalendarDay(day, day.month == month, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


def my_week(user, monday: date) -> list[CalendarDay]:
    days = [monday + timedelta(days=n) for n in range(7)]
    by_day = _by_local_day(my_meetings_between(user, days[0], days[-1]))
    return [CalendarDay(day, True, by_day.get(day, [])) for day in days]


def _my_actions(user) -> ActionQuerySet:
    return Action.objects.filter(permissions.owned_by(user)).select_related(
        "owner", "owner_agency", "meeting", "meeting__forum", "agenda_item"
    )


def my_open_actions(user) -> ActionQuerySet:
    """The person's open actions, soonest due first: the "My actions" queue and its card."""
    return _my_actions(user).still_open().order_by("due_on", "pk")


def my_closed_actions(user) -> list[Action]:
    """The person's most recently closed actions."""
    closed = _my_actions(user).exclude(status__in=OPEN_STATUSES).order_by("-closed_at")
    return mark_restricted_actions(user, list(closed[:PAGE_ACTIONS]))


# Work queues: what waits for those who manage forums and meetings, and for a partner agency --

# A meeting this close with no agenda yet needs one before its papers go out.
AGENDA_NOTICE_DAYS = 10


def minutes_awaiting(user) -> QuerySet[Minutes]:
    """The latest version of each meeting's minutes still to be circulated (a draft) or
    approved (circulated), among the minutes this person keeps as a manager of meetings;
    oldest meeting first."""
    if not permissions.may_manage_meetings(user):
        return Minutes.objects.none()
    newer = Minutes.objects.filter(meeting=OuterRef("meeting"), version__gt=OuterRef("version"))
    return (
        permissions.minutes_versions_kept_by(user)
        .filter(status__in=[MinutesStatus.DRAFT, MinutesStatus.CIRCULATED])
        .filter(~Exists(newer))
        .select_related("meeting", "meeting__forum")
        .order_by("meeting__start", "pk")
    )


def overdue_actions_across_forums(user) -> ActionQuerySet:
    """Open actions past their due date at every forum's meetings, for those who manage
    meetings; longest overdue first. Mark the page's rows with `mark_restricted_actions`."""
    if not permissions.may_manage_meetings(user):
        return Action.objects.none()
    return (
        permissions.visible_actions(user)
        .overdue()
        .select_related("owner", "owner_agency", "meeting", "meeting__forum", "agenda_item")
        .order_by("due_on", "pk")
    )


def meetings_without_agenda(user) -> QuerySet[Meeting]:
    """Scheduled meetings starting within the notice period that have no agenda item yet,
    soonest first, for those who manage meetings."""
    if not permissions.may_manage_meetings(user):
        return Meeting.objects.none()
    now = timezone.now()
    return (
        permissions.visible_meetings(user)
        .filter(
            status=MeetingStatus.SCHEDULED,
            start__gte=now,
            start__lt=now + timedelta(days=AGENDA_NOTICE_DAYS),
        )
        .filter(~Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"))))
        .select_related("forum")
        .order_by("start", "pk")
    )


def open_actions_of_my_agency(user) -> ActionQuerySet:
    """Open actions given to the person's agency (whoever in it holds them) that they may know
    of, soonest due first. Mark the page's rows with `mark_restricted_actions`."""
    if user.agency_id is None:
        return Action.objects.none()
    return (
        permissions.visible_actions(user)
        .filter(owner_agency_id=user.agency_id)
        .still_open()
        .select_related("owner", "owner_agency", "meeting", "meeting__forum", "agenda_item")
        .order_by("due_on", "pk")
    )


# Calendars ----------------------------------------------------------------------------------


def for_calendar(meetings: QuerySet[Meeting]) -> list[Meeting]:
    """Meetings with exactly what a calendar reads, in a fixed number of queries."""
    return list(
        meetings.select_related("forum")
        .prefetch_related(
            invitation_attendances(), "forum__members", "forum__member_agencies__contacts"
        )
        .order_by("start")
    )


def meeting_for_calendar(meeting: Meeting) -> Meeting:
    return for_calendar(Meeting.objects.filter(pk=meeting.pk))[0]


def forums_belonging_to(user) -> QuerySet[Forum]:
    """The forums a person belongs to: as a named member, or as its chair, who is sent the
    whole series whether or not they are also listed as a member."""
    return Forum.objects.filter(Q(members=user) | Q(chair=user))


def member_forum_ids(user) -> set[int]:
    return set(forums_belonging_to(user).values_list("pk", flat=True))


def personal_feed_meetings(user, *, now: datetime) -> tuple[QuerySet[Meeting], set[int]]:
    """The meetings of a person's feed (invited, sent as a deputy, or of a forum they belong
    to) from three months back to a year ahead, and the forums they belong to. A queryset, so
    the feed can ask first whether anything changed (`calendar_inputs`), then load them
    (`for_calendar`) only when it did."""
    forums = member_forum_ids(user)
    invited = Attendance.objects.filter(meeting=OuterRef("pk")).filter(
        Q(person=user) | Q(deputy_person=user)
    )
    meetings = Meeting.objects.filter(
        start__gte=now - feeds.FEED_PAST, start__lt=now + feeds.FEED_AHEAD
    ).filter(Q(forum_id__in=forums) | Q(Exists(invited)))
    return meetings, forums


def forum_feed_meetings(forum: Forum, *, now: datetime) -> QuerySet[Meeting]:
    return forum.meetings.filter(start__gte=now - feeds.FEED_PAST, start__lt=now + feeds.FEED_AHEAD)


def _stored_fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_PERSON = ("full_name", "email", "is_active", "agency_id")


def calendar_inputs(meetings: QuerySet[Meeting]) -> feeds.CalendarInputs:
    """Every stored value a published calendar of these meetings is built from, read as plain
    rows: the meetings, their forums and chairs, the forums' members and member agencies with
    those agencies' contacts, and every invitation with the person, contact or deputy it names.

    Their digest is the feed's validator, so a calendar client asking whether its copy is
    still current is answered without building a single event (a busy person's feed took as
    long to answer "not modified" as to send). Six queries, however many meetings.
    """
    meeting_rows = list(meetings.order_by("pk").values(*_stored_fields(Meeting)))
    forum_ids = sorted({row["forum_id"] for row in meeting_rows})
    chair = [f"chair__{name}" for name in _PERSON]
    forum_rows = list(
        Forum.objects.filter(pk__in=forum_ids).order_by("pk").values(*_stored_fields(Forum), *chair)
    )
    members = list(
        Forum.members.through.objects.filter(forum_id__in=forum_ids)
        .order_by("pk")
        .values_list("forum_id", "user_id", *(f"user__{name}" for name in _PERSON))
    )
    seats = list(
        Forum.member_agencies.through.objects.filter(forum_id__in=forum_ids)
        .order_by("pk")
        .values_list("forum_id", "agency_id")
    )
    contacts = list(
        Contact.objects.filter(agency_id__in={agency for _, agency in seats})
        .order_by("pk")
        .values_list(*_stored_fields(Contact))
    )
    named = [f"{link}__{name}" for link in ("person", "deputy_person") for name in _PERSON] + [
        "contact__full_name",
        "contact__email",
        "contact__is_active",
        "agency__name",
    ]
    # By the meetings' own numbers, as read above, rather than by asking for the meetings again:
    # PostgreSQL then knows how few meetings there are, and reads their invitations by index
    # rather than every invitation there is.
    invitations = list(
        Attendance.objects.filter(meeting_id__in=[row["id"] for row in meeting_rows])
        .order_by("pk")
        .values_list(*_stored_fields(Attendance), *named)
    )
    changes = [row["updated_at"] for row in [*meeting_rows, *forum_rows]]
    updated_at = _stored_fields(Attendance).index("updated_at")
    changes.extend(row[updated_at] for row in invitations)
    return feeds.CalendarInputs(
        meetings=meeting_rows,
        forums=forum_rows,
        rows=[members, seats, contacts, invitations],
        last_changed=max(changes, default=None),
    )


def forum_calendar_meetings(forum: Forum, user) -> tuple[list[Meeting], bool]:
    """The forum's meetings this person may see, and whether they get the whole series."""
    whole = permissions.sees_every_meeting(user) or forum.members.filter(pk=user.pk).exists()
    return for_calendar(permissions.visible_meetings(user).filter(forum=forum)), whole


def my_calendar_token(user) -> tuple[str | None, bool]:
    """The secret of the person's subscription address, if it still works, and whether they
    hold one that a deactivation or a move to another agency has ended (so the page offers a
    new one instead of showing an address that answers 404)."""
    feed = CalendarFeed.objects.select_related("user").filter(user=user).first()
    if feed is None:
        return None, False
    if not feeds.is_live(feed):
        return None, True
    return feeds.token_for(feed), False


def my_calendar_forums(user) -> list[Forum]:
    return list(
        permissions.visible_forums(user)
        .filter(Q(members=user) | Q(meetings__attendances__person=user))
        .filter(is_active=True)
        .distinct()
        .order_by("name")
    )


@dataclass
class CalendarMessagesPage:
    undelivered: list
    recent: list
    undelivered_count: int


def calendar_messages_page(forum: Forum) -> CalendarMessagesPage:
    messages = CalendarMessage.objects.filter(forum=forum).select_related("meeting")
    undelivered = messages.exclude(status=DeliveryStatus.SENT)
    return CalendarMessagesPage(
        undelivered=list(undelivered.order_by("created_at", "pk")[:PAGE_ACTIONS]),
        recent=list(messages.filter(status=DeliveryStatus.SENT)[:PAGE_ACTIONS]),
        undelivered_count=undelivered.count(),
    )


def undelivered_count(forum: Forum) -> int:
    return CalendarMessage.objects.filter(forum=forum).exclude(status=DeliveryStatus.SENT).count()
