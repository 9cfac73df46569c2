"""The operations that must stay fast as the data grows, each timed on the seeded database.

Each function takes what it needs from the seeded data (a case, an agency with a current
agreement, people in the right roles) and returns an `Operation`. They change the database as
the product would (a consent, a few dozen disclosures and audit events, one forum and its
meetings), so a reused bench database grows by that much each run.
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.roles import Role
from tests.bench.floor import person_in_role
from tests.bench.timing import REQUESTS, Summary, repeat, timed

CONCURRENT_WRITERS = 8
EVENTS_PER_WRITER = 40
VERIFY_RUNS = 3
FORUM_MEMBERS = 40
FAN_OUT_RUNS = 10


@dataclass(frozen=True)
class Operation:
    label: str
    timing: Summary
    extra: dict = field(default_factory=dict)


def _agency_to_share_with():
    from agencies.models import Agency

    agency = Agency.objects.with_current_information_sharing_agreement().order_by("pk").first()
    if agency is None:
        raise LookupError("No agency with a current information sharing agreement to disclose to")
    return agency


def disclose_under_consent(runs: int = REQUESTS) -> Operation:
    """disclose() itself: the locks, the consent gate, the writes and the audit event."""
    from sharing import services
    from sharing.models import Case, DataCategory, DisclosureMethod, Purpose

    manager = person_in_role(Role.SAFEGUARDING_MANAGER)
    authority = person_in_role(Role.AUTHORITY)
    recipient = _agency_to_share_with()
    case = Case.objects.order_by("pk").first()
    now = timezone.now()
    services.grant_consent(
        case=case, recipients=[recipient], purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY], valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=30), actor=authority,
    )  # fmt: skip
    decision = services.DecisionRecord(
        necessity="Benchmark of the consent gate", lawful_basis="public_task",
        special_category_condition="not_applicable", person_told="told",
    )  # fmt: skip

    def release():
        services.disclose(
            case=case, recipient=recipient, purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=[DataCategory.IDENTITY], content="Benchmark disclosure",
            method=DisclosureMethod.PHONE, record_of_decision=decision, actor=manager,
        )  # fmt: skip

    return Operation("disclose() under a covering consent", Summary.of(repeat(release, runs)))


def audit_append_concurrently(
    writers: int = CONCURRENT_WRITERS, events: int = EVENTS_PER_WRITER
) -> Operation:
    """Appending to the audit chain with `writers` threads at once, each on its own database
    connection, released together: every append waits for the chain's lock, so this is the
    cost one person's write pays while others write too."""
    from audit.models import Verb
    from audit.services import record

    actor = person_in_role(Role.SAFEGUARDING_OFFICER)
    start = threading.Barrier(writers + 1)
    timings: list[float] = []
    failures: list[BaseException] = []
    collected = threading.Lock()

    def writer():
        mine = []
        try:
            start.wait()
            for _ in range(events):
                mine.append(timed(lambda: record(verb=Verb.VIEWED, actor=actor)))
        except BaseException as failure:
            failures.append(failure)
        finally:
            connection.close()
            with collected:
                timings.extend(mine)

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} audit writers failed") from failures[0]
    return Operation(
        f"audit: append one event, {writers} writers at once",
        Summary.of(timings),
        {"writers": writers, "events": len(timings), "events_per_second": len(timings) / elapsed},
    )


def verify_whole_chain(runs: int = VERIFY_RUNS) -> Operation:
    from audit.models import AuditEvent

    events = AuditEvent.objects.count()
    timings = [timed(lambda: call_command("verify_audit", stdout=StringIO())) for _ in range(runs)]
    return Operation(
        f"audit: verify_audit over {events:,} events", Summary.of(timings), {"events": events}
    )


def unchanged_calendar_feed(runs: int = REQUESTS) -> Operation:
    """The busy person's feed asked, as a calendar client asks every few minutes, whether it
    changed: answered 304 from what the feed is built from, not by building it."""
    from django.test import Client

    from home.scale import landmarks

    url = f"/calendar/{landmarks().calendar_token}.ics"
    client = Client()
    etag = client.get(url)["ETag"]

    def ask():
        response = client.get(url, headers={"if-none-match": etag})
        if response.status_code != 304:
            raise AssertionError(f"the unchanged feed answered {response.status_code}, not 304")

    return Operation("feed: unchanged, 304 (busy person)", Summary.of(repeat(ask, runs)))


def invitation_fan_out(members: int = FORUM_MEMBERS, runs: int = FAN_OUT_RUNS) -> Operation:
    """A meeting added to a forum of `members` people: their attendances, the audit event and
    an invitation to each, sent as the product sends them."""
    from agencies.models import User
    from meetings import services
    from meetings.models import Forum, ForumKind

    manager = person_in_role(Role.PARTNERSHIP_MANAGER)
    people = list(User.objects.filter(is_active=True).order_by("pk")[:members])
    kind = ForumKind.objects.order_by("pk").first()
    forum = services.save_forum(
        forum=Forum(
            name=f"Benchmark forum {timezone.now():%Y-%m-%d %H:%M:%S.%f}",
            kind=kind,
            level=kind.default_level,
            discusses_cases=False,
            organiser_email="partnerships@example.org",
        ),
        member_agencies=[],
        members=people,
        actor=manager,
    )
    starts = iter(timezone.now() + timedelta(days=30 + day) for day in range(runs + 1))

    def add_meeting():
        start = next(starts)
        services.create_meeting(
            forum=forum, start=start, end=start + timedelta(hours=1),
            location="Benchmark room", online_url="", actor=manager,
        )  # fmt: skip

    return Operation(
        f"meetings: a meeting and its invitations, forum of {len(people)}",
        Summary.of(repeat(add_meeting, runs)),
        {"invitees": len(people)},
    )


ALL = [
    disclose_under_consent,
    audit_append_concurrently,
    verify_whole_chain,
    unchanged_calendar_feed,
    invitation_fan_out,
]
