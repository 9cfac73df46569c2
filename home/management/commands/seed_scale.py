"""Fill an empty database with national-scale data for benchmarks (issue 25)."""

from django.core.management.base import BaseCommand, CommandError

from home.scale import SCALE_PASSWORD, SIZES, generate
from sharing.models import Case


class Command(BaseCommand):
    help = (
        "Fill an empty database with realistic national-scale data: agencies, people in every "
        "role, three years of cases, consents, disclosures, referrals, forums, meetings, "
        "actions and a hash-chained audit log. Sizes: uk (issue 25's numbers), medium, small. "
        f"Every generated person signs in with the password {SCALE_PASSWORD!r} and a TOTP code "
        "from the secret home.scale.totp_secret_for(email) gives (base32; "
        "tests/totp.py's current_code computes the code), so a load tester can sign in as "
        "anyone. Refuses a database that already holds cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument(
            "--seed", type=int, default=25, help="The same seed makes the same data."
        )

    def handle(self, *args, size, seed, **options):
        if Case.objects.exists():
            raise CommandError(
                "This database already holds cases. seed_scale fills an empty database only: "
                "create a new one, migrate it, and run seed_scale again."
            )
        self.stdout.write(f"Filling the database at size {size!r} with seed {seed}:")
        planned = generate(SIZES[size], seed, report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {planned['disclosures']:,} disclosures, {planned['referrals']:,} "
                f"referrals and {planned['audit_events']:,} audit events. Sign in as any "
                f"generated person with the password {SCALE_PASSWORD!r}."
            )
        )
