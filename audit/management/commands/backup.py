"""Back up the PostgreSQL database, the evidence files and the audit checkpoints (README)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.backups.manifest import BackupRefused
from audit.backups.take import take_backup


class Command(BaseCommand):
    help = (
        "Write a new timestamped directory holding a pg_dump archive (custom format, taken as "
        "DATABASE_OWNER_URL), the uploaded evidence files, the audit checkpoints and "
        "manifest.json (each file's SHA-256, every table's row count at the dump's snapshot, "
        "the audit chain head). PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            default=None,
            metavar="DIR",
            help="Where to write the backup's directory (default: PARTNERHUB_BACKUP_DIR).",
        )

    def handle(self, *args, to, **options):
        try:
            taken = take_backup(to or Path(settings.PARTNERHUB_BACKUP_DIR))
        except BackupRefused as refusal:
            raise CommandError(f"No backup written: {refusal}") from None
        manifest = taken.manifest
        head = manifest["chain_head"]
        self.stdout.write(self.style.SUCCESS(f"Backup written to {taken.directory}"))
        self.stdout.write(
            f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
            f"{len(manifest['files'])} files; audit chain head "
            + (f"row {head['sequence']} ({head['row_hash']})" if head else "none (no events)")
        )
        if manifest["checkpoints_signed_after_the_snapshot"]:
            self.stdout.write(
                "Checkpoints signed after the snapshot, left for the next backup: "
                + ", ".join(manifest["checkpoints_signed_after_the_snapshot"])
            )
        self.stdout.write(f"Took {taken.seconds:.1f} seconds.")
