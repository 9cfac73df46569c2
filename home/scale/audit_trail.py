"""The audit log at scale: the events the services would have written for every generated
record, with views, sign-ins and exports around them in the proportions a working log shows,
hash-chained in one pass in time order and written in batches."""

from datetime import timedelta

from audit.chain import GENESIS_HASH, row_digest
from audit.models import AuditEvent, Verb
from audit.selectors import chain_head
from core.roles import Role
from home.scale.tables import insert
from home.scale.world import World

BATCH = 20_000
# Of the events that are not records being made: mostly people reading cases, then signing
# in, then the odd export or download.
READING_WEIGHTS = {Verb.VIEWED: 85, Verb.SIGNED_IN: 12, Verb.EXPORTED: 2, Verb.DOWNLOADED: 1}


def _address(rng) -> str:
    return f"10.{rng.randrange(20, 30)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _reading(world: World, count: int):
    rng = world.random
    readers = [
        pk
        for role in (Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER, Role.COMPLIANCE_REVIEWER)
        for pk in world.people[role]
    ]
    everyone = list(world.email_of)
    verbs = rng.choices(list(READING_WEIGHTS), weights=list(READING_WEIGHTS.values()), k=count)
    for verb in verbs:
        if verb == Verb.SIGNED_IN:
            person = rng.choice(everyone)
            at = world.moment_between(world.now - timedelta(days=3 * 365), world.now)
            yield (at, person, verb, "agencies.user", str(person), world.email_of[person], {})
            continue
        case = rng.choice(world.cases)
        at = world.moment_between(case["created_at"], world.now)
        if verb == Verb.VIEWED:
            yield (
                at,
                rng.choice(readers),
                verb,
                "sharing.case",
                str(case["id"]),
                case["reference"],
                {},
            )
        else:
            yield (
                at,
                rng.choice(readers),
                verb,
                "sharing.disclosure",
                "",
                "Disclosure log",
                {"format": "csv"},
            )


def write_audit_trail(world: World) -> int:
    """Chain and write the events; returns how many were written."""
    rng = world.random
    made = world.audit
    if len(made) > world.size.audit_events:
        made = rng.sample(made, world.size.audit_events)
    events = made + list(_reading(world, world.size.audit_events - len(made)))
    world.audit = []
    events.sort(key=lambda event: event[0])
    head = chain_head() or {"sequence": 0, "row_hash": GENESIS_HASH}
    sequence, previous = head["sequence"], head["row_hash"]
    batch = []
    for occurred_at, actor, verb, object_type, object_id, label, detail in events:
        sequence += 1
        values = {
            "sequence": sequence,
            "occurred_at": occurred_at,
            "actor_id": actor,
            "actor_label": world.email_of.get(actor, "") if actor else "system",
            "verb": str(verb.value if isinstance(verb, Verb) else verb),
            "object_type": object_type,
            "object_id": object_id,
            "object_label": label[:200],
            "changed_fields": [],
            "detail": detail,
            "ip_address": _address(rng) if actor else None,
            "previous_hash": previous,
        }
        values["row_hash"] = previous = row_digest(values)
        batch.append(values)
        if len(batch) == BATCH:
            insert(AuditEvent, batch)
            batch = []
    insert(AuditEvent, batch)
    return len(events)
