"""Fixtures for the consent gate: a case, recipients with agreements, and consents."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import AgencyKind, LocalAuthority
from sharing.models import Case, ConcernSource, DataCategory, LawfulBasis, PersonTold, Purpose
from sharing.services import DecisionRecord, grant_consent

ALL_CATEGORIES = [choice.value for choice in DataCategory]


@pytest.fixture
def make_case(db, officer):
    counter = iter(range(1, 1_000_000))

    def make(**fields):
        number = next(counter)
        case = Case.objects.create(
            reference=fields.pop("reference", f"PH-2026-{number:06d}"),
            given_names="Amina",
            family_name=f"Test{number}",
            date_of_birth=date(1990, 5, 1),
            support_type="s95",
            accommodation_type="dispersed",
            local_authority=LocalAuthority.objects.get(code="E08000003"),
            household_type="single",
            concern_source=ConcernSource.objects.first(),
            concern_received_on=date(2026, 1, 5),
            risk_level="high",
            created_by=officer,
            **fields,
        )
        case.assigned_officers.add(officer)
        return case

    return make


@pytest.fixture
def case(make_case):
    return make_case()


@pytest.fixture
def make_recipient(make_agency):
    def make(name=None, kind=AgencyKind.POLICE, agreement=True, **fields):
        if agreement:
            fields.setdefault("information_sharing_agreement_signed_on", date(2025, 1, 1))
            fields.setdefault("information_sharing_agreement_review_due_on", date(2030, 1, 1))
        return make_agency(name, kind=kind, **fields)

    return make


@pytest.fixture
def police(make_recipient):
    return make_recipient("Greater Manchester Police")


@pytest.fixture
def make_consent(authority_user):
    def make(
        case,
        recipients,
        purposes=(Purpose.SAFEGUARDING_REFERRAL,),
        categories=ALL_CATEGORIES,
        **fields,
    ):
        now = timezone.now()
        return grant_consent(
            case=case,
            recipients=recipients,
            purposes=list(purposes),
            categories=list(categories),
            valid_from=fields.pop("valid_from", now - timedelta(days=1)),
            valid_until=fields.pop("valid_until", now + timedelta(days=30)),
            actor=authority_user,
            granted_at=fields.pop("granted_at", now - timedelta(days=1)),
            **fields,
        )

    return make


@pytest.fixture
def decision():
    def make(categories=(DataCategory.IDENTITY,), **fields):
        values = {
            "necessity": "She is at high risk of serious harm; police need to know for a safety plan.",
            "lawful_basis": LawfulBasis.PUBLIC_TASK,
            "special_category_condition": "sch1_para18",
            "person_told": PersonTold.TOLD,
            "categories": tuple(categories),
        }
        values.update(fields)
        return DecisionRecord(**values)

    return make
