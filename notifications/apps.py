from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Telling people what happened: the in-app list, e-mails now or in a daily digest, and
    reminders sent once each."""

    name = "notifications"
    verbose_name = "Notifications"
