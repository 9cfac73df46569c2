"""Actions: owners, closing outcomes, overdue logic, my actions and carry-over."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from meetings import selectors, services
from meetings.calendars.schedule import LONDON
from meetings.models import Action, ActionStatus, Closure, Refused


@pytest.fixture
def meetings(marac, generate):
    return generate(marac, date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def make_action(meetings, partnership_manager, police):
    def make(
        *,
        due_on=date(2026, 2, 1),
        meeting=None,
        description="Share the risk assessment with the IDVA",
        **fields,
    ):
        fields.setdefault("owner_agency", police)
        return services.create_action(
            meeting=meeting or meetings[0],
            description=description,
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

    open_actions = selectors.my_open_actions(police_officer)
    assert {a.pk for a in open_actions} == {mine.pk, agency_wide.pk}
    assert someone_elses.pk not in {a.pk for a in open_actions}
    assert selectors.my_closed_actions(police_officer) == []


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


# Reviewing carried-over actions at the next meeting ------------------------------------------


def _review(client, meeting, action, **data):
    return client.post(reverse("meetings:action-review", args=[meeting.pk, action.pk]), data)


@pytest.mark.django_db
def test_the_next_meeting_records_each_carried_over_actions_review_and_shows_it(
    meetings, make_action, partnership_manager, partnership_manager_client
):
    january, february, march = meetings
    chasing = make_action(meeting=january, description="Chase the GP letter")
    done = make_action(meeting=january, description="Book an interpreter")
    declined = make_action(meeting=january, description="Visit the property")

    assert (
        _review(
            partnership_manager_client, february, chasing, outcome="still_open", note="Chased again"
        ).status_code
        == 302
    )
    _review(partnership_manager_client, february, done, outcome=Closure.DONE)
    refused = _review(partnership_manager_client, february, declined, outcome="not_undertaken")
    assert "Enter why the agency did not undertake the action" in refused.content.decode()
    _review(
        partnership_manager_client,
        february,
        declined,
        outcome=Closure.NOT_UNDERTAKEN,
        note="No visiting officer in the area",
    )

    page = partnership_manager_client.get(
        reverse("meetings:meeting-detail", args=[february.pk])
    ).content.decode()
    assert "Reviewed at the meeting of 10 February 2026: still open. Chased again" in page
    assert f"Chased again ({partnership_manager.full_name})" in page
    assert reverse("meetings:action-review", args=[february.pk, chasing.pk]) in page
    assert reverse("meetings:action-review", args=[february.pk, done.pk]) not in page
    assert "Reviewed at the meeting of 10 February 2026: closed as done" in page
    assert (
        "Reviewed at the meeting of 10 February 2026: closed as not undertaken by the agency. "
        "No visiting officer in the area"
    ) in page
    done.refresh_from_db()
    declined.refresh_from_db()
    assert (done.status, declined.closure) == (ActionStatus.DONE, Closure.NOT_UNDERTAKEN)
    assert list(selectors.carried_over_actions(march)) == [chasing]
    assert (
        "Not reviewed yet"
        in partnership_manager_client.get(
            reverse("meetings:meeting-detail", args=[march.pk])
        ).content.decode()
    )


@pytest.mark.django_db
def test_a_review_is_an_update_of_the_action_written_to_the_audit_log(
    meetings, make_action, partnership_manager
):
    january, february, _march = meetings
    action = make_action(meeting=january)

    update = services.review_action(
        action=action, meeting=february, outcome=Closure.NOT_POSSIBLE, actor=partnership_manager
    )

    action.refresh_from_db()
    assert (action.status, action.closure) == (ActionStatus.CANCELLED, Closure.NOT_POSSIBLE)
    assert update.reviewed_at == february
    assert update.note == (
        "Reviewed at the meeting of 10 February 2026: closed as not possible – change of "
        "circumstances"
    )
    event = AuditEvent.objects.filter(object_type="meetings.action", object_id=str(action.pk))
    assert event.latest("sequence").detail == {
        "status": ActionStatus.CANCELLED,
        "closure": Closure.NOT_POSSIBLE,
        "reviewed_at_meeting_id": february.pk,
    }


@pytest.mark.django_db
def test_only_an_action_carried_over_to_a_meeting_that_has_started_is_reviewed_there(
    meetings, make_action, make_forum, generate, partnership_manager
):
    january, february, _march = meetings
    elsewhere = generate(make_forum(), date(2026, 2, 1), date(2026, 2, 28))[0]
    action = make_action(meeting=february)

    for meeting in (january, february, elsewhere):
        with pytest.raises(Refused, match="not carried over to this meeting"):
            services.review_action(
                action=action, meeting=meeting, outcome="still_open", actor=partnership_manager
            )
    with (
        time_machine.travel(datetime(2026, 3, 9, tzinfo=LONDON)),
        pytest.raises(Refused, match="once the meeting has started"),
    ):
        services.review_action(
            action=action, meeting=meetings[2], outcome="still_open", actor=partnership_manager
        )
    assert not action.updates.exists()


@pytest.mark.django_db
def test_partners_cannot_review_carried_over_actions(meetings, make_action, partner_client):
    january, february, _march = meetings
    action = make_action(meeting=january)

    assert _review(partner_client, february, action, outcome=Closure.DONE).status_code == 404
    page = partner_client.get(reverse("meetings:meeting-detail", args=[february.pk]))
    assert reverse("meetings:action-review", args=[february.pk, action.pk]) not in (
        page.content.decode()
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
