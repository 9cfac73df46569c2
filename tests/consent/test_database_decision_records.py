"""The database refuses a release record, a decision not to share or a consent request's outcome
whose mandatory decision fields are missing or not one of the coded choices, and the digest
kept on each disclosure is the SHA-256 of what was released."""

import hashlib

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from sharing.models import (
    ConsentRequest,
    ConsentRequestStatus,
    DataCategory,
    DecisionNotToShare,
    Disclosure,
    DisclosureMethod,
    Purpose,
)
from sharing.services import (
    ConsentError,
    decide_consent_request,
    disclose,
    record_decision_not_to_share,
    request_consent,
)
from tests.consent.raw_sql import insert_disclosure


def _refused(statement) -> str:
    with pytest.raises((IntegrityError, DatabaseError)) as caught, transaction.atomic():
        statement()
    return str(caught.value)


@pytest.fixture
def raw_release(case, police, officer, make_consent):
    """A raw INSERT of a disclosure under a covering consent, with parts of its record changed."""
    consent = make_consent(case, [police])

    def insert(categories=(DataCategory.IDENTITY,), **record):
        insert_disclosure(
            case=case,
            consent=consent,
            recipient=police,
            person=officer,
            purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=categories,
            **record,
        )

    return insert


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("record", "constraint"),
    [
        ({"lawful_basis": ""}, "disclosure_lawful_basis_is_coded"),
        ({"lawful_basis": "the_authority_said_yes"}, "disclosure_lawful_basis_is_coded"),
        ({"person_told": ""}, "disclosure_person_told_is_coded"),
        ({"person_told": "maybe"}, "disclosure_person_told_is_coded"),
        (
            {"special_category_condition": ""},
            "disclosure_special_category_condition_is_coded",
        ),
        (
            {"special_category_condition": "art9_2z"},
            "disclosure_special_category_condition_is_coded",
        ),
    ],
)
def test_a_raw_insert_without_a_coded_lawful_basis_condition_or_person_told_is_refused(
    raw_release, record, constraint
):
    assert constraint in _refused(lambda: raw_release(**record))
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("special", [DataCategory.HEALTH, DataCategory.VULNERABILITIES])
def test_a_raw_insert_of_special_category_data_without_an_article_9_condition_is_refused(
    raw_release, special
):
    message = _refused(
        lambda: raw_release(
            categories=[DataCategory.IDENTITY, special],
            special_category_condition="not_applicable",
        )
    )
    assert "special-category data needs an Article 9 condition" in message
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_raw_insert_of_ordinary_data_needs_no_article_9_condition(raw_release):
    raw_release(categories=[DataCategory.IDENTITY], special_category_condition="not_applicable")
    raw_release(categories=[DataCategory.HEALTH], special_category_condition="sch1_para18")
    assert Disclosure.objects.count() == 2


@pytest.mark.django_db
def test_a_decision_not_to_share_with_an_uncoded_lawful_basis_is_refused(case, police, officer):
    message = _refused(
        lambda: DecisionNotToShare.objects.create(
            case=case,
            requested_by_agency=police,
            what_was_asked_for="Her case history",
            reason="Not necessary for their enquiry",
            lawful_basis_considered="gut_feeling",
            decided_by=officer,
            decided_at=timezone.now(),
        )
    )
    assert "decision_not_to_share_lawful_basis_is_coded" in message
    assert not DecisionNotToShare.objects.exists()


@pytest.mark.django_db
def test_a_decision_not_to_share_may_record_that_no_lawful_basis_applies(case, police, officer):
    decision = record_decision_not_to_share(
        case=case,
        requested_by_agency=police,
        what_was_asked_for="Her case history",
        reason="No lawful basis covers an unrelated enquiry",
        lawful_basis_considered="",
        actor=officer,
    )
    decision.refresh_from_db()
    assert (decision.lawful_basis_considered, decision.decided_by) == ("", officer)


@pytest.fixture
def asked(case, police, officer):
    return request_consent(
        case=case,
        recipients=[police],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY, DataCategory.HEALTH],
        necessity="A safety plan with the police",
        actor=officer,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "constraint"),
    [
        (
            {"status": ConsentRequestStatus.NARROWED, "decision_reason": ""},
            "consent_request_narrowing_has_reason",
        ),
        (
            {"status": ConsentRequestStatus.GRANTED, "decided_by": None},
            "consent_request_outcome_names_decision_maker",
        ),
        ({"necessity": ""}, "consent_request_states_necessity"),
    ],
)
def test_a_consent_request_outcome_without_its_reason_or_decision_maker_is_refused(
    asked, authority_user, outcome, constraint
):
    decided = {
        "status": ConsentRequestStatus.GRANTED,
        "decided_by": authority_user,
        "decided_at": timezone.now(),
        "decision_reason": "",
        **outcome,
    }
    message = _refused(lambda: ConsentRequest.objects.filter(pk=asked.pk).update(**decided))
    assert constraint in message
    asked.refresh_from_db()
    assert asked.status == ConsentRequestStatus.PENDING


@pytest.mark.django_db
def test_the_authority_must_say_why_it_grants_less_than_was_asked(asked, police, authority_user):
    with pytest.raises(ConsentError, match="reason for granting less"):
        decide_consent_request(
            request=asked, decision="narrow", categories=[DataCategory.IDENTITY],
            actor=authority_user,
        )  # fmt: skip
    consent = decide_consent_request(
        request=asked, decision="narrow", categories=[DataCategory.IDENTITY],
        reason="Health information is not needed for a safety plan", actor=authority_user,
    )  # fmt: skip
    asked.refresh_from_db()
    assert consent.categories == [DataCategory.IDENTITY]
    assert (asked.status, asked.decided_by) == (ConsentRequestStatus.NARROWED, authority_user)
    assert asked.decision_reason == "Health information is not needed for a safety plan"


@pytest.mark.django_db
def test_a_consent_request_must_say_why_sharing_is_necessary(case, police, officer):
    with pytest.raises(ConsentError, match="necessary"):
        request_consent(
            case=case, recipients=[police], purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=[DataCategory.IDENTITY], necessity="  ", actor=officer,
        )  # fmt: skip
    assert not ConsentRequest.objects.exists()


@pytest.mark.django_db
def test_the_disclosure_keeps_the_sha256_of_exactly_what_was_released(
    case, police, officer, make_consent, decision
):
    make_consent(case, [police])
    content = "Amina Test, born 1 May 1990, at 4 Example Street — risk of serious harm.\n"
    disclosure = disclose(
        case=case,
        recipient=police,
        purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=[DataCategory.IDENTITY],
        content=content,
        method=DisclosureMethod.SECURE_EMAIL,
        record_of_decision=decision(),
        actor=officer,
    )
    stored = Disclosure.objects.select_related("content").get(pk=disclosure.pk)
    assert stored.content.text == content
    assert stored.content_digest == hashlib.sha256(content.encode("utf-8")).hexdigest()
