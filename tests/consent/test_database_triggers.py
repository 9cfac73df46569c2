"""The database itself refuses what the consent gate refuses, whatever path the SQL takes."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from sharing.models import (
    Consent,
    CorrectionNotice,
    DataCategory,
    DecisionNotToShare,
    Disclosure,
    Purpose,
    Referral,
    ReferralKind,
    ReferralStatus,
    ReleasedContent,
)
from sharing.services import (
    create_referral,
    record_correction_notices,
    record_decision_not_to_share,
    revoke_consent,
)
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


@pytest.fixture
def decided_not_to_share(case, police, officer):
    return record_decision_not_to_share(
        case=case,
        requested_by_agency=police,
        what_was_asked_for="Her full case history",
        reason="Not necessary for their enquiry",
        actor=officer,
    )


@pytest.mark.django_db
def test_decisions_not_to_share_cannot_be_updated_or_deleted(decided_not_to_share):
    assert "append-only" in _refused(
        lambda: _execute("UPDATE sharing_decisionnottoshare SET reason = 'rewritten'")
    )
    assert "append-only" in _refused(lambda: _execute("DELETE FROM sharing_decisionnottoshare"))
    assert DecisionNotToShare.objects.get().reason == "Not necessary for their enquiry"


@pytest.mark.django_db
def test_correction_notices_cannot_be_updated_or_deleted(disclosed, police, officer):
    record_correction_notices(
        case=disclosed.case,
        recipients=[police],
        corrected_fields=["date_of_birth"],
        how_told="Secure e-mail",
        told_on=timezone.localdate(),
        actor=officer,
    )
    assert "append-only" in _refused(
        lambda: _execute("UPDATE sharing_correctionnotice SET how_told = 'never told'")
    )
    assert "append-only" in _refused(lambda: _execute("DELETE FROM sharing_correctionnotice"))
    assert CorrectionNotice.objects.get().how_told == "Secure e-mail"


@pytest.fixture
def draft_referral(case, police, officer):
    return create_referral(
        referral=Referral(
            case=case,
            agency=police,
            kind=ReferralKind.objects.get(code="idva"),
            reason="Disclosed domestic abuse by a former partner.",
        ),
        actor=officer,
    )


def _mark_sent(referral, at):
    _execute(
        "UPDATE sharing_referral SET status = 'sent', sent_at = %s WHERE id = %s",
        [connection.ops.adapt_datetimefield_value(at), referral.pk],
    )


def _release_for(referral, officer, make_consent, at, source_id=None):
    insert_disclosure(
        case=referral.case,
        consent=make_consent(referral.case, [referral.agency]),
        recipient=referral.agency,
        person=officer,
        purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=IDENTITY,
        at=at,
        source_type="sharing.referral",
        source_id=str(referral.pk if source_id is None else source_id),
    )


GATE = "a referral is sent only by disclosing it through the consent gate"


@pytest.mark.django_db
def test_a_referral_cannot_be_marked_sent_without_its_disclosure(draft_referral):
    now = timezone.now()
    assert GATE in _refused(lambda: _mark_sent(draft_referral, now))
    assert GATE in _refused(
        lambda: Referral.objects.filter(pk=draft_referral.pk).update(
            status=ReferralStatus.SENT, sent_at=now
        )
    )
    draft_referral.refresh_from_db()
    assert (draft_referral.status, draft_referral.sent_at) == (ReferralStatus.DRAFT, None)


@pytest.mark.django_db
def test_a_referral_cannot_be_inserted_already_sent(draft_referral, officer):
    assert GATE in _refused(
        lambda: Referral.objects.create(
            case=draft_referral.case,
            agency=draft_referral.agency,
            kind=draft_referral.kind,
            reason="Straight to sent",
            status=ReferralStatus.SENT,
            sent_at=timezone.now(),
            created_by=officer,
        )
    )
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_another_referrals_disclosure_or_another_moment_does_not_let_a_referral_be_sent(
    draft_referral, officer, make_consent
):
    at = timezone.now()
    _release_for(draft_referral, officer, make_consent, at, source_id=draft_referral.pk + 1)
    assert GATE in _refused(lambda: _mark_sent(draft_referral, at))
    _release_for(draft_referral, officer, make_consent, at)
    assert GATE in _refused(lambda: _mark_sent(draft_referral, at + timedelta(seconds=1)))


@pytest.mark.django_db
def test_a_referral_is_marked_sent_at_the_moment_of_its_disclosure_and_that_moment_stays(
    draft_referral, officer, make_consent
):
    at = timezone.now()
    _release_for(draft_referral, officer, make_consent, at)
    _mark_sent(draft_referral, at)
    draft_referral.refresh_from_db()
    assert (draft_referral.status, draft_referral.sent_at) == (ReferralStatus.SENT, at)
    assert GATE in _refused(
        lambda: Referral.objects.filter(pk=draft_referral.pk).update(sent_at=at - timedelta(days=1))
    )


def _set_status(referral, status, *, sent_at=None, closed_at=None):
    adapt = connection.ops.adapt_datetimefield_value
    _execute(
        "UPDATE sharing_referral SET status = %s, sent_at = %s, closed_at = %s WHERE id = %s",
        [status, adapt(sent_at), adapt(closed_at), referral.pk],
    )


@pytest.mark.django_db
def test_a_draft_can_be_closed_unsent_which_releases_nothing(draft_referral):
    now = timezone.now()
    _set_status(draft_referral, ReferralStatus.CLOSED, closed_at=now)
    draft_referral.refresh_from_db()
    assert (draft_referral.status, draft_referral.sent_at) == (ReferralStatus.CLOSED, None)


@pytest.mark.django_db
def test_a_draft_closed_unsent_must_say_when(draft_referral):
    assert "referral_sent_at_set_once_sent_or_withdrawn" in _refused(
        lambda: _set_status(draft_referral, ReferralStatus.CLOSED)
    ).replace('"', "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [
        ReferralStatus.SENT,
        ReferralStatus.ACKNOWLEDGED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.NO_FURTHER_ACTION,
    ],
)
def test_a_draft_or_a_withdrawn_draft_still_moves_on_only_through_the_gate(draft_referral, status):
    now = timezone.now()
    assert GATE in _refused(lambda: _set_status(draft_referral, status, sent_at=now))
    assert _refused(lambda: _set_status(draft_referral, status))
    _set_status(draft_referral, ReferralStatus.CLOSED, closed_at=now)
    assert GATE in _refused(lambda: _set_status(draft_referral, status, sent_at=now, closed_at=now))
    assert "referral_sent_at_set_once_sent_or_withdrawn" in _refused(
        lambda: _set_status(draft_referral, status, closed_at=now)
    ).replace('"', "")
    draft_referral.refresh_from_db()
    assert (draft_referral.status, draft_referral.sent_at) == (ReferralStatus.CLOSED, None)


@pytest.mark.django_db
def test_a_referral_cannot_be_inserted_already_closed_unsent(draft_referral, officer):
    now = timezone.now()
    assert GATE in _refused(
        lambda: Referral.objects.create(
            case=draft_referral.case,
            agency=draft_referral.agency,
            kind=draft_referral.kind,
            reason="Straight to closed",
            status=ReferralStatus.CLOSED,
            closed_at=now,
            created_by=officer,
        )
    )
    assert Referral.objects.count() == 1
