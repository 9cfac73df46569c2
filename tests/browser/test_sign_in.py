"""A person signs in through real Chromium with a password and an authenticator code."""

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import TEST_PASSWORD
from tests.totp import current_code

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


@pytest.mark.django_db(transaction=True)
def test_sign_in_with_password_and_code_reaches_the_home_page(browser_page, make_user):
    person = make_user("safeguarding officer", mfa=False, full_name="Sam Officer")
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": SECRET})
    page = browser_page.page

    browser_page.visit("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/accounts/2fa/authenticate/")
    browser_page.check()
    page.get_by_label("Code").fill(current_code(SECRET))
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(browser_page.base_url + "/")
    assert page.get_by_role("heading", name="Hello, Sam").is_visible()
    browser_page.check()
    assert browser_page.screenshot("signed-in-home").exists()


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_an_error_summary_linked_to_the_field(browser_page, make_user):
    person = make_user("safeguarding officer")
    page = browser_page.page
    browser_page.visit("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    browser_page.check()
