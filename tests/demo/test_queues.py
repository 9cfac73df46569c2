"""The demo leaves something in every work queue for someone of the role it is for, so each
queue can be shown as it looks in use."""

import pytest
from django.contrib.auth import get_user_model

from agencies import selectors as agency_selectors
from core.roles import Role
from meetings import selectors as meeting_selectors
from sharing import selectors

pytestmark = [pytest.mark.django_db]

QUEUES = [
    (Role.SAFEGUARDING_MANAGER, "cases without an officer", selectors.cases_without_an_officer),
    (Role.SAFEGUARDING_MANAGER, "overdue referrals", selectors.overdue_referrals),
    (Role.SAFEGUARDING_OFFICER, "consents running out", selectors.consents_expiring_on_cases_of),
    (Role.SAFEGUARDING_OFFICER, "referrals to chase", selectors.referrals_to_chase),
    (Role.SAFEGUARDING_OFFICER, "my escalations", selectors.escalations_raised),
    (Role.COMPLIANCE_REVIEWER, "consents to review", selectors.consents_to_review),
    (Role.COMPLIANCE_REVIEWER, "refused requests", selectors.refused_consent_requests),
    (Role.COMPLIANCE_REVIEWER, "decisions not to share", selectors.decisions_not_to_share),
    (
        Role.COMPLIANCE_REVIEWER,
        "disclosures without an agreement",
        selectors.disclosures_without_a_current_agreement,
    ),
    (Role.PARTNERSHIP_MANAGER, "agreements to review", agency_selectors.agreements_due_for_review),
    (Role.PARTNER, "referrals awaiting a response", selectors.referrals_awaiting_response),
    # The meetings selectors take the person as their first argument.
    (Role.SAFEGUARDING_OFFICER, "my actions", lambda user: meeting_selectors.my_open_actions(user)),
    (
        Role.PARTNERSHIP_MANAGER,
        "minutes to finish",
        lambda user: meeting_selectors.minutes_awaiting(user),
    ),
    (
        Role.PARTNERSHIP_MANAGER,
        "overdue actions",
        lambda user: meeting_selectors.overdue_actions_across_forums(user),
    ),
    (
        Role.PARTNERSHIP_MANAGER,
        "meetings without agenda",
        lambda user: meeting_selectors.meetings_without_agenda(user),
    ),
    (
        Role.PARTNER,
        "agency actions",
        lambda user: meeting_selectors.open_actions_of_my_agency(user),
    ),
]


@pytest.mark.parametrize(("role", "queue", "selector"), QUEUES, ids=[q[1] for q in QUEUES])
def test_every_queue_holds_something_for_someone_of_its_role(seeded_demo, role, queue, selector):
    people = get_user_model().objects.filter(groups__name=role, is_active=True)
    assert any(selector(user=person).exists() for person in people), queue
