"""The work queues: what waits for a manager, an officer, a compliance reviewer or a partner
agency. Each page authorises, filters and pages its selector's queryset; what is in a queue is
the selector's rule (sharing.selectors.queues), so the home page's cards count the same."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.models import Verb
from audit.services import client_ip, filters_on_record, record, record_view
from core.exports import csv_lines
from core.pagination import filter_and_paginate
from sharing import permissions, selectors
from sharing.filters import (
    CaseWithoutOfficerFilter,
    ConsentReviewFilter,
    DecisionNotToShareFilter,
    DisclosureWithoutAgreementFilter,
    ExpiringConsentFilter,
    RaisedEscalationFilter,
    ReferralAwaitingResponseFilter,
    ReferralToChaseFilter,
    RefusedRequestFilter,
)

ROWS_PER_PAGE = 50


def _queue(request, *, rows, filter_class, template, object_type, list_name, **extra):
    queue_filter, page, pagination = filter_and_paginate(
        filter_class, rows, request.GET, ROWS_PER_PAGE, request=request
    )
    record_view(
        request,
        object_type=object_type,
        detail={"list": list_name, "filters": filters_on_record(queue_filter)},
    )
    return render(
        request,
        template,
        {"filter": queue_filter, "page": page, "pagination": pagination, **extra},
    )


def cases_without_an_officer(request):
    """The manager's queue: open cases nobody holds yet."""
    if not permissions.can_assign_officers(request.user):
        raise PermissionDenied
    return _queue(
        request,
        rows=selectors.cases_without_an_officer(user=request.user),
        filter_class=CaseWithoutOfficerFilter,
        template="sharing/queues/cases_without_an_officer.html",
        object_type="sharing.case",
        list_name="open cases without an officer",
    )


def consents_expiring_mine(request):
    if not permissions.can_work_on_cases(request.user):
        raise PermissionDenied
    return _queue(
        request,
        rows=selectors.consents_expiring_on_cases_of(user=request.user),
        filter_class=ExpiringConsentFilter,
        template="sharing/queues/consents_expiring_mine.html",
        object_type="sharing.consent",
        list_name="consents running out on my cases",
        warning_days=selectors.CONSENT_EXPIRY_WARNING_DAYS,
    )


def referrals_to_chase(request):
    if not permissions.can_work_on_cases(request.user):
        raise PermissionDenied
    return _queue(
        request,
        rows=selectors.referrals_to_chase(user=request.user),
        filter_class=ReferralToChaseFilter,
        template="sharing/queues/referrals_to_chase.html",
        object_type="sharing.referral",
        list_name="my referrals to chase",
    )


def escalations_mine(request):
    if not permissions.can_follow_escalations(request.user):
        raise PermissionDenied
    return _queue(
        request,
        rows=selectors.escalations_raised(user=request.user),
        filter_class=RaisedEscalationFilter,
        template="sharing/queues/escalations_mine.html",
        object_type="sharing.escalation",
        list_name="my escalations",
    )


def referrals_awaiting_response(request):
    """A partner agency's queue: referrals sent to it that it has not acknowledged."""
    if not permissions.is_partner(request.user):
        raise PermissionDenied
    return _queue(
        request,
        rows=selectors.referrals_awaiting_response(user=request.user),
        filter_class=ReferralAwaitingResponseFilter,
        template="sharing/queues/referrals_awaiting_response.html",
        object_type="sharing.referral",
        list_name="referrals awaiting our response",
    )


# Compliance: four lists across every case, each with an audited CSV export ------------------


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _name(person) -> str:
    return person.full_name if person else ""


@dataclass(frozen=True)
class ComplianceList:
    name: str
    rows: Callable
    filter_class: type
    template: str
    object_type: str
    filename: str
    header: list[str]
    row: Callable


