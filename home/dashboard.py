"""The home page's cards: what needs each person's attention, counted in SQL, by role."""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings import selectors as meeting_selectors
from sharing import permissions, selectors
from sharing.models import ConsentRequestStatus

UPCOMING_DAYS = 30


@dataclass(frozen=True)
class Card:
    title: str
    count: int
    description: str
    url: str


def cards_for(user) -> list[Card]:
    cards = []
    if permissions.can_work_on_cases(user):
        mine = permissions.cases_visible_to(user=user).filter(assigned_officers=user, status="open")
        cards.append(
            Card(
                "Your open cases",
                mine.count(),
                "Open cases assigned to you.",
                reverse("sharing:case-mine") + "?status=open",
            )
        )
        cards.append(
            Card(
                "Overdue referrals",
                selectors.overdue_referrals(user=user).count(),
                "Referrals past their follow-up date.",
                reverse("sharing:referral-overdue-list"),
            )
        )
        waiting = selectors.consent_requests_on_cases_of(user=user).filter(
            status=ConsentRequestStatus.PENDING
        )
        cards.append(
            Card(
                "Waiting for the Authority",
                waiting.count(),
                "Requests for consent on your cases that the Authority has not decided yet.",
                reverse("sharing:consent-request-mine") + f"?status={ConsentRequestStatus.PENDING}",
            )
        )
    if permissions.can_decide_escalations(user):
        cards.append(
            Card(
                "Escalations to decide",
                selectors.escalations_awaiting_decision(user=user).count(),
                "Cases officers have escalated to a manager.",
                reverse("sharing:escalation-queue"),
            )
        )
    if permissions.can_decide_consent(user):
        cards.append(
            Card(
                "Consent requests",
                selectors.pending_consent_requests().count(),
                "Requests to share information that need your decision.",
                reverse("sharing:consent-queue"),
            )
        )
    if permissions.can_see_disclosure_log(user):
        month_start = timezone.localdate().replace(day=1)
        disclosures = selectors.disclosures_visible_to(user=user).filter(
            disclosed_at__date__gte=month_start
        )
        title = "Shared with your agency" if permissions.is_partner(user) else "Disclosures"
        cards.append(
            Card(
                title,
                disclosures.count(),
                "Releases of case information this month.",
                reverse("sharing:disclosure-log"),
            )
        )
    today = timezone.localdate()
    cards.append(
        Card(
            "Your meetings",
            len(
                meeting_selectors.my_meetings_between(
                    user, today, today + timedelta(days=UPCOMING_DAYS)
                )
            ),
            f"Meetings in the next {UPCOMING_DAYS} days.",
            reverse("meetings:meeting-mine"),
        )
    )
    open_actions, _ = meeting_selectors.my_actions(user)
    cards.append(
        Card(
            "Your actions",
            len(open_actions),
            "Open actions from meetings, yours or your agency's.",
            reverse("meetings:action-mine"),
        )
    )
    return cards
