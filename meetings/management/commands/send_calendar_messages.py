"""Send calendar e-mails that have not been delivered yet.

Run it from a timer, e.g. every ten minutes:
    */10 * * * *  cd /srv/partnerhub && .venv/bin/python manage.py send_calendar_messages
"""

from django.core.management.base import BaseCommand

from meetings.calendars import delivery


class Command(BaseCommand):
    help = "Try again to send every calendar invitation or cancellation not yet delivered."

    def handle(self, *args, **options):
        count = delivery.retry_undelivered()
        self.stdout.write(f"Tried {count} undelivered calendar message(s).")
