"""The filters of the case list and the disclosure log."""

from sharing.filters.cases import CaseFilter
from sharing.filters.disclosures import DisclosureFilter

__all__ = ["CaseFilter", "DisclosureFilter"]
