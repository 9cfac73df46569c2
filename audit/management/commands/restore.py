"""Restore a backup into an empty PostgreSQL database and prove it restored (README)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.backups.manifest import BackupRefused
from audit.backups.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Check a backup against its manifest, load it into an empty PostgreSQL database, put "
        "the evidence files and checkpoints into PARTNERHUB_MEDIA_ROOT and AUDIT_CHECKPOINT_DIR, "
        "re-create the application role, then run verify_audit --all-checkpoints and compare "
        "every table's row count with the manifest. Exits non-zero naming what differs."
    )
    # The configured database may be the one being restored, or not exist yet: nothing here
    # uses it, so the checks that would connect to it are not run.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, metavar="DIR", help="A directory `backup` wrote.")
        parser.add_argument(
            "--database-url",
            required=True,
            help="The empty database to restore into, as the application connects to it.",
        )
        parser.add_argument(
            "--owner-url",
            help=(
                "The same database as its owner, who loads the tables and owns them; the "
                "--database-url role is then re-created as the application role."
            ),
        )

    def handle(self, *args, backup, database_url, owner_url, **options):
        try:
            restored = restore_backup(backup, database_url=database_url, owner_url=owner_url)
        except BackupRefused as refusal:
            raise CommandError(f"Nothing restored: {refusal}") from None
        for report in restored.reports:
            self.stdout.write(report)
        if restored.differences:
            raise CommandError(
                "The restored database does not match the backup:\n  "
                + "\n  ".join(restored.differences)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {backup} and verified it against its manifest in "
                f"{restored.seconds:.1f} seconds."
            )
        )
