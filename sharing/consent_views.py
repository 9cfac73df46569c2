"""Pages of the consent gate: requests, the Authority's queue, consents, disclosures and the
record of who received what. Views parse, authorise, call sharing.services and render."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.models import Verb
from audit.selectors import latest_checkpoint
from audit.services import client_ip, filters_on_record, record, record_view
from config.exports import csv_lines
from config.pagination import paginate
from sharing import consent_selectors, permissions, services
from sharing.consent_filters import DisclosureFilter
from sharing.consent_forms import (
    AmendConsentForm,
    ConsentDecisionForm,
    ConsentRequestForm,
    CorrectionNoticeForm,
    DecisionNotToShareForm,
    DisclosureForm,
    RevokeConsentForm,
    WrittenConsentForm,
)
from sharing.forms import CORRECTABLE_FIELDS
from sharing.models import Consent, ConsentRequest, DataCategory, Disclosure
from sharing.views import _case_or_404, _posted, consent_request_url

DISCLOSURES_PER_PAGE = 50


def _end_of(day):
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def consent_request_create(request, pk):
    case = _case_or_404(request, pk, change=True)
    if not permissions.can_request_consent(request.user, case):
        raise Http404("No such case")
    initial = {
        key: request.GET.getlist(key)
        for key in ("recipients", "purposes", "categories")
        if key in request.GET
    }
    form = ConsentRequestForm(_posted(request), initial=initial)
    if form.is_valid():
        services.request_consent(
            case=case,
            recipients=form.cleaned_data["recipients"],
            purposes=form.cleaned_data["purposes"],
            categories=form.cleaned_data["categories"],
            necessity=form.cleaned_data["necessity"],
            wanted_until=_end_of(form.cleaned_data["wanted_until"]),
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, "Your request has been sent to the Authority")
        return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#consent")
    return render(request, "sharing/case_form_page.html", {"form": form, "case": case})


def consent_queue(request):
    if not permissions.can_decide_consent(request.user):
        raise PermissionDenied
    record_view(request, object_type="sharing.consentrequest", detail={"list": "consent queue"})
    return render(
        request,
        "sharing/consent/queue.html",
        {
            "pending": consent_selectors.pending_consent_requests(),
            "decided": consent_selectors.recently_decided_requests(),
        },
    )


def consent_request_decide(request, pk):
    if not permissions.can_decide_consent(request.user):
        raise PermissionDenied
    consent_request = get_object_or_404(
        ConsentRequest.objects.select_related("case__local_authority", "requested_by__agency"),
        pk=pk,
    )
    form = ConsentDecisionForm(_posted(request), request=consent_request)
    if consent_request.status == "pending" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            services.decide_consent_request(
                request=consent_request,
                decision="refuse" if decision == "refuse" else "grant",
                actor=request.user,
                valid_until=_end_of(form.cleaned_data["valid_until"]),
                recipients=form.cleaned_data["recipients"] if decision == "narrow" else None,
                purposes=form.cleaned_data["purposes"] if decision == "narrow" else None,
                categories=form.cleaned_data["categories"] if decision == "narrow" else None,
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
            )
        except services.ConsentError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(
                request, f"Decision recorded for case {consent_request.case.reference}"
            )
            return redirect("sharing:consent-queue")
    record_view(request, target=consent_request, detail={"case_id": consent_request.case_id})
    return render(
        request, "sharing/consent/decide.html", {"form": form, "consent_request": consent_request}
    )


def consent_record(request, pk):
    case = _case_or_404(request, pk, change=True)
    if not permissions.can_record_written_consent(request.user, case):
        raise Http404("No such case")
    form = WrittenConsentForm(_posted(request), request.FILES or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_written_consent(
                case=case,
                recipients=data["recipients"],
                purposes=data["purposes"],
                categories=data["categories"],
                valid_from=_start_of(data["valid_from"]),
                valid_until=_end_of(data["valid_until"]),
                granted_by_official=data["granted_by_official"],
                granted_at=_start_of(data["granted_on"]),
                authority_reference=data["authority_reference"],
                evidence=data["evidence"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as problem:
            form.add_error("evidence", problem)
        else:
            messages.success(request, "The Authority's written consent has been recorded")
            return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#consent")
    return render(request, "sharing/case_form_page.html", {"form": form, "case": case})


def _refuse_sight_of(request, model, pk) -> Http404:
    """A 404 for something this person may not see or that does not exist, recorded as a denied
    attempt, as the case pages do: the log shows who tried to open what."""
    record(
        verb=Verb.VIEW_DENIED,
        actor=request.user,
        object_type=model._meta.label_lower,
        object_id=str(pk),
        ip_address=client_ip(request),
    )
    return Http404(f"No such {model._meta.verbose_name}")


def _consent_or_404(request, pk) -> Consent:
    consent = Consent.objects.select_related("case").filter(pk=pk).first()
    if consent is None or not permissions.can_view_case(request.user, consent.case):
        raise _refuse_sight_of(request, Consent, pk)
    return consent


def consent_revoke(request, pk):
    consent = _consent_or_404(request, pk)
    if not permissions.can_decide_consent(request.user):
        raise PermissionDenied
    form = RevokeConsentForm(_posted(request))
    if form.is_valid():
        try:
            services.revoke_consent(
                consent=consent,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except services.ConsentError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(
                request, "The consent has been revoked. Nothing more can be shared under it."
            )
            return redirect(reverse("sharing:case-detail", args=[consent.case_id]) + "#consent")
    return render(
        request,
        "sharing/case_form_page.html",
        {"form": form, "case": consent.case, "subject": f"Consent {consent.pk}"},
    )


def consent_evidence(request, pk):
    consent = _consent_or_404(request, pk)
    if not consent.evidence:
        raise Http404("No evidence file")
    record(verb=Verb.DOWNLOADED, actor=request.user, target=consent, ip_address=client_ip(request))
    response = FileResponse(
        consent.evidence.open("rb"),
        as_attachment=True,
        filename=consent.evidence.name.rsplit("/", 1)[-1],
    )
    response["Content-Type"] = consent.evidence_content_type or "application/octet-stream"
    return response


def disclosure_create(request, pk):
    case = _case_or_404(request, pk, change=True)
    if not permissions.can_release(request.user, case):
        raise Http404("No such case")
    form = DisclosureForm(_posted(request), case=case)
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
        consent_selectors.disclosures_with_details().select_related("content").filter(pk=pk).first()
    )
    if disclosure is None or not permissions.can_view_disclosure(request.user, disclosure):
        raise _refuse_sight_of(request, Disclosure, pk)
    record_view(request, target=disclosure)
    return render(request, "sharing/consent/disclosure_detail.html", {"disclosure": disclosure})


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


def _csv_response(request, rows, filename, *, target_label):
    record(
        verb=Verb.EXPORTED,
        actor=request.user,
        object_type="sharing.disclosure",
        object_label=target_label,
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
    disclosures = consent_selectors.disclosures_visible_to(user=request.user).order_by(
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
    case = _case_or_404(request, pk)
    disclosures = (
        consent_selectors.disclosures_with_details()
        .filter(case=case)
        .order_by("disclosed_at", "pk")
    )
    if request.GET.get("format") == "csv":
        rows = (_disclosure_row(d) for d in disclosures.iterator(chunk_size=500))
        return _csv_response(
            request, rows, f"{case.reference}-recipients.csv", target_label=case.reference
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
    return render(
        request,
        "sharing/consent/recipients_print.html" if printing else "sharing/consent/recipients.html",
        {"case": case, "disclosures": disclosures},
    )


def decision_not_to_share_create(request, pk):
    case = _case_or_404(request, pk, change=True)
    if not permissions.can_release(request.user, case):
        raise Http404("No such case")
    form = DecisionNotToShareForm(_posted(request))
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
    case = _case_or_404(request, pk, change=True)
    recipients = consent_selectors.recipients_of(case=case)
    corrected = [name for name in request.GET.getlist("field") if name in CORRECTABLE_FIELDS]
    form = CorrectionNoticeForm(_posted(request), recipients=recipients)
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
            "notices": consent_selectors.correction_notices_of(case=case),
        },
    )


def consent_amend(request, pk):
    """The Authority narrows or extends a consent: a new version replaces it, and the old one
    (which disclosures may rely on) is revoked, never rewritten."""
    consent = _consent_or_404(request, pk)
    if not permissions.can_decide_consent(request.user):
        raise PermissionDenied
    form = AmendConsentForm(_posted(request), consent=consent)
    if form.is_valid():
        data = form.cleaned_data
        try:
            replacement = services.amend_consent(
                consent=consent,
                recipients=data["recipients"],
                purposes=data["purposes"],
                categories=data["categories"],
                valid_until=_end_of(data["valid_until"]),
                reason=data["reason"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except services.ConsentError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"Consent {replacement.pk} replaces consent {consent.pk}")
            return redirect(reverse("sharing:case-detail", args=[consent.case_id]) + "#consent")
    return render(
        request,
        "sharing/case_form_page.html",
        {"form": form, "case": consent.case, "subject": f"Consent {consent.pk}"},
    )
