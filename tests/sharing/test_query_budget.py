"""The case lists and the case page run a fixed number of queries, however many cases, indicators
and referrals there are (1,000 cases with 5 indicators and 3 referrals each)."""

from datetime import date

import pytest
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Contact, LocalAuthority
from core.roles import Role
from sharing import services
from sharing.models import (
    Case,
    CaseIndicator,
    ConcernSource,
    HouseholdMember,
    Referral,
    ReferralKind,
    ReferralStatusChange,
    VulnerabilityIndicator,
)
from sharing.views.cases import CASES_PER_PAGE
from tests.sharing.referrals import send_with_consent

CASES = 1_000
# Four of these write the list's "viewed" audit event (inside the test's transaction: a
# savepoint, the chain head, the row, the release); one more on PostgreSQL, the chain's lock;
# and one for every count the navigation and header show (core/counts.py).
LIST_BUDGET = 25
# The consent section adds seven: consents and their agencies, requests and theirs, disclosures
# and who decided each, decisions not to share; and one for the referrals' current secure links.
# The page lists only the latest disclosures and referrals, so one count each says how many
# there are; one reads the case's legal hold, if any. One more on PostgreSQL: the audit chain's
# advisory lock.
PAGE_BUDGET = 35

MARAC_DETAILS = {
    "dash_score": 16,
    "professional_judgement": False,
    "escalation_criterion": "visible_high_risk",
}


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


def _fill_case(case, *, rows, make_user, make_agency):
    """`rows` of everything the case page lists, each row by different people and agencies, so
    a query per row, per person or per agency shows up as a difference in the count."""
    officers = [make_user(Role.SAFEGUARDING_OFFICER) for _ in range(rows)]
    managers = [make_user(Role.SAFEGUARDING_MANAGER) for _ in range(rows)]
    case.assigned_officers.add(*officers)
    indicators = list(VulnerabilityIndicator.objects.order_by("pk")[:rows])
    kinds = list(ReferralKind.objects.order_by("pk")[:rows])
    for number in range(rows):
        officer, manager = officers[number], managers[number]
        HouseholdMember.objects.create(
            case=case,
            full_name=f"Member {number}",
            relationship="Child",
            date_of_birth=date(2015, 1, 1 + number),
        )
        services.add_indicator(
            case=case,
            indicator=indicators[number % len(indicators)],
            identified_on=date(2026, 1, 2),
            notes="Seen at home",
            actor=officer,
        )
        services.add_case_note(case=case, text=f"Note {number}", actor=officer)
        escalation = services.escalate_case(case=case, reason="Worried", actor=officer)
        services.decide_escalation(
            escalation=escalation, decision="advice_given", notes="", actor=manager
        )
        agency = make_agency()
        contact = Contact.objects.create(
            agency=agency, full_name=f"Contact {number}", phone="0161 000 0000"
        )
        referral = services.create_referral(
            referral=Referral(
                case=case,
                agency=agency,
                contact=contact,
                kind=kinds[number % len(kinds)],
                reason="Needs support",
                follow_up_on=date(2026, 1, 5),
                # A MARAC referral shows its DASH score and repeat flag too.
                **(MARAC_DETAILS if kinds[number % len(kinds)].code == "marac" else {}),
            ),
            indicators=indicators[: number + 1],
            actor=officer,
        )
        if number % 2:
            send_with_consent(referral=referral, actor=officer)


def _page_queries(client, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(PAGE_BUDGET) as captured:
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_client", "manager_client"])
def test_a_busy_case_page_costs_no_more_queries_than_a_quiet_one(
    request, make_case, make_user, make_agency, persona, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    quiet = make_case(household_type="family")
    _fill_case(quiet, rows=2, make_user=make_user, make_agency=make_agency)
    busy = make_case(household_type="family")
    _fill_case(busy, rows=12, make_user=make_user, make_agency=make_agency)
    quiet_count = _page_queries(client, quiet, django_assert_max_num_queries)
    busy_count = _page_queries(client, busy, django_assert_max_num_queries)
    assert busy_count == quiet_count


def _list_queries(client, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIST_BUDGET) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.context["page"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "path"), [("manager_client", "/cases/"), ("officer_client", "/cases/mine/")]
)
def test_a_full_page_of_cases_costs_no_more_queries_than_one_case(
    request, make_case, make_user, officer, persona, path, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    authorities = list(LocalAuthority.objects.order_by("pk")[:CASES_PER_PAGE])
    indicators = list(VulnerabilityIndicator.objects.order_by("pk")[:5])

    def add_case(number):
        case = make_case(
            officers=[officer, make_user(Role.SAFEGUARDING_OFFICER)],
            local_authority=authorities[number % len(authorities)],
        )
        CaseIndicator.objects.bulk_create(
            CaseIndicator(
                case=case,
                indicator=indicator,
                identified_on=date(2026, 1, 2),
                identified_by=officer,
            )
            for indicator in indicators[: 1 + number % len(indicators)]
        )

    add_case(0)
    one, page = _list_queries(client, path, django_assert_max_num_queries)
    assert len(page.object_list) == 1
    for number in range(1, CASES_PER_PAGE):
        add_case(number)
    full, page = _list_queries(client, path, django_assert_max_num_queries)
    assert len(page.object_list) == CASES_PER_PAGE
    assert full == one
