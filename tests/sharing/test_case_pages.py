"""Changing, closing and finding cases; the case page's timeline."""

import pytest

from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing import services
from sharing.models import Case, CaseStatus, HouseholdMember
from tests.sharing.case_form import case_form_data
from tests.sharing.referrals import send_with_consent


@pytest.mark.django_db
def test_correcting_a_case_that_was_shared_leads_to_telling_its_recipients(
    officer_client, officer, case, case_fields, make_referral
):
    untouched = officer_client.post(
        f"/cases/{case.pk}/edit/", case_form_data(case_fields, nationality="ER")
    )
    assert untouched["Location"] == f"/cases/{case.pk}/"
    send_with_consent(referral=make_referral(case), actor=officer)
    shared = officer_client.post(
        f"/cases/{case.pk}/edit/", case_form_data(case_fields, nationality="SD")
    )
    assert shared["Location"] == f"/cases/{case.pk}/corrections/?field=nationality"


@pytest.mark.django_db
def test_changing_a_case_records_the_names_of_the_fields_not_their_values(
    officer_client, case, case_fields
):
    data = case_form_data(case_fields, risk_level="high", nationality="ER")
    data.pop("interpreter_needed")
    response = officer_client.post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.risk_level, case.nationality, case.interpreter_needed) == (
        "high",
        "ER",
        False,
    )
    event = AuditEvent.objects.get(verb=Verb.CHANGED, object_id=str(case.pk))
    assert event.changed_fields == ["interpreter_needed", "nationality", "risk_level"]
    assert "ER" not in str(event.detail)


@pytest.mark.django_db
def test_household_members_are_added_and_removed_on_the_edit_page(
    officer_client, make_case, case_fields
):
    case = make_case(household_type="family")
    member = HouseholdMember.objects.create(
        case=case, full_name="Omar Haddad", relationship="Son", date_of_birth="2019-02-03"
    )
    data = case_form_data(
        case_fields,
        household_type="family",
        **{
            "household_members-TOTAL_FORMS": "3",
            "household_members-INITIAL_FORMS": "1",
            "household_members-0-id": str(member.pk),
            "household_members-0-case": str(case.pk),
            "household_members-0-full_name": "Omar Haddad",
            "household_members-0-relationship": "Son",
            "household_members-0-date_of_birth": "2019-02-03",
            "household_members-0-DELETE": "on",
            "household_members-1-full_name": "Layla Haddad",
            "household_members-1-relationship": "Daughter",
            "household_members-1-date_of_birth": "2021-06-09",
        },
    )
    assert officer_client.post(f"/cases/{case.pk}/edit/", data).status_code == 302
    assert list(case.household_members.values_list("full_name", flat=True)) == ["Layla Haddad"]


@pytest.mark.django_db
def test_a_manager_assigns_officers(manager_client, make_user, case, case_fields):
    other = make_user(Role.SAFEGUARDING_OFFICER)
    data = case_form_data(case_fields, assigned_officers=[other.pk])
    assert manager_client.post(f"/cases/{case.pk}/edit/", data).status_code == 302
    assert list(case.assigned_officers.all()) == [other]


