"""The directory list: search, every filter, my areas first, paging, all in the query string."""

import pytest
from django.urls import reverse

from agencies.models import AgencyKind

LIST = reverse("agencies:agency-list")


def names_on(response) -> list[str]:
    assert response.status_code == 200
    return [agency.name for agency in response.context["page"].object_list]


@pytest.fixture
def directory(
    make_agency,
    make_contact,
    manchester,
    birmingham,
    west_midlands,
    current_agreement,
    overdue_agreement,
):
    police = make_agency(
        "Greater Manchester Police",
        kind=AgencyKind.POLICE,
        services="Public protection unit",
        **current_agreement,
    )
    police.local_authorities.add(manchester)
    charity = make_agency(
        "Birmingham Refugee Welcome",
        kind=AgencyKind.NGO,
        services="English classes and befriending",
        **overdue_agreement,
    )
    charity.local_authorities.add(birmingham)
    smp = make_agency(
        "West Midlands Strategic Migration Partnership",
        kind=AgencyKind.STRATEGIC_MIGRATION_PARTNERSHIP,
    )
    smp.regions.add(west_midlands)
    closed = make_agency(
        "Closed Drop-in Centre", kind=AgencyKind.FAITH_OR_COMMUNITY, is_active=False
    )
    make_contact(charity, "Amira Haddad")
    return {"police": police, "charity": charity, "smp": smp, "closed": closed}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("manchester", ["Greater Manchester Police"]),
        ("befriending", ["Birmingham Refugee Welcome"]),
        ("Haddad", ["Birmingham Refugee Welcome"]),
        ("refugee english", ["Birmingham Refugee Welcome"]),
        ("nothing-like-this", []),
    ],
)
def test_search_finds_agencies_by_name_service_or_contact_name(
    officer_client, directory, search, expected
):
    assert names_on(officer_client.get(LIST, {"q": search})) == expected


@pytest.mark.django_db
def test_search_ignores_former_contacts(officer_client, directory, make_contact):
    make_contact(directory["police"], "Former Person", is_active=False)
    assert names_on(officer_client.get(LIST, {"q": "Former Person"})) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "police"}, ["Greater Manchester Police"]),
        ({"sector": "voluntary"}, ["Birmingham Refugee Welcome"]),
        ({"agreement": "current"}, ["Greater Manchester Police"]),
        ({"agreement": "overdue"}, ["Birmingham Refugee Welcome"]),
        (
            {"agreement": "none"},
            ["Test Housing Provider", "West Midlands Strategic Migration Partnership"],
        ),
        ({"active": "no"}, ["Closed Drop-in Centre"]),
    ],
)
def test_each_filter_narrows_the_list(officer_client, directory, params, expected):
    assert names_on(officer_client.get(LIST, params)) == expected


@pytest.mark.django_db
def test_region_filter_includes_agencies_in_any_of_its_authorities_and_whole_region_ones(
    officer_client, directory, west_midlands
):
    assert names_on(officer_client.get(LIST, {"region": west_midlands.pk})) == [
        "Birmingham Refugee Welcome",
        "West Midlands Strategic Migration Partnership",
    ]


@pytest.mark.django_db
def test_local_authority_filter_includes_agencies_covering_its_whole_region(
    officer_client, directory, birmingham
):
    assert names_on(officer_client.get(LIST, {"local_authority": birmingham.pk})) == [
        "Birmingham Refugee Welcome",
        "West Midlands Strategic Migration Partnership",
    ]


@pytest.mark.django_db
def test_inactive_agencies_are_hidden_until_asked_for(officer_client, directory):
    assert "Closed Drop-in Centre" not in names_on(officer_client.get(LIST))
    assert "Closed Drop-in Centre" in names_on(officer_client.get(LIST, {"active": ""}))


@pytest.mark.django_db
def test_filters_combine_and_an_unknown_choice_shows_an_error_not_everything(
    officer_client, directory
):
    assert names_on(officer_client.get(LIST, {"kind": "police", "q": "welcome"})) == []
    response = officer_client.get(LIST, {"kind": "spaceship"})
    assert names_on(response) == []
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_partnership_managers_see_agencies_in_their_areas_first(
    partnership_manager, partnership_manager_client, directory, birmingham
):
    partnership_manager.assigned_local_authorities.add(birmingham)
    names = names_on(partnership_manager_client.get(LIST))
    assert names[:2] == [
        "Birmingham Refugee Welcome",
        "West Midlands Strategic Migration Partnership",
    ]
    assert "Your area" in partnership_manager_client.get(LIST).content.decode()


@pytest.mark.django_db
def test_list_is_paged_and_page_links_keep_the_filters(officer_client, make_agency):
    for number in range(60):
        make_agency(f"Community group {number:02}", kind=AgencyKind.FAITH_OR_COMMUNITY)
    first = officer_client.get(LIST, {"kind": "faith_community"})
    assert len(first.context["page"].object_list) == 25
    body = first.content.decode()
    assert 'class="govuk-pagination"' in body
    assert 'href="?kind=faith_community&amp;page=2"' in body
    third = officer_client.get(LIST, {"kind": "faith_community", "page": 3})
    assert names_on(third) == [f"Community group {number:02}" for number in range(50, 60)]
    assert names_on(officer_client.get(LIST, {"page": "not-a-number"}))[0] == "Community group 00"


@pytest.mark.django_db
def test_export_link_carries_the_current_filters(officer_client, directory):
    body = officer_client.get(LIST, {"kind": "police"}).content.decode()
    assert f'href="{reverse("agencies:agency-export")}?kind=police"' in body


@pytest.mark.django_db
def test_everyone_with_a_role_can_read_the_directory(
    officer_client, authority_client, compliance_client, partner_client, directory
):
    for client in (officer_client, authority_client, compliance_client, partner_client):
        assert "Greater Manchester Police" in names_on(client.get(LIST))
