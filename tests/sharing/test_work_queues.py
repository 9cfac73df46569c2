"""The safeguarding team's and a partner agency's work queues: what each holds and leaves out
(other officers' and other agencies' items among them), in what order, what its filters do, and
that its home card counts what it lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import AgencyKind
from core.roles import Role
from sharing import services
from sharing.models import Escalation, ReferralStatus, RiskLevel
from tests.factories import ConsentFactory
from tests.queues import assert_card_opens_the_queue_it_counts, listed, navigation_count
from tests.sharing.referrals import authority_person, send_with_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(make_user):
    return make_user(Role.SAFEGUARDING_OFFICER, full_name="Cal Colleague")


# Cases without an officer (a manager's queue) -------------------------------------------------


def _without_officer(make_case, manager, **fields):
    case = make_case(actor=manager, officers=[manager], **fields)
    case.assigned_officers.clear()
    return case


def test_cases_without_an_officer_lists_open_unassigned_cases_oldest_concern_first(
    manager_client, manager, make_case
):
    newer = _without_officer(make_case, manager, concern_received_on=timezone.localdate())
    older = _without_officer(
        make_case, manager, concern_received_on=timezone.localdate() - timedelta(days=20)
    )
    make_case()  # the officer holds it
    closed = _without_officer(make_case, manager)
    services.close_case(case=closed, reason="needs_met", actor=manager)

    assert listed(manager_client.get("/cases/without-an-officer/")) == [older.pk, newer.pk]
    assert listed(manager_client.get("/cases/without-an-officer/", {"order": "-received"})) == [
        newer.pk,
        older.pk,
    ]
    assert_card_opens_the_queue_it_counts(
        manager_client, "Cases without an officer", "/cases/without-an-officer/"
    )


def test_cases_without_an_officer_filters_by_risk_and_refuses_an_unknown_one(
    manager_client, manager, make_case
):
    high = _without_officer(make_case, manager, risk_level=RiskLevel.HIGH)
    _without_officer(make_case, manager, risk_level=RiskLevel.LOW)

    assert listed(manager_client.get("/cases/without-an-officer/", {"risk": "high"})) == [high.pk]
    refused = manager_client.get("/cases/without-an-officer/", {"risk": "extreme"})
    assert listed(refused) == []
    assert refused.context["filter"].errors["risk"] == ["Choose a risk from the list"]


# Overdue referrals: the whole team's for a manager, an officer's own for an officer ------------


def test_overdue_referrals_are_the_teams_for_a_manager_and_filter_by_officer(
    manager_client, officer_client, officer, colleague, make_case, make_referral
):
    yesterday = timezone.localdate() - timedelta(days=1)
    mine = make_referral(make_case(), follow_up_on=yesterday - timedelta(days=3))
    theirs = make_referral(make_case(officers=[colleague]), actor=colleague, follow_up_on=yesterday)

    assert listed(manager_client.get("/referrals/overdue/")) == [mine.pk, theirs.pk]
    assert listed(manager_client.get("/referrals/overdue/", {"officer": colleague.pk})) == [
        theirs.pk
    ]
    assert listed(manager_client.get("/referrals/overdue/", {"order": "-follow_up"})) == [
        theirs.pk,
        mine.pk,
    ]
    assert listed(officer_client.get("/referrals/overdue/")) == [mine.pk]
    assert navigation_count(manager_client, "Overdue referrals") == 2


# An officer's queues ------------------------------------------------------------------------


def test_consents_running_out_are_those_on_my_open_cases_ending_within_fourteen_days(
    officer_client, officer, colleague, make_case
):
    case = make_case()
    now = timezone.now()
    later = ConsentFactory(case=case, valid_until=now + timedelta(days=12))
    sooner = ConsentFactory(case=case, valid_until=now + timedelta(days=3))
    ConsentFactory(case=case, valid_until=now + timedelta(days=30))
    revoked = ConsentFactory(case=case, valid_until=now + timedelta(days=2))
    services.revoke_consent(consent=revoked, reason="Withdrawn", actor=authority_person())
    ConsentFactory(case=make_case(officers=[colleague]), valid_until=now + timedelta(days=2))

    assert listed(officer_client.get("/consents/expiring/mine/")) == [sooner.pk, later.pk]
    assert_card_opens_the_queue_it_counts(
        officer_client, "Consents running out", "/consents/expiring/mine/"
    )


def test_referrals_to_chase_are_mine_unacknowledged_or_overdue_earliest_follow_up_first(
    officer_client, officer, colleague, make_case, make_referral
):
    case = make_case()
    today = timezone.localdate()
    unacknowledged = send_with_consent(
        referral=make_referral(case, follow_up_on=today + timedelta(days=5)), actor=officer
    )
    overdue = send_with_consent(
        referral=make_referral(case, follow_up_on=today - timedelta(days=2)), actor=officer
    )
    services.update_referral_status(
        referral=overdue, status=ReferralStatus.ACKNOWLEDGED, actor=officer
    )
    acknowledged_in_time = send_with_consent(
        referral=make_referral(case, follow_up_on=today + timedelta(days=5)), actor=officer
    )
    services.update_referral_status(
        referral=acknowledged_in_time, status=ReferralStatus.ACKNOWLEDGED, actor=officer
    )
    make_referral(case)  # a draft waits on the officer, not the agency
    other_case = make_case(officers=[colleague])
    send_with_consent(referral=make_referral(other_case, actor=colleague), actor=colleague)

    queue = "/referrals/to-chase/"
    assert listed(officer_client.get(queue)) == [overdue.pk, unacknowledged.pk]
    assert listed(officer_client.get(queue, {"reason": "overdue"})) == [overdue.pk]
    assert listed(officer_client.get(queue, {"reason": "awaiting_acknowledgement"})) == [
        unacknowledged.pk
    ]
    assert assert_card_opens_the_queue_it_counts(officer_client, "Referrals to chase", queue) == 2
    assert navigation_count(officer_client, "Referrals to chase") == 2


def test_my_escalations_are_those_i_raised_decided_or_not_newest_first(
    officer_client, officer, colleague, manager, make_case
):
    waiting = services.escalate_case(case=make_case(), reason="Risk rising", actor=officer)
    decided = services.escalate_case(case=make_case(), reason="New concern", actor=officer)
    Escalation.objects.filter(pk=waiting.pk).update(raised_at=timezone.now() - timedelta(days=2))
    services.decide_escalation(escalation=decided, decision="advice_given", notes="", actor=manager)
    services.escalate_case(case=make_case(officers=[colleague]), reason="Not mine", actor=colleague)

    assert listed(officer_client.get("/escalations/mine/")) == [decided.pk, waiting.pk]
    assert listed(officer_client.get("/escalations/mine/", {"decision": "waiting"})) == [waiting.pk]
    assert listed(officer_client.get("/escalations/mine/", {"decision": "decided"})) == [decided.pk]
    assert_card_opens_the_queue_it_counts(officer_client, "Your escalations", "/escalations/mine/")


# A partner agency's referrals ---------------------------------------------------------------


def test_a_partner_sees_referrals_sent_to_their_agency_not_answered_yet_and_no_others(
    partner_client, partner_user, officer, make_case, make_referral, make_agency
):
    case = make_case()
    ours = partner_user.agency
    first = send_with_consent(referral=make_referral(case, agency=ours), actor=officer)
    second = send_with_consent(referral=make_referral(case, agency=ours), actor=officer)
    acknowledged = send_with_consent(referral=make_referral(case, agency=ours), actor=officer)
    services.update_referral_status(
        referral=acknowledged, status=ReferralStatus.ACKNOWLEDGED, actor=officer
    )
    answered = send_with_consent(referral=make_referral(case, agency=ours), actor=officer)
    for status in (ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACCEPTED):
        services.update_referral_status(referral=answered, status=status, actor=officer)
    make_referral(case, agency=ours)  # a draft never reached them
    elsewhere = make_agency("Another Charity", kind=AgencyKind.NGO)
    send_with_consent(referral=make_referral(case, agency=elsewhere), actor=officer)

    response = partner_client.get("/referrals/awaiting-response/")

    assert listed(response) == [first.pk, second.pk, acknowledged.pk]
    html = response.content.decode()
    assert case.reference not in html and case.family_name not in html
    assert f'href="/referrals/{first.pk}/answer/"' in html
    assert_card_opens_the_queue_it_counts(
        partner_client, "Referrals awaiting your response", "/referrals/awaiting-response/"
    )
