"""A forum's schedule is checked in its form for what Outlook can store, and the manager sees
the next twelve meetings in UK time, marked after each clock change, before saving."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Forum, ForumKind, validate_rrule
from meetings.schedule import LONDON

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "one meeting a month"),
        ("FREQ=MONTHLY;BYDAY=2TU,4TU", "one meeting a month"),
        ("FREQ=MONTHLY;BYDAY=TU", "one meeting a month"),
        ("FREQ=MONTHLY;BYDAY=TU;BYMONTHDAY=10", "one meeting a month"),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1,3", "one meeting a month"),
        ("FREQ=YEARLY;BYMONTH=3,9;BYDAY=1MO", "one month"),
        ("RDATE:20260101T100000", "add a meeting on an extra date as a single meeting"),
        ("FREQ=MONTHLY;BYDAY=2TU\nRDATE:20260301", "add a meeting on an extra date"),
        ("FREQ=DAILY;BYHOUR=9,15", "without a time of day"),
    ],
)
def test_rules_outlook_cannot_store_are_refused_with_a_reason(rule, message):
    with pytest.raises(ValidationError, match=message):
        validate_rrule(rule)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=2TU",
        "FREQ=MONTHLY;BYDAY=-1TH",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
        "FREQ=YEARLY;BYMONTH=6;BYDAY=1WE",
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE;COUNT=8",
    ],
)
def test_rules_outlook_can_store_are_accepted(rule):
    validate_rrule(rule)


def _form_data(**overrides):
    kind = ForumKind.objects.get(code="operational-working-group")
    data = {
        "name": "Weekly operational group",
        "kind": kind.pk,
        "schedule_rrule": "FREQ=WEEKLY;BYDAY=TH",
        "schedule_starts_on": "2026-03-01",
        "schedule_time": "10:00",
        "schedule_duration_minutes": "60",
        "schedule_location": "County Hall",
        "organiser_email": "group@example.org",
    }
    data.update(overrides)
    return data


def test_preview_shows_the_next_twelve_meetings_marks_the_clock_change_and_saves_nothing(
    partnership_manager_client,
):
    with time_machine.travel(date(2026, 3, 1)):
        response = partnership_manager_client.post(
            reverse("meetings:forum-create"), {**_form_data(), "preview": "yes"}
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
            reverse("meetings:forum-create"), {**_form_data(), "preview": "yes"}
        )
    marked = [o for o in response.context["preview"] if o.clock_change]
    assert [(o.start.date(), o.clock_change) for o in marked] == [
        (date(2026, 10, 29), "After the clocks go back (Greenwich Mean Time)")
    ]


def test_a_bad_rule_is_shown_at_the_field_and_nothing_is_saved(partnership_manager_client):
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"), _form_data(schedule_rrule="FREQ=MONTHLY;BYMONTHDAY=1,15")
    )
    assert response.status_code == 200
    assert "Enter a rule with one meeting a month" in response.content.decode()
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
        "schedule_rrule": "",
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
