"""Signed checkpoints of the chain head, held outside the database.

Whoever can rewrite the audit table can recompute a plain hash chain. A checkpoint is the head
(sequence, row hash, row count, time) signed with HMAC-SHA-256 under AUDIT_CHECKPOINT_KEY, a
secret the database never holds, so a rewrite or a cut tail no longer matches a checkpoint and
a checkpoint cannot be forged without the key.
"""

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings

FORMAT = "partnerhub-audit-checkpoint/1"


class CheckpointError(Exception):
    """A checkpoint that cannot be used: unreadable, forged, or no key to check it with."""


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    row_hash: str
    count: int
    written_at: str
    hmac_sha256: str = ""
    name: str = field(default="", compare=False)

    def payload(self) -> bytes:
        fields = {
            "format": FORMAT,
            "sequence": self.sequence,
            "row_hash": self.row_hash,
            "count": self.count,
            "written_at": self.written_at,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self, key: bytes) -> "Checkpoint":
        digest = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return Checkpoint(**{**asdict(self), "hmac_sha256": digest})

    def signature_is_valid(self, key: bytes) -> bool:
        expected = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.hmac_sha256)

    def to_json(self) -> str:
        data = json.loads(self.payload())
        data["hmac_sha256"] = self.hmac_sha256
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    def as_detail(self) -> dict:
        return {**json.loads(self.payload()), "hmac_sha256": self.hmac_sha256}

    def summary(self) -> str:
        """One line for a report, so that its readers hold a copy of the chain head."""
        return (
            f"Audit checkpoint: {self.count} events up to row {self.sequence}, "
            f"row hash {self.row_hash}, written {self.written_at}, "
            f"HMAC-SHA-256 {self.hmac_sha256}"
        )

    @classmethod
    def from_json(cls, text: str, name: str) -> "Checkpoint":
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise CheckpointError(f"checkpoint {name} is not a {FORMAT} file")
            return cls(
                sequence=int(data["sequence"]),
                row_hash=str(data["row_hash"]),
                count=int(data["count"]),
                written_at=str(data["written_at"]),
                hmac_sha256=str(data["hmac_sha256"]),
                name=name,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as problem:
            raise CheckpointError(f"checkpoint {name} cannot be read: {problem}") from None


def checkpoint_key() -> bytes:
    key = getattr(settings, "AUDIT_CHECKPOINT_KEY", "")
    if key:
        return key.encode()
    if settings.DEBUG:
        # Local development only: a key derived from SECRET_KEY, which the database does not
        # hold either. Production must set its own, so rotating SECRET_KEY never voids them.
        return hashlib.sha256(
            b"partnerhub-audit-checkpoint:" + settings.SECRET_KEY.encode()
        ).digest()
    raise CheckpointError(
        "AUDIT_CHECKPOINT_KEY is not set; checkpoints cannot be signed or checked without it"
    )


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def load(path: Path, key: bytes) -> Checkpoint:
    """Read a checkpoint file and refuse it unless its signature holds under `key`."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as problem:
        raise CheckpointError(f"checkpoint {path} cannot be read: {problem.strerror}") from None
    checkpoint = Checkpoint.from_json(text, name=str(path))
    if not checkpoint.signature_is_valid(key):
        raise CheckpointError(
            f"checkpoint {path} is forged or damaged: its HMAC does not match"
            " (or it was signed under another AUDIT_CHECKPOINT_KEY)"
        )
    return checkpoint


def files_in(directory: Path) -> list[Path]:
    return sorted(Path(directory).glob("checkpoint-*.json"))


def save(checkpoint: Checkpoint, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint.written_at.replace(":", "").replace("-", "").replace(".", "")
    path = directory / f"checkpoint-{checkpoint.sequence:012d}-{stamp}.json"
    # Exclusive creation: a checkpoint is never overwritten, only added to.
    with path.open("x") as out:
        out.write(checkpoint.to_json())
    return path
