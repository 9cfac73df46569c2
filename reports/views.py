"""The reports' pages and downloads. Each page checks who may see it, reads its filters, and
asks its module for the figures as this viewer may see them; a download writes the same figures
and is recorded in the audit log."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.models import Verb
from audit.services import client_ip, record
from reports import charts, downloads, permissions
from reports.consent import consent_report
from reports.forms import (
    ConsentReportForm,
    MonthlyReportForm,
    PartnershipReportForm,
    requested_format,
)
from reports.monthly import Scope, monthly_report
from reports.partnership import Filters, partnership_report

DESCRIPTIONS = {
    permissions.MONTHLY: (
        "Monthly report to the Authority",
        "reports:monthly",
        "New and open cases, their vulnerabilities, where concerns came from, local "
        "authorities, singles and families, referrals, escalations, consent and disclosures, "
        "and closures: each beside the month before and the same month a year before.",
    ),
    permissions.CONSENT: (
        "Consent compliance",
        "reports:consent",
        "That every disclosure was covered by consent, the latest signed audit checkpoint, "
        "what the gate refused, how consent requests were answered, consents running out, "
        "decisions not to share and subject access requests.",
    ),
    permissions.PARTNERSHIP: (
        "Partnership activity",
        "reports:partnership",
        "Meetings held and cancelled, attendance by agency, actions opened, closed and "
        "overdue by agency, and how quickly agencies answer referrals.",
    ),
}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_index(request):
    visible = permissions.reports_visible_to(request.user)
    if not visible:
        raise PermissionDenied
    return render(
        request,
        "reports/index.html",
        {"reports": [(name, *DESCRIPTIONS[name]) for name in visible]},
    )


def monthly(request):
    def build(cleaned, **viewer):
        scope = Scope(region=cleaned["region"], local_authority=cleaned["local_authority"])
        return monthly_report(cleaned["month"], scope, **viewer), str(cleaned["month"])

    return _report(request, permissions.MONTHLY, MonthlyReportForm, build)


def consent(request):
    def build(cleaned, **viewer):
        return consent_report(cleaned["period"], **viewer), str(cleaned["period"])

    return _report(request, permissions.CONSENT, ConsentReportForm, build)


def partnership(request):
    def build(cleaned, **viewer):
        filters = Filters(forum=cleaned["forum"], agency=cleaned["agency"])
        return partnership_report(cleaned["period"], filters, **viewer), str(cleaned["period"])

    return _report(request, permissions.PARTNERSHIP, PartnershipReportForm, build)


def _report(request, report, form_class, build):
    permissions.require_see(request.user, report)
    form = form_class(request.GET)
    wanted, format_problem = requested_format(request.GET)
    valid = form.is_valid()
    if format_problem:
        form.add_error(None, format_problem)
        valid = False
    context = {"form": form, "title": DESCRIPTIONS[report][0], "report": report}
    if not valid:
        return render(request, "reports/report.html", context, status=400)
    threshold = settings.PARTNERHUB_SMALL_NUMBER_THRESHOLD
    figures, period = build(
        form.cleaned_data,
        hide_small=not permissions.sees_small_numbers(request.user),
        threshold=threshold,
    )
    if wanted:
        return _download(request, figures, period, wanted, form)
    return render(
        request,
        "reports/report.html",
        {
            **context,
            "figures": figures,
            "sections": [
                (
                    section,
                    [(table, charts.bar_chart(table, threshold)) for table in section.tables],
                )
                for section in figures.sections
            ],
            "trend_charts": _trend_charts(figures),
            "query": _query(request.GET),
        },
    )


def _trend_charts(figures) -> list:
    if figures.trend is None:
        return []
    return [
        charts.column_chart(
            f"{column.label}, by month",
            [(row.label, row.values[column.key]) for row in figures.trend.rows],
            figures.threshold,
        )
        for column in figures.trend.columns
    ]


def _query(data) -> str:
    """The filters as a query string, for the download links of the same report."""
    kept = data.copy()
    for key in ("format", "table"):
        kept.pop(key, None)
    return kept.urlencode()


def _download(request, figures, period, wanted, form):
    stem = downloads.file_stem(figures, period)
    table_slug = request.GET.get("table", "")
    if wanted == "csv" and table_slug:
        table = figures.table(table_slug)
        if table is None:
            form.add_error(None, "There is no such table in this report. Download the whole report")
            return render(
                request,
                "reports/report.html",
                {"form": form, "title": figures.title, "report": figures.report},
                status=400,
            )
        body, kind, filename = (
            downloads.table_csv(table, figures.threshold),
            "csv",
            f"{stem}-{table.slug}.csv",
        )
    elif wanted == "csv":
        body, kind, filename = downloads.csv_archive(figures, stem), "zip", f"{stem}-csv.zip"
    else:
        body = downloads.workbook(
            figures, generated_at=timezone.localtime(), generated_by=request.user.full_name
        )
        kind, filename = "xlsx", f"{stem}.xlsx"
    record(
        verb=Verb.EXPORTED,
        actor=request.user,
        object_type="reports.report",
        object_label=figures.title,
        detail={
            "report": figures.report,
            "period": period,
            "format": wanted,
            **({"table": table_slug} if table_slug and wanted == "csv" else {}),
            "filters": {
                key: str(value.pk)
                for key, value in form.cleaned_data.items()
                if hasattr(value, "pk")
            },
            "small_numbers_hidden": figures.small_numbers_hidden,
        },
        ip_address=client_ip(request),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
