"""An urgent consent request, end to end in Chromium: the officer asks, the Authority sees it
counted in the header and first in the queue with its wait, grants it, and the officer is told
in Partnerhub and by e-mail, then sends the referral."""

from datetime import date

import pytest
from django.core import mail

from agencies.models import AgencyKind, LocalAuthority
from core.roles import Role
from sharing import services
from sharing.models import (
    Case,
    ConcernSource,
    DataCategory,
    Purpose,
    Referral,
    ReferralKind,
    ReferralStatus,
)


def open_case(officer, given_names, family_name):
    return services.open_case(
        case=Case(
            given_names=given_names, family_name=family_name, date_of_birth=date(1990, 5, 17),
            support_type="s95", accommodation_type="dispersed", household_type="single",
            local_authority=LocalAuthority.objects.get(name="Manchester"),
            concern_source=ConcernSource.objects.first(), concern_received_on=date(2026, 1, 10),
            risk_level="high",
        ),
        officers=[officer], actor=officer,
    )  # fmt: skip


def unread(page) -> str:
    """The header's count as a screen reader reads it."""
    return " ".join(page.locator(".partnerhub-header__count").text_content().split())


@pytest.mark.django_db(transaction=True)
def test_an_urgent_request_is_seen_first_granted_and_the_officer_told_then_sends(
    browser_page, browser, make_user, make_agency
):
    officer = make_user(Role.SAFEGUARDING_OFFICER, full_name="Sam Officer")
    authority = make_user(
        Role.AUTHORITY,
        agency=make_agency("The Authority", kind=AgencyKind.AUTHORITY),
        full_name="Ada Authority",
    )
    idva = make_agency(
        "Manchester IDVA Service",
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    # A standard request asked earlier, which the urgent one must overtake in the queue.
    earlier = open_case(officer, "Leila", "Karimi")
    services.request_consent(
        case=earlier,
        recipients=[idva],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY],
        necessity="Support with housing.",
        actor=officer,
    )
    case = open_case(officer, "Amina", "Haddad")
    referral = services.create_referral(
        referral=Referral(
            case=case,
            agency=idva,
            kind=ReferralKind.objects.get(code="idva"),
            reason="Disclosed domestic abuse; needs an IDVA.",
        ),
        actor=officer,
    )
    page = browser_page.page
    browser_page.sign_in(officer)

    def send_referral():
        browser_page.visit(f"/referrals/{referral.pk}/send/")
        page.get_by_label("Lawful basis (UK GDPR Article 6)").select_option(
            label="Public task – Art. 6(1)(e)"
        )
        page.get_by_label(
            "Condition for health or other special-category information"
        ).select_option(
            label="Safeguarding of children and of individuals at risk – DPA 2018 Sch. 1 para 18"
        )
        page.get_by_label("Yes, the person was told").check()
        page.get_by_role("button", name="Send referral").click()

    # No consent yet: the send page offers nothing to release and links to a request for it.
    browser_page.visit(f"/referrals/{referral.pk}/send/")
    page.get_by_text("No current consent from the Authority names any information").wait_for()
    page.get_by_role("link", name="Request consent").click()
    page.get_by_label("Why sharing is necessary").fill("High risk of harm; IDVA safety plan.")
    page.get_by_label("Urgent").check()
    page.get_by_role("button", name="Send request to the Authority").click()
    page.locator("#consent").wait_for()
    browser_page.check()

    authority_page = browser.new_context().new_page()
    authority_browser = type(browser_page)(authority_page, browser_page.base_url)
    authority_browser.sign_in(authority)
    authority_browser.visit("/")
    assert unread(authority_page) == "2 unread"
    authority_browser.visit("/consent/requests/")
    first = authority_page.locator("tbody tr").first
    assert case.reference in first.inner_text()
    assert "Urgent" in first.inner_text()
    assert "0 working days" in first.inner_text()
    assert earlier.reference in authority_page.locator("tbody tr").nth(1).inner_text()
    authority_browser.screenshot("consent-queue-urgent-first")
    first.get_by_role("link", name=case.reference).click()
    authority_page.get_by_label("Grant consent as asked").check()
    authority_page.get_by_role("button", name="Record decision").click()
    authority_page.get_by_text("Decision recorded").wait_for()

    browser_page.visit("/")
    assert unread(page) == "1 unread"
    page.locator(".partnerhub-header").get_by_role("link", name="Notifications").click()
    told = f"The Authority granted your consent request on case {case.reference}"
    page.get_by_role("link", name=told).wait_for()
    browser_page.check()
    browser_page.screenshot("officer-told-of-consent")
    [email] = [m for m in mail.outbox if m.to == [f"Sam Officer <{officer.email}>"]]
    assert email.subject == "Partnerhub: Consent granted on your request"
    assert told in email.body
    assert "Amina" not in email.body and "Haddad" not in email.body

    page.get_by_role("link", name=told).click()
    page.get_by_role("heading", name="Amina Haddad").wait_for()
    assert page.locator(".partnerhub-header__count").count() == 0
    send_referral()
    page.get_by_text("Referral sent").first.wait_for()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
