from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top layer: the dashboard and navigation that read every app, and the demo that fills
    them. No app imports it."""

    name = "home"
    verbose_name = "Partnerhub home"
