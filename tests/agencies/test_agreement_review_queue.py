"""The directory managers' queue of information sharing agreements due for review: past the
review date or reaching it within 30 days, earliest first, and the home card counting it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.queues import assert_card_opens_the_queue_it_counts, listed

pytestmark = pytest.mark.django_db

QUEUE = "/directory/agreements-due-for-review/"


def _agency(make_agency, name, review_in_days, **fields):
    return make_agency(
        name,
        information_sharing_agreement_signed_on=date(2024, 1, 1),
        information_sharing_agreement_review_due_on=timezone.localdate()
        + timedelta(days=review_in_days),
        **fields,
    )


def test_agreements_past_or_near_their_review_date_are_listed_earliest_first(
    partnership_manager_client, make_agency
):
    soon = _agency(make_agency, "Due soon", 10)
    overdue = _agency(make_agency, "Overdue", -5)
    _agency(make_agency, "Reviewed lately", 200)
    _agency(make_agency, "Closed down", -5, is_active=False)
    make_agency("No agreement at all")

    assert listed(partnership_manager_client.get(QUEUE)) == [overdue.pk, soon.pk]
    assert listed(partnership_manager_client.get(QUEUE, {"review": "overdue"})) == [overdue.pk]
    assert listed(partnership_manager_client.get(QUEUE, {"review": "soon"})) == [soon.pk]
    assert_card_opens_the_queue_it_counts(
        partnership_manager_client, "Agreements due for review", QUEUE
    )


def test_only_those_who_manage_the_directory_have_the_queue(
    partner_client, officer_client, partnership_manager_client, make_agency
):
    _agency(make_agency, "Overdue", -5)
    assert partner_client.get(QUEUE).status_code == 403
    assert officer_client.get(QUEUE).status_code == 403
    assert partnership_manager_client.get(QUEUE).status_code == 200
