"""Writing audit events. Every service that changes something calls `record()` in its own
transaction, so the event and the change commit or roll back together."""

import ipaddress
import json
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import takewhile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django_tasks import task
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from audit import checkpoints, permissions
from audit.chain import GENESIS_HASH, find_break, iso_utc, row_digest
from audit.models import AuditEvent, Verb
from audit.selectors import chain_head, chain_rows, check_chain
from core.observability import current_request_id

# One key for the whole chain: PostgreSQL serialises chain appends on it until the transaction
# that appended ends, so the next writer reads the committed head. SQLite needs nothing here:
# BEGIN IMMEDIATE (settings, transaction_mode) already admits one writer at a time.
_CHAIN_LOCK_KEY = 7_340_112_026
# Another, for asking the worker to walk the chain: the question "is a walk already asked
# for?" and the queueing of one are answered by one request at a time.
_CHAIN_VERIFICATION_LOCK_KEY = 7_340_112_027
# A walk of a million events takes under a minute; one marked running for longer than this was
# left so by a worker that stopped.
ABANDONED_WALK_AFTER = timedelta(hours=1)


def _lock(key: int):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _lock_chain():
    _lock(_CHAIN_LOCK_KEY)


def audit_label(instance) -> str:
    """How a record is named in the log: its own `audit_label` (identifiers and controlled
    words), else "<verbose name> <pk>". Never `str()`, which may carry free text about a case
    (an action's description, a paper's file name) to people with no access to the case."""
    label = getattr(instance, "audit_label", None)
    if label is None:
        label = f"{instance._meta.verbose_name.capitalize()} {instance.pk}"
    return str(label)[:200]


def describe(instance) -> tuple[str, str, str]:
    return instance._meta.label_lower, str(instance.pk), audit_label(instance)


# The refusals recorded while one request is handled, so the middleware that records every
# refused request (audit/middleware.py) leaves alone one a view has already recorded itself.
# A list is mutated rather than the variable set, so a record made in a copied context counts.
_refusals_this_request: ContextVar[list | None] = ContextVar("refusals_this_request", default=None)


def watch_refusals() -> tuple[list, object]:
    refusals: list = []
    return refusals, _refusals_this_request.set(refusals)


def stop_watching_refusals(token) -> None:
    _refusals_this_request.reset(token)


def _stored_ip(ip_address: str | None) -> str | None:
    # Stored the way the database field normalises it, so the hash matches on re-reading; an
    # address that is not one (a misconfigured proxy header) is dropped rather than failing
    # the change it accompanies.
    if not ip_address:
        return None
    address = ip_address.strip()
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return clean_ipv6_address(address) if ":" in address else address


def _as_stored(value):
    # The JSON columns hand back what JSON can say (lists, not tuples; string keys), and the
    # hash must be of what is read back.
    return json.loads(json.dumps(value))


def record(
    *,
    verb: Verb,
    actor=None,
    target=None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    changed_fields=(),
    detail: dict | None = None,
    ip_address: str | None = None,
    actor_label: str = "",
) -> AuditEvent:
    if target is not None:
        object_type, object_id, object_label = describe(target)
    authenticated = actor is not None and actor.is_authenticated
    with transaction.atomic():
        # The head is read after the lock and inside the same transaction, so two writers never
        # both extend the same row; `sequence` is unique as a last line of defence.
        _lock_chain()
        last = chain_head()
        values = {
            "sequence": (last["sequence"] + 1) if last else 1,
            "occurred_at": timezone.now(),
            "actor_id": actor.pk if authenticated else None,
            "actor_label": (actor_label or (actor.email if authenticated else ""))[:254],
            "verb": str(verb),
            "object_type": object_type[:100],
            "object_id": str(object_id)[:64],
            "object_label": object_label[:200],
            "changed_fields": sorted(str(name) for name in changed_fields),
            "detail": _as_stored(detail or {}),
            "ip_address": _stored_ip(ip_address),
            "previous_hash": last["row_hash"] if last else GENESIS_HASH,
        }
        values["row_hash"] = row_digest(values)
        event = AuditEvent.objects.create(**values, request_id=current_request_id())
    refusals = _refusals_this_request.get()
    if verb == Verb.VIEW_DENIED and refusals is not None:
        refusals.append(event.sequence)
    return event


def record_view(request, *, target=None, **fields) -> AuditEvent:
    """A "viewed" event for a page or download that shows case information to this person."""
    return record(
        verb=Verb.VIEWED,
        actor=request.user,
        target=target,
        ip_address=client_ip(request),
        **fields,
    )


def filters_on_record(filterset, *, free_text=()) -> dict:
    """The filters a list or an export was asked for, for its event: choices, ids and dates by
    value; the `free_text` ones only as used, since what was typed could be a person's name."""
    if not filterset.is_bound:
        return {}
    if not filterset.is_valid():
        return {"invalid": sorted(filterset.form.errors)}
    recorded = {}
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        if name in free_text:
            recorded[name] = "given"
        elif isinstance(value, str) or not isinstance(value, Iterable):
            recorded[name] = str(getattr(value, "pk", value))
        else:
            # A multiple choice, perhaps a queryset: by id, never by str(), which may be text.
            recorded[name] = sorted(str(getattr(each, "pk", each)) for each in value)
    return recorded


