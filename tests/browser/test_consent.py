"""Nothing leaves without consent, end to end in Chromium: an officer is refused, asks the
Authority, the Authority grants, and the officer shares."""

from datetime import date

import pytest

from agencies.models import AgencyKind, LocalAuthority
from core.roles import Role
from sharing import services
from sharing.models import Case, ConcernSource, Disclosure


@pytest.mark.django_db(transaction=True)
def test_refused_then_asked_then_granted_then_shared(browser_page, browser, make_user, make_agency):
    officer = make_user(Role.SAFEGUARDING_OFFICER, full_name="Sam Officer")
    authority = make_user(
        Role.AUTHORITY,
        agency=make_agency("The Authority", kind=AgencyKind.AUTHORITY),
        full_name="Ada Authority",
    )
    make_agency(
        "Greater Manchester Police",
        kind=AgencyKind.POLICE,
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    case = services.open_case(
        case=Case(
            given_names="Amina", family_name="Haddad", date_of_birth=date(1990, 5, 17),
            support_type="s95", accommodation_type="dispersed", household_type="single",
            local_authority=LocalAuthority.objects.get(name="Manchester"),
            concern_source=ConcernSource.objects.first(), concern_received_on=date(2026, 1, 10),
            risk_level="high",
        ),
        officers=[officer], actor=officer,
    )  # fmt: skip
    page = browser_page.page
    browser_page.sign_in(officer)

    def fill_share_form():
        browser_page.visit(f"/cases/{case.pk}/share/")
        browser_page.choose("Agency", "Greater Manchester Police", typing="manchester pol")
        page.get_by_label("Purpose").select_option(label="Safeguarding referral")
        page.get_by_label("Identity").check()
        page.get_by_label("Exactly what is shared").fill("Amina Haddad, born 17 May 1990.")
        page.get_by_label("Secure e-mail").check()
        page.get_by_label("Why sharing is necessary and proportionate").fill("Safety planning.")
        page.get_by_label("Lawful basis (UK GDPR Article 6)").select_option(
            label="Public task – Art. 6(1)(e)"
        )
        page.get_by_label("Yes, the person was told").check()
        page.get_by_role("button", name="Share and record").click()

    fill_share_form()
    page.get_by_text("Nothing has been shared").wait_for()
    browser_page.check()
    page.get_by_role("link", name="Ask the Authority for this consent").click()
    page.get_by_label("Why sharing is necessary").fill("High risk of harm; police safety plan.")
    page.get_by_role("button", name="Send request to the Authority").click()
    page.locator("#consent").wait_for()
    browser_page.check()

    authority_page = browser.new_context().new_page()
    authority_browser = type(browser_page)(authority_page, browser_page.base_url)
    authority_browser.sign_in(authority)
    authority_browser.visit("/consent/requests/")
    authority_page.get_by_role("link", name=case.reference).click()
    authority_page.get_by_label("Grant consent as asked").check()
    authority_page.get_by_role("button", name="Record decision").click()
    authority_page.get_by_text("Decision recorded").wait_for()
    authority_browser.check()

    fill_share_form()
    page.get_by_text("Shared with Greater Manchester Police and recorded").wait_for()
    browser_page.check()
    assert Disclosure.objects.get().recipient.name == "Greater Manchester Police"
    browser_page.screenshot("case-shared-under-consent")
