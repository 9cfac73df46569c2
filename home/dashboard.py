"""The home page's cards: what needs each person's attention, counted in SQL, by role, every
card's count in one query."""

from dataclasses import dataclass, replace

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from agencies import permissions as agency_permissions
from agencies import selectors as agency_selectors
from core.counts import counts_in_one_query
from meetings import permissions as meeting_permissions
from meetings import selectors as meeting_selectors
from reports.periods import start_of
from sharing import permissions, selectors
from sharing.models import ConsentRequestStatus


@dataclass(frozen=True)
class Card:
    title: str
    # The rows a card counts (the same selector its list shows), or the count itself.
    count: QuerySet | int
    description: str
    url: str


def cards_for(user) -> list[Card]:
    cards = _cards(user)
    counts = counts_in_one_query(
        {index: card.count for index, card in enumerate(cards) if isinstance(card.count, QuerySet)}
    )
    return [replace(card, count=counts.get(index, card.count)) for index, card in enumerate(cards)]


def _cards(user) -> list[Card]:
    cards = []
    if permissions.can_work_on_cases(user):
        mine = permissions.cases_visible_to(user=user).filter(assigned_officers=user, status="open")
        cards.append(
            Card(
                "Your open cases",
                mine,
                "Open cases assigned to you.",
                reverse("sharing:case-mine") + "?status=open",
            )
        )
        cards.append(
            Card(
                "Overdue referrals",
                selectors.overdue_referrals(user=user),
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
                waiting,
                "Requests for consent on your cases that the Authority has not decided yet.",
                reverse("sharing:consent-request-mine") + f"?status={ConsentRequestStatus.PENDING}",
            )
        )
        cards.append(
            Card(
                "Consents running out",
                selectors.consents_expiring_on_cases_of(user=user),
                f"Consents on your open cases ending within "
                f"{selectors.CONSENT_EXPIRY_WARNING_DAYS} days.",
                reverse("sharing:consent-expiring-mine"),
            )
        )
        cards.append(
            Card(
                "Referrals to chase",
                selectors.referrals_to_chase(user=user),
                "Referrals on your cases not acknowledged yet or past their follow-up date.",
                reverse("sharing:referral-to-chase-list"),
            )
        )
    if permissions.can_follow_escalations(user):
        cards.append(
            Card(
                "Your escalations",
                selectors.escalations_raised(user=user),
                "Escalations you raised, decided or waiting for a manager.",
                reverse("sharing:escalation-mine"),
            )
        )
    if permissions.can_assign_officers(user):
        cards.append(
            Card(
                "Cases without an officer",
                selectors.cases_without_an_officer(user=user),
                "Open cases nobody is assigned to.",
                reverse("sharing:case-without-officer-list"),
            )
        )
    if permissions.can_decide_escalations(user):
        cards.append(
            Card(
                "Escalations to decide",
                selectors.escalations_awaiting_decision(user=user),
                "Cases officers have escalated to a manager.",
                reverse("sharing:escalation-queue"),
            )
        )
    if permissions.can_decide_consent(user):
        cards.append(
            Card(
                "Consent requests",
                selectors.pending_consent_requests(),
                "Requests to share information that need your decision.",
                reverse("sharing:consent-queue"),
            )
        )
    if permissions.can_review_sharing(user):
        cards.extend(_compliance_cards(user))
    if permissions.is_partner(user):
        cards.append(
            Card(
                "Referrals awaiting your response",
                selectors.referrals_awaiting_response(user=user),
                "Referrals sent to your agency that it has not answered yet.",
                reverse("sharing:referral-awaiting-response-list"),
            )
        )
        cards.append(
            Card(
                "Your agency's actions",
                meeting_selectors.open_actions_of_my_agency(user),
                "Open actions from meetings given to your agency.",
                reverse("meetings:action-agency-list"),
            )
        )
    if permissions.can_see_disclosure_log(user):
        month_start = timezone.localdate().replace(day=1)
        # From the moment the month began rather than by each release's date, which no index
        # can answer: every release there has been was converted to a date to count a month's.
        disclosures = selectors.disclosures_visible_to(user=user).filter(
            disclosed_at__gte=start_of(month_start)
        )
        title = "Shared with your agency" if permissions.is_partner(user) else "Disclosures"
        cards.append(
            Card(
                title,
                disclosures,
                "Releases of case information this month.",
                f"{reverse('sharing:disclosure-log')}?disclosed_from={month_start.isoformat()}",
            )
        )
    cards.append(
        Card(
            "Your meetings",
            meeting_selectors.my_upcoming_meetings(user),
            f"Meetings in the next {meeting_selectors.UPCOMING_MEETING_DAYS} days.",
            reverse("meetings:meeting-mine") + "?view=upcoming",
        )
    )
    cards.append(
        Card(
            "Your actions",
            meeting_selectors.my_open_actions(user),
            "Open actions from meetings, yours or your agency's.",
            reverse("meetings:action-mine"),
        )
    )
    if meeting_permissions.may_manage_meetings(user):
        cards.extend(_meeting_manager_cards(user))
    if agency_permissions.can_manage_directory(user):
        cards.append(
            Card(
                "Agreements due for review",
                agency_selectors.agreements_due_for_review(user=user),
                f"Information sharing agreements past their review date or reaching it within "
                f"{agency_selectors.AGREEMENT_REVIEW_NOTICE_DAYS} days.",
                reverse("agencies:agreement-review-list"),
            )
        )
    return cards


def _compliance_cards(user) -> list[Card]:
    return [
        Card(
            "Consents to review",
            selectors.consents_to_review(user=user),
            f"Consents revoked, expired or ending within "
            f"{selectors.CONSENT_EXPIRY_WARNING_DAYS} days, across every case.",
            reverse("sharing:compliance-consents"),
        ),
        Card(
            "Consent requests refused",
            selectors.refused_consent_requests(user=user),
            "Requests the Authority refused, across every case.",
            reverse("sharing:compliance-refused-requests"),
        ),
        Card(
            "Decisions not to share",
            selectors.decisions_not_to_share(user=user),
            "Requests for information the team decided not to meet.",
            reverse("sharing:compliance-decisions-not-to-share"),
        ),
        Card(
            "Disclosures without a current agreement",
            selectors.disclosures_without_a_current_agreement(user=user),
            "Releases let through while agreements were set to warn only.",
            reverse("sharing:compliance-disclosures-without-agreement"),
        ),
    ]


def _meeting_manager_cards(user) -> list[Card]:
    return [
        Card(
            "Minutes to finish",
            meeting_selectors.minutes_awaiting(user),
            "Minutes waiting to be circulated or approved.",
            reverse("meetings:minutes-waiting-list"),
        ),
        Card(
            "Overdue actions",
            meeting_selectors.overdue_actions_across_forums(user),
            "Open actions past their due date, across the forums.",
            reverse("meetings:action-overdue-list"),
        ),
        Card(
            "Meetings without an agenda",
            meeting_selectors.meetings_without_agenda(user),
            f"Meetings in the next {meeting_selectors.AGENDA_NOTICE_DAYS} days with no agenda "
            f"item yet.",
            reverse("meetings:meeting-without-agenda-list"),
        ),
    ]
