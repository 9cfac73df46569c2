"""A forum's schedule is built from plain choices (every few weeks on some weekdays, or every
few months on the first to fourth or last weekday, with an end), written as the rule the
calendars read, and read back into the same choices. Only administrators write a rule by hand;
a rule the builder cannot say is kept for everyone else."""

import calendar
import re
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.urls import reverse

from core.authority import NotPermitted
from core.roles import Role
from meetings import services
from meetings.forms import ForumForm
from meetings.models import Forum, validate_rrule
from tests.calendars.forum_form import forum_form_data
from tests.factories import ForumFactory

pytestmark = pytest.mark.django_db

STARTS_ON = date(2026, 3, 1)  # a Sunday
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ADVANCED_RULE = "FREQ=YEARLY;BYMONTH=3;BYDAY=1TU"


def weekly(weeks_apart=1, days=("TH",), **end):
    return {
        "schedule_pattern": "weekly",
        "schedule_weeks_apart": str(weeks_apart),
        "schedule_weekdays": list(days),
        **_end(**end),
    }


def monthly(months_apart=1, position="2", weekday="TU", **end):
    return {
        "schedule_pattern": "monthly",
        "schedule_months_apart": str(months_apart),
        "schedule_week_of_month": position,
        "schedule_weekday": weekday,
        **_end(**end),
    }


def _end(ends_on=None, count=None):
    if ends_on:
        return {"schedule_end": "date", "schedule_ends_on": ends_on}
    if count:
        return {"schedule_end": "count", "schedule_meeting_count": str(count)}
    return {"schedule_end": "never"}


def _built_rule(answers, user) -> str:
    form = ForumForm(data=forum_form_data(**answers), user=user)
    assert form.is_valid(), form.errors
    return form.cleaned_data["schedule_rrule"]


def _answers_read_back(rule, user) -> dict:
    forum = Forum(schedule_rrule=rule, schedule_starts_on=STARTS_ON)
    form = ForumForm(instance=forum, user=user)
    read = {}
    for name, value in form.initial.items():
        if name.startswith("schedule_") and name in form.fields:
            read[name] = (
                list(value) if isinstance(value, list | tuple) else
                value.isoformat() if isinstance(value, date) else str(value)
            )  # fmt: skip
    return read


def _expansion(rule, count=6) -> list[date]:
    return [moment.date() for moment in rrulestr(rule, dtstart=datetime(2026, 3, 1, 10))[:count]]


# Every schedule the builder offers --------------------------------------------------------------

EVERY_SCHEDULE = [
    *[weekly(days=[day]) for day in WEEKDAYS],
    *[weekly(weeks_apart=n) for n in (2, 3, 4, 12)],
    weekly(days=["MO", "WE", "FR"]),
    weekly(weeks_apart=2, days=["TU", "TH"]),
    *[monthly(position=position) for position in ("1", "2", "3", "4", "-1")],
    *[monthly(weekday=day) for day in WEEKDAYS],
    *[monthly(months_apart=n, position="-1", weekday="FR") for n in (2, 3, 6, 12)],
    weekly(ends_on="2026-06-30"),
    weekly(count=10),
    monthly(ends_on="2027-03-01"),
    monthly(count=1),
    monthly(months_apart=3, position="1", weekday="WE", count=200),
]


def _label(answers):
    return "-".join(
        str(value if not isinstance(value, list) else "+".join(value))
        for name, value in answers.items()
        if name != "schedule_end"
    )


@pytest.mark.parametrize("answers", EVERY_SCHEDULE, ids=[_label(a) for a in EVERY_SCHEDULE])
def test_every_schedule_the_builder_offers_is_read_back_from_its_rule(answers, partnership_manager):
    rule = _built_rule(answers, partnership_manager)
    validate_rrule(rule)
    read = _answers_read_back(rule, partnership_manager)
    assert {name: read[name] for name in answers} == answers