CONSENTS = ComplianceList(
    name="consents revoked, expired or expiring",
    rows=selectors.consents_to_review,
    filter_class=ConsentReviewFilter,
    template="sharing/queues/compliance_consents.html",
    object_type="sharing.consent",
    filename="consents-to-review.csv",
    header=[
        "case",
        "granted at",
        "valid from",
        "valid until",
        "revoked at",
        "revoked by",
        "revocation reason",
    ],
    row=lambda consent: [
        consent.case.reference,
        _when(consent.granted_at),
        _when(consent.valid_from),
        _when(consent.valid_until),
        _when(consent.revoked_at),
        _name(consent.revoked_by),
        consent.revocation_reason,
    ],
)
REFUSED_REQUESTS = ComplianceList(
    name="consent requests refused",
    rows=selectors.refused_consent_requests,
    filter_class=RefusedRequestFilter,
    template="sharing/queues/compliance_refused_requests.html",
    object_type="sharing.consentrequest",
    filename="consent-requests-refused.csv",
    header=["case", "asked at", "asked by", "refused at", "refused by", "reason"],
    row=lambda asked: [
        asked.case.reference,
        _when(asked.requested_at),
        _name(asked.requested_by),
        _when(asked.decided_at),
        _name(asked.decided_by),
        asked.decision_reason,
    ],
)
DECISIONS_NOT_TO_SHARE = ComplianceList(
    name="decisions not to share",
    rows=selectors.decisions_not_to_share,
    filter_class=DecisionNotToShareFilter,
    template="sharing/queues/compliance_decisions_not_to_share.html",
    object_type="sharing.decisionnottoshare",
    filename="decisions-not-to-share.csv",
    header=[
        "case",
        "decided at",
        "decided by",
        "agency that asked",
        "what was asked for",
        "reason",
        "lawful basis considered",
    ],
    row=lambda decision: [
        decision.case.reference,
        _when(decision.decided_at),
        _name(decision.decided_by),
        decision.requested_by_agency.name,
        decision.what_was_asked_for,
        decision.reason,
        decision.get_lawful_basis_considered_display(),
    ],
)
DISCLOSURES_WITHOUT_AGREEMENT = ComplianceList(
    name="disclosures without a current agreement",
    rows=selectors.disclosures_without_a_current_agreement,
    filter_class=DisclosureWithoutAgreementFilter,
    template="sharing/queues/compliance_disclosures_without_agreement.html",
    object_type="sharing.disclosure",
    filename="disclosures-without-a-current-agreement.csv",
    header=[
        "disclosed at",
        "case",
        "recipient agency",
        "purpose",
        "disclosed by",
        "agreement on file",
        "agreement signed on",
        "agreement review due on",
    ],
    row=lambda disclosure: [
        _when(disclosure.disclosed_at),
        disclosure.case.reference,
        disclosure.recipient.name,
        disclosure.get_purpose_display(),
        _name(disclosure.disclosed_by),
        disclosure.agreement_status,
        disclosure.agreement_signed_on or "",
        disclosure.agreement_review_due_on or "",
    ],
)


def _compliance_page(request, compliance_list: ComplianceList):
    if not permissions.can_review_sharing(request.user):
        raise PermissionDenied
    rows = compliance_list.rows(user=request.user)
    list_filter = compliance_list.filter_class(request.GET, queryset=rows)
    # An invalid filter would export more than was asked for: the page shows its errors instead.
    if request.GET.get("format") == "csv" and list_filter.is_valid():
        return _audited_export(request, compliance_list, list_filter)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    export_query["format"] = "csv"
    return _queue(
        request,
        rows=rows,
        filter_class=compliance_list.filter_class,
        template=compliance_list.template,
        object_type=compliance_list.object_type,
        list_name=compliance_list.name,
        export_query=export_query.urlencode(),
    )


def _audited_export(request, compliance_list: ComplianceList, list_filter):
    record(
        verb=Verb.EXPORTED,
        actor=request.user,
        object_type=compliance_list.object_type,
        object_label=compliance_list.name,
        detail={"filters": filters_on_record(list_filter)},
        ip_address=client_ip(request),
    )
    lines = (compliance_list.row(item) for item in list_filter.qs.iterator(chunk_size=500))
    response = StreamingHttpResponse(
        csv_lines(compliance_list.header, lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{compliance_list.filename}"'
    return response


def compliance_consents(request):
    return _compliance_page(request, CONSENTS)


def compliance_refused_requests(request):
    return _compliance_page(request, REFUSED_REQUESTS)


def compliance_decisions_not_to_share(request):
    return _compliance_page(request, DECISIONS_NOT_TO_SHARE)


def compliance_disclosures_without_agreement(request):
    return _compliance_page(request, DISCLOSURES_WITHOUT_AGREEMENT)
