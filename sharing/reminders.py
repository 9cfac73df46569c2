"""Chasing referrals an agency has not acknowledged by its target (set by urgency when it was
sent: PARTNERHUB_REFERRAL_ACKNOWLEDGEMENT_HOURS), for `chase_referrals`. The referring officers
and the agency's single point of contact are reminded once per referral and target, so a rerun
reminds nobody twice; nothing in the reminder names the person."""

import logging

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from agencies.models import Contact
from notifications.models import NotificationKind
from notifications.services import send_reminder
from sharing.models import Referral, ReferralStatus
from sharing.selectors import referral_disclosure
from sharing.services.delivery import DeliveryFailed, send_chase_to_contact

logger = logging.getLogger(__name__)


def referrals_past_acknowledgement_target(now):
    return (
        Referral.objects.filter(status=ReferralStatus.SENT, acknowledge_by__lt=now)
        .select_related("agency", "case", "created_by")
        .prefetch_related(
            "case__assigned_officers",
            Prefetch(
                "agency__contacts",
                queryset=Contact.objects.filter(is_single_point_of_contact=True, is_active=True)
                .select_related("user")
                .order_by("pk"),
                to_attr="points_of_contact",
            ),
        )
        .order_by("acknowledge_by", "pk")
    )


def send_referral_chasers(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    for referral in referrals_past_acknowledgement_target(now).iterator(chunk_size=200):
        released = referral_disclosure(referral, agency_id=referral.agency_id)
        if released is None or released.withdrawn_at is not None:
            # Withdrawn with the Authority's consent: the agency must not act on it now.
            continue
        spoc = next(iter(referral.agency.points_of_contact), None)
        spoc_user = spoc.user if spoc is not None and spoc.user_id else None
        officers = {referral.created_by, *referral.case.assigned_officers.all()}
        due = timezone.localtime(referral.acknowledge_by)
        reminded = send_reminder(
            NotificationKind.REFERRAL_NOT_ACKNOWLEDGED,
            subject=referral,
            due_on=due.date(),
            recipients=[*officers, spoc_user],
            message=(
                f"{referral.agency.name} has not acknowledged the referral of case "
                f"{referral.case.reference}, due by {due:%-d %B %Y %H:%M}"
            ),
            url=reverse("sharing:case-detail", args=[referral.case_id]),
        )
        if not reminded:
            continue
        sent += 1
        if spoc is not None and spoc_user is None and spoc.email:
            try:
                send_chase_to_contact(referral, spoc)
            except DeliveryFailed:
                logger.exception("Could not chase referral %s with its agency", referral.pk)
    return sent
