"""Writing audit events. Every service that changes something calls `record()` in its own
transaction, so the event and the change commit or roll back together."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from audit.chain import GENESIS_HASH, row_digest
from audit.models import AuditEvent, Verb

# One key for the whole chain: PostgreSQL serialises chain appends on it for the rest of the
# transaction. SQLite needs nothing: BEGIN IMMEDIATE already admits one writer at a time.
_CHAIN_LOCK_KEY = 7_340_112_026


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def describe(instance) -> tuple[str, str, str]:
    return instance._meta.label_lower, str(instance.pk), str(instance)[:200]


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
    if ip_address and ":" in ip_address:
        # Stored the way the database field normalises it, so the hash matches on re-reading.
        ip_address = clean_ipv6_address(ip_address)
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "row_hash").first()
        values = {
            "sequence": (last["sequence"] + 1) if last else 1,
            "occurred_at": timezone.now(),
            "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
            "actor_label": actor_label or (actor.email if actor is not None and actor.pk else ""),
            "verb": str(verb),
            "object_type": object_type,
            "object_id": str(object_id),
            "object_label": object_label,
            "changed_fields": sorted(changed_fields),
            "detail": detail or {},
            "ip_address": ip_address,
            "previous_hash": last["row_hash"] if last else GENESIS_HASH,
        }
        values["row_hash"] = row_digest(values)
        return AuditEvent.objects.create(**values)


def client_ip(request) -> str | None:
    # REMOTE_ADDR is the proxy's address behind a load balancer; deployments set the proxy to
    # overwrite it (gunicorn --forwarded-allow-ips) rather than trusting X-Forwarded-For here.
    return request.META.get("REMOTE_ADDR") if request is not None else None
