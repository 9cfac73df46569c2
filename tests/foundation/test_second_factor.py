"""The second factor: wrong codes are refused and limited, and no code opens an account twice."""

import re

import pytest
import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from audit.models import AuditEvent, Verb
from tests.factories import TEST_PASSWORD
from tests.foundation.signing_in import (
    enter_code,
    enter_password,
    is_signed_in,
    sign_in,
    sign_out,
    totp_secret_of,
)
from tests.totp import current_code

TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def person(make_user):
    return make_user("safeguarding officer")


@pytest.mark.django_db
def test_a_recovery_code_from_the_sign_in_security_page_signs_in_once_and_only_once(client, person):
    RecoveryCodes.activate(person)  # as allauth does when a person enrols their app
    # The codes are shown only to someone who has just typed their password again.
    sign_in(client, person, TEST_PASSWORD)
    asks_again = client.get(reverse("mfa_view_recovery_codes"))
    assert asks_again["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asks_again["Location"], {"password": TEST_PASSWORD})
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    codes = re.findall(r"\b\d{8}\b", page)
    assert len(codes) == 10
    sign_out(client)

    enter_password(client, person.email, TEST_PASSWORD)
    assert enter_code(client, codes[0]).status_code == 302
    assert is_signed_in(client)
    sign_out(client)

    enter_password(client, person.email, TEST_PASSWORD)
    reused = enter_code(client, codes[0])
    assert reused.status_code == 200
    assert "Incorrect code" in reused.content.decode()
    assert not is_signed_in(client)
    assert enter_code(client, codes[1]).status_code == 302
    assert is_signed_in(client)


@pytest.mark.django_db
def test_an_authenticator_code_just_used_to_sign_in_is_refused_the_second_time(client, person):
    with time_machine.travel("2026-03-02 09:00:05 +00:00", tick=False):
        code = current_code(totp_secret_of(person))
        enter_password(client, person.email, TEST_PASSWORD)
        assert enter_code(client, code).status_code == 302
        sign_out(client)

        enter_password(client, person.email, TEST_PASSWORD)
        replayed = enter_code(client, code)
        assert replayed.status_code == 200
        assert "Incorrect code" in replayed.content.decode()
        assert not is_signed_in(client)


@pytest.mark.django_db
def test_repeated_wrong_authenticator_codes_are_refused_then_locked_out_for_a_while(client, person):
    with time_machine.travel("2026-03-02 09:00:05 +00:00", tick=False) as traveller:
        enter_password(client, person.email, TEST_PASSWORD)
        right = current_code(totp_secret_of(person))
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        for _ in range(5):
            refused = enter_code(client, wrong)
            assert refused.status_code == 200
            assert "Incorrect code" in refused.content.decode()

        locked_out = enter_code(client, right)
        assert locked_out.status_code == 200
        assert TOO_MANY in locked_out.content.decode()
        assert not is_signed_in(client)

        traveller.shift(5 * 60 + 1)
        enter_password(client, person.email, TEST_PASSWORD)
        assert enter_code(client, current_code(totp_secret_of(person))).status_code == 302
        assert is_signed_in(client)


@pytest.mark.django_db
def test_a_wrong_authenticator_code_is_a_failed_sign_in_in_the_audit_log(client, person):
    with time_machine.travel("2026-03-02 09:00:05 +00:00", tick=False):
        enter_password(client, person.email, TEST_PASSWORD)
        right = current_code(totp_secret_of(person))
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        enter_code(client, wrong)
    failure = AuditEvent.objects.get(verb=Verb.SIGN_IN_FAILED)
    assert failure.actor_label == person.email
    assert failure.object_id == str(person.pk)
    assert failure.detail["second_factor"] == "totp"
    assert failure.ip_address == "127.0.0.1"
    assert wrong not in str(AuditEvent.objects.values_list("detail", "object_label"))
