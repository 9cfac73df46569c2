"""A draft referral that will never be sent (its agency was deactivated since drafting, or it is
no longer needed) is withdrawn: draft → closed, with the reason on its history, audited, and
nothing released. Only a draft can be withdrawn."""

import pytest
from django.test import Client

from agencies.services import deactivate_agency
from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing import services
from sharing.models import Referral, ReferralStatus, ReferralStatusChange, TransitionRefused
from tests.sharing.referrals import allow_sharing, send_with_consent

S = ReferralStatus
REASON = "The service closed in March; referred to its successor instead."


@pytest.mark.parametrize("start", list(S))
def test_only_a_draft_can_be_withdrawn(start):
    referral = Referral(status=start)
    if start == S.DRAFT:
        referral.withdraw(at=None)
        assert referral.status == S.CLOSED
        assert referral.was_withdrawn
    else:
        with pytest.raises(TransitionRefused) as refusal:
            referral.withdraw(at=None)
        assert refusal.value.messages[0].startswith("Only a draft referral can be withdrawn")
        assert referral.status == start


def test_withdrawing_is_not_one_of_the_steps_offered_by_hand():
    assert S.CLOSED not in Referral(status=S.DRAFT).allowed_next()
    with pytest.raises(TransitionRefused):
        Referral(status=S.DRAFT).move_to(S.CLOSED)


@pytest.mark.django_db
def test_a_draft_to_an_agency_deactivated_since_drafting_is_withdrawn_from_its_page(
    officer_client, officer, administrator, case, make_referral
):
    referral = make_referral(case)
    deactivate_agency(agency=referral.agency, actor=administrator)
    send_page = officer_client.get(f"/referrals/{referral.pk}/send/").content.decode()
    assert f'href="/referrals/{referral.pk}/withdraw/"' in send_page

    response = officer_client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": REASON})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.sent_at) == (S.CLOSED, None)
    assert referral.closed_at is not None
    change = ReferralStatusChange.objects.filter(referral=referral).last()
    assert (change.from_status, change.to_status, change.note) == (S.DRAFT, S.CLOSED, REASON)
    assert change.changed_by == officer
    event = AuditEvent.objects.filter(verb=Verb.STATUS_CHANGED, object_id=str(referral.pk)).get()
    assert event.actor == officer
    assert event.detail["withdrawn"] is True
    assert REASON not in str(event.detail) and REASON not in event.object_label
    assert not case.disclosures.exists()
    page = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert "withdrawn as a draft" in page


@pytest.mark.django_db
def test_a_withdrawal_needs_a_reason(officer_client, case, make_referral):
    referral = make_referral(case)
    response = officer_client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": "  "})
    assert response.status_code == 200
    assert "Enter why the draft is withdrawn" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.DRAFT
    with pytest.raises(TransitionRefused):
        services.withdraw_draft_referral(referral=referral, reason="", actor=case.created_by)


@pytest.mark.django_db
def test_a_sent_referral_cannot_be_withdrawn(officer, case, make_referral):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    with pytest.raises(TransitionRefused):
        services.withdraw_draft_referral(referral=referral, reason=REASON, actor=officer)
    referral.refresh_from_db()
    assert referral.status == S.SENT


@pytest.mark.django_db
def test_a_sent_referral_is_not_offered_for_withdrawal_and_its_page_sends_the_officer_back(
    officer_client, officer, case, make_referral
):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    send_page = officer_client.get(f"/referrals/{referral.pk}/send/").content.decode()
    assert "/withdraw/" not in send_page
    response = officer_client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": REASON})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.SENT


@pytest.mark.django_db
def test_a_withdrawn_draft_can_no_longer_be_sent(officer, case, make_referral):
    referral = make_referral(case)
    allow_sharing(referral)
    services.withdraw_draft_referral(referral=referral, reason=REASON, actor=officer)
    with pytest.raises(TransitionRefused):
        send_with_consent(referral=referral, actor=officer)
    assert not case.disclosures.exists()


@pytest.mark.django_db
def test_another_officers_draft_cannot_be_withdrawn_and_is_not_found(
    make_user, case, make_referral
):
    stranger = make_user(Role.SAFEGUARDING_OFFICER)
    referral = make_referral(case)
    client = Client()
    client.force_login(stranger)
    assert client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": REASON}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == S.DRAFT
