"""Restoring a backup into an empty database, and proving it: the audit chain verifies against
every checkpoint and every table holds as many rows as the manifest says."""

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from audit import checkpoints
from audit.app_role import RoleRefused, role_statements
from audit.backups import database
from audit.backups import manifest as backup_manifest
from audit.backups.manifest import CHECKPOINTS, DUMP, MEDIA, BackupRefused, CheckedBackup


@dataclass
class RestoredBackup:
    seconds: float = 0.0
    differences: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)


def _destinations() -> tuple[tuple[str, Path], ...]:
    return ((MEDIA, Path(settings.MEDIA_ROOT)), (CHECKPOINTS, checkpoints.checkpoint_dir()))


def _files_to_place(checked: CheckedBackup) -> list[tuple[Path, Path]]:
    """(file in the backup, where it goes), refusing to overwrite a different file there."""
    placements, clashes = [], []
    for folder, directory in _destinations():
        for source, relative in checked.files_under(folder):
            target = directory / relative
            if target.exists() and backup_manifest.sha256_of(target) != (
                backup_manifest.sha256_of(source)
            ):
                clashes.append(str(target))
            placements.append((source, target))
    if clashes:
        raise BackupRefused(
            "These files already exist with other contents, and a restore never overwrites: "
            + ", ".join(clashes)
        )
    return placements


def _refuse_unless_empty(owner: dict) -> None:
    with database.connect(owner, autocommit=True) as connection, connection.cursor() as cursor:
        tables = database.table_names(cursor)
    if tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise BackupRefused(
            f"database {owner['NAME']} is not empty ({len(tables)} tables: {shown}); "
            "restore only into a new, empty database"
        )


def _verify_audit(database_url: str, owner_url: str) -> subprocess.CompletedProcess:
    """verify_audit --all-checkpoints on the restored database, in a process of its own that
    connects as the restored system will and reads the checkpoints put in place."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_OWNER_URL": owner_url,
        "AUDIT_CHECKPOINT_DIR": str(checkpoints.checkpoint_dir()),
        "PARTNERHUB_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    if settings.AUDIT_CHECKPOINT_KEY:
        environment["AUDIT_CHECKPOINT_KEY"] = settings.AUDIT_CHECKPOINT_KEY
    return subprocess.run(  # noqa: S603 (this project's own manage.py)
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "verify_audit",
            "--all-checkpoints",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _recreate_application_role(owner: dict, application: dict) -> str:
    """create_app_role's statements, run as the owner on the restored database: the dump
    carries no grants, so the application role gets exactly what the guards allow today."""
    role = application["USER"]
    with database.connect(owner) as connection, connection.cursor() as cursor:
        for statement in role_statements(cursor, role, application.get("PASSWORD") or None):
            cursor.execute(statement)
    return f"Role {role} has the application's privileges."


def _compare(owner: dict, manifest: dict) -> list[str]:
    with database.connect(owner, autocommit=True) as connection, connection.cursor() as cursor:
        restored = database.row_counts(cursor)
        cursor.execute(
            "SELECT sequence, row_hash FROM audit_auditevent ORDER BY sequence DESC LIMIT 1"
        )
        head = cursor.fetchone()
    expected = manifest["tables"]
    differences = [
        f"table {table}: {restored.get(table, 'no')} rows restored, the backup held "
        f"{expected.get(table, 'no such table')}"
        for table in sorted(set(expected) | set(restored))
        if restored.get(table) != expected.get(table)
    ]
    held = manifest["chain_head"]
    restored_head = {"sequence": head[0], "row_hash": head[1]} if head else None
    if restored_head != held:
        differences.append(f"audit chain head: {restored_head} restored, the backup held {held}")
    return differences


def restore_backup(
    backup: Path, *, database_url: str, owner_url: str | None = None
) -> RestoredBackup:
    """Load `backup` into the empty database `database_url` names, then hold it to the manifest.

    Everything that could refuse is checked before anything is written: the files against the
    manifest, the database for emptiness, the evidence and checkpoint folders for clashes.
    """
    started = time.monotonic()
    checked = backup_manifest.check(Path(backup))
    application = database.settings_from_url(database_url, "--database-url")
    owner = database.settings_from_url(owner_url, "--owner-url") if owner_url else application
    if (owner["NAME"], owner.get("HOST"), owner.get("PORT")) != (
        application["NAME"],
        application.get("HOST"),
        application.get("PORT"),
    ):
        raise BackupRefused("--owner-url must name the same database as --database-url")
    _refuse_unless_empty(owner)
    placements = _files_to_place(checked)

    database.load(owner, checked.directory / DUMP)
    for source, target in placements:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)

    result = RestoredBackup()
    if owner_url and owner.get("USER") != application.get("USER"):
        try:
            result.reports.append(_recreate_application_role(owner, application))
        except RoleRefused as refusal:
            result.differences.append(f"the application role was not re-created: {refusal}")
    else:
        result.reports.append(
            "No --owner-url: the tables belong to the --database-url role, and no separate "
            "application role was made."
        )
    verified = _verify_audit(database_url, owner_url or "")
    if verified.returncode != 0:
        result.differences.append(f"verify_audit failed: {verified.stderr.strip()}")
    else:
        result.reports.append(verified.stdout.strip())
    result.differences += _compare(owner, checked.manifest)
    result.seconds = time.monotonic() - started
    return result
