"""Reads for the Authority's consents and the case page's consent section: fixed numbers of
queries whatever a case holds."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Case, Prefetch, QuerySet, When
from django.utils import timezone

from core.working_days import working_days_between
from sharing.models import (
    Consent,
    ConsentRequest,
    ConsentRequestStatus,
    ConsentUrgency,
    DecisionNotToShare,
)
from sharing.permissions import about_visible_cases
from sharing.selectors.cases import CASE_PAGE_LATEST, TimelineEntry
from sharing.selectors.disclosures import disclosures_of


def consents_of(*, case) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(case=case)
        .select_related("granted_by_user", "revoked_by", "recorded_by")
        .prefetch_related("recipients")
        .order_by("-granted_at", "-pk")
    )


def consent_requests_of(*, case) -> QuerySet[ConsentRequest]:
    return (
        ConsentRequest.objects.filter(case=case)
        .select_related("requested_by", "decided_by")
        .prefetch_related("recipients")
    )


def consent_overview(*, case) -> dict:
    """Everything the case page shows about consent and sharing.

    A case shared with many agencies over years can hold thousands of disclosures, so the page
    carries only the latest (enough for its timeline too) and their count; the disclosure log,
    filtered to the case, lists them all.
    """
    disclosures = disclosures_of(case=case)
    return {
        "consents": list(consents_of(case=case)),
        "consent_requests": list(consent_requests_of(case=case)),
        "disclosures": list(disclosures.order_by("-disclosed_at", "-pk")[:CASE_PAGE_LATEST]),
        "disclosure_count": disclosures.count(),
        "decisions_not_to_share": list(
            DecisionNotToShare.objects.filter(case=case).select_related(
                "requested_by_agency", "decided_by"
            )
        ),
    }


def pending_consent_requests() -> QuerySet[ConsentRequest]:
    """The Authority's queue: urgent requests first, then the longest waiting."""
    urgent_first = Case(When(urgency=ConsentUrgency.URGENT, then=0), default=1)
    return (
        ConsentRequest.objects.filter(status=ConsentRequestStatus.PENDING)
        .select_related("case", "requested_by__agency")
        .prefetch_related("recipients")
        .order_by(urgent_first, "requested_at", "pk")
    )


@dataclass(frozen=True)
class QueuedRequest:
    request: ConsentRequest
    waited: int  # working days since it was made
    target: int  # working days the Authority aims to decide within

    @property
    def overdue(self) -> bool:
        return self.waited > self.target


def with_waiting_time(requests, *, today: date | None = None) -> list[QueuedRequest]:
    """Each request with the working days it has waited against its target
    (settings.PARTNERHUB_CONSENT_TARGET_WORKING_DAYS)."""
    today = today or timezone.localdate()
    targets = settings.PARTNERHUB_CONSENT_TARGET_WORKING_DAYS
    return [
        QueuedRequest(
            request=request,
            waited=working_days_between(timezone.localdate(request.requested_at), today),
            target=targets[request.urgency],
        )
        for request in requests
    ]


def consent_requests_on_cases_of(*, user) -> QuerySet[ConsentRequest]:
    """The consent requests about the cases this person sees, newest first: an officer's own
    requests and their colleagues' on the cases they work on, with their state."""
    return (
        about_visible_cases(ConsentRequest.objects.all(), user=user)
        .select_related("case", "requested_by", "decided_by")
        .prefetch_related("recipients")
        .order_by("-requested_at", "-pk")
    )


def recently_decided_requests(limit: int = 20) -> QuerySet[ConsentRequest]:
    return (
        ConsentRequest.objects.exclude(status=ConsentRequestStatus.PENDING)
        .select_related("case", "decided_by")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.order_by("pk")))
        .order_by("-decided_at")[:limit]
    )


def consent_timeline(overview: dict) -> list:
    """The case timeline's entries for consent and sharing, from `consent_overview`'s rows."""
    entries = []
    for granted in overview["consents"]:
        agencies = "; ".join(agency.name for agency in granted.recipients.all())
        entries.append(
            TimelineEntry(at=granted.granted_at, title=f"Consent {granted.pk} granted for {agencies}",
                          by=granted.granted_by)
        )  # fmt: skip
        if granted.revoked_at:
            entries.append(
                TimelineEntry(at=granted.revoked_at, title=f"Consent {granted.pk} revoked",
                              by=granted.revoked_by.full_name, detail=granted.revocation_reason)
            )  # fmt: skip
    for asked in overview["consent_requests"]:
        entries.append(
            TimelineEntry(at=asked.requested_at, title="Consent asked of the Authority",
                          by=asked.requested_by.full_name)
        )  # fmt: skip
        if asked.decided_at and asked.status == ConsentRequestStatus.REFUSED:
            entries.append(
                TimelineEntry(at=asked.decided_at, title="The Authority refused consent",
                              by=asked.decided_by.full_name, detail=asked.decision_reason)
            )  # fmt: skip
    for shared in overview["disclosures"]:
        entries.append(
            TimelineEntry(at=shared.disclosed_at, title=f"Information shared with {shared.recipient.name}",
                          by=shared.disclosed_by.full_name, detail=shared.get_purpose_display())
        )  # fmt: skip
    for decided in overview["decisions_not_to_share"]:
        entries.append(
            TimelineEntry(at=decided.decided_at,
                          title=f"Decided not to share with {decided.requested_by_agency.name}",
                          by=decided.decided_by.full_name, detail=decided.reason)
        )  # fmt: skip
    return entries
