"""disclose() releases only under a consent that covers recipient, purpose and every category
at that moment, and otherwise refuses with a reason a person can act on."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent, Verb
from sharing.models import DataCategory, Disclosure, DisclosureMethod, Purpose, ReleasedContent
from sharing.services import DisclosureRefused, RefusalReason, disclose, revoke_consent


def _disclose(
    case,
    recipient,
    officer,
    decision,
    categories=(DataCategory.IDENTITY,),
    purpose=Purpose.SAFEGUARDING_REFERRAL,
):
    return disclose(
        case=case,
        recipient=recipient,
        purpose=purpose,
        categories=categories,
        content="Name, date of birth and address of the person referred.",
        method=DisclosureMethod.SECURE_EMAIL,
        record_of_decision=decision(categories=categories),
        actor=officer,
    )


def _refusal(*args, **kwargs) -> DisclosureRefused:
    with pytest.raises(DisclosureRefused) as caught:
        _disclose(*args, **kwargs)
    return caught.value


@pytest.mark.django_db
def test_a_covering_consent_allows_the_disclosure_and_records_everything(
    case, police, officer, make_consent, decision
):
    consent = make_consent(case, [police])
    disclosure = _disclose(case, police, officer, decision)
    assert disclosure.consent == consent
    assert disclosure.categories == [DataCategory.IDENTITY]
    assert disclosure.agreement_status == "current"
    assert ReleasedContent.objects.get(disclosure=disclosure).text.startswith("Name, date of birth")
    assert len(disclosure.content_digest) == 64
    assert AuditEvent.objects.filter(verb=Verb.DISCLOSED, object_id=str(disclosure.pk)).exists()


@pytest.mark.django_db
def test_no_consent_at_all_is_refused(case, police, officer, decision):
    refusal = _refusal(case, police, officer, decision)
    assert refusal.reason == RefusalReason.NO_CONSENT
    assert "Request consent" in refusal.message
    assert not Disclosure.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.DISCLOSURE_REFUSED, object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_a_consent_not_yet_valid_is_refused(case, police, officer, make_consent, decision):
    make_consent(
        case, [police], valid_from=timezone.now() + timedelta(days=2), granted_at=timezone.now()
    )
    assert _refusal(case, police, officer, decision).reason == RefusalReason.NOT_YET_VALID


@pytest.mark.django_db
def test_an_expired_consent_is_refused(case, police, officer, make_consent, decision):
    make_consent(
        case,
        [police],
        valid_from=timezone.now() - timedelta(days=60),
        valid_until=timezone.now() - timedelta(days=1),
    )
    refusal = _refusal(case, police, officer, decision)
    assert refusal.reason == RefusalReason.EXPIRED
    assert "expired on" in refusal.message


@pytest.mark.django_db
def test_a_revoked_consent_is_refused(
    case, police, officer, authority_user, make_consent, decision
):
    consent = make_consent(case, [police])
    revoke_consent(
        consent=consent, reason="The person has moved out of the area", actor=authority_user
    )
    refusal = _refusal(case, police, officer, decision)
    assert refusal.reason == RefusalReason.REVOKED
    assert "moved out of the area" in refusal.message


@pytest.mark.django_db
def test_a_consent_for_another_agency_is_refused(
    case, police, make_recipient, officer, make_consent, decision
):
    make_consent(case, [make_recipient("Manchester Children's Services")])
    refusal = _refusal(case, police, officer, decision)
    assert refusal.reason == RefusalReason.WRONG_AGENCY
    assert "Greater Manchester Police" in refusal.message


@pytest.mark.django_db
def test_a_purpose_the_consent_does_not_name_is_refused(
    case, police, officer, make_consent, decision
):
    make_consent(case, [police], purposes=[Purpose.HEALTH_CARE])
    assert _refusal(case, police, officer, decision).reason == RefusalReason.PURPOSE_NOT_COVERED


@pytest.mark.django_db
def test_a_category_the_consent_does_not_cover_is_refused_naming_it(
    case, police, officer, make_consent, decision
):
    make_consent(case, [police], categories=[DataCategory.IDENTITY])
    refusal = _refusal(
        case, police, officer, decision, categories=(DataCategory.IDENTITY, DataCategory.HEALTH)
    )
    assert refusal.reason == RefusalReason.CATEGORY_NOT_COVERED
    assert refusal.missing == (DataCategory.HEALTH,)
    assert "health" in refusal.message


@pytest.mark.django_db
def test_a_consent_for_another_case_does_not_cover_this_one(
    case, make_case, police, officer, make_consent, decision
):
    make_consent(make_case(), [police])
    assert _refusal(case, police, officer, decision).reason == RefusalReason.NO_CONSENT


@pytest.mark.django_db
def test_an_agency_without_an_information_sharing_agreement_is_refused(
    case, make_recipient, officer, make_consent, decision
):
    charity = make_recipient("No Agreement Charity", agreement=False)
    make_consent(case, [charity])
    refusal = _refusal(case, charity, officer, decision)
    assert refusal.reason == RefusalReason.NO_AGREEMENT
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_an_agreement_past_its_review_date_is_refused_unless_downgraded_to_a_warning(
    case, make_recipient, officer, make_consent, decision, settings
):
    from datetime import date

    lapsed = make_recipient(
        "Lapsed Agreement Trust", information_sharing_agreement_review_due_on=date(2026, 1, 1)
    )
    make_consent(case, [lapsed])
    assert _refusal(case, lapsed, officer, decision).reason == RefusalReason.AGREEMENT_OVERDUE
    settings.PARTNERHUB_AGREEMENT_CHECK = "warn"
    disclosure = _disclose(case, lapsed, officer, decision)
    assert disclosure.agreement_status == "overdue"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"necessity": "  "}, "Say why sharing is necessary"),
        ({"special_category_condition": "not_applicable"}, "needs an Article 9 condition"),
        (
            {"person_told": "not_told_other", "person_not_told_reason": ""},
            "Say why the person was not told",
        ),
    ],
)
def test_an_incomplete_decision_record_is_refused(
    case, police, officer, make_consent, decision, fields, message
):
    make_consent(case, [police])
    with pytest.raises(DisclosureRefused) as caught:
        disclose(
            case=case,
            recipient=police,
            purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=[DataCategory.HEALTH],
            content="Health details",
            method=DisclosureMethod.PHONE,
            record_of_decision=decision(categories=(DataCategory.HEALTH,), **fields),
            actor=officer,
        )
    assert caught.value.reason == RefusalReason.INCOMPLETE_RECORD
    assert message in caught.value.message


@pytest.mark.django_db
def test_disclosure_at_or_after_the_revocation_moment_is_refused(
    case, police, officer, authority_user, make_consent, decision
):
    consent = make_consent(case, [police])
    moment = timezone.now() + timedelta(hours=1)
    with time_machine.travel(moment, tick=False):
        revoke_consent(consent=consent, reason="Withdrawn by the Authority", actor=authority_user)
        assert _refusal(case, police, officer, decision).reason == RefusalReason.REVOKED
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        assert _refusal(case, police, officer, decision).reason == RefusalReason.REVOKED
