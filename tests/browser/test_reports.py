"""A safeguarding manager finds the reports in the navigation, changes the month of the report
to the Authority, downloads it and prints it; the consent and partnership reports open too; the
Authority reads the same month with small numbers hidden. Each page is axe-clean under the
strict Content-Security-Policy, and screenshots and the printed PDF (as an image) are kept in
test-results/."""

import io
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from pypdf import PdfReader

from tests.browser.conftest import RESULTS
from tests.reports.history import REPORT_MONTH, make_history


def _printed(page, name: str) -> str:
    """Print the page as Chromium's "Save as PDF" would; keep the PDF and its first page as an
    image; return its text."""
    RESULTS.mkdir(exist_ok=True)
    page.emulate_media(media="print")
    pdf_path = RESULTS / f"{name}.pdf"
    page.pdf(path=str(pdf_path), format="A4", print_background=True)
    page.emulate_media(media="screen")
    document = pypdfium2.PdfDocument(str(pdf_path))
    document[0].render(scale=1.5).to_pil().save(RESULTS / f"{name}-printed-page-1.png")
    return "\n".join(page.extract_text() for page in PdfReader(str(pdf_path)).pages)


@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_downloads_and_prints_the_reports(
    browser_page, manager, officer, authority_user
):
    make_history(officer=officer, manager=manager, authority=authority_user)
    browser_page.sign_in(manager)
    page = browser_page.page

    browser_page.visit("/")
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("heading", name="Reports", exact=True).wait_for()
    browser_page.check()
    page.get_by_role("link", name="Monthly report to the Authority").click()
    page.get_by_text("Change the period or filters").click()
    page.get_by_role("textbox", name="Month (optional)").fill(str(REPORT_MONTH))
    page.get_by_role("button", name="Show the report").click()
    page.get_by_role("heading", name="Monthly report to the Authority").wait_for()
    assert page.get_by_text(REPORT_MONTH.label, exact=True).first.is_visible()
    browser_page.check()
    # Each chart has its table beside it: the same figures, readable without the picture.
    assert page.locator("svg.partnerhub-chart").count() > 10
    assert (
        page.locator("svg.partnerhub-chart title").count()
        == page.locator("svg.partnerhub-chart").count()
    )
    browser_page.screenshot("report-monthly")

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames[0] == "About"

    text = _printed(page, "report-monthly")
    assert "Monthly report to the Authority" in text
    assert "New cases by local authority" in text
    for furniture in ("Sign out", "Change the period or filters", "Download this table"):
        assert furniture not in text

    browser_page.visit("/reports/consent/?from=2026-09-01&to=2026-10-31")
    page.get_by_role("heading", name="Consent compliance").wait_for()
    assert page.get_by_text("Covered by consent").first.is_visible()
    browser_page.screenshot("report-consent")
    _printed(page, "report-consent")

    browser_page.visit("/reports/partnership/?from=2026-09-01&to=2026-10-31")
    page.get_by_role("heading", name="Partnership activity").wait_for()
    browser_page.screenshot("report-partnership")
    _printed(page, "report-partnership")


@pytest.mark.django_db(transaction=True)
def test_the_authority_reads_the_month_with_small_numbers_hidden(
    browser_page, manager, officer, authority_user
):
    make_history(officer=officer, manager=manager, authority=authority_user)
    browser_page.sign_in(authority_user)
    browser_page.visit(f"/reports/monthly/?month={REPORT_MONTH}")
    page = browser_page.page
    assert page.get_by_text("are shown as “fewer than 5”").is_visible()
    assert page.locator("td", has_text="fewer than 5").count() > 0
    browser_page.screenshot("report-monthly-authority")
