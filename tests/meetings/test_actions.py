"""Actions: owners, closing outcomes, overdue logic, my actions and carry-over."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from meetings import selectors, services
from meetings.models import Action, ActionStatus, Closure, Refused
from meetings.schedule import LONDON


@pytest.fixture
def meetings(marac, generate):
    return generate(marac, date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def make_action(meetings, partnership_manager, police):
    def make(*, due_on=date(2026, 2, 1), meeting=None, **fields):
        fields.setdefault("owner_agency", police)
        return services.create_action(
            meeting=meeting or meetings[0],
            description="Share the risk assessment with the IDVA",
            due_on=due_on,
            actor=partnership_manager,
            **fields,
        )

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        (ActionStatus.OPEN, date(2026, 1, 31), True),
        (ActionStatus.IN_PROGRESS, date(2026, 1, 31), True),
        (ActionStatus.OPEN, date(2026, 2, 1), False),
        (ActionStatus.OPEN, date(2026, 2, 2), False),
        (ActionStatus.DONE, date(2026, 1, 1), False),
        (ActionStatus.CANCELLED, date(2026, 1, 1), False),
    ],
)
def test_an_action_is_overdue_only_when_still_open_after_its_due_date(
    make_action, partnership_manager, status, due_on, overdue
):
    action = make_action(due_on=due_on)
    if status == ActionStatus.IN_PROGRESS:
        services.update_action(
            action=action, note="Started", in_progress=True, actor=partnership_manager
        )
    elif status == ActionStatus.DONE:
        services.close_action(
            action=action, closure=Closure.DONE, reason="", actor=partnership_manager
        )
    elif status == ActionStatus.CANCELLED:
        services.close_action(
            action=action, closure=Closure.NOT_POSSIBLE, reason="", actor=partnership_manager
        )
    action.refresh_from_db()
    today = date(2026, 2, 1)
    assert action.is_overdue(today) is overdue
    assert Action.objects.overdue(today).filter(pk=action.pk).exists() is overdue


@pytest.mark.django_db
def test_closing_as_not_undertaken_needs_a_reason(make_action, partnership_manager):
    action = make_action()
    with pytest.raises(Refused, match="why the agency did not undertake"):
        services.close_action(
            action=action, closure=Closure.NOT_UNDERTAKEN, reason=" ", actor=partnership_manager
        )
    closed = services.close_action(
        action=action,
        closure=Closure.NOT_UNDERTAKEN,
        reason="No capacity this quarter",
        actor=partnership_manager,
    )
    assert (closed.status, closed.closure) == (ActionStatus.CANCELLED, Closure.NOT_UNDERTAKEN)
    assert (
        closed.updates.get().note
        == "Closed: Not undertaken by the agency. No capacity this quarter"
    )
    with pytest.raises(Refused, match="already closed"):
        services.close_action(
            action=closed, closure=Closure.DONE, reason="", actor=partnership_manager
        )


@pytest.mark.django_db
def test_the_database_keeps_status_and_closure_consistent(make_action):
    action = make_action()
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(
            status=ActionStatus.CANCELLED, closure=Closure.NOT_UNDERTAKEN, closure_reason=""
        )


@pytest.mark.django_db
def test_an_action_needs_an_owner_from_the_right_agency(
    meetings, partnership_manager, police_officer, idva_service
):
    with pytest.raises(Refused, match="Choose who owns"):
        services.create_action(
            meeting=meetings[0], description="x", due_on=date(2026, 2, 1), actor=partnership_manager
        )
    with pytest.raises(Refused, match="does not work for"):
        services.create_action(
            meeting=meetings[0],
            description="x",
            due_on=date(2026, 2, 1),
            owner=police_officer,
            owner_agency=idva_service,
            actor=partnership_manager,
        )
    action = services.create_action(
        meeting=meetings[0],
        description="x",
        due_on=date(2026, 2, 1),
        owner=police_officer,
        actor=partnership_manager,
    )
    assert action.owner_agency == police_officer.agency


@pytest.mark.django_db
def test_an_action_from_an_agenda_item_must_belong_to_the_same_meeting(
    meetings, make_action, partnership_manager
):
    item = services.add_agenda_item(
        meeting=meetings[1], title="Repeat referrals", actor=partnership_manager
    )
    with pytest.raises(Refused, match="another meeting"):
        make_action(agenda_item=item)
    assert make_action(meeting=meetings[1], agenda_item=item).agenda_item == item


@pytest.mark.django_db
def test_updates_are_dated_and_can_mark_work_started(make_action, partnership_manager):
    action = make_action()
    with time_machine.travel(datetime(2026, 1, 20, 15, 0, tzinfo=LONDON), tick=False):
        update = services.update_action(
            action=action, note="Called the IDVA", in_progress=True, actor=partnership_manager
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert update.status_after == ActionStatus.IN_PROGRESS
    assert update.created_at == datetime(2026, 1, 20, 15, 0, tzinfo=LONDON)


@pytest.mark.django_db
def test_my_actions_are_mine_and_my_agencys_unnamed_ones(
    make_action, police_officer, make_user, police
):
    mine = make_action(owner=police_officer)
    agency_wide = make_action()
    colleague = make_user("partner", agency=police)
    someone_elses = make_action(owner=colleague)

    open_actions, closed = selectors.my_actions(police_officer)
    assert {a.pk for a in open_actions} == {mine.pk, agency_wide.pk}
    assert someone_elses.pk not in {a.pk for a in open_actions}
    assert closed == []


@pytest.mark.django_db
def test_open_actions_carry_over_to_the_next_meeting_of_the_forum(
    meetings, make_action, partnership_manager
):
    january, february, march = meetings
    still_open = make_action(meeting=january)
    done = make_action(meeting=january)
    services.close_action(action=done, closure=Closure.DONE, reason="", actor=partnership_manager)
    from_february = make_action(meeting=february)

    assert list(selectors.carried_over_actions(february)) == [still_open]
    assert set(selectors.carried_over_actions(march)) == {still_open, from_february}
    assert list(selectors.carried_over_actions(january)) == []


@pytest.mark.django_db
def test_overdue_page_lists_the_forums_overdue_actions(
    marac, make_action, partnership_manager_client
):
    late = make_action(due_on=date(2026, 1, 20))
    later = make_action(due_on=date(2099, 1, 1))
    with time_machine.travel(datetime(2026, 2, 1, tzinfo=LONDON)):
        html = partnership_manager_client.get(
            reverse("meetings:forum-overdue-actions", args=[marac.pk])
        ).content.decode()
    assert reverse("meetings:action-detail", args=[late.pk]) in html
    assert reverse("meetings:action-detail", args=[later.pk]) not in html
    assert "Overdue" in html


@pytest.mark.django_db
def test_the_owner_updates_and_closes_their_action_through_the_page(
    make_action, police_officer, client
):
    action = make_action(owner=police_officer)
    client.force_login(police_officer)
    url = reverse("meetings:action-detail", args=[action.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"form": "update", "note": "Referral sent", "in_progress": "on"})
    assert response.status_code == 302
    response = client.post(url, {"form": "close", "closure": Closure.NOT_UNDERTAKEN, "reason": ""})
    assert "Enter why the agency did not undertake the action" in response.content.decode()
    response = client.post(url, {"form": "close", "closure": Closure.DONE})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.updates.count() == 2


@pytest.mark.django_db
def test_someone_else_cannot_see_or_update_an_action_they_have_no_part_in(
    make_action, police_officer, partner_client
):
    action = make_action(owner=police_officer)
    # The partner is invited to the meeting, so sees the action, but may not change it.
    url = reverse("meetings:action-detail", args=[action.pk])
    assert "Add an update" not in partner_client.get(url).content.decode()
    partner_client.post(url, {"form": "close", "closure": Closure.DONE})
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
