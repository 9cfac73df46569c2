"""The calendar pages: sending a deputy, withdrawing an invitation, cancelling a series, the
invitations page and My calendar, each at a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import Attendance, CalendarMessage, MeetingStatus, Response

pytestmark = pytest.mark.django_db


def test_an_invitee_sends_a_deputy_from_the_meeting_page(series, dana, deputy_user, client):
    client.force_login(dana)
    june = series[5]
    page = client.get(reverse("meetings:meeting-detail", args=[june.pk])).content.decode()
    attendance = june.attendances.get(person=dana)
    assert reverse("meetings:attendance-deputy", args=[attendance.pk]) in page
    assert reverse("meetings:meeting-calendar", args=[june.pk]) in page

    url = reverse("meetings:attendance-deputy", args=[attendance.pk])
    bad = client.post(url, {"deputy_name": "Sam", "deputy_email": "not-an-address"})
    assert "Enter an e-mail address in the correct format" in bad.content.decode()
    empty = client.post(url, {"deputy_name": "", "deputy_email": ""}).content.decode()
    assert "Enter the deputy&#x27;s full name" in empty
    assert "Enter the deputy&#x27;s e-mail address" in empty
    response = client.post(url, {"deputy_person": deputy_user.pk})
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert (attendance.deputy_person, attendance.response) == (deputy_user, Response.DELEGATED)


def test_nobody_else_may_send_someones_deputy(series, dana, pat, client):
    client.force_login(pat)
    attendance = series[5].attendances.get(person=dana)
    assert (
        client.get(reverse("meetings:attendance-deputy", args=[attendance.pk])).status_code == 404
    )


def test_a_manager_withdraws_an_invitation_after_confirming(
    series, dana, partnership_manager_client
):
    attendance = series[4].attendances.get(person=dana)
    url = reverse("meetings:attendance-remove", args=[attendance.pk])
    page = partnership_manager_client.get(url).content.decode()
    assert "Dana Police will be sent a cancellation" in page
    assert partnership_manager_client.post(url).status_code == 302
    assert not Attendance.objects.filter(meeting=series[4], person=dana).exists()


def test_a_past_meeting_invitation_cannot_be_withdrawn(
    series, dana, partnership_manager, client, clock
):
    clock.move_to(series[1].end + timedelta(days=1))
    client.force_login(partnership_manager)
    attendance = series[0].attendances.get(person=dana)
    response = client.post(reverse("meetings:attendance-remove", args=[attendance.pk]))
    assert "invitations can no longer be withdrawn" in response.content.decode()


def test_a_manager_cancels_the_whole_series(
    series, marac, partnership_manager_client, partner_client
):
    url = reverse("meetings:series-cancel", args=[marac.pk])
    assert partner_client.get(url).status_code == 404
    assert "Every meeting of Manchester MARAC still ahead will be cancelled" in (
        partnership_manager_client.get(url).content.decode()
    )
    assert partnership_manager_client.post(url, {"reason": "Merged"}).status_code == 302
    assert not marac.meetings.filter(status=MeetingStatus.SCHEDULED).exists()
    page = partnership_manager_client.get(
        reverse("meetings:forum-detail", args=[marac.pk])
    ).content.decode()
    assert "The series was cancelled on" in page
    with pytest.raises(services.Refused, match="series was cancelled"):
        services.schedule_series(
            forum=marac,
            start_date=series[0].start.date(),
            end_date=series[-1].start.date(),
            actor=marac.chair,
        )


def test_calendar_pages_cost_the_same_queries_however_much_there_is(
    series,
    marac,
    pat,
    partnership_manager,
    partnership_manager_client,
    client,
    django_assert_max_num_queries,
):
    services.reset_calendar_feed(user=partnership_manager, actor=partnership_manager)
    client.force_login(pat)
    pages = [
        (partnership_manager_client, reverse("meetings:calendar-messages", args=[marac.pk])),
        (partnership_manager_client, reverse("meetings:calendar-mine")),
        (partnership_manager_client, reverse("meetings:forum-detail", args=[marac.pk])),
        (client, reverse("meetings:meeting-calendar", args=[series[0].pk])),
        (client, reverse("meetings:forum-calendar", args=[marac.pk])),
    ]
    budgets = []
    for page_client, url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert page_client.get(url).status_code == 200, url
        budgets.append(len(queries))

    services.schedule_series(
        forum=marac,
        start_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        actor=partnership_manager,
    )
    for meeting in series[2:8]:
        services.cancel_meeting(meeting=meeting, reason="", actor=partnership_manager)
    assert CalendarMessage.objects.filter(forum=marac).count() > 20
    for (page_client, url), budget in zip(pages, budgets, strict=True):
        with django_assert_max_num_queries(budget):
            assert page_client.get(url).status_code == 200, url
    assert max(budgets) <= 20
