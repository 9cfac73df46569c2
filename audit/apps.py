from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained audit log that every other app writes to."""

    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from audit import signals  # noqa: F401  (connects the sign-in receivers)
