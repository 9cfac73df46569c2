"""Pages of disclosures: releasing information about a case, the disclosure log and its
export, who received what about a case, corrections told to them, and decisions not to share.
Views parse, authorise, call sharing.services and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.models import Verb
from audit.selectors import latest_checkpoint
from audit.services import client_ip, filters_on_record, record, record_view
from core.exports import csv_lines
from core.pagination import paginate
from sharing import permissions, selectors, services
from sharing.consent_links import consent_request_url
from sharing.filters import DisclosureFilter
from sharing.forms import (
    CORRECTABLE_FIELDS,
    CorrectionNoticeForm,
    DecisionNotToShareForm,
    DisclosureForm,
)
from sharing.models import DataCategory, Disclosure
from sharing.views.access import case_or_404, posted, refuse_sight

DISCLOSURES_PER_PAGE = 50


def disclosure_create(request, pk):
    case = case_or_404(request, pk, change=True)
    if not permissions.can_release(request.user, case):
        raise Http404("No such case")
    form = DisclosureForm(posted(request), case=case)
    refusal = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            disclosure = services.disclose(
                case=case,
                recipient=data["recipient"],
                recipient_contact=data["recipient_contact"],
                actor=request.user,
                ip_address=client_ip(request),
                **form.release(request.user),
            )
        except services.DisclosureRefused as caught:
            refusal = caught
            refusal.request_url = consent_request_url(
                case, data["recipient"], data["purpose"], data["categories"]
            )
        else:
            messages.success(request, f"Shared with {disclosure.recipient} and recorded")
            if disclosure.agreement_status != "current":
                messages.warning(
                    request,
                    f"{disclosure.recipient} has no current information sharing agreement. "
                    "The disclosure was allowed because agreements are set to warn only.",
                )
            return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#consent")
    record_view(request, target=case, detail={"page": "share"})
    return render(
        request,
        "sharing/consent/disclose.html",
        {
            "form": form,
            "case": case,
            "refusal": refusal,
        },
    )


def disclosure_detail(request, pk):
    disclosure = (
        selectors.disclosures_with_details().select_related("content").filter(pk=pk).first()
    )
    if disclosure is None or not permissions.can_view_disclosure(request.user, disclosure):
        raise refuse_sight(request, Disclosure, pk)
    record_view(request, target=disclosure)
    # The record of a release stays, but once consent is withdrawn its recipient no longer reads
    # what it was given.
    withdrawn = (
        disclosure.withdrawn_at is not None
        and permissions.is_partner(request.user)
        and request.user.agency_id == disclosure.recipient_id
    )
    return render(
        request,
        "sharing/consent/disclosure_detail.html",
        {"disclosure": disclosure, "withdrawn": withdrawn},
    )


def _disclosure_row(disclosure) -> list:
    return [
        timezone.localtime(disclosure.disclosed_at).strftime("%Y-%m-%d %H:%M"),
        disclosure.case.reference,
        disclosure.recipient.name,
        disclosure.recipient_contact.full_name if disclosure.recipient_contact_id else "",
        disclosure.get_purpose_display(),
        "; ".join(DataCategory(category).label for category in disclosure.categories),
        disclosure.get_method_display(),
        disclosure.get_lawful_basis_display(),
        disclosure.get_special_category_condition_display(),
        disclosure.get_person_told_display(),
        disclosure.consent_id,
        disclosure.disclosed_by.full_name,
        disclosure.decided_by.full_name,
        disclosure.content_digest,
    ]


DISCLOSURE_CSV_HEADER = [
    "disclosed at", "case", "recipient agency", "recipient person", "purpose", "categories", "method",
    "lawful basis", "special-category condition", "person told", "consent", "disclosed by", "decided by",
    "content SHA-256",
]  # fmt: skip


def _csv_response(request, rows, filename, *, target_label, detail=None):
    record(
        verb=Verb.EXPORTED,
        actor=request.user,
        object_type="sharing.disclosure",
        object_label=target_label,
        detail=detail or {},
        ip_address=client_ip(request),
    )
    response = StreamingHttpResponse(
        csv_lines(DISCLOSURE_CSV_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def disclosure_log(request):
    if not permissions.can_see_disclosure_log(request.user):
        raise PermissionDenied
    disclosures = selectors.disclosures_visible_to(user=request.user).order_by(
        "-disclosed_at", "-pk"
    )
    filtered = DisclosureFilter(request.GET, queryset=disclosures)
    # django-filter drops a value it cannot read and filters on the rest, so an invalid filter
    # would list (or export) more than was asked for: refuse instead, with the error shown.
    valid = filtered.is_valid()
    matching = filtered.qs if valid else disclosures.none()
    exporting = request.GET.get("format") == "csv"
    if exporting and valid:
        rows = (_disclosure_row(d) for d in matching.iterator(chunk_size=500))
        return _csv_response(request, rows, "disclosures.csv", target_label="disclosure log")
    refused_export = exporting and not valid
    page, pagination = paginate(matching, request.GET, DISCLOSURES_PER_PAGE)
    record_view(
        request,
        object_type="sharing.disclosure",
        detail={
            "list": "disclosure log",
            "filters": filters_on_record(filtered, free_text=("case",)),
        },
    )
    export_query = request.GET.copy()
    export_query.pop("page", None)
    export_query["format"] = "csv"
    return render(
        request,
        "sharing/consent/disclosure_log.html",
        {
            "filter": filtered,
            "refused_export": refused_export,
            "page": page,
            "pagination": pagination,
            "checkpoint": None if permissions.is_partner(request.user) else latest_checkpoint(),
            "export_query": export_query.urlencode(),
        },
        status=400 if refused_export else 200,
    )


def case_recipients(request, pk):
    """Who received what about this case: for a subject access request (UK GDPR Art. 15) and
    for telling recipients of a correction (Art. 19)."""
    case = case_or_404(request, pk)
    disclosures = selectors.disclosures_of(case=case).order_by("disclosed_at", "pk")
    if request.GET.get("format") == "csv":
        rows = (_disclosure_row(d) for d in disclosures.iterator(chunk_size=500))
        # The page named as the printed copy names it: the consent report counts both as
        # subject access requests answered.
        return _csv_response(
            request,
            rows,
            f"{case.reference}-recipients.csv",
            target_label=case.reference,
            detail={"page": "recipients"},
        )
    printing = request.GET.get("format") == "print"
    # A printed copy leaves the system as surely as a download does.
    record(
        verb=Verb.EXPORTED if printing else Verb.VIEWED,
        actor=request.user,
        target=case,
        detail={"page": "recipients", **({"format": "print"} if printing else {})},
        ip_address=client_ip(request),
    )
    if printing:
        # The printed copy answers a subject access request: it holds every release.
        return render(
            request,
            "sharing/consent/recipients_print.html",
            {"case": case, "disclosures": disclosures},
        )
    # On screen a page at a time: a case shared thousands of times took seconds to render.
    page, pagination = paginate(disclosures, request.GET, DISCLOSURES_PER_PAGE)
    return render(
        request,
        "sharing/consent/recipients.html",
        {"case": case, "disclosures": page, "page": page, "pagination": pagination},
    )


def decision_not_to_share_create(request, pk):
    case = case_or_404(request, pk, change=True)
    if not permissions.can_release(request.user, case):
        raise Http404("No such case")
    form = DecisionNotToShareForm(posted(request))
    if form.is_valid():
        services.record_decision_not_to_share(
            case=case, actor=request.user, ip_address=client_ip(request), **form.cleaned_data
        )
        messages.success(request, "The decision not to share has been recorded")
        return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#consent")
    return render(request, "sharing/case_form_page.html", {"form": form, "case": case})


def case_corrections(request, pk):
    """After a case's facts change: the agencies that received the earlier version, and a record
    that each was told (UK GDPR Art. 19)."""
    case = case_or_404(request, pk, change=True)
    recipients = selectors.recipients_of(case=case)
    corrected = [name for name in request.GET.getlist("field") if name in CORRECTABLE_FIELDS]
    form = CorrectionNoticeForm(posted(request), recipients=recipients)
    if form.is_valid():
        try:
            services.record_correction_notices(
                case=case,
                recipients=form.cleaned_data["recipients"],
                corrected_fields=corrected,
                how_told=form.cleaned_data["how_told"],
                told_on=form.cleaned_data["told_on"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except services.ConsentError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Recorded which agencies were told about the correction")
            return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#consent")
    record_view(request, target=case, detail={"page": "corrections"})
    return render(
        request,
        "sharing/consent/corrections.html",
        {
            "form": form,
            "case": case,
            "corrected": corrected,
            "notices": selectors.correction_notices_of(case=case),
        },
    )
