"""The demo adds a forum of every kind with meetings, minutes and actions, lists a case at two
MARAC meetings through the consent gate, and is idempotent."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from meetings import demo
from meetings.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    ConfidentialityAffirmation,
    Forum,
    ForumKind,
    Meeting,
    MeetingStatus,
    Minutes,
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


def test_the_demo_corrects_a_case_meetings_minutes_and_releases_them_to_the_agencies_given_it():
    item = (
        AgendaItem.objects.filter(case__authority_reference=demo.MARAC_CASE)
        .order_by("-meeting__start")
        .first()
    )
    correction = Minutes.objects.get(meeting=item.meeting, version=2)
    assert correction.status == "circulated"
    released = disclosures_from(Minutes, [correction.pk])
    listed = disclosures_from(AgendaItem, [item.pk])
    assert set(released.values_list("recipient_id", flat=True)) == set(
        listed.values_list("recipient_id", flat=True)
    )
    assert set(released.values_list("content__text", flat=True)) == {correction.body}


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
