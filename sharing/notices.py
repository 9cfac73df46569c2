"""What sharing tells people, and whom. Each message says what happened and names the case by
its reference only: never a name, a date of birth or a note, whoever reads the e-mail."""

from django.urls import reverse

from notifications.models import NotificationKind
from notifications.services import notify
from sharing import permissions
from sharing.models import (
    ConsentRequest,
    ConsentRequestStatus,
    ConsentUrgency,
    Escalation,
    Referral,
    ReferralStatus,
)


def consent_requested(request: ConsentRequest, *, actor) -> None:
    urgent = " (urgent)" if request.urgency == ConsentUrgency.URGENT else ""
    notify(
        NotificationKind.CONSENT_REQUESTED,
        permissions.people_who_decide_consent_for(request.case),
        message=f"Consent requested{urgent} on case {request.case.reference}",
        url=reverse("sharing:consent-request-decide", args=[request.pk]),
        actor=actor,
    )


CONSENT_DECISIONS = {
    ConsentRequestStatus.GRANTED: "granted",
    ConsentRequestStatus.NARROWED: "granted part of",
    ConsentRequestStatus.REFUSED: "refused",
}


def consent_decided(request: ConsentRequest, *, actor) -> None:
    refused = request.status == ConsentRequestStatus.REFUSED
    notify(
        NotificationKind.CONSENT_REFUSED if refused else NotificationKind.CONSENT_GRANTED,
        [request.requested_by],
        message=(
            f"The Authority {CONSENT_DECISIONS[request.status]} your consent request "
            f"on case {request.case.reference}"
        ),
        url=reverse("sharing:case-detail", args=[request.case_id]),
        actor=actor,
    )


def escalation_raised(escalation: Escalation, *, actor) -> None:
    notify(
        NotificationKind.ESCALATION_RAISED,
        permissions.people_who_decide_escalations_on(escalation.case),
        message=f"Case {escalation.case.reference} escalated for a manager's decision",
        url=reverse("sharing:escalation-decide", args=[escalation.pk]),
        actor=actor,
    )


def escalation_decided(escalation: Escalation, *, actor) -> None:
    notify(
        NotificationKind.ESCALATION_DECIDED,
        [escalation.raised_by],
        message=f"A manager decided your escalation of case {escalation.case.reference}",
        url=reverse("sharing:case-detail", args=[escalation.case_id]),
        actor=actor,
    )


REFERRAL_NEWS = {
    ReferralStatus.ACKNOWLEDGED: NotificationKind.REFERRAL_ACKNOWLEDGED,
    ReferralStatus.ACCEPTED: NotificationKind.REFERRAL_ACCEPTED,
    ReferralStatus.DECLINED: NotificationKind.REFERRAL_DECLINED,
}


def referral_moved(referral: Referral, *, actor) -> None:
    kind = REFERRAL_NEWS.get(referral.status)
    if kind is None:
        return
    notify(
        kind,
        [referral.created_by],
        message=(
            f"{referral.agency.name} {referral.get_status_display().lower()} your referral "
            f"of case {referral.case.reference}"
        ),
        url=reverse("sharing:case-detail", args=[referral.case_id]),
        actor=actor,
    )


def _tell_agency(kind, referral: Referral, message: str, *, actor) -> None:
    notify(
        kind,
        permissions.people_who_answer_referrals_for(referral.agency),
        message=message,
        url=reverse("sharing:referral-answer", args=[referral.pk]),
        actor=actor,
    )


def referral_received(referral: Referral, *, actor) -> None:
    _tell_agency(
        NotificationKind.REFERRAL_RECEIVED,
        referral,
        f"A referral of case {referral.case.reference} was sent to your agency",
        actor=actor,
    )


def referral_withdrawn(referral: Referral, *, actor) -> None:
    _tell_agency(
        NotificationKind.REFERRAL_WITHDRAWN,
        referral,
        f"The Authority withdrew its consent for the referral of case "
        f"{referral.case.reference}: do not use what it gave you",
        actor=actor,
    )


def referral_corrected(referral: Referral, *, actor) -> None:
    _tell_agency(
        NotificationKind.REFERRAL_CORRECTED,
        referral,
        f"A correction was made to information about case {referral.case.reference}",
        actor=actor,
    )
