"""Fixtures for the consent gate: recipients with agreements, consents and records of decision."""

from datetime import date

import pytest

from agencies.models import AgencyKind
from sharing.models import DataCategory, LawfulBasis, PersonTold
from sharing.services import DecisionRecord
from tests.factories import ConsentFactory


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
    def make(case, recipients, **fields):
        return ConsentFactory(case=case, recipients=recipients, actor=authority_user, **fields)

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
