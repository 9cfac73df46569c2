from django.apps import AppConfig


class PartnerhubConfig(AppConfig):
    """Project-wide pieces: layout, form rendering, roles, system checks and the demo."""

    name = "config"
    label = "partnerhub"
    verbose_name = "Partnerhub"

    def ready(self):
        from django.db.models.signals import post_migrate

        from config import checks  # noqa: F401  (registers the system checks)
        from config.roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions)
