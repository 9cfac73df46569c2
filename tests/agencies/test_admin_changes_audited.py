"""What administrators add, change and retire in the administration site goes on record with
who did it and which fields changed, never the values."""

import json

import pytest

from agencies.models import Agency, AgencyKind, LocalAuthority, Region, User
from audit.models import Verb
from tests.agencies.admin_site import admin_add, admin_change, events_about

pytestmark = pytest.mark.django_db


def _as_stored(event) -> str:
    return json.dumps([event.changed_fields, event.detail])


def test_an_agency_added_in_the_admin_is_recorded_with_who_and_which_fields(
    admin_site_client, site_administrator, manchester
):
    admin_add(
        admin_site_client,
        Agency,
        name="Salford Women's Aid",
        kind=AgencyKind.NGO,
        services="Refuge for women fleeing a named perpetrator",
        local_authorities=[manchester.pk],
    )
    [event] = events_about(Agency.objects.get(name="Salford Women's Aid"))
    assert (event.verb, event.actor) == (Verb.CREATED, site_administrator)
    assert {"name", "kind", "services", "local_authorities"} <= set(event.changed_fields)
    assert "perpetrator" not in _as_stored(event)


@pytest.mark.parametrize(
    ("find", "answers"),
    [
        (lambda agency: agency, {"phone": "0161 000 1111", "notes": "Chair off sick"}),
        (
            lambda agency: agency.contacts.get(),
            {"job_title": "Senior IDVA", "phone": "07700 900123"},
        ),
        (lambda agency: Region.objects.get(name="North West"), {"name": "North West England"}),
        (lambda agency: LocalAuthority.objects.get(name="Salford"), {"ons_name": "Salford City"}),
    ],
    ids=["agency", "contact", "region", "local authority"],
)
def test_a_change_in_the_admin_records_the_field_names_but_not_their_values(
    admin_site_client, site_administrator, manchester_police, make_contact, find, answers
):
    make_contact(manchester_police, "Grace Okafor")
    record = find(manchester_police)
    admin_change(admin_site_client, record, **answers)
    [event] = events_about(record)
    assert (event.verb, event.actor) == (Verb.CHANGED, site_administrator)
    assert event.changed_fields == sorted(answers)
    for value in answers.values():
        assert value not in _as_stored(event)


@pytest.mark.parametrize(
    "find",
    [
        lambda agency: agency,
        lambda agency: agency.contacts.get(),
        lambda agency: Region.objects.get(name="East Midlands"),
        lambda agency: LocalAuthority.objects.get(name="Rutland"),
    ],
    ids=["agency", "contact", "region", "local authority"],
)
def test_retiring_in_the_admin_is_recorded_as_a_deactivation_and_keeps_the_entry(
    admin_site_client, site_administrator, manchester_police, make_contact, find
):
    make_contact(manchester_police)
    record = find(manchester_police)
    admin_change(admin_site_client, record, is_active=False)
    admin_change(admin_site_client, record, is_active=True)
    assert [(event.verb, event.changed_fields) for event in events_about(record)] == [
        (Verb.DEACTIVATED, ["is_active"]),
        (Verb.REACTIVATED, ["is_active"]),
    ]
    assert type(record).objects.filter(pk=record.pk, is_active=True).exists()


def test_saving_the_admin_form_unchanged_records_nothing(admin_site_client, manchester_police):
    admin_change(admin_site_client, manchester_police)
    assert events_about(manchester_police) == []


def test_a_person_added_in_the_admin_is_recorded_with_their_roles(
    admin_site_client, site_administrator, provider
):
    admin_add(
        admin_site_client,
        User,
        email="new.person@example.org",
        full_name="New Person",
        agency=provider.pk,
        is_active=True,
        date_joined_0="01/12/2026",
        date_joined_1="09:00:00",
    )
    [created] = events_about(User.objects.get(email="new.person@example.org"))
    assert (created.verb, created.actor) == (Verb.CREATED, site_administrator)
    assert {"email", "full_name", "agency"} <= set(created.changed_fields)


def test_a_change_to_a_persons_details_in_the_admin_is_recorded(
    admin_site_client, site_administrator, officer, manchester
):
    admin_change(
        admin_site_client,
        officer,
        job_title="Senior safeguarding officer",
        assigned_local_authorities=[manchester.pk],
    )
    [event] = events_about(officer)
    assert (event.verb, event.actor) == (Verb.CHANGED, site_administrator)
    assert event.changed_fields == ["assigned_local_authorities", "job_title"]
    officer.refresh_from_db()
    assert officer.job_title == "Senior safeguarding officer"
