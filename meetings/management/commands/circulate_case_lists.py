"""Send each MARAC meeting's case list to the attending agencies, the set number of working days
ahead (PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS).

Run it from a timer once a day, early (README, "Reminders and daily digests"); running it again,
or two copies at once, sends nobody a list twice:
    30 6 * * *  cd /srv/partnerhub && .venv/bin/python manage.py circulate_case_lists
"""

from django.core.management.base import BaseCommand

from meetings.case_lists import circulate_case_lists


class Command(BaseCommand):
    help = "Send the MARAC case lists that are due, each agency only the cases shared with it."

    def handle(self, *args, **options):
        sent = circulate_case_lists()
        self.stdout.write(f"Case lists sent: {sent}.")
