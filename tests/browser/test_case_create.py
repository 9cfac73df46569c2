"""An officer opens a case with two household members and three vulnerability indicators, and
its nationality and language chosen by typing, all in one submission of one page. In real
Chromium."""

from datetime import date

import pytest

from core.roles import Role
from sharing.models import Case

# The new-case page, the one submission, and the case page it leads to.
PAGE_BUDGET = 3


# serialized_rollback: the reference data loaded by migrations (local authorities, indicators)
# must be there again after an earlier transactional test emptied the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_case_opens_with_its_household_and_three_indicators_in_one_submission(
    browser_page, make_user
):
    officer = make_user(Role.SAFEGUARDING_OFFICER, full_name="Sam Officer")
    browser_page.sign_in(officer)
    page = browser_page.page
    loads = []
    page.on(
        "request",
        lambda request: (
            loads.append(f"{request.method} {request.url}")
            if request.is_navigation_request() and request.frame == page.main_frame
            else None
        ),
    )

    browser_page.visit("/cases/new/")
    browser_page.fill_new_case("Amina", "Haddad", date(1990, 5, 17), household="Family")
    browser_page.choose("Nationality (optional)", "Iran", typing="iran")
    browser_page.choose("Main language (optional)", "Persian (Farsi)", typing="farsi")

    for number, (name, relationship, born) in enumerate(
        [("Omar Haddad", "Son", date(2019, 2, 3)), ("Rasha Haddad", "Daughter", date(2021, 7, 9))],
        start=1,
    ):
        row = page.locator(f"#household-member-{number}")
        if number > 1:
            page.get_by_role("button", name="Add another member").click()
            # The added row's first box has the focus, as GOV.UK's add-another pattern has it.
            assert row.get_by_label("Full name").evaluate("box => box === document.activeElement")
        row.get_by_label("Full name").fill(name)
        row.get_by_label("Relationship to the service user").fill(relationship)
        browser_page.fill_date("Date of birth", born, within=row)

    for indicator, identified in (
        ("Domestic abuse (DA)", date(2026, 1, 10)),
        ("Mental health condition (MH)", date(2026, 1, 12)),
        ("Risk of suicide or self-harm (SUI)", date(2026, 1, 12)),
    ):
        page.get_by_label(indicator, exact=True).check()
        name = indicator.rsplit(" (", 1)[0]
        browser_page.fill_date(f"Date identified: {name}", identified)
    browser_page.check()
    page.get_by_role("button", name="Open case").click()

    page.get_by_role("heading", name="Amina Haddad").wait_for()
    browser_page.check()
    case = Case.objects.get()
    assert (case.nationality, case.language) == ("IR", "fas")
    assert sorted(case.household_members.values_list("full_name", flat=True)) == [
        "Omar Haddad",
        "Rasha Haddad",
    ]
    assert {ci.indicator.code: ci.identified_on for ci in case.indicators.all()} == {
        "DA": date(2026, 1, 10),
        "MH": date(2026, 1, 12),
        "SUI": date(2026, 1, 12),
    }
    assert page.get_by_text("Persian (Farsi)").first.is_visible()
    assert len(loads) <= PAGE_BUDGET, loads
    browser_page.screenshot("case-opened-in-one-submission")
