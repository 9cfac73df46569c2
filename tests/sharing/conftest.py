"""Fixtures for cases: reference data from the migration, and cases opened through the service."""

from datetime import date

import pytest

from agencies.models import AgencyKind, LocalAuthority
from sharing import services
from sharing.models import (
    AccommodationType,
    Case,
    ConcernSource,
    HouseholdType,
    Referral,
    ReferralKind,
    RiskLevel,
    SupportType,
    Urgency,
    VulnerabilityIndicator,
)


@pytest.fixture
def manchester(db):
    return LocalAuthority.objects.get(code="E08000003")


@pytest.fixture
def case_fields(manchester):
    return {
        "given_names": "Amina",
        "family_name": "Haddad",
        "date_of_birth": date(1990, 5, 17),
        "sex_or_gender": "Female",
        "nationality": "Syrian",
        "language": "Arabic",
        "interpreter_needed": True,
        "support_type": SupportType.SECTION_95,
        "accommodation_type": AccommodationType.DISPERSED,
        "address": "12 Cheetham Hill Road",
        "postcode": "M8 8EP",
        "local_authority": manchester,
        "household_type": HouseholdType.SINGLE,
        "concern_source": ConcernSource.objects.get(code="housing-officer"),
        "concern_received_on": date(2026, 1, 10),
        "risk_level": RiskLevel.MEDIUM,
    }


@pytest.fixture
def make_case(request, case_fields, officer):
    def make(*, officers=None, actor=None, **overrides):
        case = Case(**{**case_fields, **overrides})
        case.full_clean(exclude=["reference", "created_by"])
        if actor is None:
            # Only a manager assigns a case to officers other than the one opening it.
            others = officers is not None and list(officers) != [officer]
            actor = request.getfixturevalue("manager") if others else officer
        return services.open_case(
            case=case,
            officers=officers if officers is not None else [officer],
            actor=actor,
        )

    return make


@pytest.fixture
def case(make_case):
    return make_case()


@pytest.fixture
def indicator(db):
    return VulnerabilityIndicator.objects.get(code="DA")


@pytest.fixture
def idva_service(make_agency):
    return make_agency("Manchester IDVA Service", kind=AgencyKind.NGO)


@pytest.fixture
def make_referral(idva_service, officer):
    def make(case, *, agency=None, actor=None, **fields):
        referral = Referral(
            case=case,
            agency=agency or idva_service,
            kind=ReferralKind.objects.get(code="idva"),
            reason="Disclosed domestic abuse by a former partner.",
            urgency=Urgency.URGENT,
            **fields,
        )
        return services.create_referral(referral=referral, actor=actor or officer)

    return make
