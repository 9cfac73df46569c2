"""Who sees which forums and meetings: managers manage, staff see, partners see only what they
are invited to, and anything else is a 404."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import Attendance, Response


@pytest.fixture
def invited_meeting(marac, generate):
    return generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]


@pytest.fixture
def other_meeting(make_forum, generate, police):
    forum = make_forum(
        name="Police tasking group", kind="operational-working-group", member_agencies=[police]
    )
    return generate(forum, date(2026, 1, 1), date(2026, 1, 31))[0]


@pytest.mark.django_db
def test_partner_sees_the_meeting_they_are_invited_to_and_not_others(
    partner_client, invited_meeting, other_meeting
):
    assert (
        partner_client.get(
            reverse("meetings:meeting-detail", args=[invited_meeting.pk])
        ).status_code
        == 200
    )
    assert (
        partner_client.get(reverse("meetings:meeting-detail", args=[other_meeting.pk])).status_code
        == 404
    )
    assert (
        partner_client.get(
            reverse("meetings:forum-detail", args=[other_meeting.forum_id])
        ).status_code
        == 404
    )
    forum_list = partner_client.get(reverse("meetings:forum-list")).content.decode()
    assert "Manchester MARAC" in forum_list
    assert "Police tasking group" not in forum_list


@pytest.mark.django_db
def test_a_missing_meeting_and_a_forbidden_one_look_the_same(partner_client, other_meeting):
    forbidden = partner_client.get(reverse("meetings:meeting-detail", args=[other_meeting.pk]))
    missing = partner_client.get(reverse("meetings:meeting-detail", args=[other_meeting.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content.decode().count("Page not found") == missing.content.decode().count(
        "Page not found"
    )


@pytest.mark.django_db
def test_compliance_reviewer_without_an_invitation_sees_no_meetings(
    compliance_client, invited_meeting
):
    url = reverse("meetings:meeting-detail", args=[invited_meeting.pk])
    assert compliance_client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_client", "manager_client", "authority_client"])
def test_staff_with_the_view_permission_see_every_meeting(request, persona, other_meeting):
    client = request.getfixturevalue(persona)
    assert (
        client.get(reverse("meetings:meeting-detail", args=[other_meeting.pk])).status_code == 200
    )
    assert (
        client.get(reverse("meetings:forum-detail", args=[other_meeting.forum_id])).status_code
        == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_client", "partner_client"])
def test_only_managers_reach_the_management_pages(request, persona, invited_meeting):
    client = request.getfixturevalue(persona)
    forum_id = invited_meeting.forum_id
    for url in [
        reverse("meetings:forum-create"),
        reverse("meetings:forum-edit", args=[forum_id]),
        reverse("meetings:meeting-generate", args=[forum_id]),
        reverse("meetings:meeting-create", args=[forum_id]),
        reverse("meetings:meeting-edit", args=[invited_meeting.pk]),
        reverse("meetings:meeting-cancel", args=[invited_meeting.pk]),
        reverse("meetings:attendance-record", args=[invited_meeting.pk]),
        reverse("meetings:attendance-invite", args=[invited_meeting.pk]),
        reverse("meetings:agenda-item-create", args=[invited_meeting.pk]),
        reverse("meetings:minutes-edit", args=[invited_meeting.pk]),
        reverse("meetings:action-create", args=[invited_meeting.pk]),
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partnership_manager_client", "administrator_client"])
def test_partnership_managers_and_administrators_manage_forums(request, persona, invited_meeting):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("meetings:forum-create")).status_code == 200
    assert (
        client.get(reverse("meetings:meeting-edit", args=[invited_meeting.pk])).status_code == 200
    )


@pytest.mark.django_db
def test_an_invitee_answers_their_invitation(partner_client, partner_user, invited_meeting):
    url = reverse("meetings:attendance-respond", args=[invited_meeting.pk])
    with time_machine.travel(datetime(2026, 1, 2, tzinfo=LONDON)):
        response = partner_client.post(url, {"response": Response.TENTATIVE})
    assert response.status_code == 302
    invitation = Attendance.objects.get(meeting=invited_meeting, person=partner_user)
    assert invitation.response == Response.TENTATIVE


@pytest.mark.django_db
def test_someone_not_invited_cannot_answer(officer_client, invited_meeting):
    url = reverse("meetings:attendance-respond", args=[invited_meeting.pk])
    assert officer_client.get(url).status_code == 404


@pytest.mark.django_db
def test_my_meetings_shows_only_the_partners_own_meetings(
    partner_client, invited_meeting, other_meeting
):
    html = partner_client.get(reverse("meetings:meeting-mine") + "?month=2026-01").content.decode()
    assert reverse("meetings:meeting-detail", args=[invited_meeting.pk]) in html
    assert reverse("meetings:meeting-detail", args=[other_meeting.pk]) not in html
    week = partner_client.get(
        reverse("meetings:meeting-mine") + "?view=week&date=2026-01-14"
    ).content.decode()
    assert "10:00–12:00 Manchester MARAC" in week


@pytest.mark.django_db
def test_a_partner_sees_only_actions_of_meetings_they_can_see(
    partner_client, invited_meeting, other_meeting, partnership_manager, police
):
    hidden = services.create_action(
        meeting=other_meeting,
        description="Police-only tasking",
        due_on=date(2026, 2, 1),
        owner_agency=police,
        actor=partnership_manager,
    )
    assert (
        partner_client.get(reverse("meetings:action-detail", args=[hidden.pk])).status_code == 404
    )
