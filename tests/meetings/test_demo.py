"""The demo adds a forum of every kind with meetings, minutes and actions, and is idempotent."""

import pytest

from agencies import demo as agencies_demo
from meetings import demo
from meetings.models import Action, Attendance, Forum, ForumKind, Meeting, Minutes


def _counts():
    return [model.objects.count() for model in (Forum, Meeting, Attendance, Minutes, Action)]


@pytest.mark.django_db
def test_demo_covers_every_forum_kind_and_running_it_twice_changes_nothing():
    agencies_demo.seed()
    demo.seed()
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
