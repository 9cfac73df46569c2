"""A compliance reviewer exports the disclosure log and the directory, then finds both exports in
the audit log: filters it by every kind of event, opens one record's trail, exports the log
itself and verifies the chain."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from audit.models import AuditEvent, Verb
from audit.services import record


def _download(page, link_name) -> list[list[str]]:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db(transaction=True)
def test_export_filter_verify_and_open_a_record_trail(browser_page, make_user):
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
    reviewer = make_user("compliance reviewer", full_name="Casey Compliance")
    browser_page.sign_in(reviewer)
    page = browser_page.page

    browser_page.visit("/disclosures/")
    assert _download(page, "Download as CSV")[0][0] == "disclosed at"
    browser_page.visit("/directory/")
    assert _download(page, "Export this list as CSV")[0][0]

    browser_page.visit("/")
    page.get_by_role("link", name="Audit log").first.click()
    page.get_by_role("heading", name="Audit log", exact=True).wait_for()
    browser_page.check()

    # Both exports are on the page as events about a kind of record, with no trail to link to.
    browser_page.choose("What happened (optional)", "Exported", typing="export")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**verb=exported*")
    assert page.locator("tbody tr").count() == 2
    browser_page.check()

    for verb in Verb:
        browser_page.choose("What happened (optional)", verb.label, typing=verb.label)
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(f"**verb={verb.value}*")
        page.get_by_role("heading", name="Audit log", exact=True).wait_for()
        expected = AuditEvent.objects.filter(verb=verb).count()
        assert page.locator("tbody tr").count() == min(expected, 50), verb

    browser_page.choose("What happened (optional)", "Disclosed", typing="disclosed")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**verb=disclosed*")
    assert page.get_by_role("link", name="PH-0012").count() == 3
    assert page.get_by_role("link", name="PH-0020").count() == 0
    assert browser_page.screenshot("audit-log-filtered").exists()

    exported = _download(page, "Export these events (CSV)")
    assert [row[2] for row in exported[1:]] == ["sam.officer@example.org"] * 3

    page.get_by_role("button", name="Verify the chain now").click()
    page.get_by_text("Audit chain intact:").wait_for()
    browser_page.check()
    assert AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED, actor_id=reviewer.pk).count() == 1

    browser_page.fill_date("From", date(2026, 2, 1))
    browser_page.fill_date("To", date(2026, 1, 1))
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
