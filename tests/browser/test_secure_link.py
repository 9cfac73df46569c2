"""A referral to an agency without Partnerhub users, in Chromium: the officer sends the text
composed from the case by secure link; the agency's contact opens the link, reads the one-time
code from the mailbox, sees exactly what was released, acknowledges and accepts; the officer sees
both answers on the case timeline; once the Authority revokes the consent the link says the
referral was withdrawn."""

import re

import pytest
from django.core import mail

from sharing import services
from sharing.models import Disclosure, ReferralStatus
from tests.factories import ContactFactory, ReferralFactory
from tests.sharing.referrals import allow_sharing, authority_person


@pytest.mark.django_db(transaction=True)
def test_an_external_contact_opens_the_link_with_a_code_and_accepts(
    browser_page, browser, case, officer, make_agency
):
    agency = make_agency("County Advice Service")
    contact = ContactFactory(agency=agency, full_name="Sam Contact")
    referral = ReferralFactory(case=case, agency=agency, contact=contact, actor=officer)
    allow_sharing(referral)

    page = browser_page.page
    browser_page.sign_in(officer)
    browser_page.visit(f"/referrals/{referral.pk}/send/")
    browser_page.check()
    composed = page.get_by_label("Exactly what is released").input_value()
    assert case.full_name in composed
    page.get_by_label(re.compile("Secure link: an e-mail with a link")).check()
    page.get_by_label("Lawful basis (UK GDPR Article 6)").select_option("public_task")
    page.get_by_label("Condition for health or other special-category information").select_option(
        "sch1_para18"
    )
    page.get_by_label("Yes, the person was told").check()
    page.get_by_role("button", name="Send referral").click()
    page.get_by_text(f"Referral sent to {agency.name}").wait_for()
    assert Disclosure.objects.get(case=case).content.text == composed.replace("\r\n", "\n")

    (link_message,) = [m for m in mail.outbox if "sam.contact@example.org" in m.to[0]]
    assert case.family_name not in link_message.body
    path = re.search(r"/links/\S+/", link_message.body).group(0)

    outside = browser.new_context().new_page()
    contact_browser = type(browser_page)(outside, browser_page.base_url)
    contact_browser.visit(path)
    assert case.family_name not in outside.content()
    contact_browser.check()
    outside.get_by_role("button", name="Send me a code").click()
    outside.get_by_text("We have sent a code to sam.contact@example.org").wait_for()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    outside.get_by_label("Code").fill(code)
    outside.get_by_role("button", name="Open the referral").click()
    outside.get_by_role("heading", name="What was shared with County Advice Service").wait_for()
    assert case.full_name in outside.content()
    contact_browser.check()
    outside.get_by_label("Acknowledge: we have received it").check()
    outside.get_by_role("button", name="Send answer").click()
    outside.get_by_text("Your answer is recorded").wait_for()
    outside.get_by_label("Accept: we will work with this person").check()
    outside.get_by_label("Note for the referring officer").fill("Sam will call her this week.")
    outside.get_by_role("button", name="Send answer").click()
    outside.get_by_text("has answered this referral: accepted").wait_for()
    contact_browser.check()
    contact_browser.screenshot("secure-link-accepted")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED

    browser_page.visit(f"/cases/{case.pk}/")
    timeline = page.content()
    assert timeline.count("Sam Contact (sam.contact@example.org), by secure link") >= 2
    assert "Sam will call her this week." in timeline

    services.revoke_consent(
        consent=case.consents.get(), reason="The person withdrew.", actor=authority_person()
    )
    contact_browser.visit(path)
    outside.get_by_role("heading", name="This referral was withdrawn").wait_for()
    assert case.full_name not in outside.content()
    contact_browser.check()
