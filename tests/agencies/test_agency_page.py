"""The agency page: details, areas, contacts for those allowed them, and history for editors."""

import pytest
from django.urls import reverse

from agencies.models import AgencyKind


@pytest.mark.django_db
def test_agency_page_shows_details_areas_and_contacts(
    officer_client, manchester_police, make_contact, north_west
):
    manchester_police.regions.add(north_west)
    make_contact(
        manchester_police,
        "Detective Sergeant Lee",
        job_title="MARAC lead",
        is_single_point_of_contact=True,
    )
    body = officer_client.get(
        reverse("agencies:agency-detail", args=[manchester_police.pk])
    ).content.decode()
    assert "Greater Manchester Police Public Protection" in body
    assert "Police · Statutory" in body
    assert "0161 872 5050" in body
    assert "Manchester, North West" in body
    assert "North West (whole region)" in body
    assert "Detective Sergeant Lee" in body
    assert "MARAC lead" in body
    assert "Current" in body


@pytest.mark.django_db
def test_people_without_sight_of_contacts_do_not_see_them(
    authority_client, manchester_police, make_contact
):
    make_contact(manchester_police, "Detective Sergeant Lee")
    body = authority_client.get(
        reverse("agencies:agency-detail", args=[manchester_police.pk])
    ).content.decode()
    assert "Greater Manchester Police Public Protection" in body
    assert "Detective Sergeant Lee" not in body


@pytest.mark.django_db
def test_parent_and_member_agencies_link_to_each_other(officer_client, make_agency):
    council = make_agency("Manchester City Council", kind=AgencyKind.CHILDRENS_SERVICES)
    mash = make_agency("Manchester MASH", kind=AgencyKind.CHILDRENS_SERVICES, parent=council)
    council_page = officer_client.get(
        reverse("agencies:agency-detail", args=[council.pk])
    ).content.decode()
    assert reverse("agencies:agency-detail", args=[mash.pk]) in council_page
    mash_page = officer_client.get(
        reverse("agencies:agency-detail", args=[mash.pk])
    ).content.decode()
    assert (
        "Part of" in mash_page and reverse("agencies:agency-detail", args=[council.pk]) in mash_page
    )


@pytest.mark.django_db
def test_history_is_shown_to_editors_with_readable_field_names(
    partnership_manager_client, officer_client, manchester_police
):
    partnership_manager_client.post(
        reverse("agencies:agency-edit", args=[manchester_police.pk]),
        {
            "name": manchester_police.name,
            "kind": "police",
            "out_of_hours": "Call 999 or 101",
            "information_sharing_agreement_signed_on": manchester_police.information_sharing_agreement_signed_on.isoformat(),
            "information_sharing_agreement_review_due_on": manchester_police.information_sharing_agreement_review_due_on.isoformat(),
        },
    )
    page = partnership_manager_client.get(
        reverse("agencies:agency-detail", args=[manchester_police.pk])
    )
    body = page.content.decode()
    assert "History" in body
    assert "out-of-hours route" in body
    officer_body = officer_client.get(
        reverse("agencies:agency-detail", args=[manchester_police.pk])
    ).content.decode()
    assert "History" not in officer_body


@pytest.mark.django_db
def test_missing_agency_is_a_404(officer_client):
    assert officer_client.get(reverse("agencies:agency-detail", args=[424242])).status_code == 404


@pytest.mark.django_db
def test_partner_sees_change_links_only_on_their_own_agency(
    partner_user, partner_client, manchester_police
):
    own = partner_client.get(
        reverse("agencies:agency-detail", args=[partner_user.agency.pk])
    ).content.decode()
    assert reverse("agencies:agency-edit", args=[partner_user.agency.pk]) in own
    assert reverse("agencies:contact-create", args=[partner_user.agency.pk]) in own
    other = partner_client.get(
        reverse("agencies:agency-detail", args=[manchester_police.pk])
    ).content.decode()
    assert reverse("agencies:agency-edit", args=[manchester_police.pk]) not in other
    assert reverse("agencies:contact-create", args=[manchester_police.pk]) not in other
