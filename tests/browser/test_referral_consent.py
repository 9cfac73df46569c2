"""Consent before the click, in real Chromium (issue 24, item 5): a referral under an existing
consent is sent in at most three pages from the case, the page saying so as the agency and kind
are chosen; and a case item refused for want of consent reaches a filled-in consent request in
one click."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import AgencyKind
from core.roles import Role
from meetings import services as meeting_services
from meetings.models import Forum, ForumKind
from sharing.models import DataCategory, Purpose, Referral, ReferralStatus
from tests.factories import ConsentFactory


def _pages_loaded(page) -> list[str]:
    """Every page the browser loads from now on (HTMX swaps are not page loads)."""
    loaded = []
    page.on(
        "framenavigated",
        lambda frame: loaded.append(frame.url) if frame == page.main_frame else None,
    )
    return loaded


@pytest.mark.django_db(transaction=True)
def test_a_referral_under_an_existing_consent_is_sent_in_three_pages_from_the_case(
    browser_page, make_agreed_agency, case, officer, authority_user
):
    idva = make_agreed_agency("Manchester IDVA Service")
    ConsentFactory(
        case=case,
        recipients=[idva],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=list(DataCategory.values),
        granted_at=None,
        actor=authority_user,
    )
    page = browser_page.page
    browser_page.sign_in(officer)
    browser_page.visit(f"/cases/{case.pk}/")
    loaded = _pages_loaded(page)

    page.get_by_role("link", name="Draft a referral").click()
    browser_page.check()
    browser_page.choose("Agency referred to", "Manchester IDVA Service", typing="idva")
    page.get_by_label("Domestic-abuse service (IDVA)", exact=True).check()
    page.get_by_text("A current consent from the Authority covers this referral").wait_for()
    browser_page.check()
    page.get_by_label("Reason for referral").fill("Disclosed domestic abuse; needs an IDVA.")
    page.get_by_label("Urgent (within 24 hours)").check()
    page.get_by_role("button", name="Save and send").click()

    page.get_by_role("button", name="Send referral").wait_for()
    browser_page.check()
    page.get_by_label("Lawful basis (UK GDPR Article 6)").select_option("public_task")
    page.get_by_label("Condition for health or other special-category information").select_option(
        "sch1_para18"
    )
    page.get_by_label("Yes, the person was told").check()
    page.get_by_role("button", name="Send referral").click()

    page.locator("#referrals").wait_for()
    browser_page.check()
    assert Referral.objects.get().status == ReferralStatus.SENT
    assert len(loaded) <= 3, loaded


@pytest.mark.django_db(transaction=True)
def test_a_case_item_refused_for_want_of_consent_reaches_a_filled_in_request_in_one_click(
    browser_page, make_user, make_agreed_agency, case, officer, authority_user
):
    manager = make_user(Role.PARTNERSHIP_MANAGER, full_name="Priya Partnerships")
    police = make_agreed_agency("Greater Manchester Police", AgencyKind.POLICE)
    idva = make_agreed_agency("Safe Futures IDVA Service")
    kind = ForumKind.objects.get(code="marac")
    forum = meeting_services.save_forum(
        forum=Forum(
            name="Salford MARAC", kind=kind, level=kind.default_level, discusses_cases=True
        ),
        member_agencies=[police, idva, officer.agency],
        members=[],
        actor=manager,
    )
    start = timezone.now() + timedelta(days=3)
    meeting = meeting_services.create_meeting(
        forum=forum,
        start=start,
        end=start + timedelta(hours=2),
        location="Salford Civic Centre",
        online_url="",
        actor=manager,
    )
    ConsentFactory(
        case=case,
        recipients=[police],
        purposes=[Purpose.RISK_ASSESSMENT],
        categories=[DataCategory.IDENTITY, DataCategory.VULNERABILITIES],
        granted_at=None,
        actor=authority_user,
    )
    page = browser_page.page
    browser_page.sign_in(officer)
    browser_page.visit(f"/meetings/{meeting.pk}/agenda/case/new/")
    browser_page.choose("Case", case.reference, typing=case.reference[-4:])
    page.get_by_label("Purpose").select_option(Purpose.RISK_ASSESSMENT)
    page.get_by_label("Identity").check()
    page.get_by_label("Vulnerabilities").check()
    page.get_by_label("Summary shared with the agencies attending").fill("High risk after assault.")
    page.get_by_label("Why sharing is necessary and proportionate").fill("Safety planning.")
    page.get_by_label("Lawful basis (UK GDPR Article 6)").select_option("public_task")
    page.get_by_label("Condition for health or other special-category information").select_option(
        "sch1_para18"
    )
    page.get_by_label("Yes, the person was told").check()
    page.get_by_role("button", name="Check consent and add to the agenda").click()

    page.get_by_role("alert").get_by_text("Safe Futures IDVA Service: No consent").wait_for()
    browser_page.check()
    loaded = _pages_loaded(page)
    page.get_by_role("link", name="Request consent for this agency").click()

    page.get_by_role("button", name="Send request to the Authority").wait_for()
    browser_page.check()
    assert len(loaded) == 1
    assert page.get_by_label("Safe Futures IDVA Service").is_checked()
    assert not page.get_by_label("Greater Manchester Police").is_checked()
    assert page.get_by_label("Identity").is_checked()
    assert "Salford MARAC" in page.get_by_label("Why sharing is necessary").input_value()
