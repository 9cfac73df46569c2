"""Signing in through allauth's own pages, as a person at the keyboard would."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.urls import reverse

from tests.totp import current_code


def totp_secret_of(person) -> str:
    authenticator = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def enter_password(client, email, password):
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, "the password was refused"
    assert response["Location"] == reverse("mfa_authenticate")
    return response


def enter_code(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def sign_in(client, person, password):
    """Password, then the code the person's authenticator app shows now."""
    enter_password(client, person.email, password)
    return enter_code(client, current_code(totp_secret_of(person)))


def sign_out(client):
    return client.post(reverse("account_logout"))


def is_signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200
