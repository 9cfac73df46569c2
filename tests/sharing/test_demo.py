"""The demo has cases across the regions with referrals in every state, and can run twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from sharing.models import Case, Escalation, Referral, ReferralStatus


@pytest.mark.django_db
def test_seed_demo_adds_cases_with_referrals_in_every_state_and_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    counts = (Case.objects.count(), Referral.objects.count(), Escalation.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Case.objects.count(), Referral.objects.count(), Escalation.objects.count()) == counts
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    regions = set(Case.objects.values_list("local_authority__region__name", flat=True))
    assert regions == {"North West", "West Midlands", "East Midlands", "East of England"}
    assert Case.objects.filter(status="closed").exists()
    assert Escalation.objects.exclude(decision="").exists()
    assert Escalation.objects.filter(decision="").exists()
    for referral in Referral.objects.exclude(status=ReferralStatus.DRAFT):
        assert referral.status_changes.filter(to_status=ReferralStatus.SENT).exists()
