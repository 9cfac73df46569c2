"""A forum's schedule is checked in its form for what Outlook can store, and the manager sees
the next twelve meetings in UK time, marked after each clock change, before saving."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.calendars.schedule import LONDON
from meetings.models import Forum, validate_rrule
from tests.calendars.forum_form import administrators_forum_form, forum_form_data

pytestmark = pytest.mark.django_db


def _errors(**overrides) -> dict:
    form = administrators_forum_form(**overrides)
    form.is_valid()
    return form.errors


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "one day of the month"),
        ("FREQ=MONTHLY;BYDAY=2TU,4TU", "one day of the month"),
        ("FREQ=MONTHLY;BYDAY=TU", "say which one in the month"),
        ("FREQ=MONTHLY;BYDAY=TU;BYMONTHDAY=10", "one day of the month"),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1,3", "one day of the month"),
        ("FREQ=YEARLY;BYMONTH=3,9;BYDAY=1MO", "one month"),
        ("RDATE:20260101T100000", "add a meeting on an extra date as a single meeting"),
        ("FREQ=MONTHLY;BYDAY=2TU\nRDATE:20260301", "add a meeting on an extra date"),
        ("FREQ=DAILY;BYHOUR=9,15", "without a time of day"),
        ("FREQ=DAILY;BYMONTHDAY=1,15", "a daily rule cannot use BYMONTHDAY"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "a daily rule cannot use BYDAY"),
        ("FREQ=WEEKLY;BYMONTHDAY=1,15", "a weekly rule cannot use BYMONTHDAY"),
        ("FREQ=WEEKLY;BYDAY=TU;BYSETPOS=1", "a weekly rule cannot use BYSETPOS"),
        ("FREQ=WEEKLY;BYDAY=1TU,3TU", "weekdays without a number, not BYDAY=1TU"),
        ("FREQ=YEARLY;BYYEARDAY=1,100,200", "a yearly rule cannot use BYYEARDAY"),
        ("FREQ=YEARLY;BYWEEKNO=1,20", "a yearly rule cannot use BYWEEKNO"),
        ("FREQ=MONTHLY;BYMONTH=3", "a monthly rule cannot use BYMONTH"),
        ("FREQ=MONTHLY;BYDAY=5TU", "BYDAY=5TU is not in every month"),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=5", "BYSETPOS=5 is not in every month"),
        ("FREQ=MONTHLY;BYMONTHDAY=31", "BYMONTHDAY=31 is not in every month"),
        ("FREQ=MONTHLY;BYMONTHDAY=29", "Outlook moves those meetings to the last day"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "BYMONTHDAY=-1 counts back from the end of the month"),
        ("FREQ=MONTHLY;BYMONTHDAY=15;BYSETPOS=1", "BYSETPOS needs one weekday"),
        ("FREQ=MONTHLY;BYDAY=2TU;BYSETPOS=1", "BYSETPOS cannot be used with a numbered weekday"),
        ("FREQ=YEARLY;BYMONTHDAY=15", "a yearly rule with BYDAY or BYMONTHDAY needs its month"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "BYMONTHDAY=29 is not in every month"),
    ],
)
def test_rules_outlook_cannot_store_are_refused_with_a_reason(rule, message):
    [error] = _errors(schedule_rrule=rule)["schedule_rrule"]
    assert message in error


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=TH",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
        "FREQ=MONTHLY;BYDAY=2TU",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE",
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE;COUNT=8",
        "FREQ=YEARLY;BYMONTH=6;BYDAY=1WE",
        "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31",
        "FREQ=DAILY;INTERVAL=2",
    ],
)
def test_rules_outlook_can_store_are_accepted(rule):
    validate_rrule(rule)
    assert "schedule_rrule" not in _errors(schedule_rrule=rule)


def test_a_monthly_rule_without_its_own_day_cannot_start_on_a_day_short_months_lack():
    [error] = _errors(schedule_rrule="FREQ=MONTHLY", schedule_starts_on="2026-01-31")[
        "schedule_rrule"
    ]
    assert "Enter a rule with its own day, like BYMONTHDAY=28" in error
    assert "starts on day 31, which is not in every month" in error
    assert not _errors(schedule_rrule="FREQ=MONTHLY", schedule_starts_on="2026-01-28")


@pytest.mark.parametrize(
    "address",
    [
        "noreply@council.example",
        "no-reply@council.example",
        "No_Reply.Marac@council.example",
        "donotreply@council.example",
        "do-not-reply@council.example",
    ],
)
def test_a_no_reply_organiser_mailbox_is_refused_at_its_field(partnership_manager_client, address):
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"), forum_form_data(organiser_email=address)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a monitored mailbox, not a no-reply address" in html
    assert 'href="#id_organiser_email"' in html
    assert not Forum.objects.filter(name="Weekly operational group").exists()


def test_a_forum_with_a_schedule_needs_an_organiser_mailbox(partnership_manager_client):
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"), forum_form_data(organiser_email="")
    )
    html = response.content.decode()
    assert "Enter the organiser mailbox: invitations to the forum" in html
    assert 'href="#id_organiser_email"' in html
    assert not Forum.objects.filter(name="Weekly operational group").exists()
    assert "organiser_email" not in _errors(schedule_rrule="", organiser_email="")


def test_the_schedule_fields_fetch_the_preview_as_the_manager_types(partnership_manager_client):
    html = partnership_manager_client.get(reverse("meetings:forum-create")).content.decode()
    for field, trigger in [
        ("id_schedule_weeks_apart", "input changed delay:500ms"),
        ("id_schedule_months_apart", "input changed delay:500ms"),
        ("id_schedule_starts_on", "input changed delay:500ms"),
        ("id_schedule_time", "input changed delay:500ms"),
        ("id_schedule_meeting_count", "input changed delay:500ms"),
        ("id_schedule_pattern_0", "change"),
        ("id_schedule_weekdays_0", "change"),
        ("id_schedule_end_1", "change"),
    ]:
        tag = re.search(rf"<input[^>]*id=\"{field}\"[^>]*>", html).group(0)
        assert 'hx-post=""' in tag
        assert f'hx-trigger="{trigger}"' in tag
        assert 'hx-target="#schedule-preview"' in tag
        assert "hx-vals" in tag and "preview" in tag
    for field in ("id_schedule_week_of_month", "id_schedule_weekday"):
        tag = re.search(rf"<select[^>]*id=\"{field}\"[^>]*>", html).group(0)
        assert 'hx-trigger="input changed delay:500ms"' in tag
    assert 'id="schedule-preview"' in html
    assert re.search(r'<script src="[^"]*htmx[^"]*\.js"', html)
    # The strict CSP allows no inline script or style, so none is written.
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert " style=" not in html
    # Without JavaScript the button previews, landing on the preview.
    assert 'name="preview" value="yes" formaction="#schedule-preview"' in html


def test_the_preview_partial_answers_an_htmx_request_alone_and_saves_nothing(
    partnership_manager_client,
):
    with time_machine.travel(date(2026, 3, 1)):
        response = partnership_manager_client.post(
            reverse("meetings:forum-create"),
            {**forum_form_data(name=""), "preview": "yes"},
            HTTP_HX_REQUEST="true",
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="schedule-preview"')
    assert "<html" not in html
    assert html.count('<tr class="govuk-table__row">') == 13
    assert "After the clocks go forward (British Summer Time)" in html
    assert not Forum.objects.exists()


def test_the_preview_partial_says_why_a_rule_makes_no_meetings(administrator_client):
    response = administrator_client.post(
        reverse("meetings:forum-create"),
        {**forum_form_data(schedule_rrule="FREQ=MONTHLY;BYDAY=5TU"), "preview": "yes"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Choose how often the forum meets, the date the series starts" in html
    assert "BYDAY=5TU is not in every month" in html


def test_preview_shows_the_next_twelve_meetings_marks_the_clock_change_and_saves_nothing(
    partnership_manager_client,
):
    with time_machine.travel(date(2026, 3, 1)):
        response = partnership_manager_client.post(
            reverse("meetings:forum-create"), {**forum_form_data(), "preview": "yes"}
        )
    assert response.status_code == 200
    assert not Forum.objects.filter(name="Weekly operational group").exists()
    preview = response.context["preview"]
    assert len(preview) == 12
    assert [o.start.date() for o in preview[:5]] == [
        date(2026, 3, 5),
        date(2026, 3, 12),
        date(2026, 3, 19),
        date(2026, 3, 26),
        date(2026, 4, 2),
    ]
    assert {o.start.astimezone(LONDON).hour for o in preview} == {10}
    marked = [o for o in preview if o.clock_change]
    assert [o.start.date() for o in marked] == [date(2026, 4, 2)]
    html = response.content.decode()
    assert "After the clocks go forward (British Summer Time)" in html
    assert "Thursday 2 April 2026" in html


def test_preview_after_the_autumn_change_says_the_clocks_went_back(partnership_manager_client):
    with time_machine.travel(date(2026, 10, 1)):
        response = partnership_manager_client.post(
            reverse("meetings:forum-create"), {**forum_form_data(), "preview": "yes"}
        )
    marked = [o for o in response.context["preview"] if o.clock_change]
    assert [(o.start.date(), o.clock_change) for o in marked] == [
        (date(2026, 10, 29), "After the clocks go back (Greenwich Mean Time)")
    ]


def test_a_bad_rule_is_shown_at_the_field_and_nothing_is_saved(administrator_client):
    response = administrator_client.post(
        reverse("meetings:forum-create"),
        forum_form_data(schedule_rrule="FREQ=MONTHLY;BYMONTHDAY=1,15"),
    )
    assert response.status_code == 200
    assert (
        "Enter a rule Outlook can store: a monthly rule meets on one day"
        in response.content.decode()
    )
    assert 'href="#id_schedule_rrule"' in response.content.decode()
    assert not Forum.objects.filter(name="Weekly operational group").exists()


def test_the_rule_cannot_be_removed_while_meetings_are_planned_from_it(
    series, marac, partnership_manager_client, clock
):
    data = {
        "name": marac.name,
        "kind": marac.kind_id,
        "level": marac.level,
        "discusses_cases": "yes",
        "schedule_pattern": "none",
        "member_agencies": [a.pk for a in marac.member_agencies.all()],
        "members": [m.pk for m in marac.members.all()],
        "organiser_email": marac.organiser_email,
        "is_active": "on",
    }
    response = partnership_manager_client.post(
        reverse("meetings:forum-edit", args=[marac.pk]), data
    )
    assert response.status_code == 200
    assert "cancel the series before removing its recurrence rule" in response.content.decode()
    marac.refresh_from_db()
    assert marac.schedule_rrule == "FREQ=MONTHLY;BYDAY=2TU"


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;BYMONTHDAY=1,15", "FREQ=MONTHLY;BYDAY=5TU"])
def test_a_rule_outlook_cannot_store_is_refused_by_the_model_too(rule):
    # Services, the demo and the shell save forums without the form.
    with pytest.raises(ValidationError, match="Outlook can store"):
        validate_rrule(rule)
