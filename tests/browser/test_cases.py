"""An officer opens a case, records two indicators and drafts a referral; and drafts a MARAC
referral whose DASH questions are revealed beneath the MARAC choice. In real Chromium."""

from datetime import date

import pytest

from agencies.models import AgencyKind
from core.roles import Role
from sharing.models import Case, Referral


# serialized_rollback: the reference data loaded by migrations (local authorities, indicators)
# must be there again after an earlier transactional test emptied the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_opens_a_case_adds_two_indicators_and_drafts_a_referral(
    browser_page, make_user, make_agency
):
    officer = make_user(Role.SAFEGUARDING_OFFICER, full_name="Sam Officer")
    make_agency("Manchester IDVA Service", kind=AgencyKind.NGO)
    browser_page.sign_in(officer)
    page = browser_page.page

    browser_page.visit("/cases/mine/")
    page.get_by_role("link", name="Open a case").click()
    browser_page.check()
    browser_page.fill_new_case("Amina", "Haddad", date(1990, 5, 17))
    page.get_by_role("button", name="Open case").click()

    page.get_by_role("heading", name="Amina Haddad").wait_for()
    browser_page.check()
    case = Case.objects.get()
    assert case.reference in page.content()

    for indicator, typing in (
        ("DA – Domestic abuse", "domestic"),
        ("MH – Mental health condition", "mental"),
    ):
        page.get_by_role("link", name="Add an indicator").click()
        browser_page.choose("Indicator", indicator, typing=typing)
        browser_page.check()
        page.get_by_role("button", name="Add indicator").click()
        page.get_by_role("heading", name="Amina Haddad").wait_for()
    assert case.indicators.count() == 2

    page.get_by_role("link", name="Draft a referral").click()
    browser_page.check()
    browser_page.choose("Agency referred to", "Manchester IDVA Service", typing="idva")
    page.get_by_label("Domestic-abuse service (IDVA)", exact=True).check()
    page.get_by_label("Reason for referral").fill("Disclosed domestic abuse; needs an IDVA.")
    page.get_by_label("Domestic abuse (DA)").check()
    page.get_by_label("Urgent (within 24 hours)").check()
    page.get_by_role("button", name="Save draft").click()

    page.locator("#referrals").wait_for()
    browser_page.check()
    referral = Referral.objects.get()
    assert referral.status == "draft"
    assert [i.code for i in referral.indicators.all()] == ["DA"]
    # No consent covers it yet: the draft offers to ask for it rather than to send.
    assert page.get_by_text("No consent covers it").is_visible()
    assert page.get_by_role(
        "link", name="Request consent for the referral to Manchester IDVA Service"
    ).is_visible()
    assert not page.get_by_role("link", name="Send referral to Manchester IDVA Service").count()
    browser_page.screenshot("case-with-draft-referral")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_choosing_marac_reveals_the_dash_questions_and_a_low_score_needs_another_criterion(
    browser_page, make_user, make_agency, make_case
):
    officer = make_user(Role.SAFEGUARDING_OFFICER, full_name="Sam Officer")
    make_agency("Manchester MARAC", kind=AgencyKind.POLICE)
    case = make_case(officers=[officer], actor=officer)
    browser_page.sign_in(officer)
    page = browser_page.page

    browser_page.visit(f"/cases/{case.pk}/referrals/new/")
    score = page.get_by_label("DASH risk checklist score")
    assert not score.is_visible()
    browser_page.choose("Agency referred to", "Manchester MARAC", typing="marac")
    page.get_by_label("MARAC", exact=True).check()
    score.wait_for()
    browser_page.check()
    score.fill("12")
    page.get_by_role("group", name="Was professional judgement used").get_by_label("No").check()
    page.get_by_label("Visible high risk (a DASH score of 14 or more)").check()
    page.get_by_label("Reason for referral").fill("Stalking by a former partner.")
    page.get_by_label("Routine", exact=True).check()
    page.get_by_role("button", name="Save draft").click()

    page.get_by_text("Visible high risk needs a DASH score of 14 or more").first.wait_for()
    browser_page.check()
    assert not Referral.objects.exists()
    page.get_by_role("group", name="Was professional judgement used").get_by_label("Yes").check()
    page.get_by_label("Why, in your professional judgement").fill("Threats to kill this week.")
    page.get_by_label("Professional judgement", exact=True).check()
    page.get_by_role("button", name="Save draft").click()

    page.locator("#referrals").wait_for()
    referral = Referral.objects.get()
    assert (referral.dash_score, referral.escalation_criterion) == (12, "professional_judgement")
    assert "DASH score 12" in page.content()
