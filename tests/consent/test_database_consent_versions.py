"""Narrowing or extending a consent records a new version linked to the old one, with the reason;
the old grant stays exactly as the Authority gave it."""

from datetime import timedelta

import pytest

from sharing.models import Consent, DataCategory, Purpose
from sharing.services import ConsentError, amend_consent


def _grant(consent):
    return (
        set(consent.recipients.all()),
        consent.purposes,
        consent.categories,
        consent.valid_from,
        consent.valid_until,
        consent.granted_by_user,
        consent.granted_at,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_consent_cannot_be_amended_without_saying_why(
    case, police, authority_user, make_consent, reason
):
    consent = make_consent(case, [police], categories=[DataCategory.IDENTITY])
    with pytest.raises(ConsentError, match="Say why the consent changes"):
        amend_consent(
            consent=consent, recipients=[police], purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=[DataCategory.IDENTITY], valid_until=consent.valid_until,
            actor=authority_user, reason=reason,
        )  # fmt: skip
    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert Consent.objects.count() == 1


@pytest.mark.django_db
def test_extending_a_consent_creates_a_linked_version_and_leaves_the_old_grant_unchanged(
    case, police, make_recipient, authority_user, make_consent
):
    consent = make_consent(case, [police], categories=[DataCategory.IDENTITY])
    before = _grant(consent)
    housing = make_recipient("Housing Options")
    replacement = amend_consent(
        consent=consent,
        recipients=[police, housing],
        purposes=[Purpose.SAFEGUARDING_REFERRAL, Purpose.ACCOMMODATION],
        categories=[DataCategory.IDENTITY, DataCategory.CONTACT_AND_ADDRESS],
        valid_until=consent.valid_until + timedelta(days=90),
        actor=authority_user,
        reason="Move-on accommodation needs housing involved",
    )
    old = Consent.objects.get(pk=consent.pk)
    assert _grant(old) == before
    assert old.superseded_by == replacement
    assert old.revoked_at == replacement.valid_from
    assert old.revocation_reason == (
        f"Replaced by consent {replacement.pk}: Move-on accommodation needs housing involved"
    )
    assert set(replacement.recipients.all()) == {police, housing}
    assert replacement.categories == [DataCategory.CONTACT_AND_ADDRESS, DataCategory.IDENTITY]
    assert replacement.valid_until == consent.valid_until + timedelta(days=90)
