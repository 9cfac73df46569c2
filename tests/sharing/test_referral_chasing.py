"""Chasing a referral nobody acknowledged by its target, and what a partner agency sees once the
Authority withdraws the consent a referral was released under or the team corrects it."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.models import ReferralRoute
from notifications.models import Notification, NotificationKind
from sharing import services
from tests.factories import ContactFactory
from tests.sharing.referrals import authority_person, send_with_consent

pytestmark = pytest.mark.django_db


def _chase():
    call_command("chase_referrals", stdout=StringIO())


def test_a_referral_past_its_target_chases_the_officer_and_the_agencys_contact_once(
    case, officer, make_referral, make_agency, django_capture_on_commit_callbacks
):
    agency = make_agency("Outreach Charity")
    ContactFactory(agency=agency, full_name="Pat Point", is_single_point_of_contact=True)
    sent = send_with_consent(
        referral=make_referral(case, agency=agency, urgency="urgent"), actor=officer
    )
    mail.outbox.clear()
    with time_machine.travel(sent.acknowledge_by - timedelta(minutes=5)):
        _chase()
    assert not Notification.objects.filter(kind=NotificationKind.REFERRAL_NOT_ACKNOWLEDGED)
    with (
        time_machine.travel(sent.acknowledge_by + timedelta(minutes=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _chase()
        _chase()
    (reminder,) = Notification.objects.filter(kind=NotificationKind.REFERRAL_NOT_ACKNOWLEDGED)
    assert reminder.recipient == officer
    assert "Outreach Charity has not acknowledged" in reminder.message
    assert case.reference in reminder.message
    to_contact = [message for message in mail.outbox if "pat.point@example.org" in message.to[0]]
    assert len(to_contact) == 1
    assert case.family_name not in to_contact[0].body


def test_an_acknowledged_referral_is_not_chased(case, officer, partner_user, make_referral):
    sent = send_with_consent(
        referral=make_referral(case, agency=partner_user.agency), actor=officer
    )
    services.answer_referral(referral=sent, status="acknowledged", actor=partner_user)
    with time_machine.travel(sent.acknowledge_by + timedelta(days=1)):
        _chase()
    assert not Notification.objects.filter(kind=NotificationKind.REFERRAL_NOT_ACKNOWLEDGED)


def test_the_agencys_contact_with_an_account_is_told_in_partnerhub(
    case, officer, partner_user, make_referral
):
    ContactFactory(
        agency=partner_user.agency,
        full_name=partner_user.full_name,
        user=partner_user,
        is_single_point_of_contact=True,
    )
    sent = send_with_consent(
        referral=make_referral(case, agency=partner_user.agency), actor=officer
    )
    with time_machine.travel(sent.acknowledge_by + timedelta(hours=1)):
        _chase()
    assert Notification.objects.filter(
        recipient=partner_user, kind=NotificationKind.REFERRAL_NOT_ACKNOWLEDGED
    ).exists()


def test_a_withdrawn_referral_is_not_chased(case, officer, make_referral):
    sent = send_with_consent(referral=make_referral(case), actor=officer)
    services.revoke_consent(
        consent=case.consents.get(), reason="The person withdrew.", actor=authority_person()
    )
    with time_machine.travel(sent.acknowledge_by + timedelta(hours=1)):
        _chase()
    assert not Notification.objects.filter(kind=NotificationKind.REFERRAL_NOT_ACKNOWLEDGED)


def test_after_revocation_partner_users_see_withdrawn_and_when_not_the_content(
    case, officer, partner_user, partner_client, make_referral
):
    sent = send_with_consent(
        referral=make_referral(case, agency=partner_user.agency),
        actor=officer,
        route=ReferralRoute.PARTNERHUB,
        content="Name and the concern about her housing.",
    )
    services.revoke_consent(
        consent=case.consents.get(), reason="The person withdrew.", actor=authority_person()
    )
    page = partner_client.get(reverse("sharing:referral-answer", args=[sent.pk])).content.decode()
    assert f"Withdrawn on {timezone.localdate():%-d %B %Y}" in page
    assert "the concern about her housing" not in page
    disclosure = case.disclosures.get()
    detail = partner_client.get(reverse("sharing:disclosure-detail", args=[disclosure.pk]))
    assert "the concern about her housing" not in detail.content.decode()
    document = partner_client.get(reverse("sharing:referral-document", args=[sent.pk]))
    assert document.status_code == 302
    assert Notification.objects.filter(
        recipient=partner_user, kind=NotificationKind.REFERRAL_WITHDRAWN
    ).exists()
    assert disclosure.content.text == "Name and the concern about her housing."


def test_an_amended_consent_that_still_names_the_agency_withdraws_nothing(
    case, officer, partner_user, partner_client, make_referral
):
    sent = send_with_consent(
        referral=make_referral(case, agency=partner_user.agency),
        actor=officer,
        route=ReferralRoute.PARTNERHUB,
        content="Name and the concern about her housing.",
    )
    consent = case.consents.get()
    services.amend_consent(
        consent=consent,
        recipients=[partner_user.agency],
        purposes=consent.purposes,
        categories=consent.categories,
        valid_until=consent.valid_until + timedelta(days=30),
        actor=authority_person(),
        reason="Support continues for another month.",
    )
    page = partner_client.get(reverse("sharing:referral-answer", args=[sent.pk])).content.decode()
    assert "the concern about her housing" in page
    assert "Withdrawn on" not in page


def test_a_correction_tells_the_agencys_people_in_partnerhub(
    case, officer, partner_user, partner_client, make_referral
):
    sent = send_with_consent(
        referral=make_referral(case, agency=partner_user.agency),
        actor=officer,
        route=ReferralRoute.PARTNERHUB,
    )
    services.record_correction_notices(
        case=case,
        recipients=[partner_user.agency],
        corrected_fields=["address"],
        how_told="In Partnerhub",
        told_on=timezone.localdate(),
        actor=officer,
    )
    notification = Notification.objects.get(
        recipient=partner_user, kind=NotificationKind.REFERRAL_CORRECTED
    )
    assert notification.url == f"/referrals/{sent.pk}/answer/"
    page = partner_client.get(notification.url).content.decode()
    assert "Correction" in page
    assert "address" in page
