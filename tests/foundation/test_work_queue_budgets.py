"""Every work queue runs a fixed number of queries whatever it holds: each page is asked over
10,000 rows of what it lists (and 10,000 of what it must leave out), by the person it is for.
The budget covers the session and person, the navigation's counts (one query for all of
them), the queue's count and page, what the rows show, and the "viewed" audit event's writes."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import Agency, AgencyKind, LocalAuthority
from meetings.models import Action, Meeting, Minutes
from sharing.models import (
    Case,
    ConcernSource,
    Consent,
    ConsentRequest,
    ConsentRequestStatus,
    DecisionNotToShare,
    Escalation,
    Purpose,
    Referral,
    ReferralKind,
)
from tests.factories import ALL_CATEGORIES, ForumFactory, MeetingFactory
from tests.sharing.referrals import authority_person, send_without_agreement

ROWS = 10_000
# The largest budget any queue needs; each page below must stay within it at any size.
BUDGET = 20
HOME_BUDGET = 30
# Every queue's page holds 50 rows, so each is asked for its second page.
ROWS_PER_PAGE = 50

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def full_queues(settings, officer, manager, partner_user, partnership_manager):
    now = timezone.now()
    today = timezone.localdate()
    granter = authority_person()
    authority = LocalAuthority.objects.first()
    cases = Case.objects.bulk_create(
        Case(
            reference=f"PH-2026-{number:06d}",
            given_names=f"Given{number}",
            family_name=f"Family{number}",
            date_of_birth=date(1980, 1, 1),
            support_type="s95",
            accommodation_type="dispersed",
            local_authority=authority,
            household_type="single",
            concern_source=ConcernSource.objects.first(),
            concern_received_on=date(2026, 1, 1),
            risk_level="medium",
            created_by=officer,
            created_at=now,
        )
        for number in range(1, ROWS + 1)
    )
    # Half the cases are the officer's; the other half wait for an officer.
    mine = cases[: ROWS // 2]
    Case.assigned_officers.through.objects.bulk_create(
        Case.assigned_officers.through(case=case, user=officer) for case in mine
    )
    kind = ReferralKind.objects.first()
    Referral.objects.bulk_create(
        Referral(
            case=case,
            agency=partner_user.agency,
            kind=kind,
            reason="Budget",
            created_by=officer,
            follow_up_on=today - timedelta(days=3),
        )
        for case in mine * 2
    )
    Escalation.objects.bulk_create(
        Escalation(case=case, raised_by=officer, reason="Budget") for case in mine * 2
    )
    consents = Consent.objects.bulk_create(
        Consent(
            case=case,
            granted_by_user=granter,
            granted_at=now,
            purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=ALL_CATEGORIES,
            valid_from=now - timedelta(days=1),
            valid_until=now + timedelta(days=5),
            recorded_by=granter,
            recorded_at=now,
        )
        for case in mine * 2
    )
    Consent.recipients.through.objects.bulk_create(
        Consent.recipients.through(consent=consent, agency=partner_user.agency)
        for consent in consents
    )
    ConsentRequest.objects.bulk_create(
        ConsentRequest(
            case=case,
            necessity="Budget",
            purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=ALL_CATEGORIES,
            requested_by=officer,
            requested_at=now,
            status=ConsentRequestStatus.REFUSED,
            decided_by=granter,
            decided_at=now,
            decision_reason="Not necessary",
        )
        for case in mine * 2
    )
    DecisionNotToShare.objects.bulk_create(
        DecisionNotToShare(
            case=case,
            requested_by_agency=partner_user.agency,
            what_was_asked_for="Everything",
            reason="Not proportionate",
            decided_by=officer,
            decided_at=now,
        )
        for case in mine * 2
    )
    Agency.objects.bulk_create(
        Agency(
            name=f"Budget agency {number}",
            kind=AgencyKind.NGO,
            information_sharing_agreement_signed_on=date(2024, 1, 1),
            information_sharing_agreement_review_due_on=today - timedelta(days=1),
        )
        for number in range(ROWS)
    )
    forum = ForumFactory(
        members=[partner_user], member_agencies=[partner_user.agency], actor=partnership_manager
    )
    held = MeetingFactory(forum=forum, start=now - timedelta(days=30), actor=partnership_manager)
    Action.objects.bulk_create(
        Action(
            meeting=held,
            description="Budget",
            owner_agency=partner_user.agency,
            due_on=today - timedelta(days=number % 20 + 1),
            created_by=partnership_manager,
        )
        for number in range(ROWS)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            forum=forum,
            start=now + timedelta(days=-30 if number % 2 else 5, minutes=number),
            end=now + timedelta(days=-30 if number % 2 else 5, minutes=number + 60),
            location="Town Hall",
        )
        for number in range(ROWS)
    )
    Minutes.objects.bulk_create(
        Minutes(meeting=meeting, body="Budget", created_by=partnership_manager)
        for meeting in meetings
        if meeting.start < now
    )
    # A few referrals that reached the partner's agency through the gate (which only warned that
    # it has no agreement), among the 10,000 drafts it must not see.
    settings.PARTNERHUB_AGREEMENT_CHECK = "warn"
    for case in mine[:3]:
        send_without_agreement(
            Referral.objects.create(
                case=case, agency=partner_user.agency, kind=kind, reason="Sent", created_by=officer
            ),
            officer,
        )


# Sent referrals and their disclosures are made through the gate, a few of them; these lists
# are asked among the 10,000 rows they must leave out.
SENT_THROUGH_THE_GATE = {
    "/compliance/disclosures-without-agreement/",
    "/referrals/awaiting-response/",
}

QUEUES = [
    ("manager_client", "/cases/without-an-officer/"),
    ("manager_client", "/referrals/overdue/"),
    ("manager_client", "/escalations/"),
    ("officer_client", "/referrals/to-chase/"),
    ("officer_client", "/consents/expiring/mine/"),
    ("officer_client", "/escalations/mine/"),
    ("compliance_client", "/compliance/consents/"),
    ("compliance_client", "/compliance/refused-requests/"),
    ("compliance_client", "/compliance/decisions-not-to-share/"),
    ("compliance_client", "/compliance/disclosures-without-agreement/"),
    ("partnership_manager_client", "/minutes/waiting/"),
    ("partnership_manager_client", "/actions/overdue/"),
    ("partnership_manager_client", "/meetings/without-agenda/"),
    ("partnership_manager_client", "/directory/agreements-due-for-review/"),
    ("partner_client", "/referrals/awaiting-response/"),
    ("partner_client", "/actions/our-agency/"),
    ("partner_client", "/actions/mine/"),
]


def test_each_queue_and_the_home_page_run_a_fixed_number_of_queries_over_ten_thousand_rows(
    request, full_queues, subtests, django_assert_max_num_queries
):
    # One test over every queue: building 10,000 rows of each kind once is most of its time.
    for persona, url in QUEUES:
        with subtests.test(persona=persona, url=url):
            client = request.getfixturevalue(persona)
            client.get(url)  # the session's first request writes what later ones only read

            with django_assert_max_num_queries(BUDGET):
                response = client.get(url + "?page=2")

            assert response.status_code == 200
            listed = response.context["page"].paginator.count
            assert listed > (0 if url in SENT_THROUGH_THE_GATE else ROWS_PER_PAGE)
    for persona in sorted({persona for persona, _ in QUEUES}):
        with subtests.test(persona=persona, url="/"):
            client = request.getfixturevalue(persona)
            # A card per queue, each one COUNT; the navigation's counts are one query for all.
            with django_assert_max_num_queries(HOME_BUDGET):
                response = client.get("/")
            assert response.status_code == 200
