"""The agency's invariants: sector from kind, the sharing agreement, and the areas it covers."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from agencies.models import (
    Agency,
    AgencyKind,
    Contact,
    InformationSharingAgreementStatus,
    Sector,
)

SIGNED = date(2026, 1, 10)
REVIEW_DUE = date(2027, 1, 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "sector"),
    [
        (AgencyKind.POLICE, Sector.STATUTORY),
        (AgencyKind.NGO, Sector.VOLUNTARY),
        (AgencyKind.AUTHORITY, Sector.AUTHORITY),
        (AgencyKind.HOUSING_PROVIDER, Sector.PROVIDER),
    ],
)
def test_sector_follows_the_kind_even_when_only_the_kind_is_saved(make_agency, kind, sector):
    agency = make_agency(kind=AgencyKind.OTHER)
    agency.kind = kind
    agency.save(update_fields=["kind"])
    agency.refresh_from_db()
    assert agency.sector == sector


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (SIGNED - timedelta(days=1), InformationSharingAgreementStatus.NONE),
        (SIGNED, InformationSharingAgreementStatus.CURRENT),
        (REVIEW_DUE, InformationSharingAgreementStatus.CURRENT),
        (REVIEW_DUE + timedelta(days=1), InformationSharingAgreementStatus.REVIEW_OVERDUE),
    ],
)
def test_agreement_is_current_from_signing_until_its_review_date(on, status):
    agency = Agency(
        information_sharing_agreement_signed_on=SIGNED,
        information_sharing_agreement_review_due_on=REVIEW_DUE,
    )
    assert agency.information_sharing_agreement_status(on) == status
    assert agency.has_current_information_sharing_agreement(on) == (
        status == InformationSharingAgreementStatus.CURRENT
    )


def test_agency_without_an_agreement_has_none_current():
    assert not Agency().has_current_information_sharing_agreement(REVIEW_DUE)


@pytest.mark.django_db
def test_queryset_finds_the_same_agencies_as_the_method(
    make_agency, current_agreement, overdue_agreement, today
):
    current = make_agency("Current", **current_agreement)
    overdue = make_agency("Overdue", **overdue_agreement)
    missing = make_agency("Missing")
    assert list(Agency.objects.with_current_information_sharing_agreement(today)) == [current]
    for status, expected in [
        (InformationSharingAgreementStatus.CURRENT, {current}),
        (InformationSharingAgreementStatus.REVIEW_OVERDUE, {overdue}),
        (InformationSharingAgreementStatus.NONE, {missing}),
    ]:
        found = set(Agency.objects.with_information_sharing_agreement_status(status, today))
        assert found >= expected
        assert all(agency.information_sharing_agreement_status(today) == status for agency in found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signed", "review_due"),
    [(SIGNED, None), (None, REVIEW_DUE), (SIGNED, SIGNED)],
)
def test_database_refuses_an_agreement_without_both_dates_in_order(signed, review_due):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(
            name="Half an agreement",
            kind=AgencyKind.NGO,
            information_sharing_agreement_signed_on=signed,
            information_sharing_agreement_review_due_on=review_due,
        )


@pytest.mark.django_db
def test_database_refuses_an_agency_name_differing_only_in_case(make_agency):
    make_agency("Refugee Action Network")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_agency("refugee action network")


@pytest.mark.django_db
def test_database_refuses_a_contact_with_no_way_to_reach_them(make_agency):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(agency=make_agency(), full_name="Nobody", email="", phone="")


@pytest.mark.django_db
def test_an_agency_covers_its_local_authorities_and_every_authority_in_its_whole_regions(
    make_agency, manchester, salford, birmingham, north_west
):
    in_manchester = make_agency("In Manchester")
    in_manchester.local_authorities.add(manchester)
    whole_north_west = make_agency("Whole North West")
    whole_north_west.regions.add(north_west)
    in_birmingham = make_agency("In Birmingham")
    in_birmingham.local_authorities.add(birmingham)

    assert set(Agency.objects.covering(local_authorities=[manchester])) == {
        in_manchester,
        whole_north_west,
    }
    assert set(Agency.objects.covering(local_authorities=[salford])) == {whole_north_west}
    assert set(Agency.objects.covering(regions=[north_west])) == {in_manchester, whole_north_west}


def test_areas_summary_names_whole_regions_and_shortens_long_lists(
    make_agency, north_west, manchester, salford, birmingham
):
    agency = make_agency()
    agency.regions.add(north_west)
    agency.local_authorities.add(manchester, salford, birmingham)
    assert agency.areas_summary(limit=2) == "North West (whole region), Birmingham and 2 more"
