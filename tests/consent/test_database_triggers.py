"""The database itself refuses what the consent gate refuses, whatever path the SQL takes."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from sharing.models import Consent, DataCategory, Disclosure, Purpose, ReleasedContent
from sharing.services import revoke_consent
from tests.consent.raw_sql import insert_disclosure

IDENTITY = [DataCategory.IDENTITY]


def _refused(statement):
    with pytest.raises((IntegrityError, DatabaseError)) as caught, transaction.atomic():
        statement()
    return str(caught.value)


@pytest.mark.django_db
def test_a_raw_insert_under_a_covering_consent_is_accepted(case, police, officer, make_consent):
    consent = make_consent(case, [police])
    insert_disclosure(
        case=case,
        consent=consent,
        recipient=police,
        person=officer,
        purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=IDENTITY,
    )
    assert Disclosure.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "problem",
    [
        "another agency",
        "another purpose",
        "uncovered category",
        "no categories",
        "expired",
        "not yet valid",
        "another case",
    ],
)
def test_a_raw_insert_without_covering_consent_is_refused(
    case, make_case, police, make_recipient, officer, make_consent, problem
):
    recipient, purpose, categories, at, target_case = (
        police,
        Purpose.SAFEGUARDING_REFERRAL,
        IDENTITY,
        timezone.now(),
        case,
    )
    consent = make_consent(case, [police], categories=IDENTITY)
    if problem == "another agency":
        recipient = make_recipient("Other Agency")
    elif problem == "another purpose":
        purpose = Purpose.HEALTH_CARE
    elif problem == "uncovered category":
        categories = [DataCategory.IDENTITY, DataCategory.HEALTH]
    elif problem == "no categories":
        categories = []
    elif problem == "expired":
        at = consent.valid_until + timedelta(seconds=1)
    elif problem == "not yet valid":
        at = consent.valid_from - timedelta(seconds=1)
    elif problem == "another case":
        target_case = make_case()
    message = _refused(
        lambda: insert_disclosure(
            case=target_case,
            consent=consent,
            recipient=recipient,
            person=officer,
            purpose=purpose,
            categories=categories,
            at=at,
        )
    )
    assert "no consent covers this disclosure" in message
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_raw_insert_at_or_after_revocation_is_refused_and_before_it_accepted(
    case, police, officer, authority_user, make_consent
):
    consent = revoke_consent(
        consent=make_consent(case, [police]), reason="Withdrawn", actor=authority_user
    )
    _refused(
        lambda: insert_disclosure(
            case=case,
            consent=consent,
            recipient=police,
            person=officer,
            purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=IDENTITY,
            at=consent.revoked_at,
        )
    )
    insert_disclosure(
        case=case,
        consent=consent,
        recipient=police,
        person=officer,
        purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=IDENTITY,
        at=consent.revoked_at - timedelta(microseconds=1),
    )
    assert Disclosure.objects.count() == 1


@pytest.fixture
def disclosed(case, police, officer, make_consent):
    consent = make_consent(case, [police])
    insert_disclosure(
        case=case,
        consent=consent,
        recipient=police,
        person=officer,
        purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=IDENTITY,
    )
    disclosure = Disclosure.objects.get()
    ReleasedContent.objects.create(disclosure=disclosure, text="what was released")
    return disclosure


def _execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_disclosures_cannot_be_updated_or_deleted(disclosed):
    assert "append-only" in _refused(
        lambda: _execute("UPDATE sharing_disclosure SET purpose = 'health_care'")
    )
    assert "append-only" in _refused(lambda: _execute("DELETE FROM sharing_disclosure"))
    assert "append-only" in _refused(
        lambda: Disclosure.objects.filter(pk=disclosed.pk).update(necessity="changed")
    )
    assert Disclosure.objects.get().necessity == "raw insert"


@pytest.mark.django_db(transaction=True)
def test_disclosures_cannot_be_truncated_on_postgresql(disclosed):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    assert "append-only" in _refused(lambda: _execute("TRUNCATE sharing_disclosure CASCADE"))


@pytest.mark.django_db
def test_released_content_can_be_erased_but_never_edited(disclosed):
    assert "never edited" in _refused(
        lambda: _execute("UPDATE sharing_releasedcontent SET text = 'rewritten'")
    )
    ReleasedContent.objects.all().delete()
    assert Disclosure.objects.filter(pk=disclosed.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("valid_until", "valid_until_later"),
        ("purposes", '["health_care"]'),
        ("granted_by_official", "Someone else"),
    ],
)
def test_a_consents_grant_cannot_be_changed(case, police, make_consent, column, value):
    consent = make_consent(case, [police])
    if value == "valid_until_later":
        value = connection.ops.adapt_datetimefield_value(consent.valid_until + timedelta(days=365))
    cast = "::jsonb" if connection.vendor == "postgresql" and column == "purposes" else ""
    message = _refused(
        lambda: _execute(
            f"UPDATE sharing_consent SET {column} = %s{cast} WHERE id = %s", [value, consent.pk]
        )
    )
    assert "grant cannot change" in message


@pytest.mark.django_db
def test_revocation_is_the_only_update_and_it_is_final(case, police, authority_user, make_consent):
    consent = make_consent(case, [police])
    revoke_consent(consent=consent, reason="No longer needed", actor=authority_user)
    assert "stays revoked" in _refused(
        lambda: Consent.objects.filter(pk=consent.pk).update(
            revoked_at=None, revoked_by=None, revocation_reason=""
        )
    )
    assert "never deleted" in _refused(
        lambda: _execute("DELETE FROM sharing_consent WHERE id = %s", [consent.pk])
    )


@pytest.mark.django_db
def test_a_consents_recipients_cannot_change_once_relied_on(disclosed, make_recipient):
    consent = disclosed.consent
    other = make_recipient("Added Later")
    assert "cannot change" in _refused(lambda: consent.recipients.add(other))
    assert "cannot change" in _refused(lambda: consent.recipients.clear())
