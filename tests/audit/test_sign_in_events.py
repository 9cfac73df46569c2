"""Sign-ins and failures are in the log; a mistyped password never is."""

import json

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.urls import reverse

from audit.models import AuditEvent, Verb

SECRET_GUESS = "Tr0ub4dor&3-a-password-that-must-not-be-stored"


def _everything_stored() -> str:
    return json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)


@pytest.mark.django_db
def test_a_failed_sign_in_records_the_address_tried_but_never_the_password(client, make_user):
    cache.clear()
    person = make_user("safeguarding officer")
    client.post(reverse("account_login"), {"login": person.email, "password": SECRET_GUESS})
    failure = AuditEvent.objects.get(verb=Verb.SIGN_IN_FAILED)
    assert failure.actor_label == person.email
    assert failure.ip_address == "127.0.0.1"
    assert SECRET_GUESS not in _everything_stored()
    assert SECRET_GUESS[:12] not in _everything_stored()
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["email", "username"])
def test_a_password_typed_into_the_address_box_is_not_kept_either(field):
    # The form refuses a non-address before authenticating; any other caller of authenticate()
    # reaches the receiver, which keeps only what is an e-mail address.
    assert authenticate(**{field: SECRET_GUESS, "password": SECRET_GUESS}) is None
    failure = AuditEvent.objects.get(verb=Verb.SIGN_IN_FAILED)
    assert failure.actor_label == ""
    assert SECRET_GUESS not in _everything_stored()
