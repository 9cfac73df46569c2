"""The demo has thirteen months of history before today's cases, laid down through the services
with the clock turned back, so the reports (monthly, consent compliance, partnership activity)
have months to compare: new cases, closures, consent decisions, releases, escalations,
referrals, meetings and actions, each when it happened and never after now."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audit.models import AuditEvent, Verb
from meetings.models import Action, Attendance, Meeting, MeetingStatus, Outcome
from sharing.models import (
    AppliesTo,
    Case,
    CaseIndicator,
    ClosureReason,
    ConcernSource,
    ConsentRequest,
    ConsentRequestStatus,
    Disclosure,
    Escalation,
    EscalationDecision,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]

HISTORY = Q(authority_reference__startswith="HIST-")


def _full_months_before_this_one(count: int) -> list[date]:
    firsts, first = [], timezone.localdate().replace(day=1)
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        firsts.append(first)
    return firsts


def _month(day) -> date:
    return day.replace(day=1)


def _new_cases_by_month() -> Counter:
    return Counter(
        _month(day) for day in Case.objects.values_list("concern_received_on", flat=True)
    )


def test_each_of_the_last_thirteen_months_has_new_cases_and_the_counts_change():
    months = _full_months_before_this_one(13)
    counts = _new_cases_by_month()
    assert all(counts[month] > 0 for month in months), counts
    assert any(counts[month] != counts[before] for before, month in pairwise(reversed(months)))


def test_history_cases_are_created_and_recorded_in_their_month_and_nothing_after_now():
    now = timezone.now()
    history = Case.objects.filter(HISTORY)
    assert history.count() >= 13 * 6
    for case in history:
        created = timezone.localtime(case.created_at).date()
        assert case.concern_received_on <= created <= case.concern_received_on + timedelta(days=1)
    created = AuditEvent.objects.filter(
        verb=Verb.CREATED, object_type="sharing.case", object_id__in=[str(c.pk) for c in history]
    )
    assert created.count() == history.count()
    assert {_month(timezone.localtime(e.occurred_at).date()) for e in created} >= set(
        _full_months_before_this_one(13)
    )
    assert not AuditEvent.objects.filter(occurred_at__gt=timezone.now()).exists()
    assert not Escalation.objects.filter(raised_at__gt=now).exists()
    assert not Disclosure.objects.filter(disclosed_at__gt=now).exists()


def test_history_cases_are_spread_across_places_households_support_and_sources():
    history = Case.objects.filter(HISTORY)
    regions = set(history.values_list("local_authority__region__name", flat=True))
    assert regions == {"North West", "West Midlands", "East Midlands", "East of England"}
    households = Counter(history.values_list("household_type", flat=True))
    assert 0.45 <= households["single"] / history.count() <= 0.75
    assert not history.filter(household_type="family", household_members__isnull=True).exists()
    for case in history.filter(household_type="single"):
        assert not case.is_child, case
    assert set(history.values_list("support_type", flat=True)) == {"s95", "s4", "s98"}
    assert len(set(history.values_list("accommodation_type", flat=True))) >= 4
    assert set(history.values_list("risk_level", flat=True)) == {"low", "medium", "high"}
    assert set(history.values_list("concern_source", flat=True)) == set(
        ConcernSource.objects.filter(is_active=True).values_list("pk", flat=True)
    )


def test_history_indicators_suit_the_persons_age_and_some_have_ended():
    indicators = CaseIndicator.objects.filter(case__authority_reference__startswith="HIST-")
    per_case = Counter(indicators.values_list("case_id", flat=True))
    assert set(per_case.values()) <= {1, 2, 3, 4}
    assert len(per_case) == Case.objects.filter(HISTORY).count()
    for indicator in indicators.select_related("case", "indicator"):
        wrong = AppliesTo.ADULTS if indicator.case.is_child else AppliesTo.CHILDREN
        assert indicator.indicator.applies_to != wrong, indicator
    assert indicators.filter(ended_on__isnull=False).exists()


def test_cases_close_across_the_months_for_every_reason():
    closed = Case.objects.filter(HISTORY, status="closed")
    months = {
        _month(timezone.localtime(at).date()) for at in closed.values_list("closed_at", flat=True)
    }
    assert len(months) >= 6
    assert set(closed.values_list("closure_reason", flat=True)) == set(ClosureReason.values)
    older = Case.objects.filter(
        HISTORY, concern_received_on__lt=timezone.localdate() - timedelta(days=91)
    )
    assert 0.4 <= older.filter(status="closed").count() / older.count() <= 0.7


def test_consent_requests_are_decided_over_the_months_and_some_still_wait():
    requests = ConsentRequest.objects.filter(case__authority_reference__startswith="HIST-")
    this_month = timezone.localdate().replace(day=1)
    decided_in_past_months = Counter(
        request.status
        for request in requests.exclude(status=ConsentRequestStatus.PENDING)
        if timezone.localtime(request.decided_at).date() < this_month
    )
    assert decided_in_past_months[ConsentRequestStatus.GRANTED] > 0
    assert decided_in_past_months[ConsentRequestStatus.NARROWED] > 0
    assert decided_in_past_months[ConsentRequestStatus.REFUSED] > 0
    assert not requests.filter(status=ConsentRequestStatus.REFUSED, decision_reason="").exists()
    pending = requests.filter(status=ConsentRequestStatus.PENDING)
    assert pending.exists()
    assert not pending.filter(requested_at__lt=timezone.now() - timedelta(days=45)).exists()
    for request in requests.exclude(status=ConsentRequestStatus.PENDING):
        assert (
            request.requested_at < request.decided_at <= request.requested_at + timedelta(days=30)
        )


def test_releases_are_made_in_at_least_twelve_months_and_some_are_refused_by_the_gate():
    months = (
        Disclosure.objects.annotate(month=TruncMonth("disclosed_at"))
        .values("month")
        .annotate(count=Count("pk"))
    )
    assert len(months) >= 12
    refusals = AuditEvent.objects.filter(
        verb=Verb.DISCLOSURE_REFUSED, occurred_at__lt=timezone.now() - timedelta(days=31)
    )
    assert refusals.exists()
    assert all("recipient_id" in event.detail for event in refusals)


def test_escalations_are_raised_and_mostly_decided_in_every_way():
    escalations = Escalation.objects.filter(case__authority_reference__startswith="HIST-")
    decided = escalations.exclude(decision="")
    assert decided.count() >= escalations.count() / 2
    assert set(decided.values_list("decision", flat=True)) == set(EscalationDecision.values)
    for escalation in decided:
        assert escalation.raised_at < escalation.decided_at


def test_referrals_are_sent_acknowledged_and_answered_by_agencies_of_many_kinds():
    referrals = Referral.objects.filter(case__authority_reference__startswith="HIST-")
    sent = referrals.exclude(sent_at=None)
    acknowledged = sent.exclude(acknowledged_at=None)
    assert acknowledged.count() >= sent.count() * 0.8
    for referral in acknowledged:
        assert referral.sent_at < referral.acknowledged_at
    steps = ReferralStatusChange.objects.filter(referral__in=sent)
    assert set(steps.values_list("to_status", flat=True)) == set(ReferralStatus.values)
    answered_by_the_agency = steps.filter(
        Q(answered_through__isnull=False) | Q(changed_by__agency=F("referral__agency"))
    )
    assert answered_by_the_agency.exists()
    assert sent.filter(status=ReferralStatus.CLOSED).exists()
    assert len(set(sent.values_list("kind__code", flat=True))) >= 8
    assert len(set(sent.values_list("agency__kind", flat=True))) >= 8
    assert any(referral.was_withdrawn for referral in referrals)


def test_past_meetings_record_every_kind_of_attendance_over_six_months():
    now = timezone.now()
    held = Meeting.objects.filter(status=MeetingStatus.HELD, start__lt=now)
    months = {
        _month(timezone.localtime(start).date()) for start in held.values_list("start", flat=True)
    }
    assert set(_full_months_before_this_one(6)) <= months
    assert Meeting.objects.filter(status=MeetingStatus.CANCELLED, start__lt=now).exists()
    seats = Attendance.objects.filter(meeting__in=held)
    attended = seats.filter(outcome=Outcome.ATTENDED)
    apologies = seats.filter(outcome=Outcome.APOLOGIES)
    assert attended.filter(deputy_name="").exists()
    assert attended.exclude(deputy_name="").exists()
    assert apologies.filter(sent_information_in_advance=True).exists()
    assert apologies.filter(sent_information_in_advance=False).exists()
    assert seats.filter(outcome=Outcome.ABSENT).exists()


def test_actions_are_owned_across_agencies_closed_on_time_and_late_and_some_overdue():
    actions = Action.objects.filter(meeting__start__lt=timezone.now())
    assert actions.values("owner_agency").distinct().count() >= 10
    closed = actions.exclude(closed_at=None)
    late = [a for a in closed if timezone.localtime(a.closed_at).date() > a.due_on]
    assert late and len(late) < closed.count()
    assert Action.objects.overdue().exists()
    for action in actions:
        assert action.created_at >= action.meeting.start


def test_seeding_again_adds_no_history():
    counts = (
        Case.objects.count(),
        ConsentRequest.objects.count(),
        Referral.objects.count(),
        Meeting.objects.count(),
        Action.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        Case.objects.count(),
        ConsentRequest.objects.count(),
        Referral.objects.count(),
        Meeting.objects.count(),
        Action.objects.count(),
    ) == counts
