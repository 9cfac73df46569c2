"""Fixtures for cases: reference data from the migration, and cases opened through the service."""

import pytest

from agencies.models import AgencyKind, LocalAuthority
from sharing.models import VulnerabilityIndicator
from tests.factories import ReferralFactory, case_values


@pytest.fixture
def manchester(db):
    return LocalAuthority.objects.get(code="E08000003")


@pytest.fixture
def case_fields(db):
    """What the new-case form is filled with: the case factory's values."""
    return case_values()


@pytest.fixture
def indicator(db):
    return VulnerabilityIndicator.objects.get(code="DA")


@pytest.fixture
def idva_service(make_agency):
    return make_agency("Manchester IDVA Service", kind=AgencyKind.NGO)


@pytest.fixture
def make_referral(idva_service, officer):
    def make(case, *, agency=None, actor=None, **fields):
        return ReferralFactory(
            case=case, agency=agency or idva_service, actor=actor or officer, **fields
        )

    return make
