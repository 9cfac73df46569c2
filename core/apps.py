from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer every app builds on: form rendering, template tags, pagination, roles,
    rich text and the shared refusal. It imports no Partnerhub app."""

    name = "core"
    verbose_name = "Partnerhub core"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from core.moments import read_moments_compiled
        from core.roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions)
        connection_created.connect(read_moments_compiled, dispatch_uid="core.read_moments")
