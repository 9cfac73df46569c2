"""Reminders that fall due, the daily digests, and another try for notification e-mails that
failed. Run it once a day from a timer (README, "Timers"); running it again, or two copies at
once, sends nothing twice."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from agencies.reminders import send_agreement_reminders
from meetings.reminders import send_action_reminders
from notifications.delivery import retry_failed, send_digests


class Command(BaseCommand):
    help = "Send due reminders and daily digests; retry notification e-mails that failed."

    def handle(self, *args, **options):
        today = timezone.localdate()
        actions = send_action_reminders(today)
        agreements = send_agreement_reminders(today)
        digests = send_digests()
        retried = retry_failed()
        self.stdout.write(
            f"Reminders sent: {actions} about actions, {agreements} about information sharing "
            f"agreements. Daily digests sent: {digests}. Failed e-mails tried again: {retried}."
        )
