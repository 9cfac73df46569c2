"""The agency page's section on referrals and disclosures to that agency."""

from agencies.page_sections import AgencySection, register
from sharing import permissions, selectors

RECENT = 10


def _context(*, user, agency):
    if not permissions.may_see_disclosures_to(user, agency):
        return None
    disclosures = selectors.disclosures_visible_to(user=user).filter(recipient=agency)
    referrals = selectors.referrals_visible_to(user=user).filter(agency=agency)
    return {
        "agency": agency,
        "disclosures": list(disclosures.order_by("-disclosed_at", "-pk")[:RECENT]),
        "disclosure_count": disclosures.count(),
        "referrals": list(referrals.select_related("case", "kind").order_by("-created_at")[:RECENT])
        if permissions.can_view_referrals_list(user)
        else [],
    }


def register_section():
    register(AgencySection(template="sharing/consent/_agency_section.html", context=_context))
