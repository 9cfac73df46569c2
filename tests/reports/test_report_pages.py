"""The report pages as their readers meet them: who may open which, filters that refuse bad
input at the field, downloads that match the page and are audited, and a fixed number of
queries whatever the data holds."""

import csv
import io
import re
import zipfile
from html import unescape

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency
from audit.models import AuditEvent, Verb
from reports.monthly import Scope, monthly_report
from reports.templatetags.reports import report_value
from tests.reports.history import REPORT_MONTH, make_history

MONTHLY = f"/reports/monthly/?month={REPORT_MONTH}"
CONSENT = "/reports/consent/?from=2026-09-01&to=2026-10-31"
PARTNERSHIP = "/reports/partnership/?from=2026-09-01&to=2026-10-31"

SEES = {
    "manager_client": {"/reports/": 200, MONTHLY: 200, CONSENT: 200, PARTNERSHIP: 200},
    "authority_client": {"/reports/": 200, MONTHLY: 200, CONSENT: 200, PARTNERSHIP: 403},
    "compliance_client": {"/reports/": 200, MONTHLY: 200, CONSENT: 200, PARTNERSHIP: 403},
    "partnership_manager_client": {"/reports/": 200, MONTHLY: 403, CONSENT: 403, PARTNERSHIP: 200},
    "officer_client": {"/reports/": 403, MONTHLY: 403, CONSENT: 403, PARTNERSHIP: 403},
    "partner_client": {"/reports/": 403, MONTHLY: 403, CONSENT: 403, PARTNERSHIP: 403},
    "administrator_client": {"/reports/": 403, MONTHLY: 403, CONSENT: 403, PARTNERSHIP: 403},
}


@pytest.mark.django_db
@pytest.mark.parametrize("reader", sorted(SEES))
def test_each_role_opens_only_the_reports_it_may_see(reader, request):
    client = request.getfixturevalue(reader)
    for path, status in SEES[reader].items():
        assert client.get(path).status_code == status, path
    navigation = client.get("/").content.decode()
    assert ('href="/reports/"' in navigation) == (SEES[reader]["/reports/"] == 200)


def test_the_index_links_the_readers_reports_only(partnership_manager_client):
    page = partnership_manager_client.get("/reports/").content.decode()
    assert 'href="/reports/partnership/"' in page
    assert 'href="/reports/monthly/"' not in page


def _field_errors(response) -> list[str]:
    return [
        unescape(re.sub(r"<[^>]+>", "", error)).replace("Error:", "").strip()
        for error in re.findall(
            r'class="govuk-error-message"[^>]*>(.*?)</p>', response.content.decode(), re.S
        )
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/reports/monthly/?month=2026-13", "The month must be between 01 and 12"),
        ("/reports/monthly/?month=October", "Enter the month as a year and month, like 2026-10"),
        ("/reports/monthly/?month=2999-01", "The month must not be in the future"),
        ("/reports/monthly/?region=999999", "Choose a region from the list"),
        ("/reports/monthly/?region=abc", "Choose a region from the list"),
        ("/reports/monthly/?format=pdf", "Choose CSV or XLSX to download the report"),
        (
            "/reports/consent/?from=2026-10-01&to=2026-09-01",
            "The first day must be on or before the last day",
        ),
        ("/reports/consent/?from=2023-01-01&to=2026-10-31", "Choose a range of 24 months or less"),
        ("/reports/consent/?from=2026-02-31", "From must be a real date"),
        ("/reports/consent/?from-day=1&from-month=2&from-year=26", "Year must include 4 numbers"),
        ("/reports/consent/?to=2999-01-01", "To must be today or in the past"),
        ("/reports/partnership/?agency=0", "Choose an agency from the list"),
        ("/reports/partnership/?forum=x", "Choose a forum from the list"),
        (
            f"{MONTHLY}&format=csv&table=nonsense",
            "There is no such table in this report. Download the whole report",
        ),
    ],
)
def test_bad_filters_are_refused_at_the_filter_never_with_a_server_error(
    manager_client, path, message
):
    response = manager_client.get(path)
    assert response.status_code == 400
    assert message in _field_errors(response)


def test_a_range_of_exactly_24_months_is_allowed(manager_client):
    response = manager_client.get("/reports/consent/?from=2024-11-01&to=2026-10-31")
    assert response.status_code == 200
    assert "1 November 2024 to 31 October 2026" in response.content.decode()


def test_a_local_authority_outside_the_region_chosen_is_refused(manager_client):
    from agencies.models import LocalAuthority

    manchester = LocalAuthority.objects.get(code="E08000003")
    other_region = LocalAuthority.objects.exclude(region=manchester.region).first().region
    response = manager_client.get(
        f"/reports/monthly/?region={other_region.pk}&local_authority={manchester.pk}"
    )
    assert response.status_code == 400
    assert f"Manchester is not in {other_region.name}" in _field_errors(response)[0]