@pytest.mark.django_db
def test_closing_needs_a_reason_and_can_record_discontinuation_of_support(officer_client, case):
    refused = officer_client.post(f"/cases/{case.pk}/close/", {})
    assert refused.context["form"].errors["closure_reason"] == ["Choose why the case is closing"]
    officer_client.post(f"/cases/{case.pk}/close/", {"closure_reason": "discontinued_grant"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.get_closure_reason_display() == "Support discontinued after a grant of status"
    officer_client.post(f"/cases/{case.pk}/reopen/")
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closed_at) == ("open", "", None)


@pytest.fixture
def colleague(make_user):
    return make_user(Role.SAFEGUARDING_OFFICER, full_name="Priya Shah")


@pytest.fixture
def assorted_cases(make_case, officer, colleague, indicator, manchester):
    from agencies.models import LocalAuthority

    birmingham = LocalAuthority.objects.get(code="E08000025")
    high = make_case(
        given_names="Yonas", family_name="Tesfaye", risk_level="high", support_type="s4"
    )
    services.add_indicator(
        case=high, indicator=indicator, identified_on=high.concern_received_on, actor=officer
    )
    low = make_case(
        given_names="Maria",
        family_name="Lopez",
        risk_level="low",
        local_authority=birmingham,
        household_type="family",
        officers=[officer, colleague],
    )
    closed = services.close_case(
        case=make_case(family_name="Ahmadi", support_type="s98", officers=[colleague]),
        reason="needs_met",
        actor=colleague,
    )
    return high, low, closed


@pytest.mark.django_db
def test_each_row_of_the_case_list_shows_the_case_at_a_glance(
    manager_client, assorted_cases, make_case, officer, colleague, indicator
):
    from datetime import date

    high, low, _ = assorted_cases
    child = make_case(
        given_names="Amir",
        family_name="<b>O'Neil</b>",
        date_of_birth=date(2015, 3, 1),
        household_type="family",
    )

    rows = {
        row.split("</a>")[0].rpartition(">")[2]: row
        for row in manager_client.get("/cases/")
        .content.decode()
        .split('<tr class="govuk-table__row">')[2:]
    }

    assert (
        f'<a class="govuk-link" href="/cases/{high.pk}/">{high.reference}</a>'
        in rows[high.reference]
    )
    assert f'<abbr title="{indicator.name}">{indicator.code}</abbr>' in rows[high.reference]
    assert '<strong class="govuk-tag govuk-tag--red">High</strong>' in rows[high.reference]
    assert "Birmingham" in rows[low.reference]
    assert f"{officer.full_name}, {colleague.full_name}" in rows[low.reference] or (
        f"{colleague.full_name}, {officer.full_name}" in rows[low.reference]
    )
    assert '<td class="govuk-table__cell">None</td>' in rows[low.reference]
    assert '<strong class="govuk-tag govuk-tag--grey">Low</strong>' in rows[low.reference]
    # A name is text, never markup; a child is marked as one.
    assert (
        "Amir &lt;b&gt;O&#x27;Neil&lt;/b&gt; "
        '<strong class="govuk-tag govuk-tag--yellow">Child</strong>'
    ) in rows[child.reference]
    assert "Child</strong>" not in rows[high.reference]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("risk_level=high", ["Tesfaye"]),
        ("status=closed", ["Ahmadi"]),
        ("local_authority={birmingham}", ["Lopez"]),
        ("indicator={indicator}", ["Tesfaye"]),
        ("q=lopez", ["Lopez"]),
        ("q=maria+lopez", ["Lopez"]),
        ("q={reference}", ["Tesfaye"]),
        ("support_type=s4", ["Tesfaye"]),
        ("support_type=s95", ["Lopez"]),
        ("support_type=s98", ["Ahmadi"]),
        ("household_type=family", ["Lopez"]),
        ("household_type=single", ["Ahmadi", "Tesfaye"]),
        ("officer={officer}", ["Lopez", "Tesfaye"]),
        ("officer={colleague}", ["Ahmadi", "Lopez"]),
        ("officer={colleague}&household_type=single", ["Ahmadi"]),
        ("", ["Ahmadi", "Lopez", "Tesfaye"]),
    ],
)
def test_all_cases_filters_and_search(
    manager_client, assorted_cases, indicator, officer, colleague, query, expected
):
    from agencies.models import LocalAuthority

    query = query.format(
        birmingham=LocalAuthority.objects.get(code="E08000025").pk,
        indicator=indicator.pk,
        reference=assorted_cases[0].reference,
        officer=officer.pk,
        colleague=colleague.pk,
    )
    page = manager_client.get(f"/cases/?{query}").context["page"]
    assert sorted(case.family_name for case in page.object_list) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("support_type=s4", ["Tesfaye"]),
        ("household_type=family", ["Lopez"]),
        ("household_type=single", ["Tesfaye"]),
        ("", ["Lopez", "Tesfaye"]),
    ],
)
def test_my_cases_filters_narrow_only_my_own_cases(officer_client, assorted_cases, query, expected):
    response = officer_client.get(f"/cases/mine/?{query}")
    assert "officer" not in response.context["filter"].form.fields
    assert sorted(case.family_name for case in response.context["page"].object_list) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/cases/", "/cases/mine/"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=archived", "status"),
        ("risk_level=extreme", "risk_level"),
        ("support_type=s999", "support_type"),
        ("household_type=commune", "household_type"),
        ("indicator=999999", "indicator"),
        ("local_authority=not-a-number", "local_authority"),
    ],
)
def test_an_unknown_filter_value_shows_an_error_not_every_case(
    request, assorted_cases, path, query, field
):
    client = request.getfixturevalue("manager_client" if path == "/cases/" else "officer_client")
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    [error] = response.context["filter"].form.errors[field]
    assert error.startswith("Select a valid choice")
    assert error in response.content.decode()


@pytest.mark.django_db
def test_a_person_who_holds_no_cases_is_not_a_valid_officer_filter(
    manager_client, assorted_cases, partner_user
):
    response = manager_client.get(f"/cases/?officer={partner_user.pk}")
    assert response.context["page"].paginator.count == 0
    assert "officer" in response.context["filter"].form.errors


@pytest.mark.django_db
def test_the_case_page_tells_the_story_of_the_case(
    officer_client, officer, manager, case, indicator, make_referral
):
    services.add_indicator(
        case=case, indicator=indicator, identified_on=case.concern_received_on, actor=officer
    )
    services.add_case_note(case=case, text="Visited", actor=officer)
    escalation = services.escalate_case(case=case, reason="Worse", actor=officer)
    services.decide_escalation(
        escalation=escalation, decision="advice_given", notes="", actor=manager
    )
    send_with_consent(referral=make_referral(case), actor=officer)
    services.close_case(case=case, reason="needs_met", actor=officer)
    titles = [entry.title for entry in officer_client.get(f"/cases/{case.pk}/").context["timeline"]]
    for expected in [
        "Case opened",
        "Indicator identified: Domestic abuse",
        "Note added",
        "Escalated to a manager",
        "Escalation decided: Advice given to the officer",
        "Referral to Manchester IDVA Service drafted",
        "Referral to Manchester IDVA Service sent",
        "Case closed",
    ]:
        assert expected in titles
    assert titles[0] == "Case closed"


@pytest.mark.django_db
def test_the_case_page_shows_age_and_whether_a_child(officer_client, make_case):
    from datetime import date

    case = make_case(date_of_birth=date(2012, 1, 1), household_type="family")
    html = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert f"age {case.age}, child" in html
    assert Case.objects.get(pk=case.pk).is_child