@pytest.mark.parametrize("answers", EVERY_SCHEDULE, ids=[_label(a) for a in EVERY_SCHEDULE])
def test_every_rule_the_builder_writes_meets_on_the_days_it_says(answers, partnership_manager):
    rule = _built_rule(answers, partnership_manager)
    meetings = _expansion(rule, count=250)
    assert meetings, rule
    assert meetings[0] >= STARTS_ON
    if answers["schedule_pattern"] == "weekly":
        days = {WEEKDAYS.index(day) for day in answers["schedule_weekdays"]}
        assert {meeting.weekday() for meeting in meetings} <= days
        weeks_apart = int(answers["schedule_weeks_apart"])
        first_monday = meetings[0] - timedelta(days=meetings[0].weekday())
        assert all(((meeting - first_monday).days // 7) % weeks_apart == 0 for meeting in meetings)
    else:
        weekday = WEEKDAYS.index(answers["schedule_weekday"])
        position = int(answers["schedule_week_of_month"])
        months_apart = int(answers["schedule_months_apart"])
        for meeting in meetings:
            assert meeting.weekday() == weekday
            last_day = calendar.monthrange(meeting.year, meeting.month)[1]
            if position == -1:
                assert meeting.day + 7 > last_day
            else:
                assert (meeting.day - 1) // 7 + 1 == position
        months = [meeting.year * 12 + meeting.month for meeting in meetings]
        assert all(later - earlier == months_apart for earlier, later in pairwise(months))
    if "schedule_ends_on" in answers:
        assert meetings[-1] <= date.fromisoformat(answers["schedule_ends_on"])
    if "schedule_meeting_count" in answers:
        assert len(meetings) == int(answers["schedule_meeting_count"])


@pytest.mark.parametrize(
    ("answers", "rule", "first_meetings"),
    [
        (
            monthly(position="2", weekday="TU"),
            "FREQ=MONTHLY;BYDAY=2TU",
            [date(2026, 3, 10), date(2026, 4, 14), date(2026, 5, 12)],
        ),
        (
            monthly(months_apart=3, position="-1", weekday="FR"),
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR",
            [date(2026, 3, 27), date(2026, 6, 26), date(2026, 9, 25)],
        ),
        (
            # Weeks run Monday to Sunday: the series starts on Sunday 1 March, in the week
            # of 23 February, so the next week but one holds its first Wednesday.
            weekly(weeks_apart=2, days=["WE"]),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
            [date(2026, 3, 11), date(2026, 3, 25), date(2026, 4, 8)],
        ),
        (
            weekly(days=["FR", "MO"], count=3),
            "FREQ=WEEKLY;COUNT=3;BYDAY=MO,FR",
            [date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 9)],
        ),
        (
            monthly(position="1", weekday="MO", ends_on="2026-05-04"),
            "FREQ=MONTHLY;UNTIL=20260504T235959;BYDAY=1MO",
            [date(2026, 3, 2), date(2026, 4, 6), date(2026, 5, 4)],
        ),
    ],
)
def test_the_builder_writes_the_rule_and_its_first_meetings(
    answers, rule, first_meetings, partnership_manager
):
    built = _built_rule(answers, partnership_manager)
    assert built == rule
    assert _expansion(built)[:3] == first_meetings


def test_a_partnership_manager_builds_second_tuesday_monthly_without_typing_a_rule(
    partnership_manager_client,
):
    data = forum_form_data(name="Salford MARAC", **monthly(position="2", weekday="TU"))
    response = partnership_manager_client.post(reverse("meetings:forum-create"), data)
    assert response.status_code == 302, response.content.decode()
    forum = Forum.objects.get(name="Salford MARAC")
    assert forum.schedule_rrule == "FREQ=MONTHLY;BYDAY=2TU"
    page = partnership_manager_client.get(response["Location"]).content.decode()
    assert "Monthly on the second Tuesday" in page


def test_the_change_page_shows_the_builder_filled_in_from_the_rule(
    partnership_manager_client, make_forum
):
    forum = make_forum(schedule_rrule="FREQ=MONTHLY;INTERVAL=2;COUNT=8;BYDAY=-1FR")
    html = partnership_manager_client.get(
        reverse("meetings:forum-edit", args=[forum.pk])
    ).content.decode()
    assert re.search(r'<input[^>]*value="monthly" checked', html)
    assert 'name="schedule_months_apart" value="2"' in html
    assert '<option value="-1" selected>Last</option>' in html
    assert '<option value="FR" selected>Friday</option>' in html
    assert re.search(r'<input[^>]*value="count" checked', html)
    assert 'name="schedule_meeting_count" value="8"' in html
    # The chosen answers are shown; the others wait behind their radios.
    assert 'class="govuk-radios__conditional" id="conditional-id_schedule_pattern_1"' in html
    assert "govuk-radios__conditional--hidden" in html
    assert "set up in advanced form" not in html


def test_saving_the_same_schedule_keeps_its_rule_as_written(partnership_manager, make_forum):
    forum = make_forum(schedule_rrule="FREQ=MONTHLY;INTERVAL=1;BYDAY=+2TU")
    form = ForumForm(
        data=forum_form_data(name=forum.name, **monthly(position="2", weekday="TU")),
        instance=forum,
        user=partnership_manager,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["schedule_rrule"] == "FREQ=MONTHLY;INTERVAL=1;BYDAY=+2TU"
    assert "schedule_rrule" not in form.changed_data


def test_the_preview_shows_the_meetings_the_built_schedule_makes(partnership_manager_client):
    with time_machine.travel(date(2026, 3, 1)):
        response = partnership_manager_client.post(
            reverse("meetings:forum-create"),
            {**forum_form_data(**monthly(position="2", weekday="TU", count=3)), "preview": "yes"},
            HTTP_HX_REQUEST="true",
        )
    preview = response.context["preview"]
    assert [occurrence.start.date() for occurrence in preview] == [
        date(2026, 3, 10),
        date(2026, 4, 14),
        date(2026, 5, 12),
    ]
    assert not Forum.objects.exists()


def test_the_preview_says_what_stops_the_schedule(partnership_manager_client):
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"),
        {**forum_form_data(**monthly(position="")), "preview": "yes"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Choose how often the forum meets, the date the series starts" in html
    assert "Choose which one in the month, like the second" in html


# Bad answers are refused at their question --------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"schedule_pattern": ""}, "schedule_pattern", "Choose how often the forum meets"),
        ({"schedule_pattern": "yearly"}, "schedule_pattern", "Choose how often the forum meets"),
        (monthly(position=""), "schedule_week_of_month", "Choose which one in the month"),
        (monthly(position="5"), "schedule_week_of_month", "Choose the first, second, third"),
        (monthly(weekday=""), "schedule_weekday", "Choose the day of the week the forum meets"),
        (weekly(days=[]), "schedule_weekdays", "Choose the day of the week the forum meets"),
        (weekly(days=["XX"]), "schedule_weekdays", "Choose days of the week from the list"),
        (weekly(weeks_apart=0), "schedule_weeks_apart", "Enter a number of weeks from 1 to 12"),
        (weekly(weeks_apart=13), "schedule_weeks_apart", "Enter a number of weeks from 1 to 12"),
        (weekly(weeks_apart="two"), "schedule_weeks_apart", "Enter a number of weeks from 1 to 12"),
        (weekly(weeks_apart="²"), "schedule_weeks_apart", "Enter a number of weeks from 1 to 12"),
        (monthly(months_apart=0), "schedule_months_apart", "Enter a number of months from 1 to 12"),
        (
            monthly(months_apart=13),
            "schedule_months_apart",
            "Enter a number of months from 1 to 12",
        ),
        (monthly(count="0"), "schedule_meeting_count", "Enter a number of meetings from 1 to 200"),
        (weekly(count=201), "schedule_meeting_count", "Enter a number of meetings from 1 to 200"),
        (
            {**weekly(), "schedule_end": "count"},
            "schedule_meeting_count",
            "Enter a number of meetings from 1 to 200",
        ),
        (
            {**weekly(), "schedule_end": "date"},
            "schedule_ends_on",
            "Enter the date the series ends",
        ),
        (
            weekly(ends_on="2026-02-28"),
            "schedule_ends_on",
            "The date of the last meeting must be on or after the date the series starts",
        ),
        (
            monthly(position="2", weekday="TU", ends_on="2026-03-09"),
            "schedule_ends_on",
            "The series would end before its first meeting",
        ),
        ({**weekly(), "schedule_end": "sometime"}, "schedule_end", "Choose when the series ends"),
    ],
)
def test_a_schedule_that_makes_no_sense_is_refused_at_its_question_and_nothing_is_saved(
    partnership_manager_client, answers, field, message
):
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"), forum_form_data(**answers)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    choices = {"schedule_pattern", "schedule_weekdays", "schedule_end"}
    anchor = f"id_{field}_0" if field in choices else f"id_{field}"
    assert f'href="#{anchor}"' in html
    assert f'id="{anchor}"' in html
    assert not Forum.objects.exists()


def test_answers_under_a_choice_not_taken_are_not_read(partnership_manager):
    answers = {
        **monthly(position="3", weekday="WE"),
        "schedule_weeks_apart": "0",
        "schedule_weekdays": ["XX"],
        "schedule_ends_on": "not a date",
        "schedule_meeting_count": "999",
    }
    assert _built_rule(answers, partnership_manager) == "FREQ=MONTHLY;BYDAY=3WE"


def test_no_regular_schedule_writes_no_rule(partnership_manager):
    rule = _built_rule({"schedule_pattern": "none", "organiser_email": ""}, partnership_manager)
    assert rule == ""


# Rules written by hand ----------------------------------------------------------------------------


@pytest.fixture
def yearly_forum(administrator):
    return ForumFactory(
        name="Annual review board", schedule_rrule=ADVANCED_RULE, actor=administrator
    )


def test_a_rule_the_builder_cannot_say_is_kept_when_a_partnership_manager_saves(
    partnership_manager_client, yearly_forum
):
    url = reverse("meetings:forum-edit", args=[yearly_forum.pk])
    html = partnership_manager_client.get(url).content.decode()
    assert "This forum’s schedule was set up in advanced form" in html
    assert "Yearly on the first Tuesday in March" in html
    assert "An administrator can change it" in html
    assert 'name="schedule_pattern"' not in html
    assert 'name="schedule_rrule"' not in html
    data = forum_form_data(
        name="Annual partnership review board",
        schedule_starts_on=yearly_forum.schedule_starts_on.isoformat(),
        is_active="on",
        # Posted by hand: neither is a question on this person's page.
        schedule_pattern="weekly",
        schedule_rrule="FREQ=DAILY",
    )
    response = partnership_manager_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    yearly_forum.refresh_from_db()
    assert yearly_forum.name == "Annual partnership review board"
    assert yearly_forum.schedule_rrule == ADVANCED_RULE


def test_a_kept_rule_still_refuses_a_start_day_short_months_lack(
    partnership_manager_client, administrator
):
    # FREQ=MONTHLY alone repeats the start date's day, which the builder cannot say.
    forum = ForumFactory(schedule_rrule="FREQ=MONTHLY", actor=administrator)
    data = forum_form_data(name=forum.name, schedule_starts_on="2026-01-31", is_active="on")
    response = partnership_manager_client.post(
        reverse("meetings:forum-edit", args=[forum.pk]), data
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["schedule_starts_on"]
    assert "the series starts on day 31" in error
    forum.refresh_from_db()
    assert forum.schedule_starts_on == date(2026, 1, 1)


def test_an_administrator_sees_the_rule_as_written_and_may_change_it(
    administrator_client, yearly_forum
):
    url = reverse("meetings:forum-edit", args=[yearly_forum.pk])
    html = administrator_client.get(url).content.decode()
    assert re.search(r'<input[^>]*value="advanced" checked', html)
    assert f'value="{ADVANCED_RULE}"' in html
    assert "set up in advanced form" not in html
    data = forum_form_data(
        name=yearly_forum.name,
        schedule_rrule="FREQ=YEARLY;BYMONTH=9;BYDAY=-1MO",
        is_active="on",
    )
    response = administrator_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    yearly_forum.refresh_from_db()
    assert yearly_forum.schedule_rrule == "FREQ=YEARLY;BYMONTH=9;BYDAY=-1MO"


def test_an_administrator_sets_up_a_forum_with_a_rule_written_by_hand(administrator_client):
    response = administrator_client.post(
        reverse("meetings:forum-create"),
        forum_form_data(schedule_rrule="freq=yearly;bymonth=3;byday=1TU"),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Forum.objects.get().schedule_rrule == ADVANCED_RULE


def test_an_administrator_still_has_the_builder(administrator_client):
    data = forum_form_data(**weekly(days=["TU"]), schedule_rrule="FREQ=DAILY")
    response = administrator_client.post(
        reverse("meetings:forum-create"), {**data, "schedule_pattern": "weekly"}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Forum.objects.get().schedule_rrule == "FREQ=WEEKLY;BYDAY=TU"


def test_a_partnership_manager_is_not_offered_the_rule_and_cannot_post_one(
    partnership_manager_client,
):
    html = partnership_manager_client.get(reverse("meetings:forum-create")).content.decode()
    assert "Write the rule yourself" not in html
    assert 'name="schedule_rrule"' not in html
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"), forum_form_data(schedule_rrule=ADVANCED_RULE)
    )
    assert response.status_code == 200
    assert "Choose how often the forum meets from the list" in response.content.decode()
    assert not Forum.objects.exists()
    # A rule posted beside the builder's answers is not read.
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"),
        {**forum_form_data(), "schedule_rrule": ADVANCED_RULE},
    )
    assert response.status_code == 302
    assert Forum.objects.get().schedule_rrule == "FREQ=WEEKLY;BYDAY=TH"


def test_the_service_refuses_a_rule_written_by_hand_from_someone_who_may_not_write_one(
    partnership_manager, administrator, yearly_forum
):
    with pytest.raises(NotPermitted):
        ForumFactory(schedule_rrule=ADVANCED_RULE, actor=partnership_manager)
    marac = ForumFactory(name="Manchester MARAC", actor=partnership_manager)
    marac.schedule_rrule = ADVANCED_RULE
    with pytest.raises(NotPermitted):
        services.save_forum(forum=marac, member_agencies=[], members=[], actor=partnership_manager)
    assert Forum.objects.get(pk=marac.pk).schedule_rrule == "FREQ=MONTHLY;BYDAY=2TU"
    # A rule kept as it is may be saved by anyone who manages forums; one the builder can say
    # is anyone's to write.
    yearly_forum.schedule_location = "The Civic Centre"
    services.save_forum(
        forum=yearly_forum, member_agencies=[], members=[], actor=partnership_manager
    )
    marac.schedule_rrule = "FREQ=MONTHLY;BYDAY=-1WE"
    services.save_forum(forum=marac, member_agencies=[], members=[], actor=partnership_manager)
    marac.schedule_rrule = ADVANCED_RULE
    services.save_forum(forum=marac, member_agencies=[], members=[], actor=administrator)
    assert Forum.objects.get(pk=marac.pk).schedule_rrule == ADVANCED_RULE


def test_only_administrators_carry_the_right_to_write_a_rule_by_hand(make_user):
    holders = {role for role in Role if make_user(role).has_perm("meetings.write_schedule_rule")}
    assert holders == {Role.ADMINISTRATOR}
