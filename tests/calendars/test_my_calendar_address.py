"""The "my calendar" page never shows a subscription address that no longer works: one ended by
a deactivation or a move to another agency is replaced by the offer of a new one."""

import pytest
from django.test import Client
from django.urls import reverse

from agencies import services as agencies_services
from meetings import services
from meetings.calendars import feeds
from meetings.models import CalendarFeed

pytestmark = pytest.mark.django_db


def _leave_and_return(person, administrator, police):
    agencies_services.deactivate_person(person=person, actor=administrator)
    agencies_services.reactivate_person(person=person, actor=administrator)


def _move(person, administrator, police):
    agencies_services.move_person(person=person, agency=police, actor=administrator)


@pytest.mark.parametrize(
    "ending", [_leave_and_return, _move], ids=["deactivated and back", "moved agency"]
)
def test_my_calendar_offers_a_new_address_instead_of_one_that_no_longer_works(
    partnership_manager, administrator, police, marac, ending
):
    old_token = feeds.token_for(
        services.reset_calendar_feed(user=partnership_manager, actor=partnership_manager)
    )
    ending(partnership_manager, administrator, police)
    client = Client()
    client.force_login(partnership_manager)
    assert client.get(reverse("meetings:calendar-feed", args=[old_token])).status_code == 404

    page = client.get(reverse("meetings:calendar-mine")).content.decode()
    # Neither the personal address nor the forum addresses built on the same secret.
    assert old_token not in page
    assert "Your old subscription address no longer works" in page
    assert "Create a new calendar address" in page

    client.post(reverse("meetings:calendar-reset"))
    page = client.get(reverse("meetings:calendar-mine")).content.decode()
    new_token = feeds.token_for(CalendarFeed.objects.get(user=partnership_manager))
    assert new_token in page
    assert reverse("meetings:forum-feed", args=[new_token, marac.pk]) in page
    assert "Your old subscription address no longer works" not in page
    assert client.get(reverse("meetings:calendar-feed", args=[new_token])).status_code == 200
