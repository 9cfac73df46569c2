"""A forum's chair is invited to its meetings as CHAIR even when not also a named member."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.roles import Role
from meetings import services
from meetings.calendars import feeds
from meetings.models import Attendance
from tests.calendars.calendar_mail import by_recipient, calendar_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def chaired_by_a_non_member(make_forum, chair, dana, pat, police, charity, provider):
    return make_forum(members=[dana, pat], member_agencies=[police, charity], chair=chair)


def _schedule(forum, actor, sent):
    return sent(
        services.schedule_series,
        forum=forum,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        actor=actor,
    )


def test_the_chair_is_sent_the_series_as_chair_without_being_a_member(
    chaired_by_a_non_member, chair, partnership_manager, sent, clock
):
    messages = by_recipient(_schedule(chaired_by_a_non_member, partnership_manager, sent))
    assert set(messages) == {"chris@provider.example", "dana@police.example", "pat@charity.example"}
    [master] = calendar_of(messages["chris@provider.example"]).events
    roles = {str(a).removeprefix("mailto:"): a.params["ROLE"] for a in master.attendees}
    assert roles["chris@provider.example"] == "CHAIR"
    assert roles["dana@police.example"] == "REQ-PARTICIPANT"
    assert Attendance.objects.filter(person=chair).count() == 6


def test_a_new_chair_is_invited_and_the_old_one_is_sent_a_cancel(
    chaired_by_a_non_member, chair, make_user, provider, partnership_manager, sent, clock
):
    forum = chaired_by_a_non_member
    _schedule(forum, partnership_manager, sent)
    successor = make_user(
        Role.PARTNERSHIP_MANAGER,
        agency=provider,
        full_name="Sam Successor",
        email="sam@provider.example",
    )
    forum.chair = successor
    messages = by_recipient(
        sent(
            services.save_forum,
            forum=forum,
            member_agencies=list(forum.member_agencies.all()),
            members=list(forum.members.all()),
            actor=partnership_manager,
        )
    )
    assert calendar_of(messages["chris@provider.example"])["METHOD"] == "CANCEL"
    [master] = calendar_of(messages["sam@provider.example"]).events
    roles = {str(a).removeprefix("mailto:"): a.params["ROLE"] for a in master.attendees}
    assert roles["sam@provider.example"] == "CHAIR"
    assert not Attendance.objects.filter(person=chair, meeting__start__gt=timezone.now()).exists()


def test_the_chairs_feed_carries_the_series_as_one_recurring_event(
    chaired_by_a_non_member, chair, partnership_manager, sent, clock, client
):
    forum = chaired_by_a_non_member
    _schedule(forum, partnership_manager, sent)
    feed = services.reset_calendar_feed(user=chair, actor=chair)
    response = client.get(reverse("meetings:calendar-feed", args=[feeds.token_for(feed)]))
    [master] = Calendar.from_ical(response.content).events
    assert str(master["UID"]).startswith(f"forum-{forum.pk}-series@")
    assert "RRULE" in master
