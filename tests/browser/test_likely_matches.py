"""An officer starts a case for a person who already has one under another spelling: the page
shows the case and why it matches, and opening another takes a reason. In real Chromium."""

from datetime import date

import pytest

from core.roles import Role
from sharing.models import Case, CaseNote
from tests.factories import CaseFactory


# serialized_rollback: the reference data loaded by migrations (local authorities, indicators)
# must be there again after an earlier transactional test emptied the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_sees_the_likely_match_and_gives_a_reason_to_open_another_case(
    browser_page, make_user
):
    officer = make_user(Role.SAFEGUARDING_OFFICER, full_name="Sam Officer")
    known = CaseFactory(
        given_names="Mohammed",
        family_name="Al-Sayed",
        date_of_birth=date(1990, 5, 12),
        actor=officer,
        officers=[officer],
    )
    browser_page.sign_in(officer)
    page = browser_page.page

    browser_page.visit("/cases/new/")
    browser_page.fill_new_case("Muhammad", "Alsayed", date(1990, 5, 12))
    page.get_by_role("button", name="Open case").click()

    page.get_by_role("heading", name="There may already be a case for this person").wait_for()
    browser_page.check()
    assert page.get_by_role("link", name=f"{known.reference} (opens in new tab)").is_visible()
    assert "Same date of birth and a similar name" in page.content()
    assert Case.objects.count() == 1
    browser_page.screenshot("likely-match-on-the-new-case-page")

    page.get_by_role("link", name="Enter why you are opening a new case").click()
    page.get_by_label("Why open a new case?").fill("A different man: a cousin, born the same day.")
    page.get_by_role("button", name="Open case").click()
    page.get_by_role("heading", name="Muhammad Alsayed").wait_for()
    browser_page.check()
    opened = Case.objects.exclude(pk=known.pk).get()
    assert "a cousin" in CaseNote.objects.get(case=opened).text
    browser_page.screenshot("case-opened-despite-a-likely-match")
