"""An officer's consent requests on their cases, and where each stands: the list the home page's
"Waiting for the Authority" card opens, counting exactly what it lists."""

import pytest
from django.urls import reverse

from sharing.models import ConsentRequestStatus, DataCategory, Purpose
from sharing.services import decide_consent_request, request_consent

pytestmark = pytest.mark.django_db

MINE = "/consent/requests/mine/"


def _ask(case, officer, police):
    return request_consent(
        case=case,
        recipients=[police],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY],
        necessity="Safety plan",
        actor=officer,
    )


def _listed(response):
    return [asked.pk for asked in response.context["page"].object_list]


def test_the_waiting_card_opens_the_pending_requests_it_counts(
    officer_client, officer, make_case, police, authority_user
):
    waiting = [_ask(make_case(), officer, police) for _ in range(2)]
    refused = _ask(make_case(), officer, police)
    decide_consent_request(
        request=refused, decision="refuse", reason="Not proportionate", actor=authority_user
    )

    card = next(
        card
        for card in officer_client.get(reverse("home")).context["cards"]
        if card.title == "Waiting for the Authority"
    )
    listed = _listed(officer_client.get(card.url))

    assert card.count == len(listed) == 2
    assert set(listed) == {asked.pk for asked in waiting}


def test_the_list_shows_every_state_newest_first_and_filters_by_state(
    officer_client, officer, make_case, police, authority_user
):
    first = _ask(make_case(), officer, police)
    second = _ask(make_case(), officer, police)
    decide_consent_request(
        request=first, decision="refuse", reason="Not proportionate", actor=authority_user
    )

    everything = officer_client.get(MINE)
    refused = officer_client.get(MINE, {"status": ConsentRequestStatus.REFUSED})

    assert _listed(everything) == [second.pk, first.pk]
    assert "Refused" in everything.content.decode()
    assert _listed(refused) == [first.pk]
    bad = officer_client.get(MINE, {"status": "lost"})
    assert _listed(bad) == []
    assert bad.context["filter"].errors["status"] == ["Choose a state from the list"]


def test_requests_on_cases_the_officer_does_not_work_on_are_not_listed(
    officer_client, officer, manager, make_case, make_user, police
):
    colleague = make_user("safeguarding officer")
    theirs = make_case(officers=[colleague], actor=manager)
    _ask(theirs, colleague, police)
    mine = _ask(make_case(), officer, police)

    assert _listed(officer_client.get(MINE)) == [mine.pk]


def test_only_those_who_hold_cases_have_the_list(authority_client, partner_client):
    assert authority_client.get(MINE).status_code == 403
    assert partner_client.get(MINE).status_code == 403


def test_the_list_runs_a_fixed_number_of_queries_however_long_it_is(
    officer_client, officer, make_case, police, django_assert_max_num_queries
):
    for _ in range(60):
        _ask(make_case(), officer, police)
    # The session and user, the count, the page and its agencies, and the "viewed" event.
    with django_assert_max_num_queries(18):
        response = officer_client.get(MINE)
    assert len(_listed(response)) == 50
