"""The filters of the case list, the escalations queue and the disclosure log."""

from sharing.filters.cases import CaseFilter, EscalationFilter
from sharing.filters.disclosures import DisclosureFilter

__all__ = ["CaseFilter", "DisclosureFilter", "EscalationFilter"]
