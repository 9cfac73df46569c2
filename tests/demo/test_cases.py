"""The demo has cases across the regions with referrals in every state, shows the consent gate at
work, leaves an audit chain that verifies with a first checkpoint, and can run twice."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from agencies.models import Agency
from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing import selectors
from sharing.models import (
    Case,
    Consent,
    ConsentRequest,
    Disclosure,
    Escalation,
    Referral,
    ReferralStatus,
)

pytestmark = [pytest.mark.django_db]


def test_seed_demo_adds_cases_with_referrals_in_every_state_and_is_idempotent(seeded_demo):
    counts = (
        Case.objects.count(),
        Referral.objects.count(),
        Escalation.objects.count(),
        Consent.objects.count(),
        Disclosure.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        Case.objects.count(),
        Referral.objects.count(),
        Escalation.objects.count(),
        Consent.objects.count(),
        Disclosure.objects.count(),
    ) == counts
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    regions = set(Case.objects.values_list("local_authority__region__name", flat=True))
    assert regions == {"North West", "West Midlands", "East Midlands", "East of England"}
    assert Case.objects.filter(status="closed").exists()
    assert not Case.objects.filter(indicators__isnull=True).exists()
    assert Escalation.objects.exclude(decision="").exists()
    assert Escalation.objects.filter(decision="").exists()
    for referral in Referral.objects.exclude(status=ReferralStatus.DRAFT):
        # A draft withdrawn before it was sent released nothing, so it has no "sent" step.
        sent = referral.status_changes.filter(to_status=ReferralStatus.SENT).exists()
        assert sent != referral.was_withdrawn


def test_the_demo_shows_the_consent_gate_at_work(seeded_demo):
    now = timezone.now()
    consents = list(Consent.objects.all())
    assert {"current", "expired", "revoked"} <= {consent.state_at(now) for consent in consents}
    assert ConsentRequest.objects.filter(status="pending").exists()
    for state in ("expired", "revoked"):
        relied_on = Disclosure.objects.filter(
            consent__in=[consent for consent in consents if consent.state_at(now) == state]
        ).select_related("consent")
        assert relied_on, f"nothing was shared under a consent now {state}"
        for disclosure in relied_on:
            assert disclosure.consent.state_at(disclosure.disclosed_at) == "current"

    # One agency's information sharing agreement is past its review date, so the gate refused it
    # since; before that date (the demo's months of history) it was shared with.
    lapsed = dict(
        Agency.objects.filter(
            information_sharing_agreement_review_due_on__lt=timezone.localdate()
        ).values_list("pk", "information_sharing_agreement_review_due_on")
    )
    refused = {
        event.detail["recipient_id"]
        for event in AuditEvent.objects.filter(
            verb=Verb.DISCLOSURE_REFUSED, detail__reason="agreement_overdue"
        )
    }
    assert refused and refused <= set(lapsed)
    for agency_id in refused:
        assert not Disclosure.objects.filter(
            recipient_id=agency_id, disclosed_at__date__gt=lapsed[agency_id]
        ).exists()


def test_the_demo_audit_chain_verifies_against_its_first_checkpoint(seeded_demo, demo_checkpoints):
    assert AuditEvent.objects.count() > 0
    assert AuditEvent.objects.filter(verb=Verb.CHECKPOINT).count() == 1
    assert "First audit checkpoint written" in seeded_demo.output
    verified = StringIO()
    call_command("verify_audit", "--all-checkpoints", stdout=verified)
    assert "Audit chain intact" in verified.getvalue()
    assert "consistent with 1 checkpoint(s)" in verified.getvalue()


def test_the_demo_finds_the_person_already_known_before_a_second_case_is_opened(seeded_demo):
    officer = (
        get_user_model()
        .objects.filter(groups__name=Role.SAFEGUARDING_OFFICER, is_active=True)
        .order_by("pk")
        .first()
    )
    known = Case.objects.get(given_names="Mohammed", family_name="Al-Sayed")
    matches = selectors.likely_matches(
        user=officer,
        given_names="Muhammad",
        family_name="Alsayed",
        date_of_birth=date(1990, 5, 12),
    )
    assert [(match.reference, match.can_open) for match in matches] == [(known.reference, True)]
    assert matches[0].reason == "Same date of birth and a similar name"
