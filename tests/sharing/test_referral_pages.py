"""Drafting, sending and updating referrals from the case page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.services import deactivate_agency
from sharing import services
from sharing.models import Purpose, Referral, ReferralKind, ReferralStatus
from tests.sharing.referrals import allow_sharing, release_fields, send_with_consent


def _draft_data(agency, **overrides):
    return {
        "agency": agency.pk,
        "kind": ReferralKind.objects.get(code="marac").pk,
        "dash_score": "16",
        "professional_judgement": "False",
        "escalation_criterion": "visible_high_risk",
        "reason": "High-risk domestic abuse.",
        "urgency": "urgent",
        **overrides,
    }


@pytest.mark.django_db
def test_an_officer_drafts_a_referral_about_the_cases_indicators(
    officer_client, officer, case, indicator, idva_service
):
    services.add_indicator(
        case=case, indicator=indicator, identified_on=case.concern_received_on, actor=officer
    )
    response = officer_client.post(
        f"/cases/{case.pk}/referrals/new/", _draft_data(idva_service, indicators=[indicator.pk])
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.DRAFT
    assert list(referral.indicators.all()) == [indicator]
    assert referral.created_by == officer


@pytest.mark.django_db
def test_a_referral_to_an_inactive_agency_is_refused_at_the_field(
    officer_client, case, make_agency
):
    closed = make_agency("Closed Refuge", is_active=False)
    form_page = officer_client.get(f"/cases/{case.pk}/referrals/new/").content.decode()
    assert "Closed Refuge" not in form_page
    response = officer_client.post(f"/cases/{case.pk}/referrals/new/", _draft_data(closed))
    assert response.status_code == 200
    assert response.context["form"].errors["agency"] == [
        "This agency is no longer active. Choose an active agency"
    ]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_named_contact_must_work_at_the_agency(officer_client, case, idva_service, make_agency):
    from agencies.models import Contact

    elsewhere = Contact.objects.create(
        agency=make_agency("Another Charity"), full_name="Jo Bloggs", email="jo@example.org"
    )
    response = officer_client.post(
        f"/cases/{case.pk}/referrals/new/", _draft_data(idva_service, contact=elsewhere.pk)
    )
    assert response.context["form"].errors["contact"] == [
        "Choose a contact who works at the agency referred to"
    ]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_sending_from_the_page_goes_through_the_service(
    officer_client, officer, case, make_referral
):
    referral = make_referral(case)
    allow_sharing(referral)
    page = officer_client.get(f"/referrals/{referral.pk}/send/")
    assert page.status_code == 200
    assert case.full_name in page.context["form"].initial["content"]
    response = officer_client.post(
        f"/referrals/{referral.pk}/send/", {**release_fields(), "note": "Secure e-mail"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.status_changes.get(to_status="sent").note == "Secure e-mail"
    disclosure = referral.case.disclosures.get()
    assert disclosure.source_id == str(referral.pk)
    assert disclosure.recipient == referral.agency


@pytest.mark.django_db
def test_without_any_consent_nothing_is_offered_for_release_and_consent_can_be_requested(
    officer_client, case, make_referral
):
    referral = make_referral(case)
    page = officer_client.get(f"/referrals/{referral.pk}/send/").content.decode()
    assert "No current consent from the Authority names any information" in page
    assert f"/cases/{case.pk}/consent/request/" in page
    response = officer_client.post(f"/referrals/{referral.pk}/send/", release_fields())
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not case.disclosures.exists()


@pytest.mark.django_db
def test_a_referral_for_a_purpose_no_consent_covers_stays_a_draft_and_says_what_is_missing(
    officer_client, case, make_referral
):
    referral = make_referral(case)
    allow_sharing(referral)
    response = officer_client.post(
        f"/referrals/{referral.pk}/send/", release_fields(purpose=Purpose.CASE_REVIEW)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing has been shared" in body
    assert "Ask the Authority for this consent" in body
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not case.disclosures.exists()


@pytest.mark.django_db
def test_sending_an_already_sent_referral_says_why_it_was_not_sent(
    officer_client, officer, case, make_referral
):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    response = officer_client.post(f"/referrals/{referral.pk}/send/", {})
    assert response.status_code == 200
    assert "Only a draft referral can be sent" in response.content.decode()


@pytest.mark.django_db
def test_the_status_form_offers_only_the_next_steps(officer_client, officer, case, make_referral):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    html = officer_client.get(f"/referrals/{referral.pk}/status/").content.decode()
    assert 'value="acknowledged"' in html
    assert 'value="closed"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("closed", "A sent referral cannot move to closed; it can move to acknowledged"),
        ("draft", "A sent referral cannot move to draft; it can move to acknowledged"),
    ],
)
def test_a_skipped_or_reversed_step_is_refused_at_the_field(
    officer_client, officer, case, make_referral, target, message
):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    response = officer_client.post(f"/referrals/{referral.pk}/status/", {"status": target})
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [message]
    assert 'href="#id_status_0"' in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert list(referral.status_changes.values_list("to_status", flat=True)) == ["draft", "sent"]


@pytest.mark.django_db
def test_a_draft_cannot_be_marked_sent_through_the_status_form(officer_client, case, make_referral):
    referral = make_referral(case)
    response = officer_client.post(f"/referrals/{referral.pk}/status/", {"status": "sent"})
    assert "Send referral" in response.context["form"].errors["status"][0]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


@pytest.mark.django_db
def test_an_acknowledgement_is_recorded_from_the_page(officer_client, officer, case, make_referral):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    response = officer_client.post(
        f"/referrals/{referral.pk}/status/", {"status": "acknowledged", "note": "By phone"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED


@pytest.mark.django_db
def test_another_officers_referral_is_not_found(
    make_user, make_case, make_referral, officer_client
):
    from core.roles import Role

    colleague = make_user(Role.SAFEGUARDING_OFFICER)
    referral = make_referral(make_case(officers=[colleague]), actor=colleague)
    assert officer_client.get(f"/referrals/{referral.pk}/send/").status_code == 404
    assert officer_client.post(f"/referrals/{referral.pk}/send/").status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


@pytest.mark.django_db
def test_overdue_referrals_are_flagged_and_listed(officer_client, officer, case, make_referral):
    yesterday = timezone.localdate() - timedelta(days=1)
    overdue = send_with_consent(referral=make_referral(case, follow_up_on=yesterday), actor=officer)
    make_referral(case, follow_up_on=timezone.localdate() + timedelta(days=7))
    assert overdue.is_overdue
    page = officer_client.get("/referrals/overdue/")
    assert list(page.context["page"].object_list) == [overdue]
    assert "Overdue" in officer_client.get(f"/cases/{case.pk}/").content.decode()


def test_a_closed_referral_is_never_overdue():
    referral = Referral(
        status=ReferralStatus.CLOSED, follow_up_on=timezone.localdate() - timedelta(days=30)
    )
    assert not referral.is_overdue


@pytest.mark.django_db
def test_a_referral_to_an_agency_deactivated_since_drafting_cannot_be_sent_from_the_page(
    officer_client, officer, administrator, case, make_referral
):
    referral = make_referral(case)
    allow_sharing(referral)
    deactivate_agency(agency=referral.agency, actor=administrator)
    message = "Manchester IDVA Service is no longer active, so the referral cannot be sent"
    assert message in officer_client.get(f"/referrals/{referral.pk}/send/").content.decode()
    response = officer_client.post(f"/referrals/{referral.pk}/send/", release_fields())
    assert response.status_code == 200
    assert message in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not case.disclosures.exists()
