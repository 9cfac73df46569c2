"""Who sees which report, and who sees small numbers.

The roles carry the rights (core.roles): the Authority and compliance reviewers see the monthly
and consent reports, safeguarding managers all three, partnership managers the partnership
report, partners none. Anyone outside the safeguarding team (the Authority) sees counts below
the small-number threshold suppressed.
"""

from core.authority import require

MONTHLY = "monthly"
CONSENT = "consent"
PARTNERSHIP = "partnership"
REPORTS = (MONTHLY, CONSENT, PARTNERSHIP)


def _permission(report: str) -> str:
    return f"reports.view_{report}_report"


def reports_visible_to(user) -> list[str]:
    """The reports this person may open, in the order the index lists them."""
    if not user.is_authenticated:
        return []
    granted = user.get_all_permissions()
    return [report for report in REPORTS if _permission(report) in granted]


def can_see(user, report: str) -> bool:
    return report in reports_visible_to(user)


def require_see(user, report: str) -> None:
    require(can_see(user, report), user, f"see the {report} report")


def sees_small_numbers(user) -> bool:
    """Inside the safeguarding team a count of 3 is a working figure; outside it, it may
    identify someone."""
    return user.is_authenticated and user.has_perm("reports.view_small_numbers")


def navigation_permissions() -> set[str]:
    """Any one of these shows the Reports entry in the navigation."""
    return {_permission(report) for report in REPORTS}
