"""The Authority's queue puts urgent requests first and shows how many working days each has
waited against its target, counted in England and Wales working days."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from core.working_days import working_days_between
from meetings.calendars.schedule import LONDON
from sharing.models import ConsentRequest, ConsentUrgency, DataCategory, Purpose
from sharing.services import request_consent

QUEUE = "/consent/requests/"


def _ask(case, officer, police, *, at, urgency=ConsentUrgency.STANDARD):
    with time_machine.travel(at, tick=False):
        return request_consent(
            case=case,
            recipients=[police],
            purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=[DataCategory.IDENTITY],
            necessity="Safety plan",
            urgency=urgency,
            actor=officer,
        )


def test_working_days_skip_weekends_and_bank_holidays():
    # Friday to Tuesday: Monday and Tuesday.
    assert working_days_between(date(2026, 12, 4), date(2026, 12, 8)) == 2
    # Christmas Eve to the Tuesday after: Christmas Day and the Boxing Day holiday moved to
    # Monday the 28th are not working days.
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 12, 8), date(2026, 12, 8)) == 0


@pytest.mark.django_db
def test_urgent_requests_come_first_with_their_wait_against_the_target(
    authority_client, authority_user, officer, make_case, police, settings
):
    settings.PARTNERHUB_CONSENT_TARGET_WORKING_DAYS = {"urgent": 1, "standard": 5}
    standard = _ask(make_case(), officer, police, at=datetime(2026, 12, 4, 10, tzinfo=LONDON))
    urgent = _ask(
        make_case(),
        officer,
        police,
        at=datetime(2026, 12, 7, 10, tzinfo=LONDON),
        urgency=ConsentUrgency.URGENT,
    )

    with time_machine.travel(datetime(2026, 12, 9, 9, tzinfo=LONDON), tick=False):
        # Signed in on the day, as a session from the real today would have expired by then.
        authority_client.force_login(authority_user)
        response = authority_client.get(QUEUE)

    queued = response.context["pending"]
    assert [row.request.pk for row in queued] == [urgent.pk, standard.pk]
    assert [(row.waited, row.overdue) for row in queued] == [(2, True), (3, False)]
    html = response.content.decode()
    assert "Past the 1-day target" in html and "Urgent" in html


@pytest.mark.django_db
def test_an_officer_marks_a_request_urgent_and_a_request_is_standard_unless_marked(
    officer_client, case, police
):
    url = reverse("sharing:consent-request-create", args=[case.pk])
    fields = {
        "recipients": [police.pk],
        "purposes": [Purpose.SAFEGUARDING_REFERRAL],
        "categories": [DataCategory.IDENTITY],
        "necessity": "Police need her identity for a safety plan.",
    }
    assert officer_client.post(url, {**fields, "urgency": "urgent"}).status_code == 302
    assert officer_client.post(url, fields).status_code == 302
    refused = officer_client.post(url, {**fields, "urgency": "yesterday"})

    assert refused.status_code == 200
    assert "urgency" in refused.context["form"].errors
    assert sorted(ConsentRequest.objects.values_list("urgency", flat=True)) == [
        ConsentUrgency.STANDARD,
        ConsentUrgency.URGENT,
    ]
