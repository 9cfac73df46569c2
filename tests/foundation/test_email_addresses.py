"""A person's e-mail address is their sign-in name: it changes only through an administrator,
never to an address someone else holds, and every change is on record."""

import re

import pytest
from allauth.account import app_settings
from allauth.account.forms import AddEmailForm
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.utils import get_form_class
from django.test import Client
from django.urls import reverse

from core.roles import Role

pytestmark = pytest.mark.django_db

ATTACKER_PASSWORD = "attackers-own-long-password"


@pytest.fixture
def attacker(client, make_user):
    """Signed in with a password and not yet enrolled in MFA (allauth refuses new addresses to
    an account with an authenticator; the enrolment pages, under /accounts/, stay open)."""
    person = make_user(Role.SAFEGUARDING_OFFICER, mfa=False)
    person.set_password(ATTACKER_PASSWORD)
    person.save()
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": ATTACKER_PASSWORD}
    )
    assert response.status_code == 302
    return person


@pytest.mark.parametrize("typed", [str, str.upper], ids=["as written", "in capitals"])
def test_a_colleagues_address_cannot_be_claimed_to_sign_in_as_them(
    client, attacker, manager, mailoutbox, typed
):
    colleague_address = typed(manager.email)
    client.post(reverse("account_email"), {"action_add": "", "email": colleague_address})
    # The colleague follows whatever link reached them.
    for message in mailoutbox:
        for link in re.findall(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body):
            assert Client(raise_request_exception=False).post(link).status_code < 500
    client.post(reverse("account_email"), {"action_primary": "", "email": colleague_address})
    client.logout()

    assert mailoutbox == []
    assert not EmailAddress.objects.filter(user=attacker, email__iexact=manager.email).exists()
    attacker.refresh_from_db()
    assert attacker.email != manager.email
    response = client.post(
        reverse("account_login"), {"login": manager.email, "password": ATTACKER_PASSWORD}
    )
    assert response.status_code == 200, "the attacker's password opened the colleague's name"


def test_the_email_page_says_to_ask_an_administrator_and_takes_nothing(manager_client, manager):
    page = manager_client.get(reverse("account_email"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Only an administrator can change it" in html
    assert manager.email in html
    assert "<form" not in html.split('id="main-content"')[-1]
    assert manager_client.post(reverse("account_email"), {"action_add": ""}).status_code == 405


def test_no_address_is_confirmed_by_a_link(client, attacker):
    address = EmailAddress.objects.create(user=attacker, email="planted@example.org")
    key = EmailConfirmationHMAC(address).key
    assert client.get(f"/accounts/confirm-email/{key}/").status_code == 404
    assert client.post(f"/accounts/confirm-email/{key}/").status_code == 404
    address.refresh_from_db()
    assert address.verified is False


def test_allauths_own_form_refuses_every_new_address(manager):
    form_class = get_form_class(app_settings.FORMS, "add_email", AddEmailForm)
    form = form_class(user=manager, data={"email": "another@example.org"})
    assert not form.is_valid()
    assert "Only an administrator can change your e-mail address" in str(form.errors)
    assert not EmailAddress.objects.filter(email="another@example.org").exists()
