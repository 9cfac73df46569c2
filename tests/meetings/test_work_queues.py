"""The meetings work queues: minutes to circulate or approve, overdue actions across the forums
and meetings without an agenda for those who manage meetings; a partner agency's actions; the
due/overdue filter on My actions. What each holds and leaves out, its order, and that its home
card counts what it lists."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Closure
from tests.factories import ForumFactory, MeetingFactory
from tests.queues import assert_card_opens_the_queue_it_counts, listed, navigation_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_action(meetings, partnership_manager, police):
    def make(*, due_on, meeting=None, **fields):
        fields.setdefault("owner_agency", police)
        return services.create_action(
            meeting=meeting or meetings[0],
            description="Share the risk assessment",
            due_on=due_on,
            actor=partnership_manager,
            **fields,
        )

    return make


def test_minutes_to_finish_are_the_latest_drafts_and_circulated_versions_oldest_meeting_first(
    partnership_manager_client, partnership_manager, meetings
):
    february, march, april = meetings
    draft = services.write_minutes(meeting=march, body="Draft", actor=partnership_manager)
    circulated = services.write_minutes(meeting=february, body="Notes", actor=partnership_manager)
    circulated = services.circulate_minutes(minutes=circulated, actor=partnership_manager)
    approved = services.write_minutes(meeting=april, body="Final", actor=partnership_manager)
    approved = services.circulate_minutes(minutes=approved, actor=partnership_manager)
    services.approve_minutes(minutes=approved, actor=partnership_manager)

    queue = "/minutes/waiting/"
    assert listed(partnership_manager_client.get(queue)) == [circulated.pk, draft.pk]
    assert listed(partnership_manager_client.get(queue, {"status": "draft"})) == [draft.pk]
    assert listed(partnership_manager_client.get(queue, {"status": "circulated"})) == [
        circulated.pk
    ]
    assert (
        assert_card_opens_the_queue_it_counts(
            partnership_manager_client, "Minutes to finish", queue
        )
        == 2
    )
    assert navigation_count(partnership_manager_client, "Minutes to finish") == 2


def test_overdue_actions_span_every_forum_longest_overdue_first_and_filter_by_forum(
    partnership_manager_client, partnership_manager, make_action, make_forum, marac
):
    today = timezone.localdate()
    other_forum_meeting = MeetingFactory(
        forum=make_forum(name="Board"),
        start=timezone.now() - timedelta(days=40),
        actor=partnership_manager,
    )
    recent = make_action(due_on=today - timedelta(days=1))
    oldest = make_action(due_on=today - timedelta(days=30), meeting=other_forum_meeting)
    make_action(due_on=today + timedelta(days=3))  # not due yet
    done = make_action(due_on=today - timedelta(days=10))
    services.close_action(action=done, closure=Closure.DONE, reason="", actor=partnership_manager)

    queue = "/actions/overdue/"
    assert listed(partnership_manager_client.get(queue)) == [oldest.pk, recent.pk]
    assert listed(partnership_manager_client.get(queue, {"forum": marac.pk})) == [recent.pk]
    assert listed(partnership_manager_client.get(queue, {"order": "-due"})) == [
        recent.pk,
        oldest.pk,
    ]
    assert_card_opens_the_queue_it_counts(partnership_manager_client, "Overdue actions", queue)


def test_meetings_without_an_agenda_are_those_in_the_next_ten_days_with_no_item(
    partnership_manager_client, partnership_manager
):
    forum = ForumFactory(name="Safeguarding board", actor=partnership_manager)
    now = timezone.now()

    def meeting(days):
        return MeetingFactory(
            forum=forum, start=now + timedelta(days=days), actor=partnership_manager
        )

    later, sooner = meeting(8), meeting(2)
    with_agenda = meeting(3)
    services.add_agenda_item(meeting=with_agenda, title="Welcome", actor=partnership_manager)
    meeting(20)  # beyond the notice period
    cancelled = meeting(4)
    services.cancel_meeting(meeting=cancelled, reason="Room unavailable", actor=partnership_manager)

    queue = "/meetings/without-agenda/"
    assert listed(partnership_manager_client.get(queue)) == [sooner.pk, later.pk]
    assert_card_opens_the_queue_it_counts(
        partnership_manager_client, "Meetings without an agenda", queue
    )


def test_a_partner_sees_their_agencys_open_actions_and_not_another_agencys(
    partner_client, partner_user, partnership_manager, make_action
):
    today = timezone.localdate()
    ours = partner_user.agency
    unnamed = make_action(due_on=today + timedelta(days=5), owner_agency=ours)
    named = make_action(due_on=today - timedelta(days=5), owner_agency=ours, owner=partner_user)
    make_action(due_on=today)  # the police's
    closed = make_action(due_on=today, owner_agency=ours)
    services.close_action(action=closed, closure=Closure.DONE, reason="", actor=partnership_manager)

    queue = "/actions/our-agency/"
    assert listed(partner_client.get(queue)) == [named.pk, unnamed.pk]
    assert listed(partner_client.get(queue, {"due": "overdue"})) == [named.pk]
    assert_card_opens_the_queue_it_counts(partner_client, "Your agency's actions", queue)


def test_my_actions_filter_to_overdue_or_due_this_week_and_the_card_counts_them_all(
    partner_client, partner_user, make_action
):
    today = timezone.localdate()
    overdue = make_action(due_on=date(2026, 2, 1), owner=partner_user, owner_agency=None)
    soon = make_action(due_on=today + timedelta(days=3), owner=partner_user, owner_agency=None)
    later = make_action(due_on=today + timedelta(days=30), owner=partner_user, owner_agency=None)

    assert listed(partner_client.get("/actions/mine/")) == [overdue.pk, soon.pk, later.pk]
    assert listed(partner_client.get("/actions/mine/", {"due": "overdue"})) == [overdue.pk]
    assert listed(partner_client.get("/actions/mine/", {"due": "soon"})) == [soon.pk]
    refused = partner_client.get("/actions/mine/", {"due": "someday"})
    assert listed(refused) == []
    assert refused.context["filter"].errors["due"]
    assert (
        assert_card_opens_the_queue_it_counts(partner_client, "Your actions", "/actions/mine/") == 3
    )
    assert navigation_count(partner_client, "My actions") == 3
