from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    """The partner directory and the people who use Partnerhub, each belonging to an agency."""

    name = "agencies"
    verbose_name = "Directory"
