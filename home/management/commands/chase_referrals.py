"""Remind officers and agencies of referrals not acknowledged by their target. The targets are
hours, so run it often (every 15 minutes, README "Timers"); a rerun reminds nobody twice."""

from django.core.management.base import BaseCommand

from sharing.reminders import send_referral_chasers


class Command(BaseCommand):
    help = "Chase referrals not acknowledged by their target time."

    def handle(self, *args, **options):
        chased = send_referral_chasers()
        self.stdout.write(f"Referrals chased: {chased}.")
