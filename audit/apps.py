from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    """The append-only, hash-chained audit log that every other app writes to."""

    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from audit import checks, signals  # noqa: F401  (registers the checks and receivers)

        # Every app's guards.py adds its triggers to ALL_GUARDS and its tables to
        # PROTECTED_TABLES; import them all now so neither list depends on import order.
        autodiscover_modules("guards")
