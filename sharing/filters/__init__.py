"""The filters of the case list, the work queues and the disclosure log."""

from sharing.filters.cases import CaseFilter, ConsentRequestFilter, EscalationFilter
from sharing.filters.disclosures import DisclosureFilter
from sharing.filters.queues import (
    CaseWithoutOfficerFilter,
    ConsentReviewFilter,
    DecisionNotToShareFilter,
    DisclosureWithoutAgreementFilter,
    ExpiringConsentFilter,
    OverdueReferralFilter,
    RaisedEscalationFilter,
    ReferralAwaitingResponseFilter,
    ReferralToChaseFilter,
    RefusedRequestFilter,
)

__all__ = [
    "CaseFilter",
    "CaseWithoutOfficerFilter",
    "ConsentRequestFilter",
    "ConsentReviewFilter",
    "DecisionNotToShareFilter",
    "DisclosureFilter",
    "DisclosureWithoutAgreementFilter",
    "EscalationFilter",
    "ExpiringConsentFilter",
    "OverdueReferralFilter",
    "RaisedEscalationFilter",
    "ReferralAwaitingResponseFilter",
    "ReferralToChaseFilter",
    "RefusedRequestFilter",
]
