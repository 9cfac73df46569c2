"""The list and agency pages cost the same number of queries at 5 agencies as at 500."""

import pytest
from django.urls import reverse

from agencies.models import Agency, Contact, LocalAuthority
from tests.agencies.scale import fill_directory

AGENCIES = 500
CONTACTS_PER_AGENCY = 4


@pytest.fixture
def large_directory(db):
    return fill_directory(agencies=AGENCIES, contacts_per_agency=CONTACTS_PER_AGENCY)


def count_queries(client, url, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_directory_list_runs_a_fixed_number_of_queries(
    partnership_manager, partnership_manager_client, large_directory, django_assert_max_num_queries
):
    assert Contact.objects.count() == AGENCIES * CONTACTS_PER_AGENCY
    partnership_manager.assigned_local_authorities.add(*LocalAuthority.objects.all()[:3])
    list_url = reverse("agencies:agency-list")
    plain = count_queries(partnership_manager_client, list_url, django_assert_max_num_queries, 18)
    filtered = count_queries(
        partnership_manager_client,
        list_url + "?q=contact+1&region=1&agreement=current&page=2",
        django_assert_max_num_queries,
        18,
    )
    assert filtered <= plain + 1


@pytest.mark.django_db
def test_agency_page_runs_a_fixed_number_of_queries(
    partnership_manager_client, large_directory, django_assert_max_num_queries
):
    busiest = large_directory[10]
    Contact.objects.bulk_create(
        Contact(agency=busiest, full_name=f"Extra {number}", phone="0161 000 0000")
        for number in range(50)
    )
    url = reverse("agencies:agency-detail", args=[busiest.pk])
    busy = count_queries(partnership_manager_client, url, django_assert_max_num_queries, 18)
    quiet = count_queries(
        partnership_manager_client,
        reverse("agencies:agency-detail", args=[large_directory[11].pk]),
        django_assert_max_num_queries,
        18,
    )
    assert busy == quiet


@pytest.mark.django_db
def test_export_of_the_whole_directory_runs_a_fixed_number_of_queries(
    officer_client, large_directory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = officer_client.get(reverse("agencies:agency-export"))
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == Agency.objects.filter(is_active=True).count() + 1 > AGENCIES
