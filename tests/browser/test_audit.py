"""A compliance reviewer filters the audit log and opens one record's trail."""

import pytest

from audit.models import Verb
from audit.services import record


@pytest.mark.django_db(transaction=True)
def test_filter_the_audit_log_and_open_a_record_trail(browser_page, make_user):
    for number in range(3):
        record(
            verb=Verb.DISCLOSED,
            actor_label="sam.officer@example.org",
            object_type="sharing.case",
            object_id="12",
            object_label="PH-0012",
            changed_fields=["categories"],
            ip_address="192.0.2.4",
        )
        record(
            verb=Verb.VIEWED,
            actor_label="other@example.org",
            object_type="sharing.case",
            object_id=str(20 + number),
            object_label=f"PH-{20 + number:04d}",
        )
    browser_page.sign_in(make_user("compliance reviewer", full_name="Casey Compliance"))
    page = browser_page.page

    browser_page.visit("/")
    page.get_by_role("link", name="Audit log").first.click()
    page.get_by_role("heading", name="Audit log", exact=True).wait_for()
    browser_page.check()

    page.get_by_label("What happened").select_option(label="Disclosed")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**verb=disclosed*")
    assert page.get_by_role("link", name="PH-0012").count() == 3
    assert page.get_by_role("link", name="PH-0020").count() == 0
    browser_page.check()
    assert browser_page.screenshot("audit-log-filtered").exists()

    page.get_by_label("From").fill("2026-02-01")
    page.get_by_label("To").fill("2026-01-01")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role(
        "link", name="Enter a ‘to’ date that is on or after the ‘from’ date"
    ).wait_for()
    browser_page.check()

    browser_page.visit("/audit/?verb=disclosed")
    page.get_by_role("link", name="PH-0012").first.click()
    page.get_by_role("heading", name="PH-0012").wait_for()
    assert page.locator("tbody tr").count() == 3
    browser_page.check()
    assert browser_page.screenshot("audit-object-trail").exists()
