"""The hash chain: how a row's hash is computed and how the chain is checked.

Nothing here touches the database, so the same walk serves `verify_audit`, checkpoints and tests.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Protocol

GENESIS_HASH = "0" * 64

# The fields a row's hash covers, in a fixed order. Changing this list breaks every chain.
HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "verb",
    "object_type",
    "object_id",
    "object_label",
    "changed_fields",
    "detail",
    "ip_address",
    "previous_hash",
)


# One encoder for every row: json.dumps with these options would build a new one per call, which
# is a tenth of the time `verify_audit` spends on a long chain.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_digest(values: dict) -> str:
    canonical = {name: values[name] for name in HASHED_FIELDS}
    occurred_at = canonical["occurred_at"]
    canonical["occurred_at"] = occurred_at if isinstance(occurred_at, str) else iso_utc(occurred_at)
    return hashlib.sha256(_CANONICAL.encode(canonical).encode("utf-8")).hexdigest()


def iso_utc(moment) -> str:
    """Microsecond precision in UTC, the same on SQLite and PostgreSQL. A naive moment is
    already UTC, as a database driver hands back a timestamp stored with USE_TZ."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


class Anchor(Protocol):
    """What the walk needs of a checkpoint: a row it vouches for, and a name to report."""

    sequence: int
    row_hash: str
    count: int
    name: str


@dataclass(frozen=True)
class Link:
    """The row a part of the chain follows on from, as stored: where a walk of that part starts.
    Its hash is None when no such row is stored."""

    sequence: int
    row_hash: str | None


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str

    def __str__(self):
        return f"row {self.sequence}: {self.reason}"


def find_break(
    rows: Iterable[dict],
    anchors: Iterable[Anchor] = (),
    *,
    after: Link | None = None,
    through: int | None = None,
) -> tuple[int, ChainBreak | None]:
    """Walk rows in sequence order; return how many were good and the first break, if any.

    Without anchors the walk proves every row follows from the one before, which catches an
    altered, removed, inserted or swapped row. It cannot see a cut tail or a chain rewritten
    from some row onwards with freshly computed hashes: each anchor (a signed checkpoint held
    outside the database) pins the row hash at its sequence, and the chain must reach it.

    With `after` and `through` the walk checks one part of the chain: the rows after `after` up
    to `through` (the rows from `after` onwards are given), counting as if every row up to
    `after` were good. It names the break the whole walk would name if that were so, so the
    first broken part holds the chain's first break: that is how `check_chain` splits the walk.
    """
    start = after.sequence if after is not None else 0
    pinned: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        if (after is None or anchor.sequence > start) and (
            through is None or anchor.sequence <= through
        ):
            pinned.setdefault(anchor.sequence, []).append(anchor)
    expected_previous = after.row_hash if after is not None else GENESIS_HASH
    expected_sequence = start + 1
    count = start
    for row in rows:
        sequence = row["sequence"]
        if through is not None and sequence > through and expected_sequence > through:
            break
        if sequence < expected_sequence:
            return count, ChainBreak(sequence, "appears more than once (a row was inserted)")
        if sequence > expected_sequence:
            jumped_from = f"row {expected_sequence - 1}" if expected_sequence > 1 else "the start"
            reason = (
                f"missing: the chain jumps from {jumped_from} to row {sequence}"
                " (a row was removed, or one was inserted out of sequence)"
            )
            return count, ChainBreak(expected_sequence, reason)
        if row["previous_hash"] != expected_previous:
            return count, ChainBreak(sequence, "its previous hash does not match the row before it")
        if row_digest(row) != row["row_hash"]:
            return count, ChainBreak(sequence, "its content does not match its hash (altered)")
        count += 1
        for anchor in pinned.pop(sequence, ()):
            if anchor.row_hash != row["row_hash"] or anchor.count != count:
                return count - 1, ChainBreak(
                    sequence,
                    f"rewritten: checkpoint {anchor.name} recorded a different hash for this row"
                    " (the chain was recomputed after a change)",
                )
        expected_previous = row["row_hash"]
        expected_sequence += 1
    if pinned:
        furthest = max(pinned)
        anchor = pinned[furthest][0]
        return count, ChainBreak(
            expected_sequence,
            f"truncated: the chain ends at row {expected_sequence - 1} but checkpoint"
            f" {anchor.name} recorded {anchor.count} rows (the tail was cut)",
        )
    return count, None
