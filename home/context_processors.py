"""The service navigation: each person sees only what their roles allow."""

from django.urls import reverse

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
    ("My consent requests", "sharing:consent-request-mine", {"sharing.change_case"}),
    ("Escalations", "sharing:escalation-queue", {"sharing.decide_escalation"}),
    ("Consent requests", "sharing:consent-queue", {"sharing.grant_consent"}),
    ("Disclosures", "sharing:disclosure-log", {"sharing.view_disclosure"}),
    ("Shared with us", "sharing:disclosure-log", {"sharing.view_received_disclosure"}),
    ("Forums", "meetings:forum-list", None),
    ("My meetings", "meetings:meeting-mine", None),
    ("My actions", "meetings:action-mine", None),
    ("My calendar", "meetings:calendar-mine", None),
    ("Invite a person", "agencies:invitation-create", {"agencies.invite_user"}),
    ("Audit log", "audit:event-list", {"audit.view_auditevent"}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    permissions = user.get_all_permissions()
    items = []
    for label, url_name, needed in NAVIGATION:
        if needed is not None and not needed & permissions:
            continue
        url = reverse(url_name)
        items.append({"label": label, "url": url, "active": request.path == url})
    return {"navigation": items}
