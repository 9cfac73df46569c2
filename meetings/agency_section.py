"""The agency page's section on the forums the agency belongs to and how it was represented."""

from agencies.page_sections import AgencySection, register
from meetings import permissions, selectors


def _context(*, user, agency):
    forums = selectors.forums_for_agency(agency, user=user)
    # Attendance rates are the team's view of how agencies take part (as on the forum page);
    # a partner sees only their own agency's record.
    sees_rates = permissions.sees_every_forum(user) or user.agency_id == agency.pk
    return {
        "agency": agency,
        "forums": list(forums),
        "attendance": (
            selectors.attendance_summary_for_agency(agency, forums=permissions.visible_forums(user))
            if sees_rates
            else None
        ),
    }


def register_section():
    register(AgencySection(template="meetings/_agency_section.html", context=_context))
