"""Taking a backup: one snapshot for the dump and the counts, then the files beside it."""

import shutil
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit import checkpoints
from audit.backups import database
from audit.backups import manifest as backup_manifest
from audit.backups.manifest import CHECKPOINTS, DUMP, MEDIA, BackupRefused
from audit.chain import iso_utc
from audit.database_owner import connected_as_owner
from audit.selectors import chain_head


@dataclass(frozen=True)
class TakenBackup:
    directory: Path
    manifest: dict
    seconds: float


def _version() -> str:
    try:
        return metadata.version("partnerhub")
    except metadata.PackageNotFoundError:
        return "unknown (not installed as a package)"


def _applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _dump_at_one_snapshot(working: Path) -> dict:
    """Dump the database and count it as one moment saw it.

    pg_dump takes its own snapshot when it starts, which would not be the one the counts were
    read in. So a REPEATABLE READ transaction exports its snapshot, counts every table and reads
    the chain head, and pg_dump is handed that same snapshot while the transaction stays open.
    """
    with connected_as_owner():
        owner_settings = dict(connection.settings_dict)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            counts = database.row_counts(cursor)
            head = chain_head()
            migrations = _applied_migrations(cursor)
            database.dump(owner_settings, snapshot, working / DUMP)
    return {
        "database": owner_settings["NAME"],
        "tables": counts,
        "chain_head": head,
        "migrations": migrations,
    }


def _copy_tree(source: Path, target: Path) -> None:
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.is_symlink():
            copy = target / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)


def _copy_checkpoints(target: Path, head: dict | None) -> list[str]:
    """Copy the checkpoints the dump reaches; return the names of any signed after it.

    A checkpoint written while the backup ran may sign a head the dump does not hold, and
    restoring it would make the restored chain look truncated. The next backup takes it.
    """
    reached = head["sequence"] if head else 0
    left_out = []
    for path in checkpoints.files_in(checkpoints.checkpoint_dir()):
        try:
            signed_up_to = checkpoints.Checkpoint.from_json(path.read_text(), str(path)).sequence
        except checkpoints.CheckpointError:
            # Copied as it is: verify_audit after a restore names a damaged checkpoint.
            signed_up_to = 0
        if signed_up_to > reached:
            left_out.append(path.name)
            continue
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / path.name)
    return left_out


def take_backup(destination: Path) -> TakenBackup:
    """Write a new backup directory under `destination`; it appears only once it is complete."""
    if connection.vendor != "postgresql":
        raise BackupRefused(
            "backup is for PostgreSQL (it writes a pg_dump archive). On SQLite, stop Partnerhub "
            "and copy the database file, PARTNERHUB_MEDIA_ROOT and AUDIT_CHECKPOINT_DIR instead."
        )
    if connection.in_atomic_block:
        raise BackupRefused("backup must run outside a transaction, to take its own snapshot")
    started = time.monotonic()
    taken_at = timezone.now()
    destination = Path(destination)
    name = "partnerhub-" + taken_at.strftime("%Y%m%dT%H%M%S%fZ")
    working = destination / f".{name}.incomplete"
    working.mkdir(parents=True, mode=0o700)
    try:
        state = _dump_at_one_snapshot(working)
        _copy_tree(Path(settings.MEDIA_ROOT), working / MEDIA)
        left_out = _copy_checkpoints(working / CHECKPOINTS, state["chain_head"])
        files = [
            backup_manifest.describe_file(working, path)
            for path in sorted(working.rglob("*"))
            if path.is_file()
        ]
        manifest = {
            **state,
            "taken_at": iso_utc(taken_at),
            "partnerhub_version": _version(),
            "files": files,
            "checkpoints_signed_after_the_snapshot": left_out,
        }
        backup_manifest.write(working, manifest)
        final = destination / name
        working.rename(final)
    except BaseException:
        shutil.rmtree(working, ignore_errors=True)
        raise
    return TakenBackup(directory=final, manifest=manifest, seconds=time.monotonic() - started)
