"""Under the application's own PostgreSQL role (which owns nothing), the consent gate's normal
journeys work, and the disclosure records cannot be rewritten or unguarded."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sharing.models import DataCategory, Disclosure, DisclosureMethod, Purpose
from sharing.services import (
    decide_consent_request,
    disclose,
    record_correction_notices,
    record_decision_not_to_share,
    request_consent,
    revoke_consent,
)

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def as_application_role(db):
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    role = f"{connection.settings_dict['NAME']}_journey"[:63]
    call_command("create_app_role", "--role", role, "--password", "journey-test", stdout=StringIO())
    with connection.cursor() as cursor:
        # Inside the test's transaction: everything after this runs with the role's privileges,
        # and the rollback at the end of the test removes the role again.
        cursor.execute(f'SET LOCAL ROLE "{role}"')
    yield role


def test_request_grant_disclose_correct_and_revoke_work_as_the_application_role(
    as_application_role, case, police, officer, authority_user, decision
):
    asked = request_consent(
        case=case, recipients=[police], purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY], necessity="Safety plan", actor=officer,
    )  # fmt: skip
    consent = decide_consent_request(
        request=asked, decision="grant", actor=authority_user,
        valid_until=timezone.now() + timedelta(days=30),
    )  # fmt: skip
    disclosure = disclose(
        case=case, recipient=police, purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=[DataCategory.IDENTITY], content="Name", method=DisclosureMethod.PHONE,
        record_of_decision=decision(), actor=officer,
    )  # fmt: skip
    record_decision_not_to_share(
        case=case, requested_by_agency=police, what_was_asked_for="History",
        reason="Not needed", actor=officer,
    )  # fmt: skip
    record_correction_notices(
        case=case, recipients=[police], corrected_fields=["address"], how_told="Phone",
        told_on=timezone.localdate(), actor=officer,
    )  # fmt: skip
    revoke_consent(consent=consent, reason="No longer needed", actor=authority_user)
    assert Disclosure.objects.get() == disclosure


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE sharing_disclosure SET necessity = 'rewritten'",
        "DELETE FROM sharing_disclosure",
        "TRUNCATE sharing_disclosure CASCADE",
        "ALTER TABLE sharing_disclosure DISABLE TRIGGER ALL",
        "DROP TRIGGER sharing_disclosure_requires_consent ON sharing_disclosure",
        "UPDATE sharing_consent SET valid_until = valid_until + interval '1 year'",
        "UPDATE sharing_releasedcontent SET text = 'rewritten'",
    ],
)
def test_the_application_role_cannot_rewrite_or_unguard_the_consent_gate(
    as_application_role, statement
):
    with (
        pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
