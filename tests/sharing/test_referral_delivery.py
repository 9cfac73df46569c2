"""A referral composed from the case and delivered by the agency's route: only what a consent
names is offered, exactly the text checked is released, each route delivers (or refuses before
anything is released), and the officer records how a document went."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agencies.models import ReferralRoute
from audit.models import AuditEvent, Verb
from notifications.models import Notification, NotificationKind
from sharing import services, snapshots
from sharing.models import (
    DataCategory,
    Disclosure,
    DisclosureMethod,
    HouseholdMember,
    ReferralStatus,
    SecureLink,
)
from tests.factories import ContactFactory
from tests.sharing.referrals import allow_sharing, release_fields, send_with_consent

pytestmark = pytest.mark.django_db


def send_page(referral):
    return reverse("sharing:referral-send", args=[referral.pk])


@pytest.fixture
def referral(case, make_referral, officer, indicator):
    services.add_indicator(
        case=case, indicator=indicator, identified_on=case.concern_received_on, actor=officer
    )
    HouseholdMember.objects.create(
        case=case,
        full_name="Ayo Householder",
        relationship="son",
        date_of_birth=case.date_of_birth.replace(year=2019),
    )
    made = make_referral(case)
    allow_sharing(made)
    return made


def _posted_as_previewed(page_context, **overrides) -> dict:
    """Send what the page offered, as a person pressing "Send referral" would."""
    form = page_context["form"]
    fields = release_fields(
        categories=form.initial["categories"],
        content=form.initial["content"],
        composed_for=form.initial["composed_for"],
        route=form.initial["route"],
    )
    fields.update(overrides)
    return fields


def test_the_text_released_is_exactly_the_text_composed_from_the_case_and_previewed(
    officer_client, referral, case
):
    page = officer_client.get(send_page(referral))
    previewed = page.context["form"].initial["content"]
    assert case.full_name in previewed
    assert "Domestic abuse" in previewed
    response = officer_client.post(send_page(referral), _posted_as_previewed(page.context))
    assert response.status_code == 302
    disclosure = Disclosure.objects.get(case=case)
    assert disclosure.content.text == previewed
    assert disclosure.categories == sorted(page.context["form"].initial["categories"])


def test_a_category_not_chosen_adds_nothing_to_the_text(referral, case):
    without_household = snapshots.compose(referral, [DataCategory.IDENTITY])
    with_household = snapshots.compose(referral, [DataCategory.IDENTITY, DataCategory.HOUSEHOLD])
    assert "Ayo Householder" not in without_household
    assert "Ayo Householder" in with_household
    assert case.postcode not in without_household


def test_choosing_other_categories_without_composing_again_is_refused_at_the_text(
    officer_client, referral, case
):
    page = officer_client.get(send_page(referral))
    response = officer_client.post(
        send_page(referral),
        _posted_as_previewed(page.context, categories=[DataCategory.IDENTITY]),
    )
    assert "You changed what is shared since this text was composed" in response.content.decode()
    assert not case.disclosures.exists()


def test_composing_again_rebuilds_the_text_for_the_categories_now_chosen(
    officer_client, referral, case
):
    page = officer_client.get(send_page(referral))
    response = officer_client.post(
        send_page(referral),
        {
            **_posted_as_previewed(page.context, categories=[DataCategory.IDENTITY]),
            "action": "compose",
        },
    )
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["content"] == snapshots.compose(referral, [DataCategory.IDENTITY])
    assert form.initial["composed_for"] == DataCategory.IDENTITY
    assert not case.disclosures.exists()


def test_an_edited_text_is_released_as_edited(officer_client, referral, case):
    page = officer_client.get(send_page(referral))
    edited = page.context["form"].initial["content"] + "\nPlease call before visiting."
    officer_client.post(send_page(referral), _posted_as_previewed(page.context, content=edited))
    assert Disclosure.objects.get(case=case).content.text == edited


# Routes ---------------------------------------------------------------------------------------


def test_in_partnerhub_the_agencys_people_are_told_without_case_data(
    officer, case, make_referral, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_with_consent(
            referral=make_referral(case, agency=partner_user.agency),
            actor=officer,
            route=ReferralRoute.PARTNERHUB,
        )
    notification = Notification.objects.get(
        recipient=partner_user, kind=NotificationKind.REFERRAL_RECEIVED
    )
    assert notification.url == f"/referrals/{sent.pk}/answer/"
    assert case.reference in notification.message
    assert case.family_name not in notification.message
    assert Disclosure.objects.get(case=case).method == DisclosureMethod.PORTAL
    assert sent.route == ReferralRoute.PARTNERHUB


def test_a_route_the_agency_cannot_take_is_refused_before_anything_is_released(
    officer, referral, case
):
    with pytest.raises(services.DeliveryFailed, match="has nobody using Partnerhub"):
        send_with_consent(referral=referral, actor=officer, route=ReferralRoute.PARTNERHUB)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not case.disclosures.exists()


def test_an_agency_with_no_users_contact_or_address_is_offered_only_the_document(
    officer_client, referral
):
    page = officer_client.get(send_page(referral))
    assert [value for value, _ in page.context["form"].fields["route"].choices] == [
        ReferralRoute.OWN_CHANNEL
    ]
    assert "Only a document for the agency's own secure channel is possible" in (
        page.content.decode()
    )


def test_the_page_proposes_the_agencys_preferred_route_when_it_can_be_taken(
    officer_client, referral
):
    type(referral.agency).objects.filter(pk=referral.agency_id).update(
        secure_email="referrals@idva.example", referral_route=ReferralRoute.SECURE_LINK
    )
    page = officer_client.get(send_page(referral))
    assert page.context["form"].initial["route"] == ReferralRoute.SECURE_LINK


def test_a_secure_link_e_mail_carries_the_link_and_nothing_about_the_person(
    officer, referral, case
):
    contact = ContactFactory(agency=referral.agency, full_name="Sam Contact")
    referral.contact = contact
    referral.save(update_fields=["contact"])
    send_with_consent(referral=referral, actor=officer, route=ReferralRoute.SECURE_LINK)
    (message,) = mail.outbox
    assert message.to == ["Sam Contact <sam.contact@example.org>"]
    assert "/links/" in message.body
    assert case.family_name not in message.body
    link = SecureLink.objects.get(referral=referral)
    assert link.email == "sam.contact@example.org"
    assert link.expires_at - link.created_at == timedelta(days=14)
    assert Disclosure.objects.get(case=case).method == DisclosureMethod.SECURE_LINK


def test_a_link_e_mail_that_cannot_be_sent_releases_nothing(officer, referral, case, settings):
    settings.EMAIL_BACKEND = "tests.sharing.test_referral_delivery.FailingBackend"
    type(referral.agency).objects.filter(pk=referral.agency_id).update(
        secure_email="referrals@idva.example"
    )
    referral.agency.refresh_from_db()
    with pytest.raises(services.DeliveryFailed, match="could not be sent"):
        send_with_consent(referral=referral, actor=officer, route=ReferralRoute.SECURE_LINK)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not case.disclosures.exists()
    assert not SecureLink.objects.exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_document_that_cannot_be_produced_releases_nothing(officer, referral, case, monkeypatch):
    def broken(**kwargs):
        raise services.delivery.DocumentFailed("font missing")

    monkeypatch.setattr(services.delivery, "release_document", broken)
    with pytest.raises(services.DeliveryFailed, match="could not be produced"):
        send_with_consent(referral=referral, actor=officer, route=ReferralRoute.OWN_CHANNEL)
    assert not case.disclosures.exists()


def test_the_officer_downloads_the_document_and_records_how_it_went(
    officer, officer_client, referral, case
):
    sent = send_with_consent(
        referral=referral,
        actor=officer,
        route=ReferralRoute.OWN_CHANNEL,
        content=snapshots.compose(referral, [DataCategory.IDENTITY, DataCategory.HOUSEHOLD]),
    )
    response = officer_client.get(reverse("sharing:referral-document", args=[sent.pk]))
    assert response["Content-Type"] == "application/pdf"
    disclosure = Disclosure.objects.get(case=case)
    (page,) = PdfReader(io.BytesIO(response.content)).pages
    lines = page.extract_text().splitlines()
    assert lines[:3] == [
        "OFFICIAL-SENSITIVE",
        f"Disclosure {disclosure.pk}, released "
        f"{timezone.localtime(disclosure.disclosed_at):%-d %B %Y, %H:%M}",
        f"To: {referral.agency.name}",
    ]
    body = "\n".join(lines[3:-3])
    assert " ".join(body.split()) == " ".join(disclosure.content.text.split())
    assert AuditEvent.objects.filter(
        verb=Verb.DOWNLOADED, actor=officer, object_id=str(sent.pk)
    ).exists()
    case_page = officer_client.get(reverse("sharing:case-detail", args=[case.pk])).content
    assert b"not yet recorded as sent" in case_page
    when = timezone.localtime().replace(second=0, microsecond=0)
    response = officer_client.post(
        reverse("sharing:referral-document-sent", args=[sent.pk]),
        {"how": "CJSM to referrals@idva.cjsm.net", "sent_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.document_sent_how == "CJSM to referrals@idva.cjsm.net"
    case_page = officer_client.get(reverse("sharing:case-detail", args=[case.pk])).content
    assert b"CJSM to referrals@idva.cjsm.net" in case_page


def test_a_document_cannot_be_recorded_as_sent_before_it_was_released(officer, referral):
    sent = send_with_consent(referral=referral, actor=officer, route=ReferralRoute.OWN_CHANNEL)
    with pytest.raises(services.TransitionRefused, match="between the release and now"):
        services.record_document_sent(
            referral=sent,
            how="CJSM",
            sent_at=sent.sent_at - timedelta(hours=1),
            actor=officer,
        )


def test_acknowledgement_is_due_by_the_target_for_the_referrals_urgency(
    officer, case, make_referral, settings
):
    settings.PARTNERHUB_REFERRAL_ACKNOWLEDGEMENT_HOURS = {
        "immediate": 2,
        "urgent": 24,
        "routine": 72,
    }
    sent = send_with_consent(referral=make_referral(case, urgency="urgent"), actor=officer)
    assert sent.acknowledge_by - sent.sent_at == timedelta(hours=24)
