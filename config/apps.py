from django.apps import AppConfig


class PartnerhubConfig(AppConfig):
    """Settings, URLs and the system checks that guard them; nothing an app imports."""

    name = "config"
    label = "partnerhub"
    verbose_name = "Partnerhub"

    def ready(self):
        from config import checks  # noqa: F401  (registers the system checks)
