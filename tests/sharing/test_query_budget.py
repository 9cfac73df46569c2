"""The case lists and the case page run a fixed number of queries, however many cases, indicators
and referrals there are (1,000 cases with 5 indicators and 3 referrals each)."""

from datetime import date

import pytest
from django.utils import timezone

from agencies.models import Agency, AgencyKind, LocalAuthority
from sharing import services
from sharing.models import (
    Case,
    CaseIndicator,
    ConcernSource,
    Referral,
    ReferralKind,
    ReferralStatusChange,
    VulnerabilityIndicator,
)
from tests.sharing.referrals import send_with_consent

CASES = 1_000
LIST_BUDGET = 19
# The consent section adds six: consents and their agencies, requests and theirs, disclosures,
# decisions not to share. One more on PostgreSQL: the audit chain's advisory lock.
PAGE_BUDGET = 30


@pytest.fixture
def many_cases(db, officer, manager):
    authorities = list(LocalAuthority.objects.all()[:10])
    source = ConcernSource.objects.first()
    indicators = list(VulnerabilityIndicator.objects.all()[:5])
    kinds = list(ReferralKind.objects.all()[:3])
    agencies = [
        Agency.objects.create(name=f"Budget agency {n}", kind=AgencyKind.NGO) for n in range(3)
    ]
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(
            reference=f"PH-2026-{number:06d}",
            given_names=f"Given{number}",
            family_name=f"Family{number}",
            date_of_birth=date(1980 + number % 30, 1 + number % 12, 1 + number % 28),
            support_type="s95",
            accommodation_type="dispersed",
            local_authority=authorities[number % len(authorities)],
            household_type="single",
            concern_source=source,
            concern_received_on=date(2026, 1, 1),
            risk_level=("low", "medium", "high")[number % 3],
            created_by=officer,
            created_at=now,
        )
        for number in range(1, CASES + 1)
    )
    Case.assigned_officers.through.objects.bulk_create(
        Case.assigned_officers.through(case=case, user=officer) for case in cases
    )
    CaseIndicator.objects.bulk_create(
        CaseIndicator(
            case=case, indicator=indicator, identified_on=date(2026, 1, 2), identified_by=officer
        )
        for case in cases
        for indicator in indicators
    )
    referrals = Referral.objects.bulk_create(
        Referral(
            case=case,
            agency=agencies[n],
            kind=kinds[n],
            reason="Budget",
            created_by=officer,
            follow_up_on=date(2026, 1, 5),
        )
        for case in cases
        for n in range(3)
    )
    Referral.indicators.through.objects.bulk_create(
        Referral.indicators.through(referral=referral, vulnerabilityindicator=indicators[0])
        for referral in referrals
    )
    ReferralStatusChange.objects.bulk_create(
        ReferralStatusChange(referral=referral, to_status="draft", changed_by=officer)
        for referral in referrals
    )
    case = cases[0]
    services.add_case_note(case=case, text="A **note**", actor=officer)
    escalation = services.escalate_case(case=case, reason="Worried", actor=officer)
    services.decide_escalation(
        escalation=escalation, decision="advice_given", notes="", actor=manager
    )
    send_with_consent(referral=referrals[0], actor=officer)
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/cases/",
        "/cases/?status=open&risk_level=high&support_type=s95&household_type=single",
        "/cases/?q=Family1&page=2",
        "/cases/?indicator={indicator}&officer={officer}&local_authority={la}",
        "/cases/?page=20",
    ],
)
def test_the_all_cases_list_has_a_fixed_query_budget(
    manager_client, many_cases, officer, path, django_assert_max_num_queries
):
    path = path.format(
        indicator=VulnerabilityIndicator.objects.first().pk,
        officer=officer.pk,
        la=many_cases[0].local_authority_id,
    )
    with django_assert_max_num_queries(LIST_BUDGET):
        response = manager_client.get(path)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) > 0


@pytest.mark.django_db
def test_my_cases_has_a_fixed_query_budget(
    officer_client, many_cases, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LIST_BUDGET):
        response = officer_client.get("/cases/mine/")
    assert response.context["page"].paginator.count == CASES


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_client", "manager_client"])
def test_the_case_page_has_a_fixed_query_budget(
    request, many_cases, persona, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(f"/cases/{many_cases[0].pk}/")
    assert response.status_code == 200
    assert len(response.context["timeline"]) >= 5 + 3 + 3


@pytest.mark.django_db
def test_the_overdue_referrals_list_has_a_fixed_query_budget(
    officer_client, many_cases, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LIST_BUDGET):
        response = officer_client.get("/referrals/overdue/")
    assert response.context["page"].paginator.count == CASES * 3
