"""Pages of the Authority's consents: asking for one, the Authority's queue and decisions,
written consent recorded from a letter, revocation, amendment and the evidence file. Views
parse, authorise, call sharing.services and render."""

from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.models import Verb
from audit.services import client_ip, record, record_view
from core.forms import parse_id
from core.pagination import paginate
from sharing import permissions, selectors, services
from sharing.filters import ConsentRequestFilter
from sharing.forms import (
    AmendConsentForm,
    ConsentDecisionForm,
    ConsentRequestForm,
    RevokeConsentForm,
    WrittenConsentForm,
)
from sharing.models import Consent, ConsentRequest, ConsentUrgency, Referral, Urgency
from sharing.views.access import case_or_404, posted, refuse_sight


def _end_of(day):
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def consent_request_create(request, pk):
    case = case_or_404(request, pk, change=True)
    if not permissions.can_request_consent(request.user, case):
        raise Http404("No such case")
    initial = {
        key: request.GET.getlist(key)
        for key in ("recipients", "purposes", "categories")
        if key in request.GET
    }
    initial.update(_why_from(request, case))
    form = ConsentRequestForm(posted(request), initial=initial)
    if form.is_valid():
        services.request_consent(
            case=case,
            recipients=form.cleaned_data["recipients"],
            purposes=form.cleaned_data["purposes"],
            categories=form.cleaned_data["categories"],
            necessity=form.cleaned_data["necessity"],
            wanted_until=_end_of(form.cleaned_data["wanted_until"]),
            urgency=form.cleaned_data["urgency"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, "Your request has been sent to the Authority")
        return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#consent")
    return render(request, "sharing/case_form_page.html", {"form": form, "case": case})


def _why_from(request, case) -> dict:
    """The reason (and urgency) a request starts with: a draft referral's own, when the page was
    reached from one on this case, else the words the link carried."""
    referral = (
        Referral.objects.filter(pk=parse_id(request.GET.get("referral")), case=case)
        .only("reason", "urgency")
        .first()
    )
    if referral is not None:
        return {
            "necessity": referral.reason,
            "urgency": ConsentUrgency.STANDARD
            if referral.urgency == Urgency.ROUTINE
            else ConsentUrgency.URGENT,
        }
    if necessity := request.GET.get("necessity", "").strip():
        return {"necessity": necessity}
    return {}


REQUESTS_PER_PAGE = 50


def consent_queue(request):
    if not permissions.can_decide_consent(request.user):
        raise PermissionDenied
    record_view(request, object_type="sharing.consentrequest", detail={"list": "consent queue"})
    page, pagination = paginate(
        selectors.pending_consent_requests(), request.GET, REQUESTS_PER_PAGE
    )
    return render(
        request,
        "sharing/consent/queue.html",
        {
            "page": page,
            "pagination": pagination,
            "pending": selectors.with_waiting_time(page.object_list),
            "targets": settings.PARTNERHUB_CONSENT_TARGET_WORKING_DAYS,
            "decided": selectors.recently_decided_requests(),
        },
    )


def consent_request_mine(request):
    """An officer's consent requests on the cases they work on, and where each stands."""
    if not permissions.can_work_on_cases(request.user):
        raise PermissionDenied
    requests = selectors.consent_requests_on_cases_of(user=request.user)
    request_filter = ConsentRequestFilter(request.GET, queryset=requests)
    filtered = request_filter.qs if request_filter.is_valid() else requests.none()
    page, pagination = paginate(filtered, request.GET, REQUESTS_PER_PAGE)
    record_view(request, object_type="sharing.consentrequest", detail={"list": "my requests"})
    return render(
        request,
        "sharing/consent/mine.html",
        {"filter": request_filter, "page": page, "pagination": pagination},
    )


def consent_request_decide(request, pk):
    if not permissions.can_decide_consent(request.user):
        raise PermissionDenied
    consent_request = get_object_or_404(
        ConsentRequest.objects.select_related("case__local_authority", "requested_by__agency"),
        pk=pk,
    )
    form = ConsentDecisionForm(posted(request), request=consent_request)
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
    case = case_or_404(request, pk, change=True)
    if not permissions.can_record_written_consent(request.user, case):
        raise Http404("No such case")
    form = WrittenConsentForm(posted(request), request.FILES or None)
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


def _consent_or_404(request, pk) -> Consent:
    consent = Consent.objects.select_related("case").filter(pk=pk).first()
    if consent is None or not permissions.can_view_case(request.user, consent.case):
        raise refuse_sight(request, Consent, pk)
    return consent


def consent_revoke(request, pk):
    consent = _consent_or_404(request, pk)
    if not permissions.can_decide_consent(request.user):
        raise PermissionDenied
    form = RevokeConsentForm(posted(request))
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


def consent_amend(request, pk):
    """The Authority narrows or extends a consent: a new version replaces it, and the old one
    (which disclosures may rely on) is revoked, never rewritten."""
    consent = _consent_or_404(request, pk)
    if not permissions.can_decide_consent(request.user):
        raise PermissionDenied
    form = AmendConsentForm(posted(request), consent=consent)
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
