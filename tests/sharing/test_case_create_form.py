"""One form opens a case: its household (with "Add another member", without JavaScript), the
vulnerability indicators identified with their dates, and nationality and language chosen from
the ISO lists. Everything is checked together; an error anywhere saves nothing."""

import importlib
import re
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent, Verb
from sharing import services
from sharing.models import Case, CaseIndicator, HouseholdMember, VulnerabilityIndicator
from tests.factories import CaseFactory
from tests.sharing.case_form import case_form_data

TODAY = timezone.localdate()
# The budget of the new-case page: the session, the person and their second factor, their
# permissions (two), the indicators (twice: their dates and their boxes), the navigation's
# counts, the local authorities and concern sources, and the session's save (three).
CREATE_PAGE_BUDGET = 15
# A refused form adds the checks of the chosen local authority, concern source and indicators,
# and each household row's, and the search for cases that may already be the person's.
REFUSED_BUDGET = 23


def _date(name: str, day: date) -> dict:
    """A date as a person types it in the GOV.UK date input's three boxes."""
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _shows_date(page: str, name: str, day: date) -> bool:
    """Whether the date question `name` shows `day` again in its boxes, as it was typed."""
    shown = dict(
        re.findall(rf'name="{re.escape(name)}-(day|month|year)"[^>]*value="([^"]*)"', page)
    )
    return shown == {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def _member(row: int, full_name: str, relationship: str, born: date) -> dict:
    return {
        f"household_members-{row}-full_name": full_name,
        f"household_members-{row}-relationship": relationship,
        **_date(f"household_members-{row}-date_of_birth", born),
    }


def _indicators(dates: dict[str, date | None]) -> dict:
    """Ticked indicators by code, each with its date (None leaves it blank)."""
    ticked = {code: VulnerabilityIndicator.objects.get(code=code).pk for code in dates}
    data = {"indicators": [str(pk) for pk in ticked.values()]}
    for code, day in dates.items():
        data.update(_date(f"identified_on_{code}", day) if day else {})
    return data


def _family(case_fields, rows: int, **overrides) -> dict:
    return case_form_data(
        case_fields,
        household_type="family",
        **{"household_members-TOTAL_FORMS": str(rows)},
        **overrides,
    )


@pytest.mark.django_db
def test_members_and_indicators_are_saved_with_the_case_in_one_submit(
    officer_client, officer, case_fields
):
    data = _family(
        case_fields,
        2,
        **_member(0, "Omar Haddad", "Son", date(2019, 2, 3)),
        **_member(1, "Rasha Haddad", "Daughter", date(2021, 7, 9)),
        **_indicators({"DA": TODAY - timedelta(days=3), "MH": TODAY, "PREG": date(2025, 11, 2)}),
    )
    response = officer_client.post("/cases/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert sorted(case.household_members.values_list("full_name", flat=True)) == [
        "Omar Haddad",
        "Rasha Haddad",
    ]
    recorded = {
        ci.indicator.code: (ci.identified_on, ci.identified_by) for ci in case.indicators.all()
    }
    assert recorded == {
        "DA": (TODAY - timedelta(days=3), officer),
        "MH": (TODAY, officer),
        "PREG": (date(2025, 11, 2), officer),
    }
    audited = AuditEvent.objects.filter(verb=Verb.CREATED, object_type="sharing.caseindicator")
    assert audited.count() == 3


@pytest.mark.django_db
def test_an_error_in_one_indicator_date_saves_nothing_and_keeps_everything_typed(
    officer_client, case_fields
):
    data = _family(
        case_fields,
        2,
        **_member(0, "Omar Haddad", "Son", date(2019, 2, 3)),
        **_member(1, "Rasha Haddad", "Daughter", date(2021, 7, 9)),
        **_indicators({"DA": date(2025, 12, 1), "MH": TODAY + timedelta(days=1)}),
    )
    response = officer_client.post("/cases/new/", data)
    assert response.status_code == 200
    assert response.context["indicators"].errors == {
        "identified_on_MH": [
            "The date mental health condition was identified must be today or in the past"
        ]
    }
    assert (
        Case.objects.count(),
        HouseholdMember.objects.count(),
        CaseIndicator.objects.count(),
    ) == (
        0,
        0,
        0,
    )
    page = response.content.decode()
    assert 'href="#id_identified_on_MH"' in page
    assert 'id="id_identified_on_MH"' in page
    assert 'value="Omar Haddad"' in page and 'value="Rasha Haddad"' in page
    assert _shows_date(page, "identified_on_DA", date(2025, 12, 1))
    da = VulnerabilityIndicator.objects.get(code="DA").pk
    assert f'value="{da}" checked' in page


@pytest.mark.django_db
def test_a_ticked_indicator_needs_the_date_it_was_identified(officer_client, case_fields):
    data = case_form_data(case_fields, **_indicators({"SUI": None}))
    response = officer_client.post("/cases/new/", data)
    assert response.context["indicators"].errors == {
        "identified_on_SUI": ["Enter the date risk of suicide or self-harm was identified"]
    }
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_date_beneath_an_unticked_indicator_is_not_read(officer_client, case_fields):
    data = case_form_data(case_fields, identified_on_DA="not a date")
    assert officer_client.post("/cases/new/", data).status_code == 302
    assert not CaseIndicator.objects.exists()


@pytest.mark.django_db
def test_an_indicator_identified_before_the_person_was_born_is_refused(officer_client, case_fields):
    born = case_fields["date_of_birth"]
    data = case_form_data(case_fields, **_indicators({"DA": born - timedelta(days=1)}))
    response = officer_client.post("/cases/new/", data)
    assert response.context["indicators"].errors == {
        "identified_on_DA": ["Date identified must be on or after the person's date of birth"]
    }
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_page_starts_with_one_blank_member_and_an_add_another_button(officer_client):
    response = officer_client.get("/cases/new/")
    assert response.context["household"].total_form_count() == 1
    page = response.content.decode()
    assert 'name="action" value="add_member"' in page
    assert "household_members-1-full_name" not in page


@pytest.mark.django_db
def test_add_another_member_without_javascript_keeps_what_was_typed_and_saves_nothing(
    officer_client, case_fields
):
    data = _family(
        case_fields,
        1,
        action="add_member",
        **_member(0, "Omar Haddad", "Son", date(2019, 2, 3)),
        **_indicators({"DA": date(2025, 12, 1)}),
        given_names="Aminah",
    )
    response = officer_client.post("/cases/new/", data)
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert response.context["household"].total_form_count() == 2
    page = response.content.decode()
    assert 'value="Aminah"' in page and 'value="Omar Haddad"' in page
    assert _shows_date(page, "identified_on_DA", date(2025, 12, 1))
    assert 'name="household_members-1-full_name"' in page
    # Adding a row is not sending the form: nothing is judged yet.
    assert response.context["error_entries"] == []
    assert "There is a problem" not in page


@pytest.mark.django_db
def test_an_empty_form_can_grow_a_row_without_errors(officer_client):
    response = officer_client.post(
        "/cases/new/",
        {
            "action": "add_member",
            "household_members-TOTAL_FORMS": "1",
            "household_members-INITIAL_FORMS": "0",
        },
    )
    assert response.context["household"].total_form_count() == 2
    assert response.context["error_entries"] == []


@pytest.mark.django_db
def test_removing_a_member_takes_away_that_row_and_keeps_the_others(officer_client, case_fields):
    data = _family(
        case_fields,
        3,
        remove_member="2",
        **_member(0, "Omar Haddad", "Son", date(2019, 2, 3)),
        **_member(1, "Wrong Person", "Cousin", date(2000, 1, 1)),
        **_member(2, "Rasha Haddad", "Daughter", date(2021, 7, 9)),
    )
    response = officer_client.post("/cases/new/", data)
    household = response.context["household"]
    assert household.total_form_count() == 2
    assert [form["full_name"].value() for form in household.forms] == [
        "Omar Haddad",
        "Rasha Haddad",
    ]
    assert not Case.objects.exists()

    # The page as it came back: the third row's values now typed in the second row's boxes.
    data = {
        key.replace("household_members-2-", "household_members-1-"): value
        for key, value in data.items()
        if key != "remove_member" and not key.startswith("household_members-1-")
    }
    data["household_members-TOTAL_FORMS"] = "2"
    assert officer_client.post("/cases/new/", data).status_code == 302
    assert sorted(HouseholdMember.objects.values_list("full_name", flat=True)) == [
        "Omar Haddad",
        "Rasha Haddad",
    ]


@pytest.mark.django_db
def test_a_household_member_older_than_120_is_refused_at_the_field(officer_client, case_fields):
    born = date(TODAY.year - 121, 1, 1)
    data = _family(case_fields, 1, **_member(0, "Old Haddad", "Grandfather", born))
    response = officer_client.post("/cases/new/", data)
    member = response.context["household"].forms[0]
    assert member.errors["date_of_birth"] == ["Date of birth must be within the last 120 years"]
    assert 'href="#id_household_members-0-date_of_birth"' in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_nationality_and_language_are_codes_and_the_case_page_shows_their_names(
    officer_client, case_fields
):
    data = case_form_data(case_fields, nationality="IR", language="ckb")
    assert officer_client.post("/cases/new/", data).status_code == 302
    case = Case.objects.get()
    assert (case.nationality, case.language) == ("IR", "ckb")
    page = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert "Iran" in page and "Central Kurdish (Sorani)" in page


@pytest.mark.django_db
def test_an_unknown_country_or_language_code_is_refused(officer_client, case_fields):
    data = case_form_data(case_fields, nationality="ZZ", language="qqq")
    response = officer_client.post("/cases/new/", data)
    assert response.context["form"].errors == {
        "nationality": ["Choose a country from the list"],
        "language": ["Choose a language from the list"],
    }
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_nationality_typed_before_the_lists_is_kept_when_the_case_is_changed(
    officer_client, officer, case_fields
):
    case = CaseFactory(actor=officer, officers=[officer], nationality="Bidoon")
    response = officer_client.get(f"/cases/{case.pk}/edit/")
    assert '<option value="Bidoon" selected>Bidoon</option>' in response.content.decode()


@pytest.mark.django_db
def test_the_new_case_page_has_a_fixed_query_budget(officer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(CREATE_PAGE_BUDGET):
        assert officer_client.get("/cases/new/").status_code == 200


@pytest.mark.django_db
def test_a_refused_form_costs_no_more_queries_with_every_indicator_ticked(
    officer_client, case_fields
):
    tomorrow = TODAY + timedelta(days=1)
    every = {indicator.code: tomorrow for indicator in VulnerabilityIndicator.objects.all()}
    costs = []
    for ticked in ({"DA": tomorrow}, every):
        data = _family(case_fields, 2, **_indicators(ticked))
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.post("/cases/new/", data)
        assert len(response.context["indicators"].errors) == len(ticked)
        costs.append(len(queries))
    assert costs[0] == costs[1] <= REFUSED_BUDGET


@pytest.mark.django_db
def test_open_case_refuses_an_indicator_in_the_future_and_keeps_nothing(officer, case_fields):
    case = Case(**case_fields)
    indicator = VulnerabilityIndicator.objects.get(code="DA")
    with pytest.raises(ValidationError):
        services.open_case(
            case=case,
            officers=[officer],
            household=[
                HouseholdMember(
                    full_name="Omar", relationship="Son", date_of_birth=date(2019, 2, 3)
                )
            ],
            indicators=[
                CaseIndicator(indicator=indicator, identified_on=TODAY + timedelta(days=1))
            ],
            actor=officer,
        )
    assert (Case.objects.count(), HouseholdMember.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_the_migration_turns_typed_nationalities_and_languages_into_codes(officer):
    migration = importlib.import_module("sharing.migrations.0014_nationality_and_language_as_codes")
    typed = [
        ("Syrian", "Arabic"),
        ("Iranian", "Farsi"),
        ("Iraqi", "Kurdish Sorani"),
        ("Bidoon", ""),
    ]
    cases = [
        CaseFactory(actor=officer, officers=[officer], nationality=nationality, language=language)
        for nationality, language in typed
    ]
    migration.to_codes(apps, None)
    assert [
        (case.nationality, case.language)
        for case in Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk")
    ] == [("SY", "ara"), ("IR", "fas"), ("IQ", "ckb"), ("Bidoon", "")]


@pytest.mark.django_db
def test_changing_a_case_can_add_a_member_row_without_saving(officer_client, officer, case_fields):
    case = CaseFactory(actor=officer, officers=[officer])
    data = case_form_data(
        case_fields,
        action="add_member",
        given_names="Changed",
        **{"household_members-TOTAL_FORMS": "1"},
    )
    response = officer_client.post(f"/cases/{case.pk}/edit/", data)
    assert response.context["household"].total_form_count() == 2
    case.refresh_from_db()
    assert case.given_names == "Amina"
