"""The agency page's "information shared" section asks the one disclosure rule: a partner user
sees what reached their own agency and no section on any other agency's page; an officer sees
only what was shared about the cases they work on."""

import pytest
from django.test import Client

from core.roles import Role
from sharing.models import DataCategory, DisclosureMethod, Purpose
from sharing.services import disclose

SECTION = "Referrals and information shared"


@pytest.fixture
def shared_with_police(case, police, officer, make_consent, decision):
    make_consent(case, [police])
    return disclose(
        case=case,
        recipient=police,
        purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=[DataCategory.IDENTITY],
        content="Name and date of birth",
        method=DisclosureMethod.PHONE,
        record_of_decision=decision(),
        actor=officer,
    )


def _agency_page(person, agency) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(f"/directory/{agency.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_partner_sees_what_reached_their_own_agency_only(
    shared_with_police, police, make_recipient, make_user
):
    reference = shared_with_police.case.reference
    own = make_user(Role.PARTNER, agency=police)
    page = _agency_page(own, police)
    assert SECTION in page and reference in page
    stranger = make_user(Role.PARTNER, agency=make_recipient("Another Charity"))
    page = _agency_page(stranger, police)
    assert SECTION not in page and reference not in page


@pytest.mark.django_db
def test_an_officer_sees_only_what_was_shared_about_their_own_cases(
    shared_with_police, police, make_user
):
    reference = shared_with_police.case.reference
    assert reference in _agency_page(shared_with_police.disclosed_by, police)
    colleague = make_user(Role.SAFEGUARDING_OFFICER)
    assert reference not in _agency_page(colleague, police)
