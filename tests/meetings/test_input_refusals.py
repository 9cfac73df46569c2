"""Input that once crashed a meetings page, or was stored and then broke invitations and
calendars, is refused at the field (or read as a sensible default) and nothing is stored."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.calendars.schedule import occurrences
from meetings.forms import MinutesForm
from meetings.models import Forum, Meeting, validate_rrule
from meetings.recurrence import check_expansion_is_bounded
from tests.calendars.forum_form import administrators_forum_form, forum_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", "repeats at most once a day"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "BYMONTHDAY=30 is not a day of BYMONTH=2"),
        ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "BYMONTHDAY=31 is not a day of BYMONTH=4"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "BYMONTHDAY=30 is not a day of BYMONTH=2"),
        ("FREQ=DAILY;INTERVAL=0", "Enter an INTERVAL from 1 to 366"),
        ("FREQ=WEEKLY;BYDAY=MO;INTERVAL=99999999", "Enter an INTERVAL from 1 to 52"),
        ("FREQ=MONTHLY;BYDAY=2TU;COUNT=100000000", "Enter a COUNT from 1 to 1000"),
    ],
)
def test_impossible_and_explosive_rules_are_refused_without_expanding_them(rule, message):
    started = time.perf_counter()
    form = administrators_forum_form(schedule_rrule=rule)
    assert not form.is_valid()
    assert time.perf_counter() - started < 1
    [error] = form.errors["schedule_rrule"]
    assert message in error


def test_the_preview_of_a_rule_that_meets_rarely_looks_no_further_than_ten_years():
    form = administrators_forum_form(
        schedule_rrule="FREQ=YEARLY;INTERVAL=5;BYMONTH=3;BYDAY=1TU",
        schedule_starts_on="2026-03-01",
    )
    assert form.is_valid(), form.errors
    starts = [occurrence.start.year for occurrence in form.preview()]
    assert starts
    assert max(starts) - min(starts) <= 10


def test_a_forum_whose_stored_rule_is_impossible_makes_no_meetings_instead_of_searching_for_them(
    make_forum,
):
    # Stored before the form refused it: the forum's calendar and series must still answer.
    forum = make_forum()
    Forum.objects.filter(pk=forum.pk).update(schedule_rrule="FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30")
    forum.refresh_from_db()
    started = time.perf_counter()
    assert (
        occurrences(forum, forum.schedule_starts_on, forum.schedule_starts_on.replace(year=2027))
        == []
    )
    assert time.perf_counter() - started < 1


def test_a_rule_with_a_non_ascii_digit_is_refused_not_crashed():
    with pytest.raises(ValidationError, match="INTERVAL"):
        check_expansion_is_bounded("FREQ=DAILY;INTERVAL=²")
    with pytest.raises(ValidationError):
        validate_rrule("FREQ=DAILY;INTERVAL=²")


@pytest.mark.parametrize(
    "name", ["MARAC\r\nBCC: everyone@example.org", "MARAC\x1b[2J", "MARAC\u2028Board"]
)
def test_a_forum_name_with_a_line_break_or_control_character_is_refused_and_not_stored(
    partnership_manager_client, name
):
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"), forum_form_data(name=name)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Name must be on one line, without line breaks or control characters"
    ]
    assert 'href="#id_name"' in response.content.decode()
    assert not Forum.objects.filter(name__startswith="MARAC").exists()


def test_a_meeting_title_with_a_carriage_return_is_refused_and_not_stored(
    partnership_manager_client, marac
):
    response = partnership_manager_client.post(
        reverse("meetings:meeting-create", args=[marac.pk]),
        {
            "title": "Extra MARAC\rX-Injected: yes",
            "date": "2026-03-03",
            "start_time": "10:00",
            "end_time": "11:00",
            "location": "Town Hall",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        "Title must be on one line, without line breaks or control characters"
    ]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [("0001-01-01", "Date must be on or after"), ("9999-12-31", "Date must be on or before")],
)
def test_a_meeting_in_year_1_or_9999_is_refused_at_the_date(
    partnership_manager_client, marac, day, message
):
    response = partnership_manager_client.post(
        reverse("meetings:meeting-create", args=[marac.pk]),
        {"date": day, "start_time": "10:00", "end_time": "11:00", "location": "Town Hall"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"][0].startswith(message)
    assert not Meeting.objects.exists()


def test_minutes_longer_than_the_limit_are_refused_with_the_limit_named():
    form = MinutesForm(data={"body": "x" * 50_001})
    assert not form.is_valid()
    assert form.errors["body"] == ["Minutes must be 50,000 characters or fewer (it has 50,001)"]


@pytest.mark.parametrize(
    "query",
    [
        {"month": "9999-12"},
        {"month": "0001-01"},
        {"month": "²⁰²⁶-01"},
        {"view": "week", "date": "9999-12-31"},
        {"view": "week", "date": "0001-01-01"},
    ],
)
def test_my_meetings_reads_a_month_or_day_outside_the_calendar_as_today(
    partnership_manager_client, query
):
    response = partnership_manager_client.get(reverse("meetings:meeting-mine"), query)
    assert response.status_code == 200
