"""Who may create and change entries, what a partner may touch, and the history each change leaves."""

from datetime import timedelta

import pytest
from django.urls import reverse

from agencies.models import Agency, AgencyKind, Sector
from audit.models import AuditEvent, Verb


def events_for(agency) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="agencies.agency", object_id=str(agency.pk)))


NEW_AGENCY = {
    "name": "Salford Women's Aid",
    "kind": "ngo",
    "phone": "0161 789 7000",
    "secure_email": "referrals@salfordwomensaid.org.uk",
    "services": "Refuge and IDVA service",
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partnership_manager_client", "administrator_client"])
def test_partnership_managers_and_administrators_add_agencies_with_areas(
    request, persona, salford, north_west
):
    client = request.getfixturevalue(persona)
    response = client.post(
        reverse("agencies:agency-create"),
        {**NEW_AGENCY, "local_authorities": [salford.pk], "regions": [north_west.pk]},
    )
    agency = Agency.objects.get(name="Salford Women's Aid")
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:agency-detail", args=[agency.pk])
    assert agency.sector == Sector.VOLUNTARY
    assert list(agency.local_authorities.all()) == [salford]
    assert list(agency.regions.all()) == [north_west]
    [event] = events_for(agency)
    assert event.verb == Verb.CREATED
    assert {"name", "kind", "phone", "local_authorities", "regions"} <= set(event.changed_fields)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_client", "partner_client", "authority_client"])
def test_other_roles_cannot_add_agencies(request, persona):
    client = request.getfixturevalue(persona)
    assert client.post(reverse("agencies:agency-create"), NEW_AGENCY).status_code == 403
    assert not Agency.objects.filter(name=NEW_AGENCY["name"]).exists()


@pytest.mark.django_db
def test_form_errors_are_shown_at_the_field_and_nothing_is_saved(
    partnership_manager_client, make_agency, today
):
    make_agency("Salford Women's Aid")
    response = partnership_manager_client.post(
        reverse("agencies:agency-create"),
        {
            "name": "  SALFORD   women's aid ",
            "kind": "",
            "website": "not a website",
            "information_sharing_agreement_signed_on": today.isoformat(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "An agency with this name is already in the directory" in body
    assert "Choose the kind of agency" in body
    assert "Enter a website address in the correct format" in body
    assert "Enter the date the agreement is due for review" in body
    assert 'href="#id_information_sharing_agreement_review_due_on"' in body
    assert Agency.objects.filter(name__iexact="salford women's aid").count() == 1


@pytest.mark.django_db
def test_agreement_signed_in_the_future_or_reviewed_before_signing_is_refused(
    partnership_manager_client, today
):
    future = partnership_manager_client.post(
        reverse("agencies:agency-create"),
        {
            **NEW_AGENCY,
            "information_sharing_agreement_signed_on": (today + timedelta(days=1)).isoformat(),
            "information_sharing_agreement_review_due_on": (
                today + timedelta(days=400)
            ).isoformat(),
        },
    )
    assert "must be today or in the past" in future.content.decode()
    backwards = partnership_manager_client.post(
        reverse("agencies:agency-create"),
        {
            **NEW_AGENCY,
            "information_sharing_agreement_signed_on": today.isoformat(),
            "information_sharing_agreement_review_due_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert "The review date must be after" in backwards.content.decode()
    assert not Agency.objects.filter(name=NEW_AGENCY["name"]).exists()


@pytest.mark.django_db
def test_a_change_records_who_and_which_fields_but_not_the_values(
    partnership_manager, partnership_manager_client, manchester_police, manchester
):
    response = partnership_manager_client.post(
        reverse("agencies:agency-edit", args=[manchester_police.pk]),
        {
            "name": manchester_police.name,
            "kind": "police",
            "local_authorities": [manchester.pk],
            "phone": "0161 000 1111",
            "services": manchester_police.services,
            "information_sharing_agreement_signed_on": manchester_police.information_sharing_agreement_signed_on.isoformat(),
            "information_sharing_agreement_review_due_on": manchester_police.information_sharing_agreement_review_due_on.isoformat(),
        },
    )
    assert response.status_code == 302
    manchester_police.refresh_from_db()
    assert manchester_police.phone == "0161 000 1111"
    [event] = events_for(manchester_police)
    assert event.verb == Verb.CHANGED
    assert event.actor_id == partnership_manager.pk
    assert event.changed_fields == ["phone"]
    assert "0161" not in str(event.detail)


@pytest.mark.django_db
def test_saving_without_changes_records_nothing(partnership_manager_client, make_agency):
    agency = make_agency("Quiet Charity")
    partnership_manager_client.post(
        reverse("agencies:agency-edit", args=[agency.pk]), {"name": "Quiet Charity", "kind": "ngo"}
    )
    assert events_for(agency) == []


@pytest.mark.django_db
def test_partner_edits_their_own_agency_details_but_not_its_name_kind_or_agreement(
    partner_user, partner_client
):
    agency = partner_user.agency
    response = partner_client.post(
        reverse("agencies:agency-edit", args=[agency.pk]),
        {
            "name": "Renamed",
            "kind": "police",
            "information_sharing_agreement_signed_on": "2026-01-01",
            "information_sharing_agreement_review_due_on": "2030-01-01",
            "services": "Advice and advocacy",
            "out_of_hours": "Call the national helpline",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.services == "Advice and advocacy"
    assert agency.name == "Partner Charity"
    assert agency.kind == AgencyKind.NGO
    assert agency.information_sharing_agreement_signed_on is None
    assert events_for(agency)[0].changed_fields == ["out_of_hours", "services"]


@pytest.mark.django_db
def test_partner_cannot_see_the_edit_page_of_another_agency(partner_client, manchester_police):
    edit = reverse("agencies:agency-edit", args=[manchester_police.pk])
    assert partner_client.get(edit).status_code == 404
    assert partner_client.post(edit, {"services": "Hijacked"}).status_code == 404
    manchester_police.refresh_from_db()
    assert manchester_police.services != "Hijacked"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "person"),
    [
        ("officer_client", "officer"),
        ("manager_client", "manager"),
        ("authority_client", "authority_user"),
        ("compliance_client", "compliance_reviewer"),
    ],
)
def test_staff_of_other_roles_cannot_edit_even_their_own_agency(request, persona, person):
    client = request.getfixturevalue(persona)
    own_agency = request.getfixturevalue(person).agency
    assert client.get(reverse("agencies:agency-edit", args=[own_agency.pk])).status_code == 404


@pytest.mark.django_db
def test_edit_page_for_a_missing_agency_is_a_404(partnership_manager_client):
    assert (
        partnership_manager_client.get(reverse("agencies:agency-edit", args=[999999])).status_code
        == 404
    )


@pytest.mark.django_db
def test_an_agency_cannot_be_made_part_of_its_own_child(partnership_manager_client, make_agency):
    council = make_agency("Manchester City Council", kind=AgencyKind.CHILDRENS_SERVICES)
    mash = make_agency("Manchester MASH", kind=AgencyKind.CHILDRENS_SERVICES, parent=council)
    response = partnership_manager_client.post(
        reverse("agencies:agency-edit", args=[council.pk]),
        {"name": council.name, "kind": council.kind, "parent": mash.pk},
    )
    assert "Choose an agency that is not part of this one" in response.content.decode()
    council.refresh_from_db()
    assert council.parent is None


@pytest.mark.django_db
def test_deactivation_keeps_the_entry_and_its_history(
    partnership_manager_client, manchester_police
):
    confirm = partnership_manager_client.get(
        reverse("agencies:agency-deactivate", args=[manchester_police.pk])
    )
    assert "Deactivate Greater Manchester Police Public Protection?" in confirm.content.decode()
    partnership_manager_client.post(
        reverse("agencies:agency-deactivate", args=[manchester_police.pk])
    )
    manchester_police.refresh_from_db()
    assert not manchester_police.is_active
    page = partnership_manager_client.get(
        reverse("agencies:agency-detail", args=[manchester_police.pk])
    )
    assert page.status_code == 200
    assert "This agency is deactivated" in page.content.decode()
    assert "Deactivated agency" in page.content.decode()

    partnership_manager_client.post(
        reverse("agencies:agency-reactivate", args=[manchester_police.pk])
    )
    manchester_police.refresh_from_db()
    assert manchester_police.is_active
    assert [event.verb for event in events_for(manchester_police)] == [
        Verb.DEACTIVATED,
        Verb.REACTIVATED,
    ]


@pytest.mark.django_db
def test_agencies_are_never_deleted_through_the_site(partnership_manager_client, manchester_police):
    partnership_manager_client.post(
        reverse("agencies:agency-deactivate", args=[manchester_police.pk])
    )
    assert Agency.objects.filter(pk=manchester_police.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partner_client", "officer_client"])
def test_only_managers_deactivate_agencies(request, persona, partner_user):
    client = request.getfixturevalue(persona)
    own = partner_user.agency
    assert client.post(reverse("agencies:agency-deactivate", args=[own.pk])).status_code == 404
    own.refresh_from_db()
    assert own.is_active
