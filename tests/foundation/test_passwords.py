"""A forgotten password is reset by an e-mailed link; a known one is changed by its owner."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tests.foundation.signing_in import is_signed_in, sign_in, sign_out

NEW_PASSWORD = "a-quite-different-passphrase-2026"


def _reset_link_in(message) -> str:
    (link,) = re.findall(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body)
    return link


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_through_the_emailed_link_and_then_signs_in(
    client, make_user
):
    person = make_user("safeguarding officer")
    requested = client.post(reverse("account_reset_password"), {"email": person.email})
    assert requested.status_code == 302
    assert requested["Location"] == reverse("account_reset_password_done")
    (message,) = mail.outbox
    assert message.to == [person.email]

    # allauth moves the key from the link into the session, out of the address bar and referrers.
    opened = client.get(_reset_link_in(message))
    assert opened.status_code == 302
    set_password_page = opened["Location"]
    assert 'name="password1"' in client.get(set_password_page).content.decode()
    changed = client.post(set_password_page, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert changed.status_code == 302
    assert changed["Location"] == reverse("account_reset_password_from_key_done")
    assert not is_signed_in(client)  # a reset link alone never signs anyone in

    refused = client.post(
        reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD}
    )
    assert refused.status_code == 200
    assert sign_in(client, person, NEW_PASSWORD).status_code == 302
    assert is_signed_in(client)


@pytest.mark.django_db
def test_a_password_reset_link_works_only_once(client, make_user):
    person = make_user("safeguarding officer")
    client.post(reverse("account_reset_password"), {"email": person.email})
    link = _reset_link_in(mail.outbox[0])
    set_password_page = client.get(link)["Location"]
    client.post(set_password_page, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)
    assert "The password reset link was invalid" in again.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_signed_in_person_changes_their_password_and_the_old_one_stops_working(client, make_user):
    person = make_user("safeguarding officer")
    client.force_login(person)
    wrong_current = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not my password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong_current.status_code == 200
    assert "Please type your current password" in wrong_current.content.decode()

    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert is_signed_in(client)

    sign_out(client)
    refused = client.post(
        reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD}
    )
    assert refused.status_code == 200
    assert not is_signed_in(client)
    accepted = client.post(
        reverse("account_login"), {"login": person.email, "password": NEW_PASSWORD}
    )
    assert accepted["Location"] == reverse("mfa_authenticate")