def test_an_empty_month_shows_zeros_not_an_error(manager_client):
    response = manager_client.get("/reports/monthly/?month=2001-01")
    assert response.status_code == 200
    assert "0 in January 2001" in response.content.decode()


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", [MONTHLY, CONSENT, PARTNERSHIP])
def test_each_report_runs_the_same_number_of_queries_whatever_the_data(
    path, manager_client, officer, manager, authority_user, django_assert_max_num_queries
):
    make_history(
        officer=officer, manager=manager, authority=authority_user, months=(0,), per_month=1
    )
    few = _queries(manager_client, path)
    make_history(officer=officer, manager=manager, authority=authority_user, per_month=6, seed=7)
    with django_assert_max_num_queries(few):
        manager_client.get(path)
    assert few <= 40


def _page_figures(page: str, slug: str) -> list[list[str]]:
    """The cells of one table on the page, as text."""
    block = page.split(f'id="table-{slug}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", block, re.S)
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_the_xlsx_holds_the_pages_figures_behind_a_cover_sheet(history, manager_client, manager):
    page = manager_client.get(MONTHLY).content.decode()
    response = manager_client.get(f"{MONTHLY}&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cover = book["About"]
    cover_text = [[cell.value for cell in row] for row in cover.iter_rows()]
    assert ["Period", REPORT_MONTH.label] in cover_text
    assert ["Region", "All regions"] in cover_text
    figures = monthly_report(REPORT_MONTH, Scope(), hide_small=False, threshold=5)
    assert len(book.sheetnames) == 1 + len(figures.tables)
    for sheet_name, table in zip(book.sheetnames[1:], figures.tables, strict=True):
        sheet = book[sheet_name]
        assert sheet.freeze_panes == "B2"
        values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        on_page = _page_figures(page, table.slug) if table.slug != "trend" else None
        for line, row in zip(values, table.rows, strict=True):
            assert line[0] == row.label
            for cell, column in zip(line[1:], table.columns, strict=True):
                expected = row.values[column.key]
                assert cell == expected, (table.slug, row.label, column.key)
        if on_page:
            for page_row, row in zip(on_page[1:], table.rows, strict=True):
                assert page_row[0] == row.label
                assert page_row[1:] == [
                    report_value(row.values[column.key], column, 5) for column in table.columns
                ], (table.slug, row.label)


def test_the_csv_download_is_one_file_per_table_zipped_and_each_table_alone(
    history, manager_client
):
    response = manager_client.get(f"{MONTHLY}&format=csv")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert f"monthly-report-{REPORT_MONTH}-local-authority.csv" in names
    household = list(
        csv.reader(
            io.StringIO(
                archive.read(f"monthly-report-{REPORT_MONTH}-household-type.csv").decode(
                    "utf-8-sig"
                )
            )
        )
    )
    single = manager_client.get(f"{MONTHLY}&format=csv&table=household-type")
    assert single["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(single.content.decode("utf-8-sig")))) == household
    assert household[0][:3] == ["Household", REPORT_MONTH.label, REPORT_MONTH.previous().label]
    assert household[-1][0] == "Total"


def test_every_download_is_an_audit_event_and_reading_the_page_is_not(history, manager_client):
    before = AuditEvent.objects.filter(verb=Verb.EXPORTED, object_type="reports.report").count()
    manager_client.get(MONTHLY)
    manager_client.get(f"{MONTHLY}&format=xlsx")
    manager_client.get(f"{CONSENT}&format=csv")
    events = list(
        AuditEvent.objects.filter(verb=Verb.EXPORTED, object_type="reports.report").order_by(
            "sequence"
        )
    )[before:]
    assert [(event.detail["report"], event.detail["format"]) for event in events] == [
        ("monthly", "xlsx"),
        ("consent", "csv"),
    ]
    assert events[0].detail["period"] == str(REPORT_MONTH)


def test_the_authority_sees_small_numbers_hidden_in_the_page_and_the_download(
    history, authority_client
):
    page = authority_client.get(MONTHLY).content.decode()
    assert "fewer than 5" in page
    assert "withheld" in page
    book = openpyxl.load_workbook(
        io.BytesIO(authority_client.get(f"{MONTHLY}&format=xlsx").content)
    )
    figures = monthly_report(REPORT_MONTH, Scope(), hide_small=True, threshold=5)
    counts = [
        cell.value
        for sheet, table in zip(book.worksheets[1:], figures.tables, strict=True)
        for row in sheet.iter_rows(min_row=2)
        for cell, column in zip(row[1:], table.columns, strict=True)
        if column.kind == "count"
    ]
    assert "fewer than 5" in counts
    assert not any(isinstance(value, int) and 0 < value < 5 for value in counts)


def test_the_safeguarding_team_sees_every_count(history, manager_client):
    assert "fewer than 5" not in manager_client.get(MONTHLY).content.decode()


def test_a_name_with_markup_in_it_is_shown_as_text_in_a_reports_table(
    history, partnership_manager_client
):
    """Agencies name themselves: a name holding markup is written out as text, never run."""
    Agency.objects.filter(pk=history.agencies[0].pk).update(
        name='Police <script>alert("x")</script> & Co'
    )

    page = partnership_manager_client.get(PARTNERSHIP).content.decode()

    assert "<script>alert" not in page
    assert "Police &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
