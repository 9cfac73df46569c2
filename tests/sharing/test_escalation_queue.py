"""The safeguarding manager's queue of escalations awaiting a decision: what it holds, in what
order, and that the home page's card counts exactly what the queue lists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing import permissions, services
from sharing.models import Escalation, RiskLevel
from sharing.views.cases import CASES_PER_PAGE

pytestmark = pytest.mark.django_db

QUEUE = "/escalations/"


def _raised(case, officer, *, days_ago, reason="Risk rising"):
    escalation = services.escalate_case(case=case, reason=reason, actor=officer)
    Escalation.objects.filter(pk=escalation.pk).update(
        raised_at=timezone.now() - timedelta(days=days_ago)
    )
    return escalation


def _listed(response):
    return [escalation.pk for escalation in response.context["page"].object_list]


def test_the_queue_lists_undecided_escalations_oldest_first_with_their_age(
    manager_client, manager, officer, make_case
):
    recent = _raised(make_case(), officer, days_ago=1)
    oldest = _raised(make_case(), officer, days_ago=9)
    decided = _raised(make_case(), officer, days_ago=20)
    services.decide_escalation(escalation=decided, decision="advice_given", notes="", actor=manager)

    response = manager_client.get(QUEUE)

    assert _listed(response) == [oldest.pk, recent.pk]
    html = response.content.decode().replace("\xa0", " ")
    assert "1 week, 2 days" in html
    assert oldest.case.reference in html and decided.case.reference not in html


def test_each_row_opens_the_decision_and_shows_the_risk_who_raised_it_and_the_reason_cut_short(
    manager_client, officer, make_case
):
    reason = "<i>Threats</i> " + " ".join(f"word{number}" for number in range(30))
    escalation = _raised(make_case(risk_level=RiskLevel.HIGH), officer, days_ago=3, reason=reason)

    html = manager_client.get(QUEUE).content.decode()
    decide = reverse("sharing:escalation-decide", args=[escalation.pk])
    row = html[html.index(f'href="{decide}"') : html.index("</tr>", html.index(decide))]

    assert f"the escalation of</span> {escalation.case.reference}</a>" in row
    assert 'govuk-tag govuk-tag--red">High</strong>' in row
    assert officer.full_name in row
    assert "&lt;i&gt;Threats&lt;/i&gt; word0" in row and "<i>" not in row
    assert "word18 …" in row and "word19" not in row


def test_the_home_card_counts_what_the_queue_lists_and_opens_it(
    manager_client, manager, officer, make_case
):
    for days in (3, 2, 1):
        _raised(make_case(), officer, days_ago=days)
    services.decide_escalation(
        escalation=Escalation.objects.first(), decision="advice_given", notes="", actor=manager
    )

    card = next(
        card
        for card in manager_client.get("/").context["cards"]
        if card.title == "Escalations to decide"
    )

    assert card.url == QUEUE
    assert card.count == len(_listed(manager_client.get(QUEUE))) == 2


def test_the_queue_filters_by_risk_and_sorts_newest_first_on_request(
    manager_client, officer, make_case
):
    high = _raised(make_case(risk_level=RiskLevel.HIGH), officer, days_ago=5)
    medium = _raised(make_case(risk_level=RiskLevel.MEDIUM), officer, days_ago=4)
    newer_high = _raised(make_case(risk_level=RiskLevel.HIGH), officer, days_ago=2)

    assert _listed(manager_client.get(QUEUE, {"risk": "high"})) == [high.pk, newer_high.pk]
    assert _listed(manager_client.get(QUEUE, {"order": "-raised"})) == [
        newer_high.pk,
        medium.pk,
        high.pk,
    ]
    refused = manager_client.get(QUEUE, {"risk": "extreme"})
    assert _listed(refused) == []
    assert refused.context["filter"].errors["risk"] == ["Choose a risk from the list"]


def test_only_those_who_decide_escalations_have_the_queue(
    officer_client, partnership_manager_client, manager_client
):
    assert officer_client.get(QUEUE).status_code == 403
    assert partnership_manager_client.get(QUEUE).status_code == 403
    navigation = manager_client.get("/").context["navigation"]
    assert [item["url"] for item in navigation if item["label"] == "Escalations"] == [QUEUE]


def test_the_decision_page_and_the_queue_agree_on_who_decides_what(
    manager, officer, make_user, make_case
):
    escalations = [_raised(make_case(), officer, days_ago=days) for days in (1, 2)]
    services.decide_escalation(
        escalation=escalations[0], decision="advice_given", notes="", actor=manager
    )
    for person in (manager, officer, make_user("compliance reviewer")):
        queued = set(permissions.escalations_to_decide_by(user=person).values_list("pk", flat=True))
        for escalation in escalations:
            assert permissions.can_decide_escalation(person, escalation) == (
                escalation.pk in queued
            ), (person, escalation)
    assert queued == set()
    assert set(permissions.escalations_to_decide_by(user=manager)) == {escalations[1]}


def test_the_queue_runs_a_fixed_number_of_queries_however_long_it_is(
    manager_client, officer, make_case, django_assert_max_num_queries
):
    for days in range(60):
        _raised(make_case(), officer, days_ago=days)
    # The session and user, the navigation's queue counts (one query), the count and the page,
    # and the "viewed" audit event's writes.
    with django_assert_max_num_queries(17):
        response = manager_client.get(QUEUE)
    assert len(_listed(response)) == CASES_PER_PAGE
