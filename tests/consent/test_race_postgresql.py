"""Disclosures racing a revocation on PostgreSQL: none may land at or after the revocation.

The harness runs many rounds of several threads inserting disclosures while another thread
revokes the consent, holding its lock a moment before committing. Run against the real trigger
it must find no violation; run against a variant whose trigger reads the consent with a plain
SELECT it must find some — proof that the harness really races.
"""

import random
import threading
import time

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from sharing.guards import _POSTGRES_DISCLOSURE_FUNCTION
from sharing.models import Consent, DataCategory, Disclosure, DisclosureMethod, Purpose
from sharing.services import DisclosureRefused, disclose
from tests.consent.raw_sql import insert_disclosure

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 50
DISCLOSERS = 4  # 50 rounds x 4 racing threads = 200 interleavings with the revocation


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and this race are PostgreSQL's")


def _revoke_holding_the_lock(consent_id, actor_id, hold_seconds):
    """revoke_consent()'s steps, with the lock held a little longer to widen the race window."""
    try:
        with transaction.atomic():
            consent = Consent.objects.select_for_update().get(pk=consent_id)
            consent.revoked_at = timezone.now()
            consent.revoked_by_id = actor_id
            consent.revocation_reason = "race test"
            consent.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
            time.sleep(hold_seconds)
    finally:
        connections.close_all()


def _race(case, police, officer, authority_user, make_consent, disclose_once):
    violations = 0
    attempts = 0
    for _ in range(ROUNDS):
        consent = make_consent(case, [police])
        stop = threading.Event()
        counts = []

        def discloser(stop, consent, counts):
            made = 0
            try:
                while not stop.is_set():
                    try:
                        disclose_once(consent)
                        made += 1
                    except (DatabaseError, DisclosureRefused):
                        pass
            finally:
                counts.append(made)
                connections.close_all()

        threads = [
            threading.Thread(target=discloser, args=(stop, consent, counts))
            for _ in range(DISCLOSERS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(0.001, 0.004))
        revoker = threading.Thread(
            target=_revoke_holding_the_lock, args=(consent.pk, authority_user.pk, 0.003)
        )
        revoker.start()
        revoker.join()
        time.sleep(0.002)
        stop.set()
        for thread in threads:
            thread.join()
        attempts += sum(counts)
        consent.refresh_from_db()
        violations += Disclosure.objects.filter(
            consent=consent, disclosed_at__gte=consent.revoked_at
        ).count()
    assert attempts > 0
    return violations


def _raw_insert(case, police, officer):
    def once(consent):
        with transaction.atomic():
            insert_disclosure(
                case=case,
                consent=consent,
                recipient=police,
                person=officer,
                purpose=Purpose.SAFEGUARDING_REFERRAL,
                categories=[DataCategory.IDENTITY],
            )

    return once


def test_no_raw_insert_lands_after_a_concurrent_revocation(
    case, police, officer, authority_user, make_consent
):
    assert (
        _race(
            case, police, officer, authority_user, make_consent, _raw_insert(case, police, officer)
        )
        == 0
    )


def test_no_disclosure_through_the_service_lands_after_a_concurrent_revocation(
    case, police, officer, authority_user, make_consent, decision
):
    def once(consent):
        disclose(
            case=case,
            recipient=police,
            purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=[DataCategory.IDENTITY],
            content="race",
            method=DisclosureMethod.PHONE,
            record_of_decision=decision(),
            actor=officer,
        )

    assert _race(case, police, officer, authority_user, make_consent, once) == 0


@pytest.fixture
def plain_select_trigger():
    weakened = _POSTGRES_DISCLOSURE_FUNCTION.replace(
        "WHERE id = NEW.consent_id FOR SHARE;", "WHERE id = NEW.consent_id;"
    )
    assert weakened != _POSTGRES_DISCLOSURE_FUNCTION
    with connection.cursor() as cursor:
        cursor.execute(weakened)
    yield
    with connection.cursor() as cursor:
        cursor.execute(_POSTGRES_DISCLOSURE_FUNCTION)


def test_the_harness_catches_a_trigger_that_reads_the_consent_without_locking_it(
    plain_select_trigger, case, police, officer, authority_user, make_consent
):
    assert (
        _race(
            case, police, officer, authority_user, make_consent, _raw_insert(case, police, officer)
        )
        > 0
    )