def verify_chain_now(*, actor, ip_address: str | None = None) -> AuditEvent:
    """The check `manage.py verify_audit` runs, and its record: what the worker runs when a walk
    is asked for from the audit page. The person is held to the rule again here, as they may
    have lost the authority while the walk waited in the queue.

    The event is written after the walk, so it reports on the rows before it."""
    permissions.require_verify_chain(actor)
    result = check_chain()
    return record(
        verb=Verb.CHAIN_VERIFIED,
        actor=actor,
        object_type="audit.auditevent",
        detail={
            "intact": result.intact,
            "events": result.count,
            "broken_at": result.broken_at.sequence if result.broken_at else None,
            "reason": result.broken_at.reason if result.broken_at else None,
        },
        ip_address=ip_address,
    )


@task()
def verify_chain_in_background(actor_id: int, ip_address: str | None = None) -> dict:
    """The walk asked for on the audit page; what it found, as recorded, is its result."""
    actor = get_user_model().objects.get(pk=actor_id)
    return verify_chain_now(actor=actor, ip_address=ip_address).detail


def pending_chain_verification() -> DBTaskResult | None:
    """The walk asked for earlier that is still waiting for the worker or under way, if any.

    A walk still marked running long after it started is not counted: its worker was stopped
    or killed mid-walk and will never finish it, and it must not hold the button back for good.
    Only the database backend keeps a queue to look in: the immediate one (when debugging)
    walks the chain as it is asked, so nothing is ever pending there.
    """
    backend = verify_chain_in_background.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    abandoned_before = timezone.now() - ABANDONED_WALK_AFTER
    return (
        DBTaskResult.objects.filter(
            backend_name=backend.alias,
            task_path=verify_chain_in_background.module_path,
        )
        .filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=abandoned_before)
        )
        .order_by("enqueued_at")
        .only("status", "enqueued_at")
        .first()
    )


@dataclass(frozen=True)
class ChainVerificationRequest:
    """What came of asking for the chain to be verified: either a walk asked for at
    `already_asked_at` was still waiting or under way, and no other was queued, or `run` is
    the walk queued (which the immediate backend has already run)."""

    already_asked_at: datetime | None = None
    run: TaskResult | None = None


def request_chain_verification(*, actor, ip_address: str | None = None) -> ChainVerificationRequest:
    """Queue a walk of the whole chain for the worker, unless one is already waiting or under
    way: at a million events the walk takes longer than a web request may, and walks run side
    by side only slow each other down. The worker records the result with `actor` as the
    person who asked."""
    permissions.require_verify_chain(actor)
    with transaction.atomic():
        # One request at a time asks and queues, so two people pressing at once queue one walk.
        # The queued row reaches the worker when this block (or the caller's) commits.
        _lock(_CHAIN_VERIFICATION_LOCK_KEY)
        pending = pending_chain_verification()
        if pending is not None:
            return ChainVerificationRequest(already_asked_at=pending.enqueued_at)
        return ChainVerificationRequest(
            run=verify_chain_in_background.enqueue(actor.pk, _stored_ip(ip_address))
        )


def client_ip(request) -> str | None:
    # REMOTE_ADDR is the proxy's address behind a load balancer; deployments set the proxy to
    # overwrite it (gunicorn --forwarded-allow-ips) rather than trusting X-Forwarded-For here.
    return request.META.get("REMOTE_ADDR") if request is not None else None


class ChainBroken(Exception):
    """The chain does not verify, so its head must not be signed."""


@dataclass(frozen=True)
class CheckpointWritten:
    checkpoint: checkpoints.Checkpoint
    path: Path
    emailed_to: list[str]


def write_checkpoint(*, actor=None) -> CheckpointWritten:
    """Sign the chain head, keep it outside the database, send it to compliance, record it.

    The chain is verified first, against every earlier checkpoint in the directory, so a head
    that no longer follows from what was signed before is never signed itself.
    """
    key = checkpoints.checkpoint_key()
    if not settings.COMPLIANCE_EMAIL and not settings.DEBUG:
        raise checkpoints.CheckpointError(
            "COMPLIANCE_EMAIL is not set; a checkpoint must also leave by e-mail"
        )
    directory = checkpoints.checkpoint_dir()
    earlier = [checkpoints.load(path, key) for path in checkpoints.files_in(directory)]
    head = chain_head()
    if head is None:
        raise ChainBroken("the audit log is empty: there is nothing to checkpoint")
    signed_rows = takewhile(lambda row: row["sequence"] <= head["sequence"], chain_rows())
    count, problem = find_break(signed_rows, earlier)
    if problem is not None:
        raise ChainBroken(f"the audit chain is broken at {problem}; no checkpoint written")
    checkpoint = checkpoints.Checkpoint(
        sequence=head["sequence"],
        row_hash=head["row_hash"],
        count=count,
        written_at=iso_utc(timezone.now()),
    ).signed(key)
    path = checkpoints.save(checkpoint, directory)
    record(
        verb=Verb.CHECKPOINT,
        actor=actor,
        object_type="audit.checkpoint",
        object_id=str(checkpoint.sequence),
        object_label=path.name,
        detail={**checkpoint.as_detail(), "file": path.name},
    )
    recipients = [settings.COMPLIANCE_EMAIL] if settings.COMPLIANCE_EMAIL else []
    if recipients:
        message = EmailMessage(
            subject=f"Partnerhub audit checkpoint: {count} events up to row {checkpoint.sequence}",
            body=(
                "Keep this message: it is a signed copy of the audit log's head, held outside "
                "Partnerhub's database.\n\n"
                f"{checkpoint.summary()}\n\n"
                "To hold the log to it later, save the attachment and run:\n"
                f"  python manage.py verify_audit --checkpoint {path.name}\n"
            ),
            to=recipients,
        )
        message.attach(path.name, checkpoint.to_json(), "application/json")
        message.send()
    return CheckpointWritten(checkpoint=checkpoint, path=path, emailed_to=recipients)
