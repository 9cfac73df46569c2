"""An administrator invites a person; the link sets a password once, then MFA enrolment."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Invitation, User
from audit.models import AuditEvent, Verb
from tests.totp import current_code

NEW_PASSWORD = "a long and memorable sentence"


def _invite(administrator_client, agency, capture, email="new.person@example.org"):
    with capture(execute=True):
        response = administrator_client.post(
            reverse("agencies:invitation-create"),
            {
                "full_name": "New Person",
                "email": email,
                "agency": agency.pk,
                "roles": [Group.objects.get(name="safeguarding officer").pk],
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    return link.removeprefix("http://testserver")


@pytest.mark.django_db
def test_invitation_to_password_to_mfa_enrolment_to_home(
    administrator_client, client, provider, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERHUB_SITE_URL = "http://testserver"
    path = _invite(administrator_client, provider, django_capture_on_commit_callbacks)
    person = User.objects.get(email="new.person@example.org")
    assert not person.has_usable_password()
    assert person.groups.filter(name="safeguarding officer").exists()

    page = client.get(path)
    assert page.status_code == 200
    assert "Set your password" in page.content.decode()

    response = client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

    # Any other page sends the new person back to enrol first.
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("mfa_activate_totp")

    enrol = client.get(reverse("mfa_activate_totp"))
    assert enrol.status_code == 200
    secret = enrol.context["form"].secret
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    activated = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()

    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Hello, New" in home.content.decode()
    assert AuditEvent.objects.filter(
        verb=Verb.INVITATION_ACCEPTED, object_id=str(person.pk)
    ).exists()


@pytest.mark.django_db
def test_used_invitation_link_is_refused_with_a_clear_page(
    administrator_client, client, provider, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERHUB_SITE_URL = "http://testserver"
    path = _invite(administrator_client, provider, django_capture_on_commit_callbacks)
    client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    # Someone else holding the same link, later.
    client = Client()
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    reuse = client.post(
        path, {"password": "another long sentence", "password_again": "another long sentence"}
    )
    assert reuse.status_code == 410
    assert User.objects.get(email="new.person@example.org").check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_expired_invitation_link_is_refused_and_sets_no_password(
    administrator_client, client, provider, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERHUB_SITE_URL = "http://testserver"
    path = _invite(administrator_client, provider, django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        page = client.get(path)
        assert page.status_code == 410
        assert "expired" in page.content.decode()
        client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert not User.objects.get(email="new.person@example.org").has_usable_password()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
def test_unknown_invitation_link_is_refused(client):
    response = client.get(reverse("agencies:invitation-accept", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


@pytest.mark.django_db
def test_weak_or_mismatched_passwords_are_refused_at_the_field(
    administrator_client, client, provider, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERHUB_SITE_URL = "http://testserver"
    path = _invite(administrator_client, provider, django_capture_on_commit_callbacks)
    short = client.post(path, {"password": "short", "password_again": "short"})
    assert short.status_code == 200
    body = short.content.decode()
    assert 'href="#id_password"' in body
    assert 'id="id_password"' in body
    assert "too short" in body
    mismatch = client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"})
    assert "The passwords do not match" in mismatch.content.decode()
    assert not User.objects.get(email="new.person@example.org").has_usable_password()


@pytest.mark.django_db
def test_inviting_an_existing_address_is_refused(administrator_client, officer, provider):
    response = administrator_client.post(
        reverse("agencies:invitation-create"),
        {
            "full_name": "Duplicate",
            "email": officer.email.upper(),
            "agency": provider.pk,
            "roles": [Group.objects.get(name="partner").pk],
        },
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert User.objects.filter(email__iexact=officer.email).count() == 1


@pytest.mark.django_db
def test_only_administrators_may_invite(officer_client, partner_client):
    assert officer_client.get(reverse("agencies:invitation-create")).status_code == 403
    assert partner_client.get(reverse("agencies:invitation-create")).status_code == 403
