"""The regions and local authorities loaded by migration, as checked against ONS, and that the
administration site retires them (and agencies) rather than deleting them."""

import pytest

from agencies.models import LocalAuthority, Region
from tests.agencies.admin_site import admin_delete_url, admin_list_url

pytestmark = pytest.mark.django_db


def test_the_four_regions_are_loaded_with_their_ons_codes():
    assert dict(Region.objects.values_list("name", "code")) == {
        "North West": "E12000002",
        "East Midlands": "E12000004",
        "West Midlands": "E12000005",
        "East of England": "E12000006",
    }


def test_the_59_upper_tier_authorities_are_loaded_in_their_regions():
    per_region = {region.name: region.local_authorities.count() for region in Region.objects.all()}
    assert per_region == {
        "North West": 24,
        "West Midlands": 14,
        "East Midlands": 10,
        "East of England": 11,
    }
    assert LocalAuthority.objects.count() == 59
    assert all(
        code[:3] in {"E06", "E08", "E10"}
        for code in LocalAuthority.objects.values_list("code", flat=True)
    )


@pytest.mark.parametrize(
    ("name", "code", "ons_name", "region"),
    [
        ("Manchester", "E08000003", "", "North West"),
        ("St Helens", "E08000013", "St. Helens", "North West"),
        ("Cumberland", "E06000063", "", "North West"),
        ("Westmorland and Furness", "E06000064", "", "North West"),
        ("Lancashire", "E10000017", "", "North West"),
        ("Herefordshire", "E06000019", "Herefordshire, County of", "West Midlands"),
        ("Stoke-on-Trent", "E06000021", "", "West Midlands"),
        ("North Northamptonshire", "E06000061", "", "East Midlands"),
        ("Rutland", "E06000017", "", "East Midlands"),
        ("Southend-on-Sea", "E06000033", "", "East of England"),
        ("Central Bedfordshire", "E06000056", "", "East of England"),
    ],
)
def test_local_authorities_carry_the_ons_code_and_spelling_and_their_region(
    name, code, ons_name, region
):
    local_authority = LocalAuthority.objects.select_related("region").get(code=code)
    assert (local_authority.name, local_authority.ons_name, local_authority.region.name) == (
        name,
        ons_name,
        region,
    )


@pytest.mark.parametrize(
    "find",
    [
        lambda agency: agency,
        lambda agency: agency.contacts.get(),
        lambda agency: Region.objects.get(name="North West"),
        lambda agency: LocalAuthority.objects.get(name="Manchester"),
    ],
    ids=["agency", "contact", "region", "local authority"],
)
def test_the_admin_refuses_to_delete_what_is_in_use(
    admin_site_client, manchester_police, make_contact, make_user, find
):
    make_contact(manchester_police)
    make_user(agency=manchester_police)
    record = find(manchester_police)
    model = type(record)

    assert admin_site_client.post(admin_delete_url(record), {"post": "yes"}).status_code == 403
    listing = admin_site_client.get(admin_list_url(model))
    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()
    admin_site_client.post(
        admin_list_url(model), {"action": "delete_selected", "_selected_action": [record.pk]}
    )
    assert model.objects.filter(pk=record.pk).exists()
