"""The national-scale generator at its small size: what it writes passes the audit chain check
and the consent gate, its people can sign in, and the benchmark finds its landmarks."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from agencies.models import User
from audit.models import AuditEvent
from home.scale import SCALE_PASSWORD, SIZES, generate, landmarks, totp_secret_for
from meetings.models import Forum
from sharing.models import Disclosure, Referral
from sharing.selectors import consents_of
from sharing.services.gate import covering_consent
from tests.totp import current_code

SMALL = SIZES["small"]


@pytest.fixture(scope="module")
def small_world(django_db_setup, django_db_blocker):
    """One small fill for the module's tests, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(SMALL, seed=11)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _database(db):
    pass


def test_generated_audit_chain_passes_verify_audit(small_world):
    output = StringIO()
    call_command("verify_audit", stdout=output)
    assert "intact" in output.getvalue()
    # The planned events, and the calendar feed's, written through the service after them.
    assert AuditEvent.objects.count() == small_world["audit_events"] + 1


def test_every_planned_disclosure_was_accepted_by_the_gate_and_is_covered(small_world):
    assert small_world["disclosures"] == SMALL.disclosures
    assert Disclosure.objects.count() == small_world["disclosures"]
    consents = {}
    for disclosure in Disclosure.objects.select_related("case", "recipient"):
        if disclosure.case_id not in consents:
            consents[disclosure.case_id] = list(consents_of(case=disclosure.case))
        covering_consent(
            case=disclosure.case,
            recipient=disclosure.recipient,
            purpose=disclosure.purpose,
            categories=disclosure.categories,
            at=disclosure.disclosed_at,
            consents=consents[disclosure.case_id],
        )
        assert disclosure.content.text


def test_every_sent_referral_was_released_by_its_own_disclosure(small_world):
    sent = Referral.objects.filter(sent_at__isnull=False)
    assert sent.count() > SMALL.referrals * 0.9
    released = {
        (int(source_id), recipient, disclosed_at)
        for source_id, recipient, disclosed_at in Disclosure.objects.filter(
            source_type="sharing.referral"
        ).values_list("source_id", "recipient_id", "disclosed_at")
    }
    for referral in sent:
        assert (referral.pk, referral.agency_id, referral.sent_at) in released


def test_generated_people_sign_in_with_the_known_password_and_a_code_from_their_address(
    small_world, settings
):
    # The fill hashes its one password as production does, before the tests' fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    person = User.objects.order_by("pk").last()
    assert person.check_password(SCALE_PASSWORD)
    authenticator = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)
    assert TOTP(authenticator).validate_code(current_code(totp_secret_for(person.email)))


def test_landmarks_find_the_busy_records_by_query(small_world):
    marks = landmarks()
    assert marks.busy_case == small_world["busy_case"]
    assert Disclosure.objects.filter(case=marks.busy_case).count() >= SMALL.busy_case_disclosures
    assert Forum.objects.get(pk=marks.big_forum).members.count() >= SMALL.big_forum_members
    busy_person = User.objects.annotate(forum_count=Count("forums")).get(pk=marks.busy_person)
    assert busy_person.forum_count >= SMALL.busy_person_forums
    assert marks.calendar_token
    assert set(marks.users) == {group.name for group in busy_person.groups.model.objects.all()}


def test_seed_scale_refuses_a_database_that_already_holds_cases(case):
    with pytest.raises(CommandError, match="already holds cases"):
        call_command("seed_scale", "--size", "small", stdout=StringIO())
