"""The pages the benchmark measures, and that tests/scale checks for a fixed query count: each
a label, the role of the person who views it (`home.scale.landmarks().users[role]`), and how
to build its address from the landmarks."""

from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from core.roles import Role
from home.scale import Landmarks


class Page(NamedTuple):
    label: str
    role: str
    url: Callable[[Landmarks], str]


ADMINISTRATOR = Role.ADMINISTRATOR.value
PARTNERSHIPS = Role.PARTNERSHIP_MANAGER.value
OFFICER = Role.SAFEGUARDING_OFFICER.value
MANAGER = Role.SAFEGUARDING_MANAGER.value
AUTHORITY = Role.AUTHORITY.value
COMPLIANCE = Role.COMPLIANCE_REVIEWER.value
PARTNER = Role.PARTNER.value


def _month(marks: Landmarks) -> str:
    return f"{marks.report_month:%Y-%m}"


def _year_to(marks: Landmarks) -> str:
    start = (marks.report_month - timedelta(days=335)).replace(day=1)
    return f"from={start:%Y-%m-%d}&to={marks.report_month:%Y-%m-%d}"


def _week(marks: Landmarks) -> str:
    return f"{marks.report_month + timedelta(days=1):%Y-%m-%d}"


PAGES = [
    *(Page(f"home ({role})", role, lambda marks: "/") for role in Role.values),
    Page("directory", PARTNERSHIPS, lambda marks: "/directory/"),
    Page(
        "directory search and filter",
        PARTNERSHIPS,
        lambda marks: "/directory/?q=safeguarding&agreement=current&page=2",
    ),
    Page("agency page (busiest)", PARTNERSHIPS, lambda marks: f"/directory/{marks.busy_agency}/"),
    Page(
        "agreements to review", ADMINISTRATOR, lambda marks: "/directory/agreements-due-for-review/"
    ),
    Page("all cases", MANAGER, lambda marks: "/cases/"),
    Page("all cases, search by name", MANAGER, lambda marks: f"/cases/?q={marks.search_term}"),
    Page("all cases, open", MANAGER, lambda marks: "/cases/?status=open"),
    Page("all cases, high risk", MANAGER, lambda marks: "/cases/?risk_level=high"),
    Page("all cases, by indicator", MANAGER, lambda marks: f"/cases/?indicator={marks.indicator}"),
    Page(
        "all cases, by local authority",
        MANAGER,
        lambda marks: f"/cases/?local_authority={marks.local_authority}",
    ),
    Page("all cases, by support", MANAGER, lambda marks: "/cases/?support_type=s95"),
    Page("all cases, families", MANAGER, lambda marks: "/cases/?household_type=family"),
    Page(
        "all cases, by officer",
        MANAGER,
        lambda marks: f"/cases/?officer={marks.users[OFFICER]}",
    ),
    Page("my cases", OFFICER, lambda marks: "/cases/mine/"),
    Page("one case (ordinary)", MANAGER, lambda marks: f"/cases/{marks.ordinary_case}/"),
    Page("one case (busy)", MANAGER, lambda marks: f"/cases/{marks.busy_case}/"),
    Page(
        "who received what (busy case)",
        MANAGER,
        lambda marks: f"/cases/{marks.busy_case}/recipients/",
    ),
    Page("disclosure log", COMPLIANCE, lambda marks: "/disclosures/"),
    Page("shared with us", PARTNER, lambda marks: "/disclosures/"),
    Page("cases without an officer", MANAGER, lambda marks: "/cases/without-an-officer/"),
    Page("escalations", MANAGER, lambda marks: "/escalations/"),
    Page("my escalations", OFFICER, lambda marks: "/escalations/mine/"),
    Page("overdue referrals", OFFICER, lambda marks: "/referrals/overdue/"),
    Page("referrals to chase", OFFICER, lambda marks: "/referrals/to-chase/"),
    Page("referrals to answer", PARTNER, lambda marks: "/referrals/awaiting-response/"),
    Page("consent requests", AUTHORITY, lambda marks: "/consent/requests/"),
    Page("my consent requests", OFFICER, lambda marks: "/consent/requests/mine/"),
    Page("consents running out", OFFICER, lambda marks: "/consents/expiring/mine/"),
    Page("compliance: consents", COMPLIANCE, lambda marks: "/compliance/consents/"),
    Page("compliance: refused requests", COMPLIANCE, lambda marks: "/compliance/refused-requests/"),
    Page(
        "compliance: decisions not to share",
        COMPLIANCE,
        lambda marks: "/compliance/decisions-not-to-share/",
    ),
    Page(
        "compliance: releases without an agreement",
        COMPLIANCE,
        lambda marks: "/compliance/disclosures-without-agreement/",
    ),
    Page("forums", PARTNERSHIPS, lambda marks: "/forums/"),
    Page("forum (most members)", PARTNERSHIPS, lambda marks: f"/forums/{marks.big_forum}/"),
    Page("meeting with its invitations", PARTNERSHIPS, lambda marks: f"/meetings/{marks.meeting}/"),
    Page(
        "my meetings, month", PARTNERSHIPS, lambda marks: f"/meetings/mine/?month={_month(marks)}"
    ),
    Page(
        "my meetings, week",
        PARTNERSHIPS,
        lambda marks: f"/meetings/mine/?view=week&date={_week(marks)}",
    ),
    Page(
        "calendar feed (busy person)",
        PARTNERSHIPS,
        lambda marks: f"/calendar/{marks.calendar_token}.ics",
    ),
    Page("minutes to finish", PARTNERSHIPS, lambda marks: "/minutes/waiting/"),
    Page("overdue actions", PARTNERSHIPS, lambda marks: "/actions/overdue/"),
    Page("my actions", PARTNERSHIPS, lambda marks: "/actions/mine/"),
    Page("our agency's actions", PARTNER, lambda marks: "/actions/our-agency/"),
    Page("notifications", OFFICER, lambda marks: "/notifications/"),
    Page("audit log", ADMINISTRATOR, lambda marks: "/audit/"),
    Page("audit log, disclosures", ADMINISTRATOR, lambda marks: "/audit/?verb=disclosed"),
    Page("reports", MANAGER, lambda marks: "/reports/"),
    Page("monthly report", MANAGER, lambda marks: f"/reports/monthly/?month={_month(marks)}"),
    Page(
        "monthly report (the Authority, suppressed)",
        AUTHORITY,
        lambda marks: f"/reports/monthly/?month={_month(marks)}",
    ),
    Page(
        "consent compliance report",
        COMPLIANCE,
        lambda marks: f"/reports/consent/?{_year_to(marks)}",
    ),
    Page(
        "partnership activity report",
        PARTNERSHIPS,
        lambda marks: f"/reports/partnership/?{_year_to(marks)}",
    ),
]
