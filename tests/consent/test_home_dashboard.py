"""The home page counts what needs each person's attention, by role."""

import pytest
from django.urls import reverse

from sharing.models import ClosureReason, DataCategory, Purpose
from sharing.services import close_case, request_consent


def _cards(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {card.title: card.count for card in response.context["cards"]}


@pytest.mark.django_db
def test_an_officer_sees_their_open_cases_and_requests_waiting_for_the_authority(
    officer_client, officer, case, police
):
    request_consent(
        case=case, recipients=[police], purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY], necessity="Safety plan", actor=officer,
    )  # fmt: skip
    cards = _cards(officer_client)
    assert cards["Your open cases"] == 1
    assert cards["Waiting for the Authority"] == 1
    assert "Consent requests" not in cards


@pytest.mark.django_db
def test_the_authority_sees_how_many_requests_need_a_decision(
    authority_client, officer, make_case, police
):
    for _ in range(3):
        request_consent(
            case=make_case(), recipients=[police], purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=[DataCategory.IDENTITY], necessity="Safety plan", actor=officer,
        )  # fmt: skip
    cards = _cards(authority_client)
    assert cards["Consent requests"] == 3
    assert "Your open cases" not in cards


@pytest.mark.django_db
def test_a_partner_sees_what_was_shared_with_their_agency_and_no_case_counts(partner_client):
    cards = _cards(partner_client)
    assert cards["Shared with your agency"] == 0
    assert "Your open cases" not in cards and "Consent requests" not in cards


@pytest.mark.django_db
def test_the_open_cases_card_opens_the_list_of_exactly_those_cases(
    officer_client, officer, make_case
):
    open_case, _ = make_case(), make_case()
    closed = make_case()
    close_case(case=closed, reason=ClosureReason.NEEDS_MET, actor=officer)

    card = next(
        card
        for card in officer_client.get(reverse("home")).context["cards"]
        if card.title == "Your open cases"
    )
    listed = officer_client.get(card.url).context["page"].object_list

    assert card.count == len(listed) == 2
    assert closed not in listed and open_case in listed
