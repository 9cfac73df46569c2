"""Fill the database with a realistic demo, so `make run` shows every capability."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from agencies import demo as agencies_demo
from audit.checkpoints import CheckpointError
from audit.selectors import latest_checkpoint
from audit.services import ChainBroken, write_checkpoint
from home import outbox
from meetings import demo as meetings_demo
from notifications import demo as notifications_demo
from sharing import demo as sharing_demo
from sharing import demo_history as sharing_history


class Command(BaseCommand):
    help = "Create demo agencies, people for every role and sample data. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            told_before = notifications_demo.last_notification()
            people = agencies_demo.seed()
            # The months before today first, so case references run in the order of events.
            sharing_history.seed()
            sharing_demo.seed()
            notifications_demo.seed()
            meetings_demo.seed()
            notifications_demo.read_old_news(after=told_before)
        # The day's reminders and digests, as the timer would send them.
        call_command("send_reminders", stdout=StringIO())
        call_command("chase_referrals", stdout=StringIO())
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        if latest_checkpoint() is None:
            try:
                written = write_checkpoint()
            except (ChainBroken, CheckpointError) as problem:
                self.stdout.write(self.style.WARNING(f"No audit checkpoint written: {problem}"))
            else:
                self.stdout.write(f"First audit checkpoint written: {written.path}")
        self.stdout.write(f"Sign in with any of these (password: {agencies_demo.DEMO_PASSWORD}):")
        for email, role in people:
            self.stdout.write(f"  {email:40} {role}")
        if outbox.in_use():
            self.stdout.write(
                f"The {len(outbox.messages())} e-mails the demo sent are not delivered: read them "
                "on the Outbox page (/outbox/)."
            )
