"""Reading the audit log: the chain walk, the latest checkpoint and pages of events."""

import json
import math
import multiprocessing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import pairwise, repeat

from django.db import connection, connections
from django.db.models import JSONField, Max, Q, QuerySet

from audit.chain import HASHED_FIELDS, Anchor, ChainBreak, Link, find_break
from audit.checkpoints import Checkpoint
from audit.models import AuditEvent, Verb

CHAIN_CHUNK = 5_000
# Below this many rows for each, another process costs more than it saves.
CHAIN_ROWS_PER_WORKER = 100_000


def chain_rows(chunk_size: int = CHAIN_CHUNK, *, after: int | None = None) -> Iterator[dict]:
    """Every row in sequence order, a chunk at a time, so memory stays flat for any length.

    Keyset pagination on (sequence, id) rather than OFFSET keeps each chunk an index range scan,
    and still returns a duplicated sequence should someone drop the unique constraint. The rows
    are read through the cursor rather than the ORM: a million events spent more time in field
    converters than in hashing. Only the JSON columns need decoding, to be re-encoded
    canonically; timestamps are hashed as the driver returns them (`iso_utc`). With `after`,
    the rows after that sequence number.
    """
    columns = (*HASHED_FIELDS, "row_hash", "id")
    json_columns = [
        field.name for field in AuditEvent._meta.concrete_fields if isinstance(field, JSONField)
    ]
    query = AuditEvent.objects.order_by("sequence", "id").values_list(*columns)
    if after is not None:
        query = query.filter(sequence__gt=after)
    position: tuple[int, int] | None = None
    while True:
        rows = query
        if position is not None:
            sequence, pk = position
            # The bare lower bound is what lets PostgreSQL start the index scan at the position:
            # under the OR alone it scans from the first row every chunk, quadratic in the chain.
            rows = rows.filter(
                Q(sequence__gte=sequence),
                Q(sequence__gt=sequence) | Q(sequence=sequence, id__gt=pk),
            )
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


def check_chain(
    anchors: Iterable[Anchor] = (),
    *,
    workers: int = 1,
    rows_per_worker: int = CHAIN_ROWS_PER_WORKER,
) -> ChainCheck:
    """Walk the whole chain (and hold it to any checkpoints given): `verify_audit`'s check.

    With several workers and a long chain, the chain is cut into parts by sequence number, each
    walked by a process of its own from the stored row before it; the walk is mostly hashing in
    Python, so a million events take half the time on two cores. The first broken part names
    the chain's first break: a part is reached by the single walk only when every part before
    it, and so the row it starts from, is intact. Inside a transaction, or on a database in
    memory, other processes cannot see the rows, so the parts are walked here in turn.
    """
    anchors = tuple(anchors)
    parts = _parts(workers, rows_per_worker)
    if len(parts) > 1 and _other_processes_can_read():
        # Each process opens its own connection: none may inherit this one's socket.
        connections.close_all()
        with ProcessPoolExecutor(
            len(parts), mp_context=multiprocessing.get_context("fork")
        ) as pool:
            walked = list(pool.map(_walk_part, parts, repeat(anchors)))
    else:
        walked = (_walk_part(part, anchors) for part in parts)
    count = 0
    for count, problem in walked:
        if problem is not None:
            return ChainCheck(count=count, broken_at=problem)
    return ChainCheck(count=count, broken_at=None)


def _parts(workers: int, rows_per_worker: int) -> list[tuple[int | None, int | None]]:
    """(after, through) sequence bounds of each part, the first from the start and the last to
    the end, whatever has been appended since."""
    last = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
    count = max(1, min(workers, last // max(rows_per_worker, 1)))
    size = math.ceil(last / count) if last else 0
    bounds = [None, *(size * index for index in range(1, count)), None]
    return list(pairwise(bounds))


def _walk_part(part: tuple[int | None, int | None], anchors) -> tuple[int, ChainBreak | None]:
    after, through = part
    start = None
    if after is not None:
        stored = AuditEvent.objects.filter(sequence=after).values_list("row_hash", flat=True)
        start = Link(after, stored.first())
    return find_break(chain_rows(after=after), anchors, after=start, through=through)


def _other_processes_can_read() -> bool:
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    forking = "fork" in multiprocessing.get_all_start_methods()
    return forking and not in_memory and not connection.in_atomic_block


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


def last_chain_verification() -> AuditEvent | None:
    """The latest walk of the chain asked for from the audit page, as recorded: who asked, when,
    and what it found. One step down the (verb, sequence) index, however long the log."""
    return (
        AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED)
        .order_by("-sequence")
        .only("sequence", "occurred_at", "actor_label", "detail")
        .first()
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
