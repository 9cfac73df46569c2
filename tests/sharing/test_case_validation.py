"""Bad input on the case form is refused at the field, with a clear message, and nothing saved."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent, Verb
from sharing.models import Case, HouseholdMember
from tests.sharing.case_form import case_form_data


def _years_ago(years, days=0):
    today = timezone.localdate()
    return date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=days)


@pytest.mark.django_db
def test_an_officer_opens_a_case_and_is_assigned_to_it(officer_client, officer, case_fields):
    response = officer_client.post("/cases/new/", case_form_data(case_fields))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert list(case.assigned_officers.all()) == [officer]
    assert case.created_by == officer


@pytest.mark.django_db
def test_a_family_case_is_opened_with_its_household(officer_client, case_fields):
    data = case_form_data(
        case_fields,
        household_type="family",
        **{
            "household_members-0-full_name": "Omar Haddad",
            "household_members-0-relationship": "Son",
            "household_members-0-date_of_birth": "2019-02-03",
        },
    )
    assert officer_client.post("/cases/new/", data).status_code == 302
    member = HouseholdMember.objects.get()
    assert member.full_name == "Omar Haddad"
    assert member.is_child


@pytest.mark.django_db
def test_a_date_of_birth_in_the_future_is_refused(officer_client, case_fields):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = officer_client.post(
        "/cases/new/", case_form_data(case_fields, date_of_birth=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == ["Date of birth must be in the past"]
    assert 'href="#id_date_of_birth"' in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_child_cannot_head_a_single_household(officer_client, case_fields):
    response = officer_client.post(
        "/cases/new/",
        case_form_data(
            case_fields, date_of_birth=_years_ago(17).isoformat(), household_type="single"
        ),
    )
    assert response.status_code == 200
    assert (
        "A child cannot be the head of a single household"
        in (response.context["form"].errors["household_type"][0])
    )
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_an_adult_who_turned_eighteen_today_may_head_a_single_household(
    officer_client, case_fields
):
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - 18, day=28)
    response = officer_client.post(
        "/cases/new/", case_form_data(case_fields, date_of_birth=born.isoformat())
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_household_member_older_than_120_is_refused(officer_client, case_fields):
    data = case_form_data(
        case_fields,
        household_type="family",
        **{
            "household_members-0-full_name": "Fatima Haddad",
            "household_members-0-relationship": "Grandmother",
            "household_members-0-date_of_birth": _years_ago(121).isoformat(),
        },
    )
    response = officer_client.post("/cases/new/", data)
    assert response.status_code == 200
    household = response.context["household"]
    assert household.forms[0].errors["date_of_birth"] == [
        "Date of birth must be within the last 120 years"
    ]
    assert 'href="#id_household_members-0-date_of_birth"' in response.content.decode()
    assert not Case.objects.exists()
    assert not HouseholdMember.objects.exists()


@pytest.mark.django_db
def test_a_single_household_cannot_list_other_members(officer_client, case_fields):
    data = case_form_data(
        case_fields,
        household_type="single",
        **{
            "household_members-0-full_name": "Omar Haddad",
            "household_members-0-relationship": "Son",
            "household_members-0-date_of_birth": "2019-02-03",
        },
    )
    response = officer_client.post("/cases/new/", data)
    assert (
        "A single household has no other members"
        in (response.context["form"].errors["household_type"][0])
    )
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_persons_agreement_needs_a_date_and_how_it_was_given(officer_client, case_fields):
    response = officer_client.post(
        "/cases/new/", case_form_data(case_fields, user_agreement="given")
    )
    errors = response.context["form"].errors
    assert errors["user_agreement_on"] == ["Enter the date they were asked"]
    assert errors["user_agreement_method"] == ["Choose how they were asked"]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_missing_answers_are_named_in_govuk_style(officer_client):
    response = officer_client.post("/cases/new/", case_form_data({}))
    errors = response.context["form"].errors
    assert errors["given_names"] == ["Enter the person's given names"]
    assert errors["support_type"] == ["Choose the type of support"]
    assert errors["local_authority"] == ["Choose the local authority they live in"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "anchor", "message"),
    [
        (
            {"date_of_birth": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "date_of_birth",
            "id_date_of_birth",
            "Date of birth must be in the past",
        ),
        (
            {"date_of_birth": _years_ago(17).isoformat()},
            "household_type",
            "id_household_type_0",
            "A child cannot be the head of a single household",
        ),
    ],
)
def test_bad_input_on_the_edit_page_is_refused_at_the_field_and_nothing_is_saved(
    officer_client, case, case_fields, overrides, field, anchor, message
):
    response = officer_client.post(
        f"/cases/{case.pk}/edit/", case_form_data(case_fields, **overrides)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    body = response.content.decode()
    assert f'href="#{anchor}"' in body
    assert f'id="{anchor}"' in body
    assert Case.objects.get(pk=case.pk).date_of_birth == case.date_of_birth
    assert not AuditEvent.objects.filter(verb=Verb.CHANGED, object_id=str(case.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("born", "message"),
    [
        (_years_ago(121), "Date of birth must be within the last 120 years"),
        (timezone.localdate() + timedelta(days=1), "Date of birth must be in the past"),
    ],
)
def test_a_household_member_added_on_the_edit_page_with_an_impossible_age_is_refused(
    officer_client, make_case, case_fields, born, message
):
    case = make_case(household_type="family")
    data = case_form_data(
        case_fields,
        household_type="family",
        **{
            "household_members-0-full_name": "Fatima Haddad",
            "household_members-0-relationship": "Grandmother",
            "household_members-0-date_of_birth": born.isoformat(),
        },
    )
    response = officer_client.post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["household"].forms[0].errors["date_of_birth"] == [message]
    assert 'href="#id_household_members-0-date_of_birth"' in response.content.decode()
    assert not HouseholdMember.objects.exists()
