"""Over random consents and random disclosure attempts, a disclosure exists if and only if a
consent covered it: judged by an oracle written here, independently of the gate."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.models import DataCategory, Disclosure, DisclosureMethod, Purpose
from sharing.services import DisclosureRefused, disclose, grant_consent, revoke_consent

BASE = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
CATEGORIES = [choice.value for choice in DataCategory]
PURPOSES = [
    Purpose.SAFEGUARDING_REFERRAL.value,
    Purpose.HEALTH_CARE.value,
    Purpose.RISK_ASSESSMENT.value,
]

consents = st.lists(
    st.fixed_dictionaries(
        {
            "recipients": st.sets(st.integers(0, 2), min_size=1),
            "purposes": st.sets(st.sampled_from(PURPOSES), min_size=1),
            "categories": st.sets(st.sampled_from(CATEGORIES), min_size=1),
            "starts": st.integers(-10, 10),
            "lasts": st.integers(1, 20),
            "revoked_after": st.none() | st.integers(0, 25),
        }
    ),
    max_size=3,
)
attempts = st.lists(
    st.fixed_dictionaries(
        {
            "recipient": st.integers(0, 2),
            "purpose": st.sampled_from(PURPOSES),
            "categories": st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=3),
            "at": st.integers(-12, 32),
        }
    ),
    min_size=1,
    max_size=4,
)


def _covers(consent, attempt):
    hour = attempt["at"]
    revoked_at = (
        None if consent["revoked_after"] is None else consent["starts"] + consent["revoked_after"]
    )
    return (
        attempt["recipient"] in consent["recipients"]
        and attempt["purpose"] in consent["purposes"]
        and attempt["categories"] <= consent["categories"]
        and consent["starts"] <= hour < consent["starts"] + consent["lasts"]
        and (revoked_at is None or hour < revoked_at)
    )


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(consent_specs=consents, attempt_specs=attempts)
def test_a_disclosure_exists_if_and_only_if_a_consent_covered_it(
    consent_specs, attempt_specs, case, make_recipient, authority_user, officer, decision
):
    with transaction.atomic():
        agencies = [make_recipient(f"Property Agency {index}") for index in range(3)]
        with time_machine.travel(BASE - timedelta(days=1), tick=False):
            granted = [
                grant_consent(
                    case=case,
                    recipients=[agencies[i] for i in spec["recipients"]],
                    purposes=spec["purposes"],
                    categories=spec["categories"],
                    valid_from=BASE + timedelta(hours=spec["starts"]),
                    valid_until=BASE + timedelta(hours=spec["starts"] + spec["lasts"]),
                    actor=authority_user,
                )
                for spec in consent_specs
            ]
        for spec, consent in zip(consent_specs, granted, strict=True):
            if spec["revoked_after"] is not None:
                revoked_moment = BASE + timedelta(hours=spec["starts"] + spec["revoked_after"])
                with time_machine.travel(revoked_moment, tick=False):
                    revoke_consent(consent=consent, reason="property test", actor=authority_user)
        for attempt in sorted(attempt_specs, key=lambda a: a["at"]):
            expected = any(_covers(spec, attempt) for spec in consent_specs)
            with time_machine.travel(BASE + timedelta(hours=attempt["at"]), tick=False):
                try:
                    disclose(
                        case=case,
                        recipient=agencies[attempt["recipient"]],
                        purpose=attempt["purpose"],
                        categories=attempt["categories"],
                        content="property",
                        method=DisclosureMethod.PORTAL,
                        record_of_decision=decision(categories=tuple(attempt["categories"])),
                        actor=officer,
                    )
                    released = True
                except DisclosureRefused:
                    released = False
            assert released == expected, (attempt, consent_specs)
        assert Disclosure.objects.count() == sum(
            any(_covers(spec, attempt) for spec in consent_specs) for attempt in attempt_specs
        )
        transaction.set_rollback(True)
