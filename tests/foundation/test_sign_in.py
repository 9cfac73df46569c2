"""Signing in: every page needs it, the second factor is checked, and failures are limited."""

import time
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEvent, Verb
from tests.factories import TEST_PASSWORD
from tests.foundation.signing_in import is_signed_in, sign_out
from tests.totp import current_code

PUBLIC_PATHS = {
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/healthz",
}
# allauth's own pages around signing in, which show nothing but their message.
SIGN_IN_FAMILY = {
    "/accounts/confirm-email/",
    "/accounts/inactive/",
    "/accounts/logout/",
    "/accounts/password/reset/key/done/",
    "/accounts/signup/",
}
SAMPLE_ARGUMENTS = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "sample",
}


def _every_path(resolver=None, prefix=""):
    """Every URL in the project with sample values filled in for its parameters."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _every_path(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            path = prefix + route
            if path.startswith("^") or "(?P" in path or "\\" in path:
                continue  # regex routes belong to the admin and are checked via its index
            for converter, sample in SAMPLE_ARGUMENTS.items():
                while f"<{converter}:" in path:
                    start = path.index(f"<{converter}:")
                    path = path[:start] + sample + path[path.index(">", start) + 1 :]
            while "<" in path:
                start = path.index("<")
                path = path[:start] + "sample" + path[path.index(">", start) + 1 :]
            yield "/" + path


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_from_every_page_but_the_public_ones(client):
    checked = 0
    for path in sorted(set(_every_path())):
        if path in PUBLIC_PATHS | SIGN_IN_FAMILY or path.startswith("/invitation/"):
            continue
        if path.startswith("/calendar/") and path.endswith(".ics"):
            # A personal feed is addressed by its secret token: calendar apps cannot sign in.
            assert client.get(path).status_code == 404, path
            continue
        if path.startswith("/links/"):
            # A referral's secure link, for people outside Partnerhub: its one-time code, sent
            # to the link's own address, stands in for signing in; an unknown one is not found.
            assert client.get(path).status_code == 404, path
            continue
        if path.startswith("/invitations/") or "/by-link/" in path:
            # A directory contact's link to a meeting: its signature, tied to their address,
            # stands in for signing in; a link Partnerhub did not sign is refused.
            assert client.get(path).status_code == 403, path
            continue
        if path == "/metrics":
            # For a Prometheus scraper, whose bearer token stands in for signing in; with no
            # token configured (as in the tests) the page does not exist.
            assert client.get(path).status_code == 404, path
            continue
        response = client.get(path)
        if response.get("Location", "").startswith("/admin/login/"):
            response = client.get(response["Location"])
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path
        checked += 1
    assert checked > 10


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(PUBLIC_PATHS))
def test_sign_in_password_reset_and_health_are_open_to_anonymous_visitors(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_sign_in_asks_for_the_authenticator_code_and_refuses_a_wrong_one(client, make_user):
    person = make_user("safeguarding officer", mfa=False)
    authenticator = Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXPJBSWY3DP"}
    )
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()

    right = client.post(
        reverse("mfa_authenticate"), {"code": current_code(authenticator.data["secret"])}
    )
    assert right.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_IN, actor=person).exists()


@pytest.mark.django_db
def test_a_code_from_the_step_just_gone_is_taken_once_and_an_older_one_refused(client, make_user):
    # A code typed as its 30 seconds turn over, or held in a queue past them, still signs in;
    # one two steps old does not, and no code is taken twice.
    person = make_user("safeguarding officer", mfa=False)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DP"
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": secret})

    def code_steps_ago(steps: int) -> str:
        return format_hotp_value(hotp_value(secret, int(time.time()) // 30 - steps))

    def sign_in_with(code: str):
        sign_out(client)
        client.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD})
        return client.post(reverse("mfa_authenticate"), {"code": code})

    assert sign_in_with(code_steps_ago(2)).status_code == 200
    assert sign_in_with(code_steps_ago(1)).status_code == 302
    assert is_signed_in(client)
    assert sign_in_with(code_steps_ago(1)).status_code == 200


@pytest.mark.django_db
def test_a_signed_in_person_without_an_authenticator_must_enrol_first(client, make_user):
    person = make_user("safeguarding officer", mfa=False)
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_demo_setting_turns_the_mfa_requirement_off(client, make_user, settings):
    settings.PARTNERHUB_MFA_REQUIRED = False
    client.force_login(make_user("safeguarding officer", mfa=False))
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_repeated_wrong_passwords_are_rate_limited_and_audited(client, make_user):
    person = make_user("safeguarding officer")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": person.email, "password": "wrong password"}
        )
        assert response.status_code == 200
    blocked = client.post(
        reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD}
    )
    assert blocked.status_code in {200, 429}
    assert "Too many failed login attempts" in blocked.content.decode()
    assert client.get(reverse("home")).status_code == 302
    failures = AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED, actor_label=person.email)
    assert failures.count() == 5


@pytest.mark.django_db
def test_an_office_behind_one_address_is_not_shut_out_by_a_few_colleagues_typos(client, make_user):
    # A partner agency's whole office reaches the service from one address: a handful of
    # mistyped passwords there must not stop everyone else signing in.
    for _ in range(6):
        colleague = make_user("safeguarding officer")
        client.post(reverse("account_login"), {"login": colleague.email, "password": "typo"})
    person = make_user("safeguarding officer")
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD}
    )
    assert "Too many failed login attempts" not in response.content.decode()
    assert response.status_code == 302


@pytest.mark.django_db
def test_nobody_can_sign_themselves_up(client):
    response = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in response.content.decode() or response.status_code in {302, 403, 404}
    assert not client.post(
        reverse("account_signup"), {"email": "me@example.org", "password1": "a long password here"}
    ).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_the_admin_site_signs_in_through_the_second_factor(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sessions_go_idle_after_thirty_minutes_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


@pytest.mark.django_db
def test_a_person_idle_longer_than_the_limit_is_sent_to_sign_in_again(client, make_user, settings):
    limit = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel("2026-03-02 09:00 +00:00", tick=False) as traveller:
        client.force_login(make_user("safeguarding officer"))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(limit + timedelta(seconds=1))
        response = client.get(reverse("agencies:agency-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_person_active_within_the_limit_stays_signed_in(client, make_user, settings):
    limit = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel("2026-03-02 09:00 +00:00", tick=False) as traveller:
        client.force_login(make_user("safeguarding officer"))
        for _ in range(3):
            traveller.shift(limit - timedelta(minutes=1))
            assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_session_cookie_has_no_expiry_date(client, make_user):
    person = make_user("safeguarding officer", mfa=False)
    Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXPJBSWY3DP"}
    )
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


@pytest.mark.django_db
def test_signing_out_asks_first_then_ends_the_session_and_is_audited(client, make_user):
    person = make_user("safeguarding officer")
    client.force_login(person)
    confirm = client.get(reverse("account_logout"))
    assert confirm.status_code == 200
    assert is_signed_in(client)  # a link or a prefetch cannot sign anyone out

    signed_out = sign_out(client)
    assert signed_out.status_code == 302
    assert not is_signed_in(client)
    assert client.get(reverse("agencies:agency-list"))["Location"].startswith(
        reverse("account_login")
    )
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_OUT, actor=person).exists()
