"""Fixtures for directory tests: places from the reference data, agencies with contacts, and a
signed-in user of the administration site."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Agency, AgencyKind, LocalAuthority, Region
from tests.factories import ContactFactory


@pytest.fixture
def north_west(db):
    return Region.objects.get(name="North West")


@pytest.fixture
def west_midlands(db):
    return Region.objects.get(name="West Midlands")


@pytest.fixture
def manchester(db):
    return LocalAuthority.objects.get(name="Manchester")


@pytest.fixture
def salford(db):
    return LocalAuthority.objects.get(name="Salford")


@pytest.fixture
def birmingham(db):
    return LocalAuthority.objects.get(name="Birmingham")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def current_agreement(today):
    return {
        "information_sharing_agreement_signed_on": today - timedelta(days=100),
        "information_sharing_agreement_review_due_on": today + timedelta(days=265),
    }


@pytest.fixture
def overdue_agreement(today):
    return {
        "information_sharing_agreement_signed_on": today - timedelta(days=500),
        "information_sharing_agreement_review_due_on": today - timedelta(days=1),
    }


@pytest.fixture
def make_contact(db):
    def make(agency: Agency, full_name="Jo Bloggs", **fields):
        return ContactFactory(agency=agency, full_name=full_name, **fields)

    return make


@pytest.fixture
def manchester_police(make_agency, manchester, current_agreement):
    agency = make_agency(
        "Greater Manchester Police Public Protection",
        kind=AgencyKind.POLICE,
        services="Public protection unit, domestic abuse investigations",
        phone="0161 872 5050",
        **current_agreement,
    )
    agency.local_authorities.add(manchester)
    return agency


@pytest.fixture
def site_administrator(make_user):
    return make_user(is_staff=True, is_superuser=True, full_name="Root Admin")


@pytest.fixture
def admin_site_client(client, site_administrator):
    client.force_login(site_administrator)
    return client
