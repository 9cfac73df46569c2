"""Under the application's own PostgreSQL role (which owns nothing), the consent gate's normal
journeys work, through the services and through the pages, and the disclosure records cannot be
rewritten or unguarded."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import ReferralRoute
from audit.models import AuditEvent, Verb
from reports.consent import consent_report
from reports.models import ReleaseTally
from reports.periods import DateRange
from sharing.models import (
    ConsentRequest,
    DataCategory,
    Disclosure,
    DisclosureMethod,
    Purpose,
    Referral,
    ReferralKind,
    ReferralStatus,
)
from sharing.services import (
    create_referral,
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


def test_asking_granting_sending_a_referral_and_reading_the_log_work_as_the_application_role(
    as_application_role, officer_client, authority_client, manager_client, case, police, officer
):
    shared = [DataCategory.IDENTITY, DataCategory.VULNERABILITIES]
    asked = officer_client.post(
        reverse("sharing:consent-request-create", args=[case.pk]),
        {
            "recipients": [police.pk],
            "purposes": [Purpose.SAFEGUARDING_REFERRAL],
            "categories": shared,
            "necessity": "Police need to know for a safety plan.",
        },
    )
    assert asked.status_code == 302
    request = ConsentRequest.objects.get()
    granted = authority_client.post(
        reverse("sharing:consent-request-decide", args=[request.pk]),
        {
            "decision": "grant",
            "recipients": [police.pk],
            "purposes": [Purpose.SAFEGUARDING_REFERRAL],
            "categories": shared,
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert granted.status_code == 302
    referral = create_referral(
        referral=Referral(
            case=case, agency=police, kind=ReferralKind.objects.get(code="idva"),
            reason="Disclosed domestic abuse by a former partner.",
        ),
        actor=officer,
    )  # fmt: skip
    sent = officer_client.post(
        reverse("sharing:referral-send", args=[referral.pk]),
        {
            "purpose": Purpose.SAFEGUARDING_REFERRAL,
            "categories": shared,
            "content": "Name, date of birth and the concern, as agreed with her.",
            "composed_for": ",".join(sorted(shared)),
            "route": ReferralRoute.OWN_CHANNEL,
            "necessity": "Police need to know for a safety plan.",
            "lawful_basis": "public_task",
            "special_category_condition": "sch1_para18",
            "person_told": "told",
        },
    )
    assert sent.status_code == 302
    referral.refresh_from_db()
    disclosure = Disclosure.objects.get()
    assert (referral.status, referral.sent_at) == (ReferralStatus.SENT, disclosure.disclosed_at)
    detail = reverse("sharing:disclosure-detail", args=[disclosure.pk])
    log = manager_client.get(reverse("sharing:disclosure-log"))
    assert log.status_code == 200
    assert detail in log.content.decode()
    assert manager_client.get(detail).status_code == 200
    written = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        Verb.CREATED, Verb.CONSENT_GRANTED, Verb.DISCLOSED, Verb.STATUS_CHANGED, Verb.VIEWED,
    } <= written  # fmt: skip


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


def test_the_consent_report_keeps_a_days_proof_that_the_application_role_cannot_rewrite(
    as_application_role, case, police, officer, authority_user, decision
):
    two_days_ago = timezone.now() - timedelta(days=2)
    with time_machine.travel(two_days_ago, tick=False):
        asked = request_consent(
            case=case, recipients=[police], purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=[DataCategory.IDENTITY], necessity="Safety plan", actor=officer,
        )  # fmt: skip
        decide_consent_request(
            request=asked, decision="grant", actor=authority_user,
            valid_until=timezone.now() + timedelta(days=30),
        )  # fmt: skip
        disclose(
            case=case, recipient=police, purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=[DataCategory.IDENTITY], content="Name", method=DisclosureMethod.PHONE,
            record_of_decision=decision(), actor=officer,
        )  # fmt: skip
    day = timezone.localdate(two_days_ago)

    figures = consent_report(DateRange(day, day), hide_small=False, threshold=5)

    assert figures.table("coverage").rows[0].values["covered"] == 1
    assert ReleaseTally.objects.get(day=day).covered == 1
    with (
        pytest.raises(DatabaseError, match="permission denied"),
        transaction.atomic(),
    ):
        ReleaseTally.objects.filter(day=day).update(covered=0)
