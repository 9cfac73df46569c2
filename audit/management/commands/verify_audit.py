"""Walk the audit chain and, given checkpoints, hold it to them."""

import os

from django.core.management.base import BaseCommand, CommandError

from audit import checkpoints
from audit.selectors import check_chain


class Command(BaseCommand):
    help = (
        "Check that every audit event follows from the one before it, and that the chain still "
        "reaches every checkpoint given. Exits 0 and prints the count when intact; otherwise "
        "names the first broken row or the checkpoint that failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="A signed checkpoint file (repeat for several).",
        )
        parser.add_argument(
            "--all-checkpoints",
            action="store_true",
            help="Also check every checkpoint in AUDIT_CHECKPOINT_DIR.",
        )

        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes that walk parts of a long chain at once (default: one per core).",
        )

    def handle(self, *args, checkpoint, all_checkpoints, workers, **options):
        paths = list(checkpoint)
        if all_checkpoints:
            paths += checkpoints.files_in(checkpoints.checkpoint_dir())
        anchors = []
        if paths:
            try:
                key = checkpoints.checkpoint_key()
                anchors = [checkpoints.load(path, key) for path in paths]
            except checkpoints.CheckpointError as problem:
                raise CommandError(f"Audit checkpoint refused: {problem}") from None
        result = check_chain(anchors, workers=workers)
        if not result.intact:
            raise CommandError(
                f"Audit chain broken at {result.broken_at} ({result.count} rows verified before it)"
            )
        against = f", consistent with {len(anchors)} checkpoint(s)" if anchors else ""
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {result.count} events{against}.")
        )
