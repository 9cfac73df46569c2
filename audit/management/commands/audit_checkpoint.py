"""Sign the audit chain's head and keep it outside the database. Run daily (README)."""

from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import CheckpointError
from audit.services import ChainBroken, write_checkpoint


class Command(BaseCommand):
    help = (
        "Write the audit chain head, signed with AUDIT_CHECKPOINT_KEY, to AUDIT_CHECKPOINT_DIR "
        "and e-mail it to COMPLIANCE_EMAIL. Refuses when the chain does not verify."
    )

    def handle(self, *args, **options):
        try:
            written = write_checkpoint()
        except (CheckpointError, ChainBroken) as problem:
            raise CommandError(f"No checkpoint written: {problem}") from None
        self.stdout.write(self.style.SUCCESS(f"Checkpoint written to {written.path}"))
        self.stdout.write(written.checkpoint.summary())
        if written.emailed_to:
            self.stdout.write(f"E-mailed to {', '.join(written.emailed_to)}")
        else:
            self.stderr.write("COMPLIANCE_EMAIL is not set: the checkpoint was not e-mailed.")
