"""Disclosures racing a revocation on PostgreSQL: none may land at or after the revocation.

The harness runs many rounds of several threads inserting disclosures while the test's own
thread revokes the consent through the real `revoke_consent()`, made to hold its lock a moment
before committing. Run against the real trigger it must find no violation; run against a variant
whose trigger reads the consent with a plain SELECT it must find some — proof that the harness
really races.
"""

import random
import threading
import time

import pytest
from django.db import DatabaseError, connection, connections, transaction

from audit.models import Verb
from sharing.guards import _POSTGRES_DISCLOSURE_FUNCTION
from sharing.models import DataCategory, Disclosure, DisclosureMethod, Purpose
from sharing.services import DisclosureRefused, disclose, revoke_consent
from sharing.services import consent as consent_services
from tests.consent.raw_sql import insert_disclosure

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 200  # each a revocation at a random moment among the racing disclosers
DISCLOSERS = 2  # 200 rounds x 2 racing threads: 400 chances to land after the revocation
HOLD_SECONDS = 0.003


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and this race are PostgreSQL's")


@pytest.fixture(autouse=True)
def _revocation_holds_its_lock_a_moment(monkeypatch):
    """Widen the window: revoke_consent() keeps its row lock a little after its UPDATE."""
    record = consent_services.record

    def record_then_wait(**event):
        recorded = record(**event)
        if event["verb"] == Verb.CONSENT_REVOKED:
            time.sleep(HOLD_SECONDS)
        return recorded

    monkeypatch.setattr(consent_services, "record", record_then_wait)


def _race(case, police, officer, authority_user, make_consent, disclose_once):
    """ROUNDS rounds: the disclosers (each on its own connection, kept between rounds) release
    under a fresh consent while this thread revokes it at a random moment."""
    start = threading.Barrier(DISCLOSERS + 1, timeout=60)
    finish = threading.Barrier(DISCLOSERS + 1, timeout=60)
    racing = threading.Event()
    round_ = {"consent": None, "over": False}
    released = []

    def discloser():
        made = 0
        try:
            while True:
                start.wait()
                if round_["over"]:
                    return
                while racing.is_set():
                    try:
                        disclose_once(round_["consent"])
                        made += 1
                    except (DatabaseError, DisclosureRefused):
                        pass
                finish.wait()
        finally:
            released.append(made)
            connections.close_all()

    threads = [threading.Thread(target=discloser) for _ in range(DISCLOSERS)]
    for thread in threads:
        thread.start()
    violations = 0
    try:
        for _ in range(ROUNDS):
            round_["consent"] = make_consent(case, [police])
            racing.set()
            start.wait()
            time.sleep(random.uniform(0.001, 0.004))
            consent = revoke_consent(
                consent=round_["consent"], reason="race test", actor=authority_user
            )
            time.sleep(0.002)
            racing.clear()
            finish.wait()
            violations += Disclosure.objects.filter(
                consent=consent, disclosed_at__gte=consent.revoked_at
            ).count()
    finally:
        round_["over"] = True
        start.wait()
        for thread in threads:
            thread.join()
    assert sum(released) > 0
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
