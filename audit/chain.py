"""The hash chain: how a row's hash is computed and how the chain is checked."""

import hashlib
import json
from dataclasses import dataclass

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


def row_digest(values: dict) -> str:
    canonical = {name: values[name] for name in HASHED_FIELDS}
    occurred_at = canonical["occurred_at"]
    canonical["occurred_at"] = occurred_at if isinstance(occurred_at, str) else _iso(occurred_at)
    payload = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _iso(moment) -> str:
    # Microsecond precision in UTC, the same on SQLite and PostgreSQL.
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str

    def __str__(self):
        return f"row {self.sequence}: {self.reason}"


def find_break(rows) -> tuple[int, ChainBreak | None]:
    """Walk rows in sequence order; return how many were good and the first break, if any."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for row in rows:
        if row["sequence"] != expected_sequence:
            reason = (
                f"sequence jumps from {expected_sequence - 1} to {row['sequence']}"
                " (a row was removed or inserted)"
            )
            return count, ChainBreak(row["sequence"], reason)
        if row["previous_hash"] != expected_previous:
            return count, ChainBreak(
                row["sequence"], "previous hash does not match the row before it"
            )
        if row_digest(row) != row["row_hash"]:
            return count, ChainBreak(row["sequence"], "content does not match its hash")
        expected_previous = row["row_hash"]
        expected_sequence += 1
        count += 1
    return count, None
