"""A consent's evidence and its revoke and amend pages are a 404 to anyone who may not see its
case, exactly like a consent that does not exist, and every such attempt is on the audit log."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing.models import DataCategory, Purpose
from sharing.services import record_written_consent
from tests.sample_files import PDF


@pytest.fixture
def consent_with_letter(case, police, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    return record_written_consent(
        case=case,
        recipients=[police],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY],
        valid_from=now,
        valid_until=now + timedelta(days=30),
        granted_by_official="Jo Official, Safeguarding Hub lead",
        granted_at=now,
        evidence=SimpleUploadedFile("letter.pdf", PDF),
        actor=officer,
    )


@pytest.fixture
def outsider(request, make_user, partner_user):
    """A partner-agency user, or an officer not assigned to the case."""
    if request.param == "partner":
        return partner_user
    return make_user(Role.SAFEGUARDING_OFFICER, full_name="Unassigned Officer")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _denials_of(user, consent_pk) -> int:
    return AuditEvent.objects.filter(
        verb=Verb.VIEW_DENIED,
        actor_id=user.pk,
        object_type="sharing.consent",
        object_id=str(consent_pk),
    ).count()


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["partner", "unassigned officer"], indirect=True)
@pytest.mark.parametrize("page", ["consent-evidence", "consent-revoke", "consent-amend"])
def test_someone_who_may_not_see_the_case_gets_a_404_and_the_attempt_is_audited(
    consent_with_letter, outsider, page
):
    response = _signed_in(outsider).get(reverse(f"sharing:{page}", args=[consent_with_letter.pk]))
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert _denials_of(outsider, consent_with_letter.pk) == 1
    assert not AuditEvent.objects.filter(verb=Verb.DOWNLOADED).exists()


@pytest.mark.django_db
def test_a_revocation_posted_by_someone_who_may_not_see_the_case_changes_nothing(
    consent_with_letter, partner_user
):
    response = _signed_in(partner_user).post(
        reverse("sharing:consent-revoke", args=[consent_with_letter.pk]), {"reason": "Mischief"}
    )
    assert response.status_code == 404
    consent_with_letter.refresh_from_db()
    assert consent_with_letter.revoked_at is None
    assert _denials_of(partner_user, consent_with_letter.pk) == 1


@pytest.mark.django_db
def test_a_consent_that_does_not_exist_looks_the_same_and_is_audited_too(
    partner_user, consent_with_letter
):
    missing = consent_with_letter.pk + 1000
    response = _signed_in(partner_user).get(reverse("sharing:consent-evidence", args=[missing]))
    assert response.status_code == 404
    assert _denials_of(partner_user, missing) == 1
