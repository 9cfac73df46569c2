"""A partner agency answers in Chromium: its person finds the referral in "Referrals to
answer", acknowledges it, then declines it with a note; the officer sees both answers, by
name, on the case timeline."""

import pytest

from sharing.models import ReferralStatus
from tests.factories import ReferralFactory
from tests.sharing.referrals import send_with_consent


@pytest.mark.django_db(transaction=True)
def test_a_partner_acknowledges_then_declines_with_a_note(
    browser_page, browser, case, officer, partner_user
):
    referral = send_with_consent(
        referral=ReferralFactory(case=case, agency=partner_user.agency, actor=officer),
        actor=officer,
    )
    page = browser_page.page
    browser_page.sign_in(partner_user)
    browser_page.visit("/")
    page.locator(".govuk-service-navigation").get_by_role(
        "link", name="Referrals to answer"
    ).click()
    page.get_by_role("link", name=referral.kind.name).click()
    browser_page.check()
    page.get_by_label("Acknowledge: we have received it").check()
    page.get_by_role("button", name="Send answer").click()
    page.get_by_text("Your answer is recorded (acknowledged)").wait_for()

    page.get_by_label("Decline").check()
    page.get_by_role("button", name="Send answer").click()
    page.get_by_text("Give the reason: the referring officer needs to know why").first.wait_for()
    browser_page.check()
    page.get_by_label("Note for the referring officer").fill("Outside our service area.")
    page.get_by_role("button", name="Send answer").click()
    page.get_by_text("Your agency has answered this referral: declined").wait_for()
    browser_page.check()
    browser_page.screenshot("partner-declined-referral")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED

    officer_page = browser.new_context().new_page()
    officer_browser = type(browser_page)(officer_page, browser_page.base_url)
    officer_browser.sign_in(officer)
    officer_browser.visit(f"/cases/{case.pk}/")
    timeline = officer_page.content()
    assert timeline.count(partner_user.full_name) >= 2
    assert "Outside our service area." in timeline
