"""The service navigation: each person sees only what their roles allow, beside each work queue
how many items wait in it, and in the header how many notifications are unread."""

from django.urls import reverse

from agencies import selectors as agency_selectors
from core.counts import counts_in_one_query
from meetings import selectors as meeting_selectors
from notifications import selectors as notification_selectors
from reports import permissions as report_permissions
from sharing import selectors

# (label, url name, the permissions any one of which shows it, or None for every signed-in
# person). Each entry mirrors the access rule of the page it opens.
NAVIGATION = [
    ("Home", "home", None),
    ("Directory", "agencies:agency-list", {"agencies.view_agency"}),
    ("My cases", "sharing:case-mine", {"sharing.change_case"}),
    ("All cases", "sharing:case-list", {"sharing.view_all_cases"}),
    (
        "Overdue referrals",
        "sharing:referral-overdue-list",
        {"sharing.change_referral", "sharing.view_all_cases"},
    ),
    ("Referrals to chase", "sharing:referral-to-chase-list", {"sharing.change_case"}),
    ("My consent requests", "sharing:consent-request-mine", {"sharing.change_case"}),
    ("Escalations", "sharing:escalation-queue", {"sharing.decide_escalation"}),
    ("Consent requests", "sharing:consent-queue", {"sharing.grant_consent"}),
    ("Compliance", "sharing:compliance-consents", {"sharing.view_consent"}),
    ("Disclosures", "sharing:disclosure-log", {"sharing.view_disclosure"}),
    ("Shared with us", "sharing:disclosure-log", {"sharing.view_received_disclosure"}),
    (
        "Referrals to answer",
        "sharing:referral-awaiting-response-list",
        {"sharing.view_received_disclosure"},
    ),
    ("Agreements to review", "agencies:agreement-review-list", {"agencies.change_agency"}),
    ("Forums", "meetings:forum-list", None),
    ("Minutes to finish", "meetings:minutes-waiting-list", {"meetings.change_meeting"}),
    ("Overdue actions", "meetings:action-overdue-list", {"meetings.change_meeting"}),
    ("My meetings", "meetings:meeting-mine", None),
    ("My actions", "meetings:action-mine", None),
    ("Our agency's actions", "meetings:action-agency-list", {"sharing.view_received_disclosure"}),
    ("My calendar", "meetings:calendar-mine", None),
    ("Reports", "reports:index", report_permissions.navigation_permissions()),
    ("Invite a person", "agencies:invitation-create", {"agencies.invite_user"}),
    ("Audit log", "audit:event-list", {"audit.view_auditevent"}),
]

UNREAD = "unread notifications"

# What each queue's count counts: the selector its page lists, unfiltered, as its home card.
QUEUE_COUNTS = {
    "sharing:referral-overdue-list": lambda user: selectors.overdue_referrals(user=user),
    "sharing:referral-to-chase-list": lambda user: selectors.referrals_to_chase(user=user),
    "sharing:escalation-queue": lambda user: selectors.escalations_awaiting_decision(user=user),
    "sharing:consent-queue": lambda user: selectors.pending_consent_requests(),
    "sharing:referral-awaiting-response-list": lambda user: selectors.referrals_awaiting_response(
        user=user
    ),
    "agencies:agreement-review-list": lambda user: agency_selectors.agreements_due_for_review(
        user=user
    ),
    "meetings:minutes-waiting-list": meeting_selectors.minutes_awaiting,
    "meetings:action-overdue-list": meeting_selectors.overdue_actions_across_forums,
    "meetings:action-mine": meeting_selectors.my_open_actions,
    "meetings:action-agency-list": meeting_selectors.open_actions_of_my_agency,
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "unread_notifications": 0}
    permissions = user.get_all_permissions()
    shown = [
        (label, url_name)
        for label, url_name, needed in NAVIGATION
        if needed is None or needed & permissions
    ]
    # The header's unread notifications are counted in the same query as the queues.
    counts = counts_in_one_query(
        {
            UNREAD: notification_selectors.unread(user=user),
            **{
                url_name: QUEUE_COUNTS[url_name](user)
                for _, url_name in shown
                if url_name in QUEUE_COUNTS
            },
        }
    )
    items = []
    for label, url_name in shown:
        url = reverse(url_name)
        count = counts.get(url_name)
        items.append(
            {
                "label": label,
                "count": count,
                "url": url,
                "active": request.path == url,
            }
        )
    return {"navigation": items, "unread_notifications": counts[UNREAD]}
