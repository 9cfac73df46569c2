"""The records a benchmark needs, found by query so they serve a database seeded earlier by
another process: a person in each role, the busy ones, and the case, forum, meeting, agency
and month that show a page at its heaviest."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from agencies.models import Agency, User
from core.roles import Role
from meetings.calendars import feeds
from meetings.models import Attendance, CalendarFeed, Forum, Meeting, MeetingStatus
from sharing.models import Case, CaseIndicator, CaseStatus, Disclosure


@dataclass(frozen=True)
class Landmarks:
    users: dict  # role value -> user id; the partnership manager is the busy person
    emails: dict  # role value -> that person's e-mail address
    busy_person: int
    busy_case: int
    ordinary_case: int
    big_forum: int
    meeting: int
    busy_agency: int
    report_month: date  # the last whole month, which the monthly report shows
    indicator: int  # the vulnerability most often current on cases, for the cases filter
    local_authority: int  # the local authority with most cases
    search_term: str  # the ordinary case's family name, for the name search
    calendar_token: str | None


def _busiest(role: str, ranking) -> User:
    people = User.objects.filter(groups__name=role, is_active=True)
    return people.annotate(weight=ranking).order_by("-weight", "pk").first()


def landmarks() -> Landmarks:
    busiest_recipient = (
        Disclosure.objects.values("recipient").annotate(count=Count("pk")).order_by("-count")
    )
    busy_agency = busiest_recipient.values_list("recipient", flat=True).first()
    rankings = {
        Role.SAFEGUARDING_OFFICER: Count("assigned_cases", distinct=True),
        Role.PARTNERSHIP_MANAGER: Count("forums", distinct=True),
        Role.PARTNER: Count("agency__disclosures_received", distinct=True),
    }
    people = {}
    for role in Role:
        person = _busiest(role.value, rankings.get(role, Count("groups")))
        if person is not None:
            people[role.value] = person
    busy_person = people[Role.PARTNERSHIP_MANAGER.value]
    busy_case = (
        (Disclosure.objects.values("case").annotate(count=Count("pk")).order_by("-count", "case"))
        .values_list("case", flat=True)
        .first()
    )
    ordinary_case = (
        Case.objects.filter(status=CaseStatus.OPEN)
        .filter(Exists(Disclosure.objects.filter(case=OuterRef("pk"))))
        .exclude(pk=busy_case)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    big_forum = (
        Forum.objects.annotate(size=Count("members"))
        .order_by("-size", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    meeting = (
        Meeting.objects.filter(forum=big_forum, status=MeetingStatus.HELD)
        .annotate(invited=Count("attendances"))
        .order_by("-start")
        .values_list("pk", flat=True)
        .first()
    )
    feed = CalendarFeed.objects.filter(user=busy_person).first()
    indicator = (
        CaseIndicator.objects.filter(ended_on__isnull=True)
        .values("indicator")
        .annotate(count=Count("pk"))
        .order_by("-count", "indicator")
        .values_list("indicator", flat=True)
        .first()
    )
    local_authority = (
        Case.objects.values("local_authority")
        .annotate(count=Count("pk"))
        .order_by("-count", "local_authority")
        .values_list("local_authority", flat=True)
        .first()
    )
    first_of_this_month = timezone.localdate().replace(day=1)
    return Landmarks(
        users={role: person.pk for role, person in people.items()},
        emails={role: person.email for role, person in people.items()},
        busy_person=busy_person.pk,
        busy_case=busy_case,
        ordinary_case=ordinary_case,
        big_forum=big_forum,
        meeting=meeting
        or Attendance.objects.order_by("meeting").values_list("meeting", flat=True).first(),
        busy_agency=busy_agency or Agency.objects.order_by("pk").values_list("pk", flat=True)[0],
        report_month=first_of_this_month - timedelta(days=1),
        calendar_token=feeds.token_for(feed) if feed else None,
        indicator=indicator,
        local_authority=local_authority,
        search_term=Case.objects.get(pk=ordinary_case).family_name,
    )
