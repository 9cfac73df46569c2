"""Fill the database with a realistic demo, so `make run` shows every capability."""

from django.core.management.base import BaseCommand
from django.db import transaction

from agencies import demo as agencies_demo


class Command(BaseCommand):
    help = "Create demo agencies, people for every role and sample data. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            people = agencies_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(f"Sign in with any of these (password: {agencies_demo.DEMO_PASSWORD}):")
        for email, role in people:
            self.stdout.write(f"  {email:40} {role}")
