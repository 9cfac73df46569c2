"""Reading the audit log: the chain walk, the latest checkpoint and pages of events."""

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import JSONField, Q, QuerySet

from audit.chain import HASHED_FIELDS, ChainBreak, find_break
from audit.checkpoints import Checkpoint
from audit.models import AuditEvent, Verb

CHAIN_CHUNK = 5_000


def chain_rows(chunk_size: int = CHAIN_CHUNK) -> Iterator[dict]:
    """Every row in sequence order, a chunk at a time, so memory stays flat for any length.

    Keyset pagination on (sequence, id) rather than OFFSET keeps each chunk an index range scan,
    and still returns a duplicated sequence should someone drop the unique constraint. The rows
    are read through the cursor rather than the ORM: a million events spent more time in field
    converters than in hashing. Only the JSON columns need decoding, to be re-encoded
    canonically; timestamps are hashed as the driver returns them (`iso_utc`).
    """
    columns = (*HASHED_FIELDS, "row_hash", "id")
    json_columns = [
        field.name for field in AuditEvent._meta.concrete_fields if isinstance(field, JSONField)
    ]
    query = AuditEvent.objects.order_by("sequence", "id").values_list(*columns)
    position: tuple[int, int] | None = None
    while True:
        rows = query
        if position is not None:
            sequence, pk = position
            rows = rows.filter(Q(sequence__gt=sequence) | Q(sequence=sequence, id__gt=pk))
        sql, params = rows[:chunk_size].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            chunk = cursor.fetchall()
        row = None
        for values in chunk:
            row = dict(zip(columns, values, strict=True))
            for name in json_columns:
                if isinstance(row[name], str):
                    row[name] = json.loads(row[name])
            yield row
        if len(chunk) < chunk_size:
            return
        position = (row["sequence"], row["id"])


@dataclass(frozen=True)
class ChainCheck:
    count: int
    broken_at: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def check_chain(anchors=()) -> ChainCheck:
    """Walk the whole chain (and hold it to any checkpoints given): `verify_audit`'s check."""
    count, problem = find_break(chain_rows(), anchors)
    return ChainCheck(count=count, broken_at=problem)


def chain_head() -> dict | None:
    return AuditEvent.objects.order_by("-sequence").values("sequence", "row_hash").first()


def latest_checkpoint() -> Checkpoint | None:
    """The newest checkpoint as recorded in the chain, for reports to print.

    Printing it hands the readers (the Authority, compliance) their own copy of the chain head,
    which `verify_audit --checkpoint` can later hold the database to.
    """
    event = (
        AuditEvent.objects.filter(verb=Verb.CHECKPOINT)
        .order_by("-sequence")
        .values("detail")
        .first()
    )
    if event is None:
        return None
    detail = event["detail"]
    return Checkpoint(
        sequence=detail["sequence"],
        row_hash=detail["row_hash"],
        count=detail["count"],
        written_at=detail["written_at"],
        hmac_sha256=detail["hmac_sha256"],
        name=detail.get("file", ""),
    )


def events_about(*targets) -> QuerySet[AuditEvent]:
    """The events recorded about these records, found the way `record(target=…)` names them:
    the pages that tell a record's history ask here rather than decode the log's columns."""
    ids_by_type = defaultdict(list)
    for target in targets:
        ids_by_type[target._meta.label_lower].append(str(target.pk))
    about = Q(pk__in=[])
    for object_type, object_ids in ids_by_type.items():
        about |= Q(object_type=object_type, object_id__in=object_ids)
    return AuditEvent.objects.filter(about)


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    older: int | None
    newer: int | None


EVENT_COLUMNS = (
    "sequence",
    "occurred_at",
    "actor_label",
    "verb",
    "object_type",
    "object_id",
    "object_label",
    "changed_fields",
    "ip_address",
)


def event_page(
    events: QuerySet, *, before: int | None = None, after: int | None = None, size: int = 50
) -> EventPage:
    """A page of events, newest first, by position in the chain rather than OFFSET and COUNT.

    The log runs to millions of rows: counting them for numbered pages would scan the table on
    every view, while a page before or after a sequence number is one short index scan.
    """
    events = events.only(*EVENT_COLUMNS)
    if after is not None:
        rows = list(events.filter(sequence__gt=after).order_by("sequence")[: size + 1])
        more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        more_older = bool(rows) and events.filter(sequence__lt=rows[-1].sequence).exists()
    else:
        window = events if before is None else events.filter(sequence__lt=before)
        rows = list(window.order_by("-sequence")[: size + 1])
        more_older = len(rows) > size
        rows = rows[:size]
        more_newer = (
            before is not None
            and bool(rows)
            and events.filter(sequence__gt=rows[0].sequence).exists()
        )
    return EventPage(
        events=rows,
        older=rows[-1].sequence if rows and more_older else None,
        newer=rows[0].sequence if rows and more_newer else None,
    )
