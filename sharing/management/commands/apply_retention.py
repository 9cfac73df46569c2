"""Erase what the retention schedule says is due (README "Retention and erasure"). Run it daily
on one host (deploy/systemd/partnerhub-retention.timer); a rerun erases nothing twice."""

from django.core.management.base import BaseCommand

from sharing.services.retention import apply_retention


class Command(BaseCommand):
    help = "Erase released content, closed cases' personal details and evidence files now due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be erased and change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        run = apply_retention(dry_run=dry_run)
        heading = "Would erase" if dry_run else "Erased"
        for erasure in run.erasures:
            self.stdout.write(f"{heading} {erasure.describe()}")
        for reference in run.held:
            self.stdout.write(f"Held, not erased: {reference}")
        self.stdout.write(
            f"{heading} for {len(run.erasures)} case(s) on {run.today.isoformat()}; "
            f"{len(run.held)} held."
        )
