"""A partner agency answers a referral sent to it in Partnerhub: acknowledge, then accept,
decline or no further action, with a note where it must say why. The officer is told, the
referral's history names who answered, and nobody answers for another agency."""

import pytest

from audit.models import AuditEvent
from core.authority import NotPermitted
from core.roles import Role
from notifications.models import Notification, NotificationKind
from sharing import services
from sharing.models import ReferralStatus, TransitionRefused
from tests.sharing.referrals import send_with_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(case, officer, partner_user, make_referral):
    return send_with_consent(
        referral=make_referral(case, agency=partner_user.agency), actor=officer
    )


def answer_page(pk):
    return f"/referrals/{pk}/answer/"


def test_a_partner_acknowledges_then_declines_with_a_note_and_the_officer_is_told_each_time(
    sent, officer, partner_user, partner_client
):
    response = partner_client.post(answer_page(sent.pk), {"status": "acknowledged"}, follow=True)
    assert "Your answer is recorded (acknowledged)" in response.content.decode()
    response = partner_client.post(
        answer_page(sent.pk),
        {"status": "declined", "note": "Outside our area: try the county service."},
        follow=True,
    )
    page = response.content.decode()
    assert "Your agency has answered this referral: declined" in page
    assert "Outside our area" in page
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.DECLINED
    assert sent.acknowledged_at is not None and sent.outcome_at is not None
    history = list(sent.status_changes.values_list("to_status", "changed_by", "note"))
    assert history[-2:] == [
        ("acknowledged", partner_user.pk, ""),
        ("declined", partner_user.pk, "Outside our area: try the county service."),
    ]
    assert set(Notification.objects.filter(recipient=officer).values_list("kind", flat=True)) == {
        NotificationKind.REFERRAL_ACKNOWLEDGED,
        NotificationKind.REFERRAL_DECLINED,
    }
    assert AuditEvent.objects.filter(
        actor=partner_user, object_type="sharing.referral", object_id=str(sent.pk)
    ).exists()


def test_the_answer_page_shows_what_was_released_and_never_the_case(sent, partner_client, case):
    page = partner_client.get(answer_page(sent.pk)).content.decode()
    assert "What was shared with your agency" in page
    assert "Name, date of birth and the concern" in page
    assert case.family_name not in page
    assert "Acknowledge: we have received it" in page
    assert "Accept: we will work with this person" not in page


def test_declining_without_saying_why_is_refused_at_the_note(sent, partner_user, partner_client):
    services.answer_referral(referral=sent, status="acknowledged", actor=partner_user)
    response = partner_client.post(answer_page(sent.pk), {"status": "declined", "note": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        "Give the reason: the referring officer needs to know why"
    ]
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.ACKNOWLEDGED


def test_a_skipped_step_is_refused_at_the_field(sent, partner_client):
    response = partner_client.post(answer_page(sent.pk), {"status": "accepted"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]


def test_an_answered_referral_says_so_and_takes_no_second_answer(
    sent, partner_user, partner_client
):
    services.answer_referral(referral=sent, status="acknowledged", actor=partner_user)
    services.answer_referral(referral=sent, status="accepted", actor=partner_user)
    page = partner_client.get(answer_page(sent.pk)).content.decode()
    assert "nothing more to answer" in page
    response = partner_client.post(answer_page(sent.pk), {"status": "declined", "note": "x"})
    assert response.status_code == 200
    with pytest.raises(NotPermitted):
        services.answer_referral(referral=sent, status="declined", note="x", actor=partner_user)
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.ACCEPTED


def test_nobody_answers_for_another_agency_or_for_the_team(
    sent, officer, make_user, make_agency, client
):
    stranger = make_user(Role.PARTNER, agency=make_agency("Another Charity"))
    with pytest.raises(NotPermitted):
        services.answer_referral(referral=sent, status="acknowledged", actor=stranger)
    with pytest.raises(NotPermitted):
        services.answer_referral(referral=sent, status="acknowledged", actor=officer)
    client.force_login(stranger)
    assert client.get(answer_page(sent.pk)).status_code == 404
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.SENT


def test_closing_is_the_teams_step_not_an_answer(sent, partner_user):
    with pytest.raises(TransitionRefused):
        services.answer_referral(referral=sent, status="closed", actor=partner_user)
