"""One process of the two-process SQLite stress test (run by test_sqlite_two_processes.py).

    python -m tests.consent.sqlite_stress_worker setup|disclose|revoke SECONDS

Prints one JSON line: what it did and how many "database is locked" errors it met.
"""

import json
import os
import random
import sys
import time
import traceback
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import OperationalError  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, AgencyKind, LocalAuthority, User  # noqa: E402
from core.roles import Role  # noqa: E402
from sharing.models import Case, ConcernSource, Consent, DataCategory, DisclosureMethod, Purpose  # noqa: E402
from sharing.services import (  # noqa: E402
    DecisionRecord,
    DisclosureRefused,
    disclose,
    grant_consent,
    revoke_consent,
)


def setup():
    agency = Agency.objects.create(
        name="Stress Police",
        kind=AgencyKind.POLICE,
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    # The services check who acts: an officer assigned to the case discloses, the Authority
    # grants and revokes.
    person = User.objects.create_user(
        email="stress@example.org", full_name="Stress Test", agency=agency
    )
    person.groups.set(Group.objects.filter(name=Role.SAFEGUARDING_OFFICER))
    authority = User.objects.create_user(
        email="stress.authority@example.org", full_name="Stress Authority", agency=agency
    )
    authority.groups.set(Group.objects.filter(name=Role.AUTHORITY))
    case = Case.objects.create(
        reference="PH-2026-999999",
        given_names="Stress",
        family_name="Test",
        date_of_birth=date(1990, 1, 1),
        support_type="s95",
        accommodation_type="dispersed",
        local_authority=LocalAuthority.objects.first(),
        household_type="single",
        concern_source=ConcernSource.objects.first(),
        concern_received_on=date(2026, 1, 1),
        risk_level="high",
        created_by=person,
    )
    case.assigned_officers.add(person)
    return {"ready": True}


def _world(email):
    return (
        Case.objects.get(reference="PH-2026-999999"),
        Agency.objects.get(name="Stress Police"),
        User.objects.get(email=email),
    )


def run_discloser(seconds):
    case, agency, person = _world("stress@example.org")
    made = refused = locked = 0
    deadline = time.monotonic() + seconds
    record = DecisionRecord(
        necessity="stress",
        lawful_basis="public_task",
        special_category_condition="sch1_para18",
        person_told="told",
    )
    while time.monotonic() < deadline:
        try:
            disclose(
                case=case,
                recipient=agency,
                purpose=Purpose.SAFEGUARDING_REFERRAL,
                categories=[DataCategory.IDENTITY],
                content="stress",
                method=DisclosureMethod.PHONE,
                record_of_decision=record,
                actor=person,
            )
            made += 1
        except DisclosureRefused:
            refused += 1
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            traceback.print_exc()
            locked += 1
        # A person's pause between attempts, released or refused (each takes the write lock):
        # SQLite's busy handler polls, so a writer that took the lock again at once would
        # starve the other process, which is no real load.
        time.sleep(random.uniform(0, 0.005))
    return {"disclosed": made, "refused": refused, "locked": locked}


def run_revoker(seconds):
    case, agency, person = _world("stress.authority@example.org")
    granted = locked = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            now = timezone.now()
            consent = grant_consent(
                case=case,
                recipients=[agency],
                purposes=[Purpose.SAFEGUARDING_REFERRAL],
                categories=[DataCategory.IDENTITY],
                valid_from=now,
                valid_until=now + timedelta(days=1),
                actor=person,
            )
            granted += 1
            time.sleep(random.uniform(0, 0.02))
            revoke_consent(consent=consent, reason="stress", actor=person)
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            traceback.print_exc()
            locked += 1
    return {"granted": granted, "locked": locked, "consents": Consent.objects.count()}


if __name__ == "__main__":
    mode, seconds = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0
    result = {"setup": lambda _: setup(), "disclose": run_discloser, "revoke": run_revoker}[mode](
        seconds
    )
    print(json.dumps(result))
