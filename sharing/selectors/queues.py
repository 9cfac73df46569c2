"""The work queues: what is waiting for a safeguarding manager, an officer, a compliance
reviewer or a partner agency, each a queryset in a fixed number of queries. Who reaches which
cases is sharing.permissions' rule; each queue narrows one of its querysets."""

from datetime import timedelta

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from agencies.models import InformationSharingAgreementStatus
from sharing import permissions
from sharing.models import (
    Case,
    CaseStatus,
    Consent,
    ConsentRequest,
    ConsentRequestStatus,
    DecisionNotToShare,
    Disclosure,
    Escalation,
    Referral,
    ReferralStatus,
)
from sharing.selectors.cases import past_follow_up

# An officer is warned this long before a consent on their case runs out: time to ask the
# Authority for a new one before a referral or a meeting needs it.
CONSENT_EXPIRY_WARNING_DAYS = 14


def cases_without_an_officer(*, user) -> QuerySet[Case]:
    """Open cases nobody is assigned to, oldest concern first: for those who assign officers."""
    if not permissions.can_assign_officers(user):
        return Case.objects.none()
    assigned = Case.assigned_officers.through.objects.filter(case=OuterRef("pk"))
    return (
        permissions.cases_visible_to(user=user)
        .filter(status=CaseStatus.OPEN)
        .filter(~Exists(assigned))
        .select_related("local_authority")
        .order_by("concern_received_on", "pk")
    )


def _expiring_by():
    return timezone.now() + timedelta(days=CONSENT_EXPIRY_WARNING_DAYS)


def consents_expiring_on_cases_of(*, user) -> QuerySet[Consent]:
    """Consents on the person's own open cases that are current and run out within the
    warning period, soonest first."""
    now = timezone.now()
    return (
        Consent.objects.filter(
            case__in=permissions.cases_assigned_to(user=user).filter(status=CaseStatus.OPEN),
            revoked_at__isnull=True,
            valid_from__lte=now,
            valid_until__gt=now,
            valid_until__lte=_expiring_by(),
        )
        .select_related("case")
        .prefetch_related("recipients")
        .order_by("valid_until", "pk")
    )


def referrals_to_chase(*, user) -> QuerySet[Referral]:
    """Referrals on the person's own cases that the agency has not acknowledged yet, or that
    are overdue for follow-up; those with the earliest follow-up date first."""
    return (
        Referral.objects.filter(case__in=permissions.cases_assigned_to(user=user))
        .filter(Q(status=ReferralStatus.SENT) | past_follow_up())
        .select_related("case", "agency", "kind")
        .order_by(F("follow_up_on").asc(nulls_last=True), "sent_at", "pk")
    )


def escalations_raised(*, user) -> QuerySet[Escalation]:
    """The escalations this person raised, newest first, with what a manager decided."""
    return (
        permissions.escalations_raised_by(user=user)
        .select_related("case", "decided_by")
        .order_by("-raised_at", "-pk")
    )


def referral_disclosure(referral: Referral, *, agency_id) -> Disclosure | None:
    """The disclosure that carried a referral to the agency: what its people read."""
    return (
        Disclosure.objects.filter(
            source_type=Disclosure.source_type_of(Referral),
            source_id=str(referral.pk),
            recipient_id=agency_id,
        )
        .select_related("content", "consent", "recipient_contact")
        .order_by("disclosed_at")
        .first()
    )


def referrals_awaiting_response(*, user) -> QuerySet[Referral]:
    """Referrals sent to the partner user's agency that it has not answered yet (not
    acknowledged, or acknowledged without an outcome), oldest first."""
    return (
        permissions.referrals_answerable_by(user=user)
        .select_related("kind")
        .order_by("sent_at", "pk")
    )


# Compliance: across every case, for those who review sharing ---------------------------------


def consents_to_review(*, user) -> QuerySet[Consent]:
    """Consents revoked, expired or running out within the warning period, the latest ending
    first."""
    return (
        permissions.about_reviewed_cases(Consent.objects.all(), user=user)
        .filter(Q(revoked_at__isnull=False) | Q(valid_until__lte=_expiring_by()))
        .select_related("case", "revoked_by")
        .order_by("-valid_until", "-pk")
    )


def refused_consent_requests(*, user) -> QuerySet[ConsentRequest]:
    return (
        permissions.about_reviewed_cases(ConsentRequest.objects.all(), user=user)
        .filter(status=ConsentRequestStatus.REFUSED)
        .select_related("case", "requested_by", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def decisions_not_to_share(*, user) -> QuerySet[DecisionNotToShare]:
    return (
        permissions.about_reviewed_cases(DecisionNotToShare.objects.all(), user=user)
        .select_related("case", "requested_by_agency", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def disclosures_without_a_current_agreement(*, user) -> QuerySet[Disclosure]:
    """Disclosures made to an agency without a current information sharing agreement. The gate
    refuses those unless PARTNERHUB_AGREEMENT_CHECK is "warn", so each was let through by that
    setting; the disclosure records the agreement as it stood when it was made."""
    return (
        permissions.about_reviewed_cases(Disclosure.objects.all(), user=user)
        .exclude(agreement_status=InformationSharingAgreementStatus.CURRENT)
        .select_related("case", "recipient", "disclosed_by")
        .order_by("-disclosed_at", "-pk")
    )
