"""The filters of the case list, the escalations and consent requests queues and the disclosure log."""

from sharing.filters.cases import CaseFilter, ConsentRequestFilter, EscalationFilter
from sharing.filters.disclosures import DisclosureFilter

__all__ = ["CaseFilter", "ConsentRequestFilter", "DisclosureFilter", "EscalationFilter"]
