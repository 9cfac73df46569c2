"""The demo adds a forum of every kind with meetings, minutes and actions, lists a case at two
MARAC meetings through the consent gate (the later one with a second case the partner's agency
was not given, and minutes with a part for each), and is idempotent."""

import pytest
from django.utils import timezone

from agencies.models import User
from audit.models import AuditEvent
from meetings import demo, permissions
from meetings.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    CaseHearing,
    ConfidentialityAffirmation,
    Forum,
    ForumKind,
    HearingOutcome,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesCasePart,
    MinutesComment,
)
from sharing.models import DisclosureMethod
from sharing.selectors import disclosures_from


def _counts():
    return [model.objects.count() for model in (Forum, Meeting, Attendance, Minutes, Action)]


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("seeded_demo"),
]


def test_demo_covers_every_forum_kind_and_running_it_twice_changes_nothing():
    assert set(Forum.objects.values_list("kind__code", flat=True)) == set(
        ForumKind.objects.values_list("code", flat=True)
    )
    assert Forum.objects.filter(region__isnull=False).count() >= 3
    assert Minutes.objects.filter(status="approved").exists()
    assert Action.objects.still_open().exists()
    assert Meeting.objects.filter(status="cancelled").exists()
    first = _counts()
    demo.seed()
    assert _counts() == first


def test_every_demo_forum_has_meetings_held_and_to_come():
    now = timezone.now()
    for forum in Forum.objects.all():
        meetings = forum.meetings.exclude(status=MeetingStatus.CANCELLED)
        assert meetings.filter(start__lt=now, status=MeetingStatus.HELD).exists(), forum
        assert meetings.filter(start__gte=now, status=MeetingStatus.SCHEDULED).exists(), forum
        if not forum.has_schedule:
            assert meetings.count() >= 2, forum
    assert Forum.objects.get(name="East Midlands Ad Hoc Case Review").has_schedule is False


def test_every_held_demo_meeting_has_minutes_and_actions_and_reviews_those_carried_over():
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert held.count() > len(demo.FORUMS)
    assert not held.filter(minutes_versions__isnull=True).exists()
    assert not held.filter(actions__isnull=True).exists()
    assert not Meeting.objects.filter(
        start__lt=timezone.now(), status=MeetingStatus.SCHEDULED
    ).exists()
    reviews = ActionUpdate.objects.exclude(reviewed_at=None)
    assert reviews.filter(note__contains="still open").exists()
    assert reviews.filter(note__contains="closed as done").exists()


def test_the_demo_lists_a_case_at_two_marac_meetings_through_the_gate_once():
    items = AgendaItem.objects.filter(case__authority_reference=demo.MARAC_CASE)
    disclosures = disclosures_from(AgendaItem, [item.pk for item in items])
    assert items.count() == 2
    assert disclosures.count() >= 2
    assert set(disclosures.values_list("method", flat=True)) == {DisclosureMethod.MEETING}
    counts = (items.count(), disclosures.count(), ConfidentialityAffirmation.objects.count())
    demo.seed()
    assert (
        items.count(),
        disclosures.count(),
        ConfidentialityAffirmation.objects.count(),
    ) == counts


def test_the_demo_minutes_of_two_cases_reach_the_partner_for_the_case_it_was_given_only():
    item = (
        AgendaItem.objects.filter(case__authority_reference=demo.MARAC_CASE)
        .order_by("-meeting__start")
        .first()
    )
    second = AgendaItem.objects.get(
        meeting=item.meeting, case__authority_reference=demo.SECOND_MARAC_CASE
    )
    minutes = Minutes.objects.filter(meeting=item.meeting).order_by("-version").first()
    assert minutes.status == "approved"
    parts = {part.agenda_item_id: part for part in minutes.case_parts.all()}
    assert set(parts) == {item.pk, second.pk}
    for listed in (item, second):
        released = disclosures_from(MinutesCasePart, [parts[listed.pk].pk])
        given = disclosures_from(AgendaItem, [listed.pk])
        assert set(released.values_list("recipient_id", flat=True)) == set(
            given.values_list("recipient_id", flat=True)
        )
    partner = User.objects.get(email=demo.PARTNER)
    readable = permissions.minutes_case_parts_readable_by(partner).filter(minutes=minutes)
    assert set(readable.values_list("agenda_item_id", flat=True)) == {item.pk}
    assert permissions.minutes_versions_readable_by(partner).filter(pk=minutes.pk).exists()


def test_each_demo_marac_hearing_has_an_outcome_and_an_action_plan_owned_by_agencies():
    items = AgendaItem.objects.filter(case__authority_reference=demo.MARAC_CASE).order_by(
        "meeting__start"
    )
    hearings = [CaseHearing.objects.get(agenda_item=item) for item in items]
    # The first hearing had no IDVA; the repeat allocated one.
    assert [hearing.idva_allocated for hearing in hearings] == [False, True]
    assert all(hearing.outcome == HearingOutcome.ACTION_PLAN_AGREED for hearing in hearings)
    for item in items:
        plan = Action.objects.filter(agenda_item=item)
        assert plan.count() == len(demo.ACTION_PLAN)
        assert not plan.filter(owner_agency__isnull=True).exists()


def test_the_demo_names_contacts_who_are_not_users_and_some_answer_through_their_link():
    named = Attendance.objects.filter(contact__isnull=False, contact__user__isnull=True)
    assert named.values("meeting").distinct().count() >= 5
    assert named.filter(meeting__start__gte=timezone.now()).exists()
    answered = AuditEvent.objects.filter(
        object_type="meetings.attendance", actor__isnull=True, detail__by_link=True
    )
    assert answered.count() >= 3
    assert named.filter(response="accepted").exists()
    assert named.filter(response="declined").exists()
    assert named.filter(response="delegated").exclude(deputy_email="").exists()
    assert MinutesComment.objects.filter(contact__isnull=False, author__isnull=True).exists()
