"""The agency page lists the forums the agency belongs to and how it was represented at them,
within what the viewer may see of forums."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(marac, generate, police, partner_user, partnership_manager):
    """Three MARAC meetings in the first quarter of 2026: the police attended two of them,
    the partner charity all three."""
    meetings = generate(marac, date(2026, 1, 1), date(2026, 3, 31))
    with time_machine.travel(datetime(2026, 3, 31, tzinfo=LONDON)):
        for meeting, police_outcome in zip(
            meetings, [Outcome.ATTENDED, Outcome.APOLOGIES, Outcome.ATTENDED], strict=True
        ):
            services.record_attendance(
                meeting=meeting,
                entries=[
                    (meeting.attendances.get(agency=police), police_outcome, "", False),
                    (meeting.attendances.get(person=partner_user), Outcome.ATTENDED, "", False),
                ],
                actor=partnership_manager,
            )
    return meetings


@pytest.fixture
def board(make_forum, police):
    """A forum the police belong to that the partner charity has no part in."""
    return make_forum(
        name="Police Strategic Board", kind="smp-executive-board", member_agencies=[police]
    )


def _agency_page(client, agency):
    with time_machine.travel(datetime(2026, 4, 2, tzinfo=LONDON)):
        response = client.get(reverse("agencies:agency-detail", args=[agency.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_team_sees_every_forum_of_the_agency_and_its_attendance_by_quarter(
    held, marac, board, police, partnership_manager_client
):
    page = _agency_page(partnership_manager_client, police)

    assert "Forums and attendance" in page
    assert reverse("meetings:forum-detail", args=[marac.pk]) in page
    assert reverse("meetings:forum-detail", args=[board.pk]) in page
    assert "How Greater Manchester Police was represented" in page
    assert "January 2026" in page
    # Recorded 3, attended 2, apologies 1, absent 0: a rate of 67%.
    assert ">3</td>" in page and ">2</td>" in page and "67%" in page


def test_a_partner_sees_only_the_forums_they_may_see_and_no_other_agencys_attendance(
    held, marac, board, police, partner_client
):
    page = _agency_page(partner_client, police)

    assert reverse("meetings:forum-detail", args=[marac.pk]) in page
    assert "Police Strategic Board" not in page
    assert reverse("meetings:forum-detail", args=[board.pk]) not in page
    assert "How Greater Manchester Police was represented" not in page
    assert "67%" not in page


def test_a_partner_sees_their_own_agencys_attendance(held, partner_client, partner_user):
    page = _agency_page(partner_client, partner_user.agency)

    assert "How Partner Charity was represented" in page
    assert "100%" in page


def test_an_agency_in_no_forum_says_so(make_agency, partnership_manager_client):
    page = _agency_page(partnership_manager_client, make_agency("Quiet Charity"))
    assert "Quiet Charity is not a member of any forum you can see." in page
    assert "No attendance recorded at held meetings in the last year." in page
