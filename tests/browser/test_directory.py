"""A partnership manager finds a partner in the directory and adds a named contact."""

import pytest

from agencies.models import AgencyKind, Contact, LocalAuthority


@pytest.mark.django_db(transaction=True)
def test_search_filter_open_an_agency_and_add_a_contact(browser_page, make_user, make_agency):
    manchester = LocalAuthority.objects.get(name="Manchester")
    police = make_agency(
        "Greater Manchester Police Public Protection",
        kind=AgencyKind.POLICE,
        services="Public protection unit and MARAC",
    )
    police.local_authorities.add(manchester)
    make_agency("Manchester Refugee Support", kind=AgencyKind.NGO).local_authorities.add(manchester)
    make_agency("Leicestershire Police", kind=AgencyKind.POLICE)
    browser_page.sign_in(make_user("partnership manager", full_name="Priya Partnerships"))
    page = browser_page.page

    browser_page.visit("/directory/")
    page.get_by_label("Search").fill("Manchester")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/directory/?q=Manchester*")
    assert page.get_by_role("heading", name="2 agencies").is_visible()
    browser_page.check()

    page.get_by_label("Kind of agency").select_option(label="Police")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**kind=police*")
    assert page.get_by_role("heading", name="1 agency").is_visible()
    assert page.get_by_role("link", name="Leicestershire Police").count() == 0
    browser_page.check()

    page.get_by_role("link", name="Greater Manchester Police Public Protection").click()
    page.get_by_role("heading", name="Greater Manchester Police Public Protection").wait_for()
    browser_page.check()

    page.get_by_role("link", name="Add a contact").click()
    page.get_by_role("heading", name="Add a contact").wait_for()
    browser_page.check()
    page.get_by_role("button", name="Save contact").click()
    page.locator(".govuk-error-summary").wait_for()
    browser_page.check()

    page.get_by_label("Full name").fill("DS Paul Whitaker")
    page.get_by_label("Job title").fill("MARAC chair")
    page.get_by_label("E-mail address").fill("paul.whitaker@gmp.example")
    page.get_by_label("Single point of contact").check()
    page.get_by_role("button", name="Save contact").click()

    page.get_by_text("DS Paul Whitaker is added to").wait_for()
    assert page.get_by_role("heading", name="DS Paul Whitaker Single point of contact").is_visible()
    browser_page.check()
    assert Contact.objects.get(agency=police).full_name == "DS Paul Whitaker"
    assert browser_page.screenshot("directory-agency-with-contact").exists()
