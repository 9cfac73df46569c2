"""Runs the stages of the national-scale fill in order, in one transaction, timing each."""

import time
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction

from agencies.models import Agency, Contact, User
from home.scale import casework, directory, forums
from home.scale.audit_trail import write_audit_trail
from home.scale.sizes import Size
from home.scale.tables import insert, reset_sequences
from home.scale.world import World
from meetings.models import Action, Forum, Meeting
from meetings.services import reset_calendar_feed
from notifications.models import Notification, NotificationKind
from sharing.models import Case, Consent, ConsentRequest, Disclosure, Referral

# Tables whose keys the generator chooses; PostgreSQL's sequences are moved past them.
CHOSEN_KEYS = [
    Agency,
    Contact,
    User,
    Case,
    Consent,
    ConsentRequest,
    Disclosure,
    Referral,
    Forum,
    Meeting,
    Action,
]


def generate(size: Size, seed: int, report: Callable[[str], None] = lambda line: None) -> dict:
    """Fill the database at `size`; returns what was planned, for checking afterwards."""
    world = World.begin(size, seed)
    planned = {}
    started = time.monotonic()

    def stage(name, run):
        began = time.monotonic()
        result = run()
        report(f"{name:<32} {time.monotonic() - began:7.1f} s")
        return result

    with transaction.atomic():
        stage("agencies and contacts", lambda: directory.fill_agencies(world))
        stage("people", lambda: directory.fill_people(world))
        stage("cases and indicators", lambda: casework.fill_cases(world))
        planned.update(
            stage("consents and disclosures", lambda: casework.fill_consent_and_disclosures(world))
        )
        stage("forums and meetings", lambda: forums.fill_forums(world))
        stage("notifications", lambda: _fill_notifications(world))
        stage("sequences", lambda: reset_sequences(CHOSEN_KEYS))
        planned["audit_events"] = stage("audit chain", lambda: write_audit_trail(world))
        # The busy person's calendar address, through the service, after the bulk chain so its
        # audit event follows on from it.
        busy_person = User.objects.get(pk=world.busy_person)
        stage("calendar feed", lambda: reset_calendar_feed(user=busy_person, actor=busy_person))
    stage("planner statistics and visibility", _analyze)
    report(f"{'total':<32} {time.monotonic() - started:7.1f} s")
    planned["busy_case"] = world.busy_case
    return planned


def _analyze() -> None:
    """Give PostgreSQL's planner the statistics of the tables just filled, and their visibility
    maps. Autovacuum would, in time; until then the planner plans for empty tables (a sort of
    every case for a page of 50), and an index-only scan still reads every row it finds, so a
    benchmark would measure a database that production never runs for long. VACUUM cannot run
    inside a transaction, so a seed inside one (a test's) gets the statistics alone."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def _fill_notifications(world: World) -> None:
    rng = world.random
    kinds = list(NotificationKind)
    rows = []
    for person in world.email_of:
        for _ in range(world.size.notifications_per_user):
            kind = rng.choice(kinds)
            created_at = world.moment_between(world.now - timedelta(days=60), world.now)
            read = rng.random() < 0.6
            rows.append(
                {
                    "recipient_id": person,
                    "kind": kind,
                    "message": kind.label,
                    "url": "/",
                    "created_at": created_at,
                    "read_at": created_at + timedelta(hours=2) if read else None,
                    "email_status": "sent",
                    "email_attempts": 1,
                    "email_error": "",
                    "emailed_at": created_at,
                }
            )
    insert(Notification, rows)
