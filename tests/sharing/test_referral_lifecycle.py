"""A referral moves draft → sent → acknowledged → an outcome → closed, one step at a time, with
who moved it and when; it is sent only through send_referral."""

import pytest
from django.core.exceptions import ValidationError

from agencies import services as agency_services
from agencies.models import Contact
from audit.models import AuditEvent, Verb
from sharing import services
from sharing.models import (
    REFERRAL_TRANSITIONS,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    TransitionRefused,
)
from tests.sharing.referrals import allow_sharing, send_with_consent

S = ReferralStatus
ALLOWED = {
    (S.DRAFT, S.SENT),
    (S.SENT, S.ACKNOWLEDGED),
    (S.ACKNOWLEDGED, S.ACCEPTED),
    (S.ACKNOWLEDGED, S.DECLINED),
    (S.ACKNOWLEDGED, S.NO_FURTHER_ACTION),
    (S.ACCEPTED, S.CLOSED),
    (S.DECLINED, S.CLOSED),
    (S.NO_FURTHER_ACTION, S.CLOSED),
}
EVERY_PAIR = [(start, end) for start in S for end in S]


@pytest.mark.parametrize(("start", "end"), EVERY_PAIR)
def test_the_transition_table(start, end):
    referral = Referral(status=start)
    if (start, end) in ALLOWED and end != S.SENT:
        referral.move_to(end)
        assert referral.status == end
    else:
        with pytest.raises(TransitionRefused):
            referral.move_to(end)
        assert referral.status == start


def test_the_table_in_the_model_is_the_one_the_domain_describes():
    assert {(a, b) for a, targets in REFERRAL_TRANSITIONS.items() for b in targets} == ALLOWED


def test_a_skipped_step_is_refused_with_a_message_that_says_what_is_allowed():
    with pytest.raises(ValidationError) as refusal:
        Referral(status=S.SENT).move_to(S.CLOSED)
    assert refusal.value.messages == [
        "A sent referral cannot move to closed; it can move to acknowledged"
    ]


def test_a_closed_referral_cannot_be_reopened():
    with pytest.raises(ValidationError) as refusal:
        Referral(status=S.CLOSED).move_to(S.ACKNOWLEDGED)
    assert refusal.value.messages == ["A closed referral cannot move to acknowledged"]


def test_moving_a_draft_to_sent_by_hand_is_refused():
    with pytest.raises(TransitionRefused, match="Send referral"):
        Referral(status=S.DRAFT).move_to(S.SENT)


@pytest.mark.django_db
def test_a_referral_is_drafted_with_its_history_started(case, make_referral, officer):
    referral = make_referral(case)
    assert referral.status == S.DRAFT
    change = referral.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", S.DRAFT, officer)


@pytest.mark.django_db
def test_sending_stamps_the_time_and_the_sender(case, make_referral, officer):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    referral.refresh_from_db()
    assert referral.status == S.SENT
    assert referral.sent_at is not None
    change = referral.status_changes.get(to_status=S.SENT)
    assert (change.from_status, change.changed_by) == (S.DRAFT, officer)
    event = AuditEvent.objects.get(verb=Verb.STATUS_CHANGED, object_id=str(referral.pk))
    assert event.detail["to"] == S.SENT


@pytest.mark.django_db
def test_a_referral_cannot_be_sent_twice(case, make_referral, officer):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    with pytest.raises(TransitionRefused):
        send_with_consent(referral=referral, actor=officer)
    assert ReferralStatusChange.objects.filter(to_status=S.SENT).count() == 1


@pytest.mark.django_db
def test_the_whole_lifecycle_is_recorded_step_by_step(case, make_referral, officer, manager):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    for status in (S.ACKNOWLEDGED, S.ACCEPTED, S.CLOSED):
        referral = services.update_referral_status(
            referral=referral, status=status, actor=manager, note=f"now {status}"
        )
    referral.refresh_from_db()
    assert referral.acknowledged_at and referral.outcome_at and referral.closed_at
    assert list(referral.status_changes.values_list("from_status", "to_status")) == [
        ("", S.DRAFT),
        (S.DRAFT, S.SENT),
        (S.SENT, S.ACKNOWLEDGED),
        (S.ACKNOWLEDGED, S.ACCEPTED),
        (S.ACCEPTED, S.CLOSED),
    ]


@pytest.mark.django_db
def test_the_service_refuses_a_skip_and_saves_nothing(case, make_referral, officer):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    with pytest.raises(TransitionRefused):
        services.update_referral_status(referral=referral, status=S.CLOSED, actor=officer)
    referral.refresh_from_db()
    assert referral.status == S.SENT
    assert not referral.status_changes.filter(to_status=S.CLOSED).exists()


@pytest.mark.django_db
def test_the_database_refuses_a_sent_status_without_a_sending_time(case, make_referral):
    from django.db import IntegrityError, transaction

    referral = make_referral(case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status=S.SENT)


@pytest.mark.django_db
def test_a_referral_to_an_agency_deactivated_since_drafting_is_not_sent(
    case, make_referral, officer, administrator
):
    referral = make_referral(case)
    allow_sharing(referral)
    agency_services.deactivate_agency(agency=referral.agency, actor=administrator)
    with pytest.raises(TransitionRefused) as refusal:
        send_with_consent(referral=referral, actor=officer)
    assert refusal.value.messages == [
        "Manchester IDVA Service is no longer active, so the referral cannot be sent. "
        "Draft a new referral to an active agency"
    ]
    referral.refresh_from_db()
    assert referral.status == S.DRAFT
    assert not referral.status_changes.filter(to_status=S.SENT).exists()
    assert not case.disclosures.exists()
    assert not AuditEvent.objects.filter(verb__in=[Verb.DISCLOSED, Verb.STATUS_CHANGED]).exists()


@pytest.mark.django_db
def test_a_referral_naming_a_contact_deactivated_since_drafting_is_not_sent(
    case, make_referral, officer, administrator, idva_service
):
    contact = Contact.objects.create(
        agency=idva_service, full_name="Sam Patel", email="sam@example.org"
    )
    referral = make_referral(case, contact=contact)
    allow_sharing(referral)
    agency_services.deactivate_contact(contact=contact, actor=administrator)
    with pytest.raises(TransitionRefused, match="Sam Patel is no longer an active contact"):
        send_with_consent(referral=referral, actor=officer)
    referral.refresh_from_db()
    assert referral.status == S.DRAFT
    assert not case.disclosures.exists()
